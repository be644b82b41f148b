import { defineRule } from '../../../core/rule.js';
import { describeServer, findFirst, inService, serverAppsOf, serviceLabel, serviceSetupFiles, serviceUses } from '../../_shared/server-app.js';

/** Structured loggers (stack names, see discover/stack.ts). */
const STRUCTURED_LOGGERS = ['structlog', 'python-json-logger', 'loguru', 'pino', 'winston', 'bunyan'];
/** Frameworks whose built-in logger writes JSON (Fastify logs through pino). */
const STRUCTURED_FRAMEWORKS = new Set(['Fastify']);
/** A JSON/logfmt formatter wired by hand: a formatter class, a dictConfig entry, a JSON line writer. */
const STRUCTURED_SETUP =
  /JsonFormatter|jsonlogger|json_log_formatter|ecs_logging|class\s+\w*J[Ss][Oo][Nn]\w*Formatter|json\.dumps\([^)]*\b(levelname|record\.\w+)|JSON\.stringify\(\s*\{[^}]*\b(level|severity)\b|["']format["']\s*:\s*["']json|\bformat\s*=\s*["']json|LOG_FORMAT\w*\s*[=:]\s*["']json|logfmt/;
/** Logging configuration files (`logging.yaml`, `log_config.json`, `logging.ini`). */
const LOGGING_CONFIG_FILE = /(^|\/)[^/]*log[^/]*\.(ya?ml|json|ini|conf|cfg|toml)$/i;
/** How the service logs today, most telling first: the evidence the message names. */
const PLAIN_LOGGING: { pattern: RegExp; label: string }[] = [
  { pattern: /\blogging\.basicConfig\s*\(/, label: '`logging.basicConfig(...)` with a plain-text format' },
  { pattern: /["']format["']\s*:\s*["'][^"']*%\(\w+\)s/, label: 'a `%(...)s` format string in the logging config' },
  { pattern: /\blogging\.getLogger\s*\(/, label: '`logging` with the default plain-text format' },
  { pattern: /\bconsole\.(log|info|warn|error)\s*\(/, label: '`console.*` lines' },
  { pattern: /\bnew\s+Logger\s*\(/, label: 'NestJS\'s plain-text `Logger`' },
  { pattern: /^\s*print\s*\(/m, label: '`print()`' },
];

export default defineRule({
  meta: {
    id: 'observability/no-structured-logging',
    title: 'No structured logging',
    area: 'observability',
    severity: 'low',
    type: 'enhancement',
    effort: 'small',
    confidence: 'medium',
    languages: ['repo'],
    status: 'preview',
    since: '0.1.0',
    description: 'A server logs through print/console or plain format strings, with no structured (JSON, key-value) logger.',
    why:
      'Plain text lines cannot be filtered by field: finding every log line of one request, user or order means grepping ' +
      'free text, and log platforms cannot index the values (seed 000: "Structured Logging … Context in all logs"; seed ' +
      '004: no correlation IDs). Reported per service: a web or bot framework its code starts, logging seen in its setup ' +
      'modules (`logging.basicConfig`, `logging.getLogger`, `console.*`, NestJS `Logger`, `print`), no structured logger in ' +
      'its dependencies or imports (structlog, python-json-logger, loguru, pino, winston, bunyan; Fastify logs through pino) ' +
      'and no JSON formatter wired by hand or in a logging config file (`logging.yaml`, `log_config.json`). Not reported: services where no logging is seen at all, libraries, CLIs, trees ' +
      'of fewer than 3 source files. Preview (on with `--enable`): plain logs are a reasonable choice for a small service ' +
      'read by one person.',
    recommendation:
      'Log events with fields, in JSON: structlog or python-json-logger (a `JsonFormatter` in `dictConfig`) in Python, ' +
      'pino in Node; bind the request id, user and route to every line of a request.',
    examples: [
      {
        language: 'py',
        bad: 'logging.basicConfig(level="INFO", format="%(asctime)s %(levelname)s %(message)s")\nlogger.info(f"order {order_id} paid")\n',
        good: 'import structlog\n\nlog = structlog.get_logger()\nlog.info("order_paid", order_id=order_id)\n',
      },
    ],
    references: ['seed 000 (structured logging)', 'seed 004 (correlation IDs)', 'RULES.md observability/no-structured-logging', 'https://www.structlog.org/'],
  },
  onProject(context) {
    for (const server of serverAppsOf(context)) {
      if (STRUCTURED_FRAMEWORKS.has(server.framework) || serviceUses(context, server, STRUCTURED_LOGGERS)) continue;
      const files = serviceSetupFiles(context, server);
      if (findFirst(context, files, STRUCTURED_SETUP)) continue;
      // `logging.config.dictConfig`/`fileConfig` or `uvicorn --log-config` reading a JSON formatter from a config file.
      const configs = context.files.filter((file) => inService(server, file.path) && LOGGING_CONFIG_FILE.test(file.path)).map((file) => file.path);
      if (findFirst(context, configs.slice(0, 20), /json/i)) continue;
      const plain = PLAIN_LOGGING.map(({ pattern, label }) => ({ found: findFirst(context, files, pattern), label })).find(({ found }) => found);
      if (!plain?.found) continue;
      context.report({
        path: plain.found.path,
        line: plain.found.line,
        message: `The ${describeServer(server)}${serviceLabel(server)} logs through ${plain.label} and has no structured logger (structlog, python-json-logger, pino…): log lines cannot be searched by request, user or field.`,
      });
    }
  },
});
