// What an auditor checks in each kind of component (after seed 000's "Check for" lists) and in
// the project as a whole (seed 000 Parts 7–13). Each item names the rule ids of the catalog
// (shared/design/RULES.md) that check it; build-plan decides which of them exist today; an item
// whose ids are all still planned stays a manual checkbox that mentions them.
import type { ComponentRole } from '../core/audit-result.js';

export interface CheckItem {
  /** What to look for, as a reviewer would write it. */
  text: string;
  /** Rule ids that check it automatically (existing or planned); empty: manual only. */
  rules: readonly string[];
  /** Only for components with a file whose name matches (compose files, Dockerfiles). */
  files?: RegExp;
}

const check = (text: string, ...rules: string[]): CheckItem => ({ text, rules });
const COMPOSE = /(^|\/)(docker-)?compose[^/]*\.ya?ml$/;
const DOCKERFILE = /(^|\/)Dockerfile[^/]*$/;
const forFiles = (files: RegExp, item: CheckItem): CheckItem => ({ ...item, files });

/**
 * Component kinds: every `ComponentRole`, with "other" split in two because application code and
 * project files (manifests, `.env.example`, tsconfig) call for different checks.
 */
export type ChecklistKind = Exclude<ComponentRole, 'other'> | 'application' | 'project-files';

export const COMPONENT_CHECKLISTS: Record<ChecklistKind, readonly CheckItem[]> = {
  models: [
    check('Foreign keys without an index', 'database/foreign-key-without-index'),
    check('Timestamps stored as naive datetimes', 'reliability/naive-datetime'),
    check('Missing indexes for the common queries'),
    check('Constraints, nullability and defaults match how the code uses each field'),
    check('Unused columns and enum values that drifted from the code'),
  ],
  repositories: [
    check('SQL built from strings (injection)', 'security/sql-injection'),
    check('N+1 queries: a query inside a loop over results', 'performance/query-in-loop'),
    check('List queries without a limit or pagination', 'performance/unbounded-query'),
    check('Several writes without a transaction', 'database/multi-write-without-transaction'),
    check('Read-modify-write without a lock, version column or atomic update', 'reliability/read-modify-write'),
    check('Lookups that can return nothing, dereferenced unchecked', 'reliability/none-dereference'),
    check('Created or saved objects whose returned copy is dropped (ids stay empty)', 'reliability/discarded-result'),
    check('Database errors swallowed', 'reliability/silent-exception', 'reliability/broad-exception'),
    check('Sessions and connections: one pool, always closed', 'performance/connection-pool-disabled'),
    check('Return types and error style consistent across repositories', 'consistency/mixed-error-style'),
    check('Queries scoped to the current user or tenant where they must be'),
  ],
  migrations: [
    check('ORM models without a migration tool or folder', 'database/missing-migrations'),
    check('`downgrade()` empty or `pass`', 'database/migration-without-downgrade'),
    check('One head; migration order matches the models'),
    check('No destructive change (drop, rename, type change) without a data migration'),
    check('All migrations applied in every environment'),
  ],
  routes: [
    check('Routes that change or expose data without authentication', 'security/missing-authentication'),
    check('Sibling routes missing a check the others make (auth, audit log, rate limit)', 'consistency/inconsistent-siblings'),
    check('Login, token and register endpoints without rate limiting', 'security/no-auth-rate-limit'),
    check('Request input reaching SQL (injection)', 'security/sql-injection'),
    check('Request input reaching shell commands', 'security/shell-injection'),
    check('Request input reaching file paths (traversal)', 'security/path-traversal'),
    check('Request input reaching outbound URLs (SSRF)', 'security/ssrf'),
    check('Untrusted input rendered as HTML or used as a redirect target', 'security/xss', 'security/open-redirect'),
    check('Blocking I/O inside async handlers', 'performance/blocking-call-in-async'),
    check('Exceptions swallowed or caught far too broadly', 'reliability/silent-exception', 'reliability/broad-exception'),
    check('Errors answered with a bare 500, without an error code or correlation id', 'reliability/generic-error-response'),
    check('List endpoints without pagination', 'performance/unbounded-query'),
    check('Request bodies and parameters validated (types, ranges, sizes)'),
  ],
  handlers: [
    check('Exceptions swallowed or caught far too broadly', 'reliability/silent-exception', 'reliability/broad-exception'),
    check('Failed steps only logged while execution goes on', 'reliability/failure-logged-and-ignored'),
    check('Promises neither awaited nor handled', 'reliability/floating-promise'),
    check('Blocking calls inside async handlers', 'performance/blocking-call-in-async'),
    check('Collections on long-lived objects that only grow', 'reliability/unbounded-growth'),
    check('Untrusted message text interpolated into LLM prompts', 'security/prompt-injection'),
    check('Sibling handlers missing a check the others make', 'consistency/inconsistent-siblings'),
    check('The user gets an error message when something fails'),
    check('Cleanup on cancellation and timeouts (streams, temp files, locks)'),
  ],
  services: [
    check('Outbound HTTP, LLM and database calls without a timeout', 'reliability/missing-timeout'),
    check('External calls with no retry, backoff or circuit breaker', 'reliability/no-retry-or-breaker'),
    check('Multi-step operations with no compensation on failure', 'reliability/partial-failure'),
    check('Races on balances, counters and status', 'reliability/read-modify-write', 'reliability/shared-counter-race'),
    check('Failed critical steps only logged while execution goes on', 'reliability/failure-logged-and-ignored'),
    check('Exceptions swallowed or caught far too broadly', 'reliability/silent-exception', 'reliability/broad-exception'),
    check('Blocking calls inside async code', 'performance/blocking-call-in-async'),
    check('Shell commands built from input', 'security/shell-injection'),
    check('`eval`, `exec`, `new Function` on input', 'security/code-eval'),
    check('Child processes handed the whole environment, or their return codes never checked', 'security/env-leak-to-child', 'reliability/unchecked-subprocess'),
    check('Transactions are atomic and money or state changes are audit-logged'),
  ],
  cache: [
    check('Keys set without expiry', 'performance/cache-without-ttl'),
    check('Read-then-write races on cached values', 'reliability/read-modify-write'),
    check('Key naming: prefixes, collisions between features'),
    check('Invalidation: when is cached data stale, and who clears it'),
    check('Behaviour when the cache is down (fallback, circuit breaker)'),
    check('Serialisation of cached objects (versions, large values)'),
  ],
  config: [
    check('Hard-coded secrets', 'security/hardcoded-secret'),
    check('Secrets read from the environment with a literal fallback', 'security/insecure-default-secret'),
    check('Debug mode without an environment guard', 'security/debug-mode'),
    check('Access tokens valid for more than a day', 'security/jwt-long-expiry'),
    check('Timeouts scattered as literals instead of one setting', 'reliability/hardcoded-timeouts'),
    check('Settings validated at start-up (types, required values)'),
  ],
  tools: [
    check('Shell commands built from input', 'security/shell-injection'),
    check('`eval`, `exec`, `new Function` on input', 'security/code-eval'),
    check('Child processes handed the whole environment', 'security/env-leak-to-child'),
    check('Subprocess return codes never checked', 'reliability/unchecked-subprocess'),
    check('File paths from input without canonicalisation', 'security/path-traversal'),
    check('URLs fetched from input without an allow-list (SSRF)', 'security/ssrf'),
    check('Outbound calls without a timeout', 'reliability/missing-timeout'),
    check('One return format and error style across tools', 'consistency/mixed-error-style'),
    check('Input validated; temporary files and processes cleaned up'),
  ],
  middleware: [
    check('CORS: any origin, with or without credentials', 'security/cors-credentials-wildcard', 'security/cors-permissive'),
    check("Content-Security-Policy with 'unsafe-inline' or 'unsafe-eval'", 'security/csp-unsafe'),
    check('Passwords, tokens or request bodies written to logs', 'security/sensitive-data-in-logs'),
    check('Errors swallowed instead of propagated', 'reliability/silent-exception'),
    check('Middleware order: authentication before handlers, error handler last'),
    check('Cost per request (database sessions, remote calls)'),
  ],
  frontend: [
    check('Auth tokens in `localStorage` or `sessionStorage`', 'security/token-in-localstorage'),
    check('`dangerouslySetInnerHTML` / `innerHTML` with non-literal values', 'security/dangerous-html'),
    check('Promises neither awaited nor handled', 'reliability/floating-promise'),
    check('`any` types', 'code-quality/explicit-any'),
    check('`console.log` left in', 'code-quality/print-statement'),
    check('Loading and error states shown to the user'),
    check('Accessibility: labels, focus, keyboard navigation'),
  ],
  scripts: [
    check('Destructive steps whose failure is only logged', 'reliability/failure-logged-and-ignored'),
    check('Subprocess return codes never checked', 'reliability/unchecked-subprocess'),
    check('Shell commands built from input', 'security/shell-injection'),
    check('Exceptions swallowed', 'reliability/silent-exception'),
    check('Safe to re-run (idempotent), with a dry run for destructive work'),
  ],
  tests: [
    check('Test functions without an assertion', 'testing/no-assertions'),
    check('Shared fixtures instead of every test building its own mocks', 'testing/no-shared-fixtures'),
    check('Tests exercise behaviour, not the mocks'),
    check('No flaky tests (sleeps, ordering, network)'),
    check('Error paths and edge cases covered'),
  ],
  infra: [
    forFiles(COMPOSE, check('Database, cache and broker ports published to the host', 'infrastructure/exposed-datastore-port')),
    forFiles(COMPOSE, check('Default or trivial credentials', 'infrastructure/default-credentials')),
    forFiles(COMPOSE, check('Redis without a password or ACL', 'infrastructure/redis-without-auth')),
    forFiles(COMPOSE, check('Privileged containers, docker socket mounts, host networking', 'infrastructure/privileged-container')),
    forFiles(COMPOSE, check('Memory and CPU limits', 'infrastructure/no-resource-limits')),
    forFiles(COMPOSE, check('Restart policies', 'infrastructure/no-restart-policy')),
    forFiles(COMPOSE, check('Network isolation between services')),
    forFiles(DOCKERFILE, check('Containers running as root', 'infrastructure/container-runs-as-root')),
    forFiles(DOCKERFILE, check('Secrets in `ENV`/`ARG` or `.env` copied into the image', 'infrastructure/secret-in-image')),
    check('Health checks', 'infrastructure/no-healthcheck'),
    check('Images pinned to a version', 'infrastructure/unpinned-image'),
  ],
  application: [
    check('Exceptions swallowed or caught far too broadly', 'reliability/silent-exception', 'reliability/broad-exception'),
    check('Secrets read from the environment with a literal fallback', 'security/insecure-default-secret'),
    check('CORS: any origin, with or without credentials', 'security/cors-credentials-wildcard', 'security/cors-permissive'),
    check('Debug mode without an environment guard', 'security/debug-mode'),
    check('Connection pools disabled or a new client per request', 'performance/connection-pool-disabled'),
    check('Blocking calls inside async code', 'performance/blocking-call-in-async'),
    check('What this code does, and which component it belongs to'),
  ],
  'project-files': [
    check('Dependencies pinned, with a lock file', 'dependencies/unpinned', 'dependencies/missing-lockfile'),
    check('`.env`-style files ignored by git', 'security/env-file-not-ignored'),
    check('Hard-coded secrets in settings and example files', 'security/hardcoded-secret'),
    check('Settings files match what the code reads'),
  ],
};

export interface ProjectSection {
  title: string;
  items: readonly CheckItem[];
}

export interface ProjectPart {
  key: ProjectPartKey;
  title: string;
  sections: readonly ProjectSection[];
}

export type ProjectPartKey =
  | 'configuration'
  | 'monitoring'
  | 'infrastructure'
  | 'testing'
  | 'security'
  | 'error-handling'
  | 'performance'
  | 'dependencies'
  | 'code-quality';

/** Project-wide parts (seed 000 Parts 7–13); counts here are over the whole project. */
export const PROJECT_PARTS: readonly ProjectPart[] = [
  {
    key: 'configuration',
    title: 'Configuration',
    sections: [
      {
        title: 'Environment and secrets',
        items: [
          check('Environment variables documented (`.env.example`)', 'documentation/missing-env-example'),
          check('`.env` files ignored by git', 'security/env-file-not-ignored'),
          check('Secret management: where production secrets live and who can read them'),
          check('Each environment (development, staging, production) gets its own secrets'),
          check('Debug mode, auto-reload or development error pages on outside development', 'security/debug-mode'),
        ],
      },
    ],
  },
  {
    key: 'monitoring',
    title: 'Monitoring & Logging',
    sections: [
      {
        title: 'Logging',
        items: [
          check('`print` / `console.log` instead of a logger', 'code-quality/print-statement'),
          check('No structured logger', 'observability/no-structured-logging'),
          check('Passwords, tokens or request bodies in logs', 'security/sensitive-data-in-logs'),
          check('Log levels appropriate; context (request id, user) in every log'),
        ],
      },
      {
        title: 'Metrics and alerting',
        items: [
          check('No metrics library or endpoint', 'observability/no-metrics'),
          check('No health or readiness route', 'observability/no-health-endpoint'),
          check('No error tracking or alerting integration', 'observability/no-error-tracking'),
          check('Dashboards and alert rules cover the critical paths'),
        ],
      },
    ],
  },
  {
    key: 'infrastructure',
    title: 'Infrastructure',
    sections: [
      {
        title: 'Deployment',
        items: [
          check('No CI configuration running the tests', 'infrastructure/no-ci'),
          check('Default or trivial credentials in settings and code', 'infrastructure/default-credentials'),
          check('Datastore ports published, Redis without a password', 'infrastructure/exposed-datastore-port', 'infrastructure/redis-without-auth'),
          check('Privileged containers, docker socket mounts, host networking', 'infrastructure/privileged-container'),
          check('Containers running as root, secrets baked into images', 'infrastructure/container-runs-as-root', 'infrastructure/secret-in-image'),
          check('Health checks, restart policies and resource limits', 'infrastructure/no-healthcheck', 'infrastructure/no-restart-policy', 'infrastructure/no-resource-limits'),
          check('Images pinned to a version', 'infrastructure/unpinned-image'),
          check('How a release is built, rolled out and rolled back'),
        ],
      },
      {
        title: 'Database and cache operations',
        items: [
          check('A database service with no backup job or procedure', 'database/no-backup'),
          check('SQLite as the primary store of a multi-user server', 'database/sqlite-in-production'),
          check('Connection pooling on application engines', 'performance/connection-pool-disabled'),
          check('ORM models with no migration tool (schema from `create_all()`/`synchronize`)', 'database/missing-migrations'),
          check('Migrations that cannot be rolled back (`downgrade()` empty)', 'database/migration-without-downgrade'),
          check('Foreign keys without an index', 'database/foreign-key-without-index'),
          check('Several writes in one operation without a transaction', 'database/multi-write-without-transaction'),
          check('Redis persistence settings and memory limits'),
          check('Restores from backup tested'),
        ],
      },
    ],
  },
  {
    key: 'testing',
    title: 'Testing',
    sections: [
      {
        title: 'Test coverage',
        items: [
          check('Components with no tests at all', 'testing/no-tests'),
          check('Services, routes and handlers no test imports', 'testing/untested-module'),
          check('No coverage configuration', 'testing/no-coverage-tool'),
          check('Integration tests for the critical paths'),
        ],
      },
      {
        title: 'Test quality',
        items: [
          check('Test functions without an assertion', 'testing/no-assertions'),
          check('Ad-hoc test scripts or tests split across several roots', 'testing/scattered-tests'),
          check('Shared fixtures (conftest.py) instead of every test file building its own clients and mocks', 'testing/no-shared-fixtures'),
          check('Tests run in CI on every change'),
        ],
      },
    ],
  },
  {
    key: 'security',
    title: 'Security',
    sections: [
      {
        title: 'Authentication',
        items: [
          check('Routes that change or expose data without authentication', 'security/missing-authentication'),
          check('JWTs decoded without verifying the signature', 'security/jwt-unverified'),
          check('Access tokens valid for more than a day', 'security/jwt-long-expiry'),
          check('Login endpoints without rate limiting', 'security/no-auth-rate-limit'),
          check('Admin access control', 'security/admin-permission-misconfigured'),
        ],
      },
      {
        title: 'Secrets',
        items: [
          check('Hard-coded secrets', 'security/hardcoded-secret'),
          check('Secret fallbacks in code', 'security/insecure-default-secret'),
          check('Secrets tracked by git, `.env` files not ignored', 'security/secret-in-git', 'security/env-file-not-ignored'),
        ],
      },
      {
        title: 'Transport and browser',
        items: [
          check('CORS: any origin with credentials', 'security/cors-credentials-wildcard'),
          check('CORS: any origin or any header', 'security/cors-permissive'),
          check("Content-Security-Policy with 'unsafe-inline' or 'unsafe-eval'", 'security/csp-unsafe'),
          check('TLS verification disabled', 'security/tls-verify-disabled'),
          check('Tokens in `localStorage`', 'security/token-in-localstorage'),
        ],
      },
      {
        title: 'Input validation',
        items: [
          check('SQL injection', 'security/sql-injection'),
          check('Shell injection', 'security/shell-injection'),
          check('`eval` / `exec` / `new Function` on input', 'security/code-eval'),
          check('Path traversal', 'security/path-traversal'),
          check('Server-side request forgery', 'security/ssrf'),
          check('Cross-site scripting and raw HTML', 'security/xss', 'security/dangerous-html'),
          check('Open redirects', 'security/open-redirect'),
          check('Unsafe deserialisation and XML external entities', 'security/unsafe-deserialization', 'security/xxe'),
          check('Untrusted text in LLM prompts', 'security/prompt-injection'),
          check('File uploads validated (type, size, name)'),
        ],
      },
      {
        title: 'Data protection',
        items: [
          check('Weak hashing or randomness for secrets', 'security/weak-crypto'),
          check('Child processes handed the whole environment', 'security/env-leak-to-child'),
          check('Personal data: what is stored, encrypted, and deleted'),
        ],
      },
    ],
  },
  {
    key: 'error-handling',
    title: 'Error Handling',
    sections: [
      {
        title: 'Error patterns',
        items: [
          check('Exceptions swallowed', 'reliability/silent-exception'),
          check('Exceptions caught far too broadly', 'reliability/broad-exception'),
          check('Failed critical steps only logged', 'reliability/failure-logged-and-ignored'),
          check('Generic 500s with no error code or correlation id', 'reliability/generic-error-response'),
          check('Several incompatible error styles in one module family', 'consistency/mixed-error-style'),
          check('Promises neither awaited nor handled', 'reliability/floating-promise'),
          check('User-facing messages are helpful and leak nothing internal'),
        ],
      },
      {
        title: 'Resilience',
        items: [
          check('Outbound calls without a timeout', 'reliability/missing-timeout'),
          check('No retry, backoff or circuit breaker', 'reliability/no-retry-or-breaker'),
          check('Timeout literals scattered across modules', 'reliability/hardcoded-timeouts'),
          check('Multi-step operations with no compensation', 'reliability/partial-failure'),
          check('Lost updates: read-modify-write and shared counters without a lock or atomic update', 'reliability/read-modify-write', 'reliability/shared-counter-race'),
          check('Lookups that can come back empty, used unchecked', 'reliability/none-dereference'),
          check('Saved objects whose returned copy is dropped', 'reliability/discarded-result'),
          check('Subprocess return codes never checked', 'reliability/unchecked-subprocess'),
          check('Time-zone-naive timestamps (`datetime.now()` with `USE_TZ`, `utcnow()`)', 'reliability/naive-datetime'),
          check('Graceful degradation when a dependency is down'),
        ],
      },
    ],
  },
  {
    key: 'performance',
    title: 'Performance',
    sections: [
      {
        title: 'Hot paths',
        items: [
          check('Blocking I/O inside async code', 'performance/blocking-call-in-async'),
          check('Connection pools disabled or sized 1', 'performance/connection-pool-disabled'),
          check('N+1 queries', 'performance/query-in-loop'),
          check('List queries without a limit', 'performance/unbounded-query'),
          check('Cache keys without expiry', 'performance/cache-without-ttl'),
          check('Collections that only grow', 'reliability/unbounded-growth'),
          check('A single worker process in production', 'performance/single-worker'),
          check('Load measured on the busiest endpoints'),
        ],
      },
    ],
  },
  {
    key: 'dependencies',
    title: 'Dependencies',
    sections: [
      {
        title: 'Manifests and lock files',
        items: [
          check('Versions with published advisories', 'dependencies/known-vulnerability'),
          check('Major versions behind', 'dependencies/outdated'),
          check('Unpinned versions; no lock file', 'dependencies/unpinned', 'dependencies/missing-lockfile'),
          check('Declared but never imported', 'dependencies/unused'),
        ],
      },
    ],
  },
  {
    key: 'code-quality',
    title: 'Code Quality',
    sections: [
      {
        title: 'Style & conventions',
        items: [
          check('Trailing whitespace', 'code-quality/trailing-whitespace'),
          check('Lines over 120 characters', 'code-quality/long-line'),
          check('`print` / `console.log` in application code', 'code-quality/print-statement'),
          check('TODO / FIXME markers', 'code-quality/todo-comment'),
          check('Imports organised; naming follows the project conventions'),
        ],
      },
      {
        title: 'Types',
        items: [
          check('`any` in declarations and `as any`', 'code-quality/explicit-any'),
          check('Parameters without type hints', 'code-quality/untyped-parameter'),
          check('Type checks suppressed without a reason', 'code-quality/type-check-suppressed'),
        ],
      },
      {
        title: 'Architecture',
        items: [
          check('Files over 500 lines, functions over 80 lines', 'code-quality/large-file', 'code-quality/large-function'),
          check('Import cycles', 'architecture/import-cycle'),
          check('In-process state that prevents running several instances', 'architecture/single-process-state'),
          check('Classes with 8 or more collaborators', 'code-quality/too-many-dependencies'),
          check('Duplicated blocks', 'code-quality/duplicate-code'),
          check('Dead code: functions nothing calls', 'code-quality/unused-function'),
          check('Separation of concerns between layers'),
        ],
      },
      {
        title: 'Documentation',
        items: [
          check('README with setup and run instructions', 'documentation/missing-readme'),
          check('API documentation (OpenAPI or route docs)', 'documentation/missing-api-docs'),
          check('Docstrings on public functions and classes', 'documentation/low-docstring-coverage'),
        ],
      },
    ],
  },
];

/** Rules that run commands or code: components with their findings belong on the critical path. */
export const EXECUTION_RULES: ReadonlySet<string> = new Set([
  'security/shell-injection',
  'security/code-eval',
  'security/env-leak-to-child',
  'reliability/unchecked-subprocess',
]);

/** Every rule id any checklist names. */
export function checklistRuleIds(): Set<string> {
  const ids = new Set<string>();
  for (const items of Object.values(COMPONENT_CHECKLISTS)) for (const item of items) item.rules.forEach((id) => ids.add(id));
  for (const part of PROJECT_PARTS) for (const section of part.sections) for (const item of section.items) item.rules.forEach((id) => ids.add(id));
  return ids;
}
