import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { keywordArgument, positionalArguments } from '../../_shared/python.js';
import { pyBindingsFor, pyQualifiedName, pyStaticBool, pyStaticString, tsBindingsFor, tsExpressionBinding, tsStaticString } from '../../_shared/static-values.js';
import { isDevelopmentOnlyFile, isEnvironmentGuarded } from '../../_shared/environment-guard.js';

/** Where development switches are expected: dev/local settings, dev-server scripts, examples. */
function isDevelopmentContext(context: RuleContext): boolean {
  return isDevelopmentOnlyFile(context.file.path);
}

const DEV_FUNCTION = /(^|_)(dev|develop|development|devserver|local|debug)(_|$)|^(dev|debug|local)[A-Z]|(Dev|Debug|Local|Development)(Server|Mode)?$/;

/** `def dev():` (a `typer`/`click` dev command), `function startDevServer()`: named for development. */
function inDevelopmentFunction(node: SgNode): boolean {
  return node.ancestors().some((a) => {
    const kind = String(a.kind());
    if (!['function_definition', 'function_declaration', 'method_definition'].includes(kind)) return false;
    return DEV_FUNCTION.test(a.field('name')?.text() ?? '');
  });
}

// ---------------------------------------------------------------------------------------------
// Python

const PY_APP_CLASSES = new Set(['fastapi.FastAPI', 'fastapi.applications.FastAPI', 'starlette.applications.Starlette', 'starlette.Starlette']);

function importsFlask(context: RuleContext, node: SgNode): boolean {
  return [...pyBindingsFor(context.file, node, context.source).values()].some((origin) => /^flask(_socketio)?(\.|$)/.test(origin));
}

/** Entered from the `reload=`/`debug=` keyword: far fewer nodes than every call. */
function pyKeyword(keyword: SgNode, context: RuleContext): void {
  const name = keyword.field('name')?.text();
  if ((name !== 'reload' && name !== 'debug') || pyStaticBool(keyword.field('value')) !== true || inDevelopmentFunction(keyword)) return;
  const node = keyword.parent()?.parent();
  if (node?.kind() !== 'call') return;
  const callee = node.field('function');
  const qualified = pyQualifiedName(callee, pyBindingsFor(context.file, node, context.source));
  if (qualified === 'uvicorn.run') {
    if (name !== 'reload') return;
    const reload = keywordArgument(node, 'reload');
    if (pyStaticBool(reload) !== true || isEnvironmentGuarded(node, 'py')) return;
    context.report({
      node: reload!.parent()!,
      message: '`uvicorn.run(..., reload=True)` is hard-coded: the file watcher (a development server) also runs wherever this entry point is deployed.',
    });
    return;
  }
  if (name !== 'debug') return;
  if (qualified && PY_APP_CLASSES.has(qualified)) {
    const debug = keywordArgument(node, 'debug');
    if (pyStaticBool(debug) !== true || isEnvironmentGuarded(node, 'py')) return;
    context.report({
      node: debug!.parent()!,
      message: `\`${callee!.text()}(debug=True)\` is hard-coded: unhandled errors are answered with full tracebacks.`,
    });
    return;
  }
  // Flask / Flask-SocketIO: `app.run(debug=True)`, `socketio.run(app, debug=True)`.
  if (callee?.kind() === 'attribute' && callee.field('attribute')?.text() === 'run' && importsFlask(context, node)) {
    const debug = keywordArgument(node, 'debug');
    if (pyStaticBool(debug) !== true || isEnvironmentGuarded(node, 'py')) return;
    const host = pyStaticString(keywordArgument(node, 'host'));
    const exposed = host === '0.0.0.0' || host === '::';
    context.report({
      node: debug!.parent()!,
      message: `\`${callee.text()}(debug=True)\` starts the Werkzeug debugger, which runs Python typed into an error page${exposed ? `, here on every interface (\`host="${host}"\`)` : ''}.`,
      severity: exposed ? 'high' : undefined,
    });
  }
}

/** A Django settings module: `settings.py`, `settings/production.py`, `config/settings_prod.py`. */
function isSettingsModule(context: RuleContext): boolean {
  return /(^|\/)settings(\/|[._-][^/]*\.py$|\.py$)/.test(context.file.path) || /^(INSTALLED_APPS|ROOT_URLCONF)\s*=/m.test(context.source);
}

const ENV_READER = /(^|\.)(getenv|get|bool|config|env|str2bool|strtobool)$|^env$/;

/**
 * What an environment-read DEBUG defaults to when the variable is missing: `env.bool("DEBUG",
 * default=True)`, `config("DEBUG", default=True, cast=bool)`, `os.getenv("DEBUG", "True") == "True"`.
 */
function pyEnvDefaultIsTrue(value: SgNode): boolean {
  if (value.kind() === 'call') {
    const callee = value.field('function')?.text() ?? '';
    if (!ENV_READER.test(callee)) return false;
    const fallback = keywordArgument(value, 'default') ?? positionalArguments(value)[1];
    if (pyStaticBool(fallback) === true) return true;
    // `bool(strtobool(os.getenv("DEBUG", "true")))`, `config("DEBUG", default="True", cast=bool)`.
    const text = pyStaticString(fallback);
    return text !== undefined && /^(true|1|yes|on)$/i.test(text) && (/bool/.test(callee) || keywordArgument(value, 'cast')?.text() === 'bool');
  }
  if (value.kind() === 'comparison_operator') {
    // `os.getenv("DEBUG", "True") == "True"`, `os.environ.get("DEBUG", "1").lower() in ("1", "true")`
    const [left, right] = value.children().filter((c) => c.isNamed());
    const operator = value.children().find((c) => !c.isNamed())?.text();
    let read = left;
    while (read?.kind() === 'call' && read.field('function')?.kind() === 'attribute' && /^(lower|upper|strip|casefold)$/.test(read.field('function')!.field('attribute')?.text() ?? '')) {
      read = read.field('function')!.field('object')!;
    }
    if (read?.kind() !== 'call' || !/(^|\.)(getenv|get)$/.test(read.field('function')?.text() ?? '')) return false;
    let fallback = pyStaticString(positionalArguments(read)[1]);
    if (fallback === undefined) return false;
    if (read !== left) fallback = /upper/.test(left.text()) ? fallback.toUpperCase() : fallback.toLowerCase().trim();
    if (operator === '==') return pyStaticString(right) === fallback;
    if (operator === 'in' && (right?.kind() === 'tuple' || right?.kind() === 'list' || right?.kind() === 'set')) {
      return right.children().filter((c) => c.isNamed()).some((c) => pyStaticString(c) === fallback);
    }
  }
  return false;
}

function pyAssignment(node: SgNode, context: RuleContext): void {
  const left = node.field('left');
  const right = node.field('right');
  if (!left || !right) return;
  // Django settings: module-level `DEBUG = True`.
  if (left.kind() === 'identifier' && left.text() === 'DEBUG' && node.parent()?.parent()?.kind() === 'module') {
    if (!isSettingsModule(context) || isEnvironmentGuarded(node, 'py')) return;
    if (pyStaticBool(right) === true) {
      context.report({ node, message: '`DEBUG = True` in a settings module: Django serves tracebacks, settings and SQL to anyone who triggers an error.' });
    } else if (pyEnvDefaultIsTrue(right)) {
      context.report({ node, message: `\`DEBUG = ${right.text()}\` defaults to True: a deployment that forgets the variable runs in debug mode.` });
    }
    return;
  }
  // Flask: `app.debug = True`, `app.config["DEBUG"] = True`.
  const flaskDebug =
    (left.kind() === 'attribute' && left.field('attribute')?.text() === 'debug' && left.field('object')?.kind() === 'identifier') ||
    (left.kind() === 'subscript' && /\.config$/.test(left.field('value')?.text() ?? '') && pyStaticString(left.field('subscript')) === 'DEBUG');
  if (flaskDebug && pyStaticBool(right) === true && importsFlask(context, node) && !isEnvironmentGuarded(node, 'py')) {
    context.report({ node, message: `\`${left.text()} = True\` turns on Flask debug mode and its in-browser debugger.` });
  }
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript

const NODE_ENV_TARGET = /^process\.env(\.NODE_ENV|\[\s*['"`]NODE_ENV['"`]\s*\])$/;

function tsAssignment(node: SgNode, context: RuleContext): void {
  const left = node.field('left');
  if (!left || !NODE_ENV_TARGET.test(left.text().replace(/\s+/g, ''))) return;
  const value = tsStaticString(node.field('right'));
  if (value === undefined || !/^dev(elopment)?$/i.test(value)) return;
  // Dev-server scripts and tool configs set it on purpose (`scripts/start.js` in create-react-app).
  if (context.file.isScript || /(^|\/)[^/]*\.config\.[cm]?[jt]s$|(^|\/)(webpack|vite|rollup|jest|babel)[^/]*\.[cm]?[jt]s$/.test(context.file.path)) return;
  if (isEnvironmentGuarded(node, 'ts')) return;
  context.report({ node, message: `\`${left.text()} = '${value}'\` is hard-coded: frameworks switch to verbose errors and skip production hardening.` });
}

function tsCall(node: SgNode, context: RuleContext): void {
  const callee = node.field('function');
  if (callee?.kind() !== 'member_expression') return;
  const method = callee.field('property')?.text();
  const args = node.field('arguments')?.children().filter((c) => c.isNamed() && c.kind() !== 'comment') ?? [];
  if (method === 'use') {
    // Express `errorhandler` middleware: full stack traces in every error response.
    const handler = args.find((a) => a.kind() === 'call_expression');
    const handlerCallee = handler?.field('function');
    const binding = handlerCallee ? tsExpressionBinding(handlerCallee, tsBindingsFor(context.file, node, context.source)) : undefined;
    if (binding?.module !== 'errorhandler' || isEnvironmentGuarded(node, 'ts')) return;
    context.report({ node, message: `\`${node.text().replace(/\s+/g, ' ')}\` is installed in every environment: error responses carry full stack traces.` });
    return;
  }
  if (method === 'set' && args.length === 2 && tsStaticString(args[0]) === 'env' && /^dev(elopment)?$/.test(tsStaticString(args[1]) ?? '')) {
    if (isEnvironmentGuarded(node, 'ts')) return;
    context.report({ node, message: `\`${node.text()}\` forces Express into development mode: its error handler sends stack traces to clients.` });
  }
}

export default defineRule({
  meta: {
    id: 'security/debug-mode',
    title: 'Debug or development mode hard-coded on',
    area: 'security',
    severity: 'medium',
    type: 'security',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'Development switches turned on in code that ships: `uvicorn.run(reload=True)`, `app.run(debug=True)`, Django `DEBUG = True`, Express `errorhandler()`.',
    why:
      'Debug modes exist for a developer\'s machine. Shipped, they hand attackers the internals: Django and FastAPI debug pages ' +
      'show tracebacks, settings and SQL; the Werkzeug debugger behind Flask `debug=True` runs any Python typed into the error ' +
      'page (High when bound to `0.0.0.0`); Express in development mode and the `errorhandler` middleware send stack traces. ' +
      '`uvicorn.run(..., reload=True)` runs a file watcher and a reloading supervisor wherever the entry point is used (seed 001: ' +
      '"reload=True in uvicorn.run() without environment variable check"). The `if __name__ == "__main__":` block is still ' +
      'flagged: it is how such apps are started in containers too. Not flagged: values read from configuration ' +
      '(`debug=settings.DEBUG`, `reload=os.getenv("RELOAD") == "1"`, `DEBUG = env.bool("DEBUG", default=False)`), code under ' +
      'an environment check, development-only files (`settings/dev.py`, `local_settings.py`, `run_dev.py`, dev-server scripts, ' +
      'tool configs), tests.',
    recommendation:
      'Read the switch from the environment with a safe default: `uvicorn.run(app, reload=settings.RELOAD)` (or `uvicorn --reload` ' +
      'only in the dev command), `DEBUG = env.bool("DEBUG", default=False)`, `app.run(debug=os.getenv("FLASK_DEBUG") == "1")`, ' +
      '`if (app.get("env") === "development") app.use(errorhandler())`. Never set `NODE_ENV` in application code.',
    examples: [
      {
        language: 'py',
        bad: 'import uvicorn\n\nif __name__ == "__main__":\n    uvicorn.run("main:app", host="0.0.0.0", port=8000, reload=True)\n',
        good: 'import uvicorn\n\nif __name__ == "__main__":\n    uvicorn.run("main:app", host="0.0.0.0", port=8000, reload=settings.RELOAD)\n',
      },
      {
        language: 'ts',
        bad: "import errorhandler from 'errorhandler';\n\napp.use(errorhandler());\n",
        good: "import errorhandler from 'errorhandler';\n\nif (process.env.NODE_ENV === 'development') {\n  app.use(errorhandler());\n}\n",
      },
    ],
    references: [
      'seed 001 (reload=True in uvicorn.run() without environment variable check)',
      'Bandit B201 flask_debug_true',
      'Semgrep python.django.security.audit.django-debug-true, python.flask.security.audit.debug-enabled',
      'Django deployment checklist (DEBUG)',
    ],
    cwe: ['CWE-489', 'CWE-215'],
    nosec: ['B201'],
  },
  fileFilter: /\b(reload|debug|DEBUG)\s*=|DEBUG['"]\]\s*=|NODE_ENV(['"`]\])?\s*=[^=]|errorhandler|\.set\(\s*['"]env['"]/,
  visitors: {
    py: {
      keyword_argument(node, context) {
        if (!isDevelopmentContext(context)) pyKeyword(node, context);
      },
      assignment(node, context) {
        // Cheap first look: only `DEBUG = ...`, `x.debug = ...`, `x.config["DEBUG"] = ...` matter.
        const left = node.field('left');
        if (!left || !/debug/i.test(left.text()) || isDevelopmentContext(context)) return;
        pyAssignment(node, context);
      },
    },
    ts: {
      assignment_expression(node, context) {
        if (!isDevelopmentContext(context)) tsAssignment(node, context);
      },
      call_expression(node, context) {
        if (!isDevelopmentContext(context)) tsCall(node, context);
      },
    },
  },
});
