import { defineRule, type ProjectContext } from '../../../core/rule.js';
import { composeDatabasesOf, serverDatabaseDriver, sqliteStoreOf } from '../../_shared/project-datastores.js';
import { describeServer, findFirst, serverAppsOf, sourcesNamed, type Located } from '../../_shared/server-app.js';

/** Backup tools and procedures, and the word itself (a documented procedure counts). */
const BACKUP =
  /\b(pg_dump(all)?|pg_basebackup|mysqldump|mariadb-dump|mariabackup|xtrabackup|mongodump|litestream|litefs|restic|wal-g|wal-e|pgbackrest|barman|borg\s+create|velero|duplicity|VACUUM\s+INTO|backups?|back\s+up|snapshots?\s+of\s+the\s+database)\b|\.backup\s*\(/i;
/** A file named for backups is a backup procedure, whatever it holds. */
const BACKUP_NAME = /(^|\/)[^/]*(backup|litestream|pgbackrest|wal-g|restic)[^/]*(\/|$)/i;
/** Operational files: scripts, schedulers, CI, deployment manifests, docs. */
const OPS_FILE =
  /(^|\/)(Makefile|justfile|Taskfile\.ya?ml|Procfile|crontab|[^/]+\.cron|Dockerfile[^/]*|[^/]+\.(sh|bash)|\.gitlab-ci\.yml|package\.json)$|(^|\/)\.github\/workflows\/[^/]+\.ya?ml$|(^|\/)(deploy|deployment|k8s|kubernetes|helm|charts?|infra|ops|ansible|cron)\/.+\.(ya?ml|sh|cfg|conf)$|(^|\/)(docker-)?compose[^/]*\.ya?ml$/;
const DOC_FILE = /\.(md|markdown|rst|txt|adoc)$/i;
/** Folders whose documents are read: the root, `docs/`, `doc/`, and the same in each service folder. */
const DOC_FOLDERS = ['', 'docs', 'doc', 'documentation'];
/** Application modules where a dump or snapshot job would live. */
const JOB_MODULE = /(^|\/)[^/]*(backup|dump|snapshot|restore|maint\w*|admin|ops|cron|tasks?|jobs?|report\w*|schedul\w*|periodic)[^/]*\.(py|[cm]?[jt]s)$/i;
const MAX_FILES = 80;

function backupEvidence(context: ProjectContext): Located | undefined {
  const named = context.files.find((file) => BACKUP_NAME.test(file.path));
  if (named) return { path: named.path, line: 1, text: named.path };
  const ops = context.files.filter((file) => OPS_FILE.test(file.path)).slice(0, MAX_FILES).map((file) => file.path);
  // Markdown is not audited, so it is not among the files: the documentation folders are listed.
  const roots = ['', ...serverAppsOf(context).map((server) => server.root)];
  const folders = [...new Set(roots.flatMap((root) => DOC_FOLDERS.map((folder) => [root, folder].filter(Boolean).join('/'))))];
  const docs = folders
    .flatMap((folder) => context.list(folder).filter((name) => DOC_FILE.test(name)).map((name) => (folder ? `${folder}/${name}` : name)))
    .slice(0, MAX_FILES);
  return findFirst(context, [...ops, ...docs, ...sourcesNamed(context, JOB_MODULE, MAX_FILES)], BACKUP);
}

export default defineRule({
  meta: {
    id: 'database/no-backup',
    title: 'Database without backups',
    area: 'database',
    severity: 'medium',
    type: 'bug',
    effort: 'medium',
    confidence: 'medium',
    languages: ['repo'],
    status: 'preview',
    since: '0.1.0',
    description: 'A server\'s database (a compose database service with a data volume, or SQLite) and no backup job, script or documented procedure anywhere in the repository.',
    why:
      'Without backups one bad migration, `DELETE` without `WHERE`, disk failure or ransomware is permanent data loss ' +
      '(seed 004: "No backup/disaster recovery"). Reported when the repository runs a server (a web or bot framework it ' +
      'starts) and keeps its data in a database it operates itself: a PostgreSQL/MySQL/MongoDB… service of a compose file ' +
      'with a volume, or SQLite opened by the server\'s code; and nothing in the repository backs it up: no file named for ' +
      'backups, no `pg_dump`/`mysqldump`/`mongodump`/Litestream/restic/WAL-G/pgBackRest/Barman in scripts, Makefiles, ' +
      'cron files, CI workflows, compose files, deployment manifests or job modules, and no documentation mentioning ' +
      'backups. Not reported: databases reached only through a URL (managed services back themselves up), compose ' +
      'databases without a volume and those of dev/test compose files (throwaway data), libraries, CLIs and tiny trees. ' +
      'Preview (on with `--enable`): backups are often run by the hosting platform or another repository, which no file ' +
      'here can show.',
    recommendation:
      'Schedule backups and test restoring them: a cron job or compose service running `pg_dump`/`mysqldump` to off-site ' +
      'storage (or WAL archiving with pgBackRest/WAL-G), Litestream for SQLite; write the restore procedure down next to ' +
      'the deployment.',
    examples: [
      {
        language: 'compose',
        bad: 'services:\n  db:\n    image: postgres:16\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n',
        good:
          'services:\n  db:\n    image: postgres:16\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n  backup:\n    image: prodrigestivill/postgres-backup-local\n    environment:\n      SCHEDULE: "@daily"\n',
      },
    ],
    references: ['seed 004 (no backup/disaster recovery)', 'RULES.md database/no-backup', 'https://litestream.io/'],
  },
  onProject(context) {
    const servers = serverAppsOf(context);
    if (servers.length === 0) return;
    const databases = composeDatabasesOf(context).filter((database) => database.persistent && !database.development);
    const sqlite = databases.length === 0 && !serverDatabaseDriver(context) && composeDatabasesOf(context).length === 0 ? sqliteStoreOf(context) : undefined;
    if (databases.length === 0 && !sqlite) return;
    if (backupEvidence(context)) return;
    const server = describeServer(servers[0]);
    const missing = 'no backup job, script, cron entry, CI step or documented backup/restore procedure in the repository';
    if (databases.length > 0) {
      const [first] = databases;
      const names = databases.map((database) => `\`${database.service}\` (${database.image})`).join(', ');
      context.report({ path: first.path, line: first.line, message: `Database service ${names} of the ${server} keeps its data on a volume with ${missing}.` });
      return;
    }
    if (sqlite) context.report({ path: sqlite.path, line: sqlite.line, message: `The SQLite database (${sqlite.what}) of the ${server} has ${missing}.` });
  },
});
