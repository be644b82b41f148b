import { defineRule, type RuleContext } from '../../../core/rule.js';
import type { Severity } from '../../../core/types.js';
import { composeFileOf, environmentOf, interpolate } from '../../_shared/compose.js';
import { composeVariantOf, lineRange } from '../../_shared/compose-services.js';

/** Passwords shipped as image defaults, tutorial values and keyboard walks. */
const TRIVIAL = new Set([
  'postgres', 'postgresql', 'mysql', 'mariadb', 'mongo', 'mongodb', 'redis', 'rabbitmq', 'elastic', 'elasticsearch', 'neo4j', 'couchdb',
  'password', 'passw0rd', 'password1', 'password123', 'pass', 'pass123', 'passwd', 'pwd', 'changeme', 'change_me', 'change-me', 'changeit',
  'admin', 'admin123', 'administrator', 'root', 'toor', 'secret', 'guest', 'test', 'test123', 'demo', 'default', 'example', 'user',
  'minioadmin', 'sa', 'master', 'letmein', 'qwerty', 'welcome', '1234', '12345', '123456', '1234567', '12345678', '123456789', 'abc123',
]);

/** Setting names that hold a password (`POSTGRES_PASSWORD`, `RABBITMQ_DEFAULT_PASS`, `MINIO_SECRET_KEY`). */
const PASSWORD_NAME = /^(\w+_)(PASSWORD|PASSWD|PASS|PWD)$|^(PGPASSWORD|MINIO_SECRET_KEY|MINIO_ROOT_PASSWORD|NEO4J_AUTH)$/;
/** `scheme://user:password@host` of a database, cache or broker. */
const CREDENTIAL_URL = /\b((?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver|cockroachdb|clickhouse)(?:\+\w+)?):\/\/([^:@/\s]*):([^@/\s]+)@/i;
/** Env files that document placeholders rather than hold a deployment's values. */
const TEMPLATE_ENV = /(^|\/)\.env\.(example|sample|template|dist|tmpl|tpl|defaults?\.example)$|(^|\/)[^/]+\.env\.(example|sample|template)$/i;
/** Env and compose files of throwaway test databases. */
const TEST_ENV = /(^|\/)\.env\.(test|testing|ci|e2e)(\.local)?$/i;

interface Setting {
  name: string;
  value: string;
  line: number;
}

function isTrivial(password: string, user: string | undefined): boolean {
  return TRIVIAL.has(password.toLowerCase()) || (user !== undefined && user !== '' && password === user);
}

/** The user a password belongs to: `POSTGRES_PASSWORD` → `POSTGRES_USER`, `MINIO_ROOT_PASSWORD` → `MINIO_ROOT_USER`. */
function userFor(name: string, settings: Map<string, string>): string | undefined {
  const prefix = name.replace(/(PASSWORD|PASSWD|PASS|PWD)$/, '');
  if (name === 'PGPASSWORD') return settings.get('PGUSER');
  if (name === 'MINIO_SECRET_KEY') return settings.get('MINIO_ACCESS_KEY');
  for (const suffix of ['USER', 'USERNAME', 'USER_NAME', 'LOGIN']) {
    const user = settings.get(prefix + suffix);
    if (user !== undefined) return user;
  }
  return undefined;
}

function checkSettings(context: RuleContext, entries: Setting[], severity: Severity | undefined): void {
  const values = new Map(entries.map((entry) => [entry.name, entry.value]));
  for (const entry of entries) {
    const value = entry.value;
    if (value === '') continue;
    if (entry.name === 'NEO4J_AUTH') {
      const [user, password] = value.split('/');
      if (password && isTrivial(password, user)) report(context, entry, password, `NEO4J_AUTH sets a default or trivial Neo4j password for "${user}"`, severity);
      continue;
    }
    if (PASSWORD_NAME.test(entry.name)) {
      const user = userFor(entry.name, values);
      if (isTrivial(value, user)) {
        const why = TRIVIAL.has(value.toLowerCase()) ? 'a well-known default or trivial value' : 'the same as its user name';
        report(context, entry, value, `${entry.name} is ${why} ("${value}"): anyone who can reach the service can log in`, severity);
      }
      continue;
    }
    const url = CREDENTIAL_URL.exec(value);
    if (url) {
      const [, scheme, user, rawPassword] = url;
      let password = rawPassword;
      try {
        password = decodeURIComponent(rawPassword);
      } catch {
        // keep the raw text
      }
      if (isTrivial(password, user)) {
        report(context, entry, rawPassword, `${entry.name} connects to ${scheme.split('+')[0]} as "${user || '(default user)'}" with the trivial password "${rawPassword}"`, severity);
      }
    }
  }
}

/**
 * A well-known default ("postgres", "guest", "minioadmin") is public knowledge, not a secret: it is
 * shown, since masking it would also mask every "postgres" in the file's other findings. Any other
 * value (a password equal to its user name) is this deployment's password and is masked.
 */
function report(context: RuleContext, entry: Setting, secret: string, message: string, severity: Severity | undefined): void {
  const secrets = TRIVIAL.has(secret.toLowerCase()) ? [] : [secret];
  context.report({ range: lineRange(context.lines, entry.line, entry.name), message, secrets, ...(severity ? { severity } : {}) });
}

/** `KEY=value`, `export KEY="value"`, `KEY='value' # comment`. */
function parseEnvFile(lines: readonly string[]): Setting[] {
  const settings: Setting[] = [];
  lines.forEach((text, index) => {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(text);
    if (!match) return;
    let value = match[2].trim();
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2];
    else value = value.replace(/\s+#.*$/, '');
    settings.push({ name: match[1], value: interpolate(value) ?? '', line: index + 1 });
  });
  return settings;
}

export default defineRule({
  meta: {
    id: 'infrastructure/default-credentials',
    title: 'Default or trivial credentials',
    area: 'infrastructure',
    severity: 'high',
    type: 'security',
    effort: 'small',
    confidence: 'high',
    languages: ['compose', 'env'],
    since: '0.1.0',
    description: 'A database, cache, broker or admin password is a default or trivial value (`POSTGRES_PASSWORD: postgres`, `postgres://postgres:postgres@db`).',
    why:
      'Default passwords are the first thing tried by anyone who reaches the port, by hand or by the scanners that sweep the ' +
      'internet for 5432, 6379, 15672 and 9000 (seed 001: "`postgres:postgres` default user/pass in docker-compose"). Checked: ' +
      'password settings in compose `environment:` and `.env` files (`*_PASSWORD`, `*_PASS`, `PGPASSWORD`, `MINIO_SECRET_KEY`, ' +
      '`NEO4J_AUTH`) and credentials inside connection URLs (postgres, mysql, mongodb, redis, amqp…), including the default of ' +
      '`${VAR:-postgres}`. Trivial means an image default or tutorial value (postgres, root, admin, guest, minioadmin, ' +
      'password, changeme, secret, 123456…) or the user name repeated as password. Medium in dev/local compose files and ' +
      '`.env.development`. Not reported: `.env.example`/`.env.sample`/`.env.template`/`.env.dist` (placeholders by design), ' +
      '`.env.test`/`.env.ci` and test compose files (throwaway databases), `${VAR}` without a default, empty values, and ' +
      'non-trivial passwords (a hard-coded strong password is a secret-in-repo problem, not a default one).',
    recommendation:
      'Generate a strong password per environment and pass it in from the environment or a secret store ' +
      '(`POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}`, Docker secrets with `POSTGRES_PASSWORD_FILE`); build connection ' +
      'URLs from the same variable, and keep real `.env` files out of git.',
    examples: [
      {
        language: 'compose',
        bad: 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: postgres\n      POSTGRES_PASSWORD: postgres\n',
        good: 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: shop\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}\n',
      },
      {
        language: 'env',
        bad: 'DATABASE_URL=postgres://postgres:postgres@db:5432/shop\n',
        good: 'DATABASE_URL=postgres://shop:${DB_PASSWORD}@db:5432/shop\n',
      },
    ],
    references: [
      'seed 001 (`postgres:postgres` default user/pass in docker-compose)',
      'CWE-1392 Use of Default Credentials',
      'Semgrep generic.secrets.security.detected-generic-secret (compose), CIS Docker Benchmark 4.10',
    ],
    cwe: ['CWE-1392', 'CWE-521'],
  },
  fileFilter: /PASS|PWD|SECRET_KEY|NEO4J_AUTH|:\/\/[^:@/\s]*:[^@/\s]+@/i,
  onFile(context) {
    const path = context.file.path;
    if (path.endsWith('.yml') || path.endsWith('.yaml')) {
      const variant = composeVariantOf(path);
      if (variant === 'test') return;
      const severity: Severity | undefined = variant === 'dev' ? 'medium' : undefined;
      const file = composeFileOf(context);
      for (const service of file.services) {
        const entries = environmentOf(file, service).flatMap((entry) => {
          const value = entry.value === undefined ? undefined : interpolate(entry.value);
          return value === undefined ? [] : [{ name: entry.name, value, line: entry.line }];
        });
        checkSettings(context, entries, severity);
      }
      return;
    }
    if (TEMPLATE_ENV.test(path) || TEST_ENV.test(path)) return;
    const severity: Severity | undefined = /(^|\/)\.env\.(dev|development|local|development\.local)$/i.test(path) ? 'medium' : undefined;
    checkSettings(context, parseEnvFile(context.lines), severity);
  },
});
