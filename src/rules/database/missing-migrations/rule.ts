import { defineRule, type ProjectContext } from '../../../core/rule.js';
import { isTestPath } from '../../../discover/language.js';
import { describeServer, findFirst, findIn, serverAppsOf, sourceFilesOf, sourcesNamed, textOf, type Located } from '../../_shared/server-app.js';

/** Modules where ORM models are declared, by name. */
const MODEL_MODULE = /(^|\/)(models?|entities|entity|schemas?|tables|orm|db|database)(\/[^/]+)?\.(py|[cm]?[jt]s)$|\.entity\.[cm]?[jt]s$|(^|\/)models?\.[\w-]+\.[cm]?[jt]s$/;
const MAX_MODEL_MODULES = 80;

/** Declarations of mapped tables per ORM (Django models are checked per app, below). */
const MODEL_DECLARATIONS: { orm: string; python: boolean; pattern: RegExp }[] = [
  { orm: 'SQLAlchemy', python: true, pattern: /^\s+__tablename__\s*=/m },
  { orm: 'SQLModel', python: true, pattern: /\bclass\s+\w+\s*\([^)]*\bSQLModel\b[^)]*table\s*=\s*True/ },
  { orm: 'Tortoise ORM', python: true, pattern: /\bclass\s+\w+\s*\(\s*(tortoise\.)?(models\.)?Model\s*\)[\s\S]*?fields\.\w+Field\(/ },
  { orm: 'TypeORM', python: false, pattern: /@Entity\s*\(/ },
  { orm: 'Sequelize', python: false, pattern: /\bsequelize\.define\s*\(|\bextends\s+Model\b[\s\S]*?\.init\s*\(/ },
];

/** Folders and files of migration tools: Alembic, Django, Prisma, knex, TypeORM, Sequelize, Flyway, dbmate, Atlas, yoyo, aerich, golang-migrate. */
const MIGRATION_PATH = /(^|\/)(migrations?|alembic|migrate|changelog|changesets?)\/[^/]+|(^|\/)(alembic\.ini|\.sequelizerc|knexfile\.[cm]?[jt]s|atlas\.hcl|flyway\.conf|liquibase\.properties|yoyo\.ini|dbmate\.\w+)$|(^|\/)V\d+(_\d+)*__\w+\.sql$/;
/** package.json / Makefile commands that run a migration tool. */
const MIGRATION_COMMAND = /\b(alembic\s+upgrade|prisma\s+migrate|typeorm\s+migration:|migration:run|sequelize(-cli)?\s+db:migrate|knex\s+migrate|drizzle-kit\s+(migrate|generate)|db:migrate|aerich\s+upgrade|flyway\s+migrate|dbmate\s+up|atlas\s+migrate|yoyo\s+apply|manage\.py\s+migrate)\b/;
/** Schema created from the models at start-up: the typical stand-in for migrations. */
const CREATE_ALL = /\b\w+\.metadata\.create_all\b|\bSQLModel\.metadata\.create_all\b|\bsynchronize\s*:\s*true\b|\bsequelize\.sync\s*\(|\bGenerate_schemas\b|\bgenerate_schemas\s*=\s*True/;

function hasMigrationTool(context: ProjectContext): boolean {
  if (context.files.some((file) => MIGRATION_PATH.test(file.path))) return true;
  const commandFiles = context.files.filter((file) => /(^|\/)(package\.json|Makefile|justfile|Procfile|Dockerfile[^/]*|[^/]+\.sh|(docker-)?compose[^/]*\.ya?ml)$/.test(file.path));
  return findFirst(context, commandFiles.slice(0, 60).map((file) => file.path), MIGRATION_COMMAND) !== undefined;
}

/** Django apps (folders with a models module declaring `models.Model` subclasses) that have no `migrations/` folder. */
function djangoAppsWithoutMigrations(context: ProjectContext): Located[] {
  const missing: Located[] = [];
  for (const path of sourcesNamed(context, /(^|\/)models(\.py|\/__init__\.py)$/, MAX_MODEL_MODULES)) {
    const found = findIn(context, path, /^class\s+\w+\s*\([^)]*\bmodels\.Model\b/m);
    if (!found) continue;
    // Abstract models (`class Meta: abstract = True`) make no tables: an app of only those needs no migrations.
    const text = textOf(context, path) ?? '';
    const models = text.match(/^class\s+\w+\s*\([^)]*\bmodels\.Model\b/gm)?.length ?? 0;
    const abstract = text.match(/^\s+abstract\s*=\s*True\b/gm)?.length ?? 0;
    if (abstract >= models) continue;
    const app = path.replace(/\/?models(\.py|\/__init__\.py)$/, '');
    if (/(^|\/)(site-packages|vendor)\//.test(app)) continue;
    if (!context.list(app).includes('migrations')) missing.push(found);
  }
  return missing;
}

function modelDeclarations(context: ProjectContext): (Located & { orm: string })[] {
  const candidates = sourcesNamed(context, MODEL_MODULE, MAX_MODEL_MODULES);
  for (const entry of context.stack) {
    if (entry.category !== 'orm') continue;
    for (const path of entry.evidence ?? []) if (!candidates.includes(path) && sourceFilesOf(context).some((file) => file.path === path)) candidates.push(path);
  }
  const found: (Located & { orm: string })[] = [];
  for (const declaration of MODEL_DECLARATIONS) {
    const paths = candidates.filter((path) => path.endsWith('.py') === declaration.python);
    const at = findFirst(context, paths, declaration.pattern);
    if (at) found.push({ ...at, orm: declaration.orm });
  }
  for (const file of context.files) {
    if (!file.path.endsWith('.prisma') || isTestPath(file.path)) continue;
    const at = findIn(context, file.path, /^model\s+\w+\s*\{/m);
    if (at) found.push({ ...at, orm: 'Prisma' });
  }
  return found;
}

export default defineRule({
  meta: {
    id: 'database/missing-migrations',
    title: 'ORM models without migrations',
    area: 'database',
    severity: 'medium',
    type: 'bug',
    effort: 'medium',
    confidence: 'medium',
    languages: ['repo'],
    since: '0.1.0',
    description: 'A server declares ORM models (SQLAlchemy, SQLModel, Django, TypeORM, Sequelize, Prisma, Tortoise) and has no migration tool or migrations folder.',
    why:
      'Without migrations the schema is whatever `create_all()`/`synchronize: true` made on the first start: a new column ' +
      'in a model never reaches an existing database (or, with `synchronize`, a renamed field drops a column and its data), ' +
      'and no one can tell which schema production runs (seed 004). Reported: a server (a web or bot framework its code ' +
      'starts) with mapped models and no migration tool anywhere in the repository (no `migrations/`, `alembic/`, ' +
      '`alembic.ini`, `prisma/migrations`, knexfile, `.sequelizerc`, Flyway/Atlas/dbmate/yoyo files, no `alembic upgrade`/' +
      '`prisma migrate`/`db:migrate` command in package.json, Makefile, Dockerfile or compose), and each Django app whose ' +
      'models.py declares models but that has no `migrations/` folder. Not reported: libraries, CLIs, tiny trees, schemaless ' +
      'stores (MongoDB/Mongoose), and models in tests.',
    recommendation:
      'Adopt the migration tool of your ORM (Alembic for SQLAlchemy/SQLModel, `makemigrations` for Django, `prisma migrate`, ' +
      'TypeORM/Sequelize/knex migrations, aerich for Tortoise), generate the initial migration from the current models, ' +
      'commit it, and run the upgrade on deploy instead of `create_all()`/`synchronize`.',
    examples: [
      {
        language: 'py',
        bad: '# app/models.py (and no alembic/ or migrations/ anywhere)\nclass Order(Base):\n    __tablename__ = "orders"\n\nBase.metadata.create_all(engine)\n',
        good: '# alembic.ini + alembic/versions/0001_initial.py next to it\nclass Order(Base):\n    __tablename__ = "orders"\n',
      },
    ],
    references: ['seed 004 (schema managed by create_all)', 'RULES.md database/missing-migrations', 'https://alembic.sqlalchemy.org/', 'https://docs.djangoproject.com/en/stable/topics/migrations/'],
  },
  onProject(context) {
    const servers = serverAppsOf(context);
    if (servers.length === 0) return;
    const server = describeServer(servers[0]);
    for (const app of djangoAppsWithoutMigrations(context)) {
      const folder = app.path.replace(/\/?models(\.py|\/__init__\.py)$/, '') || '.';
      context.report({ path: app.path, line: app.line, message: `Django app \`${folder}\` declares models but has no \`migrations/\` folder: \`migrate\` never creates or changes its tables (${server}).` });
    }
    const declarations = modelDeclarations(context);
    if (declarations.length === 0 || hasMigrationTool(context)) return;
    const [first] = declarations;
    const orms = [...new Set(declarations.map((declaration) => declaration.orm))].join(', ');
    const readPaths = [...new Set([...declarations.map((declaration) => declaration.path), ...sourcesNamed(context, /(^|\/)(main|app|server|index|db|database|data-source|init_db|bootstrap)\.(py|[cm]?[jt]s)$/, 40)])];
    const createAll = findFirst(context, readPaths, CREATE_ALL);
    const how = !createAll
      ? 'nothing creates or alters the tables in a reviewable, repeatable way'
      : /synchronize/.test(createAll.text)
        ? `\`${createAll.text}\` (${createAll.path}:${createAll.line}) rewrites the schema from the entities on every start and can drop a renamed column with its data`
        : `the schema comes from \`${createAll.text.replace(/\s*\($/, '()')}\` (${createAll.path}:${createAll.line}), which creates missing tables but never alters existing ones`;
    context.report({ path: first.path, line: first.line, message: `${orms} models (${first.path}:${first.line}) of the ${server} and no migration tool or migrations folder: ${how}.` });
  },
});
