import { defineRule } from '../../../core/rule.js';
import { composeDatabasesOf, serverDatabaseDriver, sqliteStoreOf } from '../../_shared/project-datastores.js';
import { describeServer, serverAppsOf } from '../../_shared/server-app.js';

export default defineRule({
  meta: {
    id: 'database/sqlite-in-production',
    title: 'SQLite as the primary store of a server',
    area: 'database',
    severity: 'medium',
    type: 'enhancement',
    effort: 'large',
    confidence: 'medium',
    languages: ['repo'],
    since: '0.1.0',
    description: 'A multi-user web or bot server keeps its data in a SQLite file opened by its own code.',
    why:
      'A SQLite database is one file on one disk next to one process: one writer at a time (concurrent requests queue on ' +
      '"database is locked"), no second instance or replica can share it, a lost volume or container loses every user\'s ' +
      'data, and backups need a tool that understands its WAL (seed 004: "SQLite single point of failure"). Reported when ' +
      'a web or bot framework is started by this code and its database setup (settings, config, db modules) opens SQLite: ' +
      'a `sqlite:///` / `sqlite+aiosqlite://` URL, `sqlite3.connect(...)`, Django `django.db.backends.sqlite3`, Prisma ' +
      '`provider = "sqlite"`, TypeORM/Sequelize/knex `sqlite`. Not reported: tests, scripts, `:memory:` databases, ' +
      'libraries, CLIs and desktop tools (no server started), trees of fewer than 3 source files, Django settings that take ' +
      'DATABASES from the environment, and SQLite next to a PostgreSQL/MySQL/MongoDB driver or database service (a cache ' +
      'or a development fallback then).',
    recommendation:
      'Move the data to a client/server database (PostgreSQL, MySQL) reached through a URL from the environment, with ' +
      'managed backups; if SQLite stays (a single small instance), run it in WAL mode on a persistent volume and replicate ' +
      'it continuously with Litestream or LiteFS.',
    examples: [
      {
        language: 'py',
        bad: '# app/db.py of a FastAPI service\nengine = create_engine("sqlite:///./shop.db")\n',
        good: '# app/db.py of a FastAPI service\nengine = create_engine(os.environ["DATABASE_URL"])  # postgresql://…\n',
      },
    ],
    references: ['seed 004 (SQLite single point of failure)', 'RULES.md database/sqlite-in-production', 'https://www.sqlite.org/whentouse.html'],
  },
  onProject(context) {
    const servers = serverAppsOf(context);
    if (servers.length === 0) return;
    const store = sqliteStoreOf(context);
    if (!store || serverDatabaseDriver(context) || composeDatabasesOf(context).length > 0) return;
    const server = servers.find((candidate) => candidate.root === '' || store.path.startsWith(`${candidate.root}/`)) ?? servers[0];
    context.report({
      path: store.path,
      line: store.line,
      message:
        `SQLite (${store.what}) is the only database of the ${describeServer(server)}: one file on one disk, one writer at a time, ` +
        'no replica; losing the volume loses every user\'s data.',
    });
  },
});
