import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { escapeRegExp, namedChildren, within } from '../../_shared/reliability-flow.js';

/** Words of an identifier: `nextPort` → next, port; `next_job_id` → next, job, id. */
function words(name: string): string[] {
  const last = name.split('.').pop() ?? name;
  return last.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

/** Counters that hand out something that must stay unique while in use (TS: event loop, so only real resources). */
const TS_RESOURCE_WORDS = new Set(['port', 'ports', 'slot', 'worker', 'display', 'gpu', 'device', 'lease']);
/** Python adds ids and sequence numbers: `+=` on a shared attribute is not atomic across threads. */
const PY_RESOURCE_WORDS = new Set([...TS_RESOURCE_WORDS, 'id', 'ids', 'seq', 'sequence', 'ticket']);
const TS_RESOURCE = { test: (name: string) => words(name).some((w) => TS_RESOURCE_WORDS.has(w)) };
const PY_RESOURCE = { test: (name: string) => words(name).some((w) => PY_RESOURCE_WORDS.has(w)) };
/** Counters kept for numbers, not for handing out: metrics, retries, versions. */
const METRIC = /count|total|hits|requests|errors|failures|metric|stats|attempt|retr(y|ies)|calls|version|size|len/i;
const LOCKED = /\b(lock|Lock|mutex|Mutex|semaphore|Semaphore|runExclusive|acquire)\b|_lock\b|Lock\(\)/;
const CACHE_NAME = /cache|memo/i;

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript
// ---------------------------------------------------------------------------------------------

const TS_FUNCTIONS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration', 'function']);

function tsEnclosingFunction(node: SgNode): SgNode | undefined {
  return node.ancestors().find((a) => TS_FUNCTIONS.has(String(a.kind())));
}

function tsIsAsync(fn: SgNode): boolean {
  return fn.children().some((c) => c.kind() === 'async');
}

/** `this.nextPort` or a module-level `nextPort`: state shared by every caller. */
function tsSharedName(target: SgNode | null, root: SgNode): string | undefined {
  if (!target) return undefined;
  if (target.kind() === 'member_expression' && target.field('object')?.kind() === 'this') return target.field('property')?.text();
  if (target.kind() === 'identifier') {
    const name = target.text();
    const declarator = root.find({ rule: { kind: 'variable_declarator', has: { field: 'name', regex: `^${escapeRegExp(name)}$` } } });
    if (declarator && !declarator.ancestors().some((a) => TS_FUNCTIONS.has(String(a.kind())) || a.kind() === 'class_body')) return name;
  }
  return undefined;
}

function tsLockedAround(node: SgNode, fn: SgNode): boolean {
  return LOCKED.test(fn.text()) || node.ancestors().some((a) => a.kind() === 'call_expression' && LOCKED.test(a.field('function')?.text() ?? ''));
}

function tsCounter(node: SgNode, target: SgNode | null, context: RuleContext): void {
  const root = context.root;
  if (!target || !TS_RESOURCE.test(target.text())) return;
  const name = tsSharedName(target, root!);
  if (!root || !name || !TS_RESOURCE.test(name) || METRIC.test(name)) return;
  // Only an allocation: the incremented value is taken (`const port = this.nextPort++`).
  const parent = node.parent();
  if (!parent || parent.kind() === 'expression_statement' || parent.kind() === 'for_statement') return;
  const fn = tsEnclosingFunction(node);
  if (!fn || !tsIsAsync(fn) || !fn.find({ rule: { kind: 'await_expression' } }) || tsLockedAround(node, fn)) return;
  context.report({
    node,
    message: `\`${node.text()}\` hands out values of \`${name}\` from a shared counter in an async function: with no lock, free-list or availability check, concurrent calls interleaving at \`await\` can collide and values are never returned.`,
  });
}

function callee(call: SgNode): string {
  return call.field('function')?.field('property')?.text() ?? '';
}

/** Whether `value` is the result of an `await` in `block`: the await itself or a name assigned from one. */
function awaitedValue(value: SgNode | undefined, block: SgNode): boolean {
  if (!value) return false;
  if (value.kind() === 'await_expression' || value.kind() === 'await') return true;
  if (value.kind() !== 'identifier') return false;
  const name = value.text();
  const kinds = value.kind() === 'identifier' && block.kind() === 'block' ? ['assignment'] : ['variable_declarator', 'assignment_expression'];
  return block.findAll({ rule: { any: kinds.map((kind) => ({ kind })) } }).some((declaration) => {
    const left = declaration.field('name') ?? declaration.field('left');
    const right = declaration.field('value') ?? declaration.field('right');
    return left?.text() === name && !!right && (right.kind() === 'await_expression' || right.kind() === 'await');
  });
}

/** `if (!this.x.has(k)) { await ...; this.x.set(k, v) }`: two callers can both pass the check. */
function tsCheckThenAct(ifStatement: SgNode, context: RuleContext): void {
  const root = context.root;
  const condition = ifStatement.field('condition');
  const consequence = ifStatement.field('consequence');
  if (!root || !condition || !consequence || !condition.text().includes('.has(')) return;
  const check = condition.find({ rule: { kind: 'call_expression', regex: '\\.has\\(' } });
  const negated = condition.find({ rule: { kind: 'unary_expression', regex: '^!' } });
  if (!check || !negated || !within(check, negated)) return;
  const collection = check.field('function')?.field('object') ?? null;
  const name = tsSharedName(collection, root);
  if (!name || !collection || CACHE_NAME.test(name)) return;
  const firstAwait = consequence.find({ rule: { kind: 'await_expression' } });
  if (!firstAwait) return;
  const inserts = consequence.findAll({ rule: { kind: 'call_expression' } }).filter((call) => {
    const callee = call.field('function');
    return callee?.kind() === 'member_expression' && /^(set|add)$/.test(callee.field('property')?.text() ?? '') &&
      callee.field('object')?.text() === collection.text();
  });
  // A placeholder inserted before the first await already closes the window.
  if (inserts.some((call) => call.range().end.index < firstAwait.range().start.index)) return;
  // Only a resource created by the awaited work (`this.running.set(id, await start())`); a Set of
  // "already done" markers (`createdDirs.add(dir)` after an idempotent mkdir) only repeats harmless work.
  const insert = inserts.find((call) => call.range().start.index > firstAwait.range().end.index &&
    callee(call) === 'set' && awaitedValue(namedChildren(call.field('arguments'))[1], consequence));
  const fn = tsEnclosingFunction(ifStatement);
  if (!insert || !fn || tsLockedAround(ifStatement, fn)) return;
  context.report({
    node: ifStatement,
    message: `Check-then-act across an \`await\`: \`${check.text()}\` is checked, then \`${insert.text().slice(0, 60)}\` runs after \`${firstAwait.text().slice(0, 40)}\`, so two concurrent calls can both pass the check.`,
  });
}

// ---------------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------------

function pyEnclosingFunction(node: SgNode): SgNode | undefined {
  return node.ancestors().find((a) => a.kind() === 'function_definition');
}

function pyIsAsync(fn: SgNode): boolean {
  return fn.children().some((c) => c.kind() === 'async');
}

function pySharedName(target: SgNode | null, fn: SgNode): string | undefined {
  if (!target) return undefined;
  if (target.kind() === 'attribute' && /^(self|cls)$/.test(target.field('object')?.text() ?? '')) return target.field('attribute')?.text();
  if (target.kind() === 'identifier') {
    const name = target.text();
    const declaredGlobal = fn.findAll({ rule: { kind: 'global_statement' } }).some((g) => g.children().some((c) => c.text() === name));
    return declaredGlobal ? name : undefined;
  }
  return undefined;
}

function pyLocked(node: SgNode, fn: SgNode): boolean {
  if (/\.acquire\(/.test(fn.text())) return true;
  return node.ancestors().some((a) => a.kind() === 'with_statement' &&
    a.children().some((c) => c.kind() === 'with_clause' && /lock|mutex|semaphore/i.test(c.text())));
}

const PY_THREADED = /^\s*(import threading|from threading import|from concurrent\.futures import|import concurrent\.futures|from socketserver import|from multiprocessing\.(pool|dummy) import)/m;
const PY_ROUTE = /^@[\w.]*\.(route|get|post|put|patch|delete)\b/;

function pyRouteHandler(fn: SgNode): boolean {
  const decorated = fn.parent();
  return decorated?.kind() === 'decorated_definition' && decorated.children().some((d) => d.kind() === 'decorator' && PY_ROUTE.test(d.text()));
}

function pyCounter(node: SgNode, context: RuleContext): void {
  if (node.field('right')?.text() !== '1') return;
  const operator = node.children().find((c) => !c.isNamed())?.text();
  const target = node.field('left');
  if (operator !== '+=' || !target || !PY_RESOURCE.test(target.text())) return;
  const fn = pyEnclosingFunction(node);
  if (!fn) return;
  const name = pySharedName(target, fn);
  if (!name || !PY_RESOURCE.test(name) || METRIC.test(name) || pyLocked(node, fn)) return;
  const shared = target.text();
  // The counter must be handed out: read into a name or returned in the same function.
  const reads = fn.findAll({ rule: { any: [{ kind: 'assignment' }, { kind: 'return_statement' }] } }).filter((statement) => {
    const value = statement.kind() === 'assignment' ? statement.field('right') : namedChildren(statement)[0];
    return !!value && value.text() === shared;
  });
  if (!reads.length) return;
  let why: string | undefined;
  if (pyIsAsync(fn)) {
    // asyncio only switches at `await`: racy when one lies between the read and the increment.
    const start = Math.min(node.range().start.index, ...reads.map((r) => r.range().start.index));
    const end = Math.max(node.range().end.index, ...reads.map((r) => r.range().end.index));
    const awaitBetween = fn.findAll({ rule: { kind: 'await' } }).some((a) => a.range().start.index > start && a.range().end.index < end);
    if (awaitBetween) why = 'an `await` between reading and incrementing it lets another task take the same value';
  } else if (PY_THREADED.test(context.source)) {
    why = 'the module runs work on threads and `+=` on shared state is not atomic';
  } else if (pyRouteHandler(fn)) {
    why = 'request handlers run on concurrent threads and `+=` on shared state is not atomic';
  }
  if (!why) return;
  context.report({
    node,
    message: `\`${shared}\` is handed out and incremented without a lock: ${why}.`,
  });
}

/** `if key not in self.x: await ...; self.x[key] = ...` in a coroutine. */
function pyCheckThenAct(ifStatement: SgNode, context: RuleContext): void {
  const condition = ifStatement.field('condition');
  const match = condition ? /^(.+?)\s+not\s+in\s+(self\.\w+)$/.exec(condition.text()) : null;
  if (!match || CACHE_NAME.test(match[2])) return;
  const fn = pyEnclosingFunction(ifStatement);
  const consequence = ifStatement.field('consequence');
  if (!fn || !pyIsAsync(fn) || !consequence) return;
  const collection = match[2];
  const firstAwait = consequence.find({ rule: { kind: 'await' } });
  if (!firstAwait || pyLocked(ifStatement, fn)) return;
  const inserts = consequence.findAll({ rule: { any: [{ kind: 'assignment' }, { kind: 'call' }] } }).filter((statement) => {
    if (statement.kind() === 'assignment') return (statement.field('left')?.text() ?? '').startsWith(`${collection}[`);
    return new RegExp(`^${escapeRegExp(collection)}\\.(add|append|setdefault)\\(`).test(statement.text());
  });
  if (inserts.some((statement) => statement.range().end.index < firstAwait.range().start.index)) return;
  const insert = inserts.find((statement) => statement.range().start.index > firstAwait.range().end.index &&
    statement.kind() === 'assignment' && awaitedValue(statement.field('right') ?? undefined, consequence));
  if (!insert) return;
  context.report({
    node: ifStatement,
    message: `Check-then-act across an \`await\`: \`${match[0]}\` is checked, then \`${insert.text().slice(0, 60)}\` runs after \`${firstAwait.text().slice(0, 40)}\`, so two concurrent tasks can both pass the check.`,
  });
}

export default defineRule({
  meta: {
    id: 'reliability/shared-counter-race',
    title: 'Shared counter or check-then-act without a lock',
    area: 'reliability',
    severity: 'medium',
    type: 'bug',
    effort: 'small',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A shared counter hands out ports or ids, or a check-then-insert spans an await, with no lock.',
    why:
      'Handing out a resource from a shared counter (`const port = this.nextPort++` in an async method, seed 004) gives ' +
      'no guarantee the port is free, never returns it, and lets concurrent requests that interleave at `await` collide. ' +
      'In Python `self.next_id += 1` is not atomic across threads, and in a coroutine an `await` between reading and ' +
      'incrementing the counter hands the same value to two tasks. A check-then-insert (`if (!this.jobs.has(id)) { await ' +
      'start(); this.jobs.set(id, ...) }`) lets two callers both pass the check while the first is suspended. Reported ' +
      'only for counters whose name says they allocate something (port, slot, worker, id, sequence) and whose value is ' +
      'taken, in async code (TS/Python) or in threaded code or request handlers (Python). Not reported: metrics counters ' +
      '(`this.requestCount++`), increments under a lock (`async with lock`, `with self._lock`, `mutex.runExclusive`), ' +
      'synchronous single-threaded code, and caches (a double fill is harmless).',
    recommendation:
      'Allocate under a lock (`asyncio.Lock`, `threading.Lock`, `async-mutex`) or from a pool that checks availability ' +
      'and takes values back on release (a free-list of ports, `itertools.count()` for ids); for check-then-insert, ' +
      'insert a placeholder before the first `await` or use a database unique constraint.',
    examples: [
      {
        language: 'ts',
        bad: 'class Sandbox {\n  private nextPort = 9000;\n  async execute(id: string) {\n    await install(id);\n    const port = this.nextPort++;\n    return start(id, port);\n  }\n}\n',
        good: 'class Sandbox {\n  private requestCount = 0;\n  async execute(id: string) {\n    await install(id);\n    this.requestCount++;\n    const port = await this.ports.allocate();\n    return start(id, port);\n  }\n}\n',
      },
      {
        language: 'py',
        bad: 'import threading\n\nclass Pool:\n    def allocate(self):\n        port = self.next_port\n        self.next_port += 1\n        return port\n',
        good: 'import threading\n\nclass Pool:\n    def allocate(self):\n        with self._lock:\n            port = self.next_port\n            self.next_port += 1\n        return port\n',
      },
    ],
    references: ['seed 004 (port allocation race condition)', 'CWE-362 (race condition)', 'CWE-367 (TOCTOU)'],
  },
  fileFilter: /\+\+|\+=\s*1|\.has\(|not in self\./,
  visitors: {
    ts: {
      update_expression(node, context) {
        if (!node.text().includes('++')) return;
        tsCounter(node, node.field('argument') ?? namedChildren(node)[0] ?? null, context);
      },
      augmented_assignment_expression(node, context) {
        if (!/^\+=$/.test(node.children().find((c) => !c.isNamed())?.text() ?? '') || node.field('right')?.text() !== '1') return;
        tsCounter(node, node.field('left'), context);
      },
      if_statement(node, context) {
        tsCheckThenAct(node, context);
      },
    },
    py: {
      augmented_assignment(node, context) {
        pyCounter(node, context);
      },
      if_statement(node, context) {
        pyCheckThenAct(node, context);
      },
    },
  },
});
