import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { keywordArgument, positionalArguments } from '../../_shared/python.js';
import { importAliases, qualifiedName } from '../../_shared/python-qualified-names.js';

const GUNICORN_CONFIG = /(^|\/)gunicorn([._-]?conf(ig)?)?\.py$/;
const LOCAL_HOST = /^[rbuf]*["'](127\.0\.0\.1|localhost|::1)["']$/i;

function isMainGuard(node: SgNode): boolean {
  return node.kind() === 'if_statement' && /^__name__\s*==\s*["']__main__["']$/.test(node.field('condition')?.text() ?? '');
}

/** Functions the `if __name__ == "__main__":` block calls (`main()`), by name. */
function functionsCalledFromMain(root: SgNode): Set<string> {
  const names = new Set<string>();
  for (const statement of root.children()) {
    if (!isMainGuard(statement)) continue;
    for (const call of statement.findAll({ rule: { kind: 'call' } })) {
      const callee = call.field('function');
      if (callee?.kind() === 'identifier') names.add(callee.text());
    }
  }
  return names;
}

/** Where the `uvicorn.run` call runs as the process entry point: module level, the main guard, or a function it calls. */
function entryPoint(call: SgNode): string | undefined {
  const fn = call.ancestors().find((a) => a.kind() === 'function_definition' || a.kind() === 'class_definition' || a.kind() === 'lambda');
  if (!fn) return call.ancestors().some(isMainGuard) ? 'the `__main__` block' : 'module level';
  if (fn.kind() !== 'function_definition' || fn.ancestors().some((a) => a.kind() === 'function_definition' || a.kind() === 'class_definition')) return undefined;
  const name = fn.field('name')?.text() ?? '';
  return functionsCalledFromMain(call.getRoot().root()).has(name) ? `\`${name}()\` (called from \`__main__\`)` : undefined;
}

function checkUvicornRun(call: SgNode, context: RuleContext): void {
  const name = qualifiedName(call.field('function'), importAliases(call, context));
  if (name !== 'uvicorn.run') return;
  // `reload=True` is a development run (and uvicorn ignores `workers` with reload).
  const reload = keywordArgument(call, 'reload');
  if (reload && reload.text() !== 'False') return;
  const host = keywordArgument(call, 'host');
  if (host && LOCAL_HOST.test(host.text())) return;
  const workers = keywordArgument(call, 'workers');
  if (workers && !(workers.kind() === 'integer' && Number(workers.text()) === 1)) return;
  const where = entryPoint(call);
  if (!where) return;
  const app = positionalArguments(call)[0]?.text() ?? 'app';
  context.report({
    node: call,
    message:
      `\`uvicorn.run(${app.length > 30 ? '...' : app}, ...)\` at ${where} starts ${workers ? '`workers=1`' : 'no `workers=`'}: one process on one CPU core ` +
      'serves every request; set `workers=` or run under gunicorn/a process manager.',
  });
}

function checkGunicornWorkers(assignment: SgNode, context: RuleContext): void {
  if (!GUNICORN_CONFIG.test(context.file.path)) return;
  if (assignment.parent()?.parent()?.kind() !== 'module') return;
  if (assignment.field('left')?.text() !== 'workers') return;
  const value = assignment.field('right');
  if (value?.kind() !== 'integer' || Number(value.text()) !== 1) return;
  context.report({
    node: assignment,
    message: 'Gunicorn config sets `workers = 1`: one worker process serves every request; size it from the CPU count (e.g. `2 * cpu_count() + 1`, or one per core for uvicorn workers).',
  });
}

export default defineRule({
  meta: {
    id: 'performance/single-worker',
    title: 'Production server started with a single worker',
    area: 'performance',
    severity: 'low',
    type: 'performance',
    effort: 'small',
    confidence: 'medium',
    languages: ['py'],
    since: '0.1.0',
    description: 'The entry point runs `uvicorn.run(...)` without `workers=` (or a gunicorn config with `workers = 1`): one process serves everything.',
    why:
      'Uvicorn starts one process by default. Everything the event loop does not overlap - CPU work, JSON encoding, blocking ' +
      'calls - then competes for a single core, and one crash or stall takes the whole service down (seed 001: ' +
      '"uvicorn.run without workers parameter = 1 worker = single process - can\'t distribute"). Reported: `uvicorn.run` at module ' +
      'level, in the `if __name__ == "__main__":` block or in a function that block calls, with no `workers=` or `workers=1`, ' +
      'and `workers = 1` in a `gunicorn.conf.py`. Not reported: `reload=True` runs (development; uvicorn ignores workers with ' +
      'reload), binds to 127.0.0.1/localhost (a local run), `workers=` from a variable or the environment, calls inside other ' +
      'functions, tests. The rule looks at one file: when Kubernetes, systemd or a Procfile scales processes instead, a single ' +
      'worker per container is a deliberate choice - that is why this is Low.',
    recommendation:
      'Run several worker processes: `uvicorn.run("app.main:app", host="0.0.0.0", workers=int(os.getenv("WEB_CONCURRENCY", 4)))`, ' +
      'or `gunicorn -k uvicorn.workers.UvicornWorker -w 4 app.main:app`. Move in-process schedulers and background loops out of ' +
      'the web process first, or every worker will run its own copy.',
    examples: [
      {
        language: 'py',
        bad: 'import uvicorn\n\nfrom app.api import app\n\nif __name__ == "__main__":\n    uvicorn.run(app, host="0.0.0.0", port=8000)\n',
        good:
          'import os\n\nimport uvicorn\n\nif __name__ == "__main__":\n' +
          '    uvicorn.run("app.api:app", host="0.0.0.0", port=8000, workers=int(os.getenv("WEB_CONCURRENCY", "4")))\n',
      },
    ],
    references: [
      'seed 001 (single process: uvicorn.run without workers)',
      'Uvicorn docs: Deployment (--workers, gunicorn with UvicornWorker)',
      'Gunicorn docs: How many workers?',
    ],
    // Entry points are `__main__` scripts by definition.
    appliesTo: { tests: false, scripts: true },
  },
  fileFilter: /uvicorn|\bworkers\s*=/,
  visitors: {
    py: {
      call(node, context) {
        checkUvicornRun(node, context);
      },
      assignment(node, context) {
        checkGunicornWorkers(node, context);
      },
    },
  },
});
