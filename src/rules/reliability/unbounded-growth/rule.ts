import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { escapeRegExp, namedChildren } from '../../_shared/reliability-flow.js';

type Holder = 'instance' | 'module' | 'held';

interface Target {
  /** The collection's own name (`logs` for `app.logs`, `this.logs` or `logs`). */
  key: string;
  holder: Holder;
  /** For `held`: the local object that owns the collection (`app` in `app.logs`). */
  owner?: string;
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript
// ---------------------------------------------------------------------------------------------

const TS_GROW_METHODS = new Set(['push', 'unshift', 'add', 'set']);
const TS_FUNCTIONS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration', 'function']);
/** Events that fire once per emitter: what is collected there is bounded by the emitter's life. */
const ONE_SHOT_EVENTS = /^(end|close|exit|finish|error|open|ready|listening|connect|disconnect|load|unload|beforeExit|SIGINT|SIGTERM|timeout|abort|drain|spawn)$/;
const ROUTE_METHODS = /^(get|post|put|patch|delete|del|all|head|options)$/;
const HANDLER_DECORATORS = /^@(Get|Post|Put|Patch|Delete|All|SubscribeMessage|OnEvent|MessagePattern|EventPattern|Interval|Cron|OnQueueEvent|Process)\b/;

function stringValue(node: SgNode | undefined): string | undefined {
  if (!node || (node.kind() !== 'string' && node.kind() !== 'template_string')) return undefined;
  return node.text().slice(1, -1);
}

const topLevelCache = new WeakMap<SgNode, Set<string>>();

/** Names declared by module-level `const`/`let`/`var` (exported or not), computed once per tree. */
function tsTopLevelNames(root: SgNode): Set<string> {
  let names = topLevelCache.get(root);
  if (!names) {
    names = new Set();
    for (const statement of root.children()) {
      const declaration = statement.kind() === 'export_statement'
        ? statement.children().find((c) => c.kind() === 'lexical_declaration' || c.kind() === 'variable_declaration')
        : statement;
      if (declaration?.kind() !== 'lexical_declaration' && declaration?.kind() !== 'variable_declaration') continue;
      for (const declarator of declaration.children()) {
        if (declarator.kind() === 'variable_declarator') names.add(declarator.field('name')?.text() ?? '');
      }
    }
    topLevelCache.set(root, names);
  }
  return names;
}

function tsDeclaredAtTop(root: SgNode, name: string): boolean {
  return tsTopLevelNames(root).has(name);
}

/** The local declaration of `name` visible from `node` (in an enclosing function), if any. */
function tsLocalDeclaration(node: SgNode, name: string): { fn: SgNode; declarator: SgNode } | undefined {
  for (const fn of node.ancestors().filter((a) => TS_FUNCTIONS.has(String(a.kind())))) {
    const declarator = fn.find({ rule: { kind: 'variable_declarator', has: { field: 'name', regex: `^${escapeRegExp(name)}$` } } });
    if (declarator) return { fn, declarator };
    const params = fn.field('parameters');
    if (params && params.find({ rule: { kind: 'identifier', regex: `^${escapeRegExp(name)}$` } })) return undefined;
  }
  return undefined;
}

/** Whether the local object `owner` is kept beyond the call: stored into `this.*` or a module-level collection. */
function tsOwnerIsKept(fn: SgNode, owner: string, root: SgNode): boolean {
  const ownerRe = new RegExp(`^${escapeRegExp(owner)}$`);
  for (const call of fn.findAll({ rule: { kind: 'call_expression' } })) {
    const callee = call.field('function');
    if (callee?.kind() !== 'member_expression' || !TS_GROW_METHODS.has(callee.field('property')?.text() ?? '')) continue;
    if (!namedChildren(call.field('arguments')).some((arg) => ownerRe.test(arg.text()))) continue;
    const receiver = callee.field('object');
    if (!receiver) continue;
    if (receiver.text().startsWith('this.')) return true;
    if (receiver.kind() === 'identifier' && tsDeclaredAtTop(root, receiver.text())) return true;
  }
  return fn.findAll({ rule: { kind: 'assignment_expression' } })
    .some((a) => ownerRe.test(a.field('right')?.text() ?? '') && (a.field('left')?.text() ?? '').startsWith('this.'));
}

function tsTarget(collection: SgNode, root: SgNode): Target | undefined {
  if (collection.kind() === 'identifier') {
    const name = collection.text();
    return tsDeclaredAtTop(root, name) && !tsLocalDeclaration(collection, name) ? { key: name, holder: 'module' } : undefined;
  }
  if (collection.kind() !== 'member_expression') return undefined;
  const key = collection.field('property')?.text();
  const object = collection.field('object');
  if (!key || !object) return undefined;
  if (object.kind() === 'this') return { key, holder: 'instance' };
  if (object.kind() !== 'identifier') return undefined;
  if (tsDeclaredAtTop(root, object.text()) && !tsLocalDeclaration(collection, object.text())) return { key, holder: 'module' };
  return { key, holder: 'held', owner: object.text() };
}

/** Where, if anywhere, the growth runs once per event, tick, request or loop turn. */
function tsRepeatingContext(node: SgNode, stopAt?: SgNode): string | undefined {
  let current: SgNode | null = node;
  while (current && (!stopAt || current.id() !== stopAt.id())) {
    const kind = String(current.kind());
    if ((kind === 'while_statement' || kind === 'for_statement') && tsForever(current)) return 'every turn of an endless loop';
    if (TS_FUNCTIONS.has(kind)) {
      const where = tsHandlerKind(current);
      if (where) return where;
    }
    current = current.parent();
  }
  return undefined;
}

function tsForever(loop: SgNode): boolean {
  if (loop.kind() === 'while_statement') {
    if (!/^\(\s*(true|1)\s*\)$/.test(loop.field('condition')?.text() ?? '')) return false;
  } else if (loop.field('condition') && !/^;?$/.test(loop.field('condition')!.text().trim())) return false;
  const body = loop.field('body');
  return !!body && !body.find({ rule: { any: [{ kind: 'break_statement' }, { kind: 'return_statement' }] } });
}

function tsHandlerKind(fn: SgNode): string | undefined {
  if (fn.kind() === 'method_definition') {
    const decorators = fn.prev();
    const decoratorText = [decorators, ...fn.children()].filter((n): n is SgNode => !!n && n.kind() === 'decorator').map((d) => d.text());
    return decoratorText.some((d) => HANDLER_DECORATORS.test(d)) ? 'every handled request or event' : undefined;
  }
  const parent = fn.parent();
  if (parent?.kind() === 'assignment_expression' && /\.on(message|data|line)$/.test(parent.field('left')?.text() ?? '')) return 'every message';
  if (parent?.kind() !== 'arguments') return undefined;
  const call = parent.parent();
  const callee = call?.field('function');
  if (!call || !callee) return undefined;
  if (callee.text() === 'setInterval') return 'every interval tick';
  if (callee.kind() !== 'member_expression') return undefined;
  const method = callee.field('property')?.text() ?? '';
  const first = namedChildren(parent)[0];
  if (/^(on|addListener|addEventListener|prependListener)$/.test(method)) {
    const event = stringValue(first);
    // `window.addEventListener('error', ...)` fires for every uncaught error, unlike a stream's 'error'.
    const globalErrors = event === 'error' && /^(window|self|globalThis)$/.test(callee.field('object')?.text() ?? '');
    if (event === undefined || (ONE_SHOT_EVENTS.test(event) && !globalErrors)) return undefined;
    return `every '${event}' event`;
  }
  if (method === 'subscribe') return 'every emitted value';
  if (ROUTE_METHODS.test(method) && stringValue(first)?.startsWith('/')) return 'every request';
  return undefined;
}

/** Positive evidence that `key` is a plain array, Map, Set or object (not an LRU or ring buffer). */
function tsIsPlainCollection(source: string, key: string): boolean {
  const k = escapeRegExp(key);
  const initialised = new RegExp(`(^|[^\\w$])${k}\\??\\s*(:\\s*[^=\\n]+?)?\\s*[=:]\\s*(\\[|new\\s+(Map|Set|Array)\\b|\\{\\s*\\})`, 'm');
  const typed = new RegExp(`(^|[^\\w$])${k}\\??\\s*:\\s*(readonly\\s+)?([\\w.<>]+\\[\\]|Array<|Map<|Set<|Record<)`, 'm');
  return initialised.test(source) || typed.test(source);
}

/** Anything in the file that trims, evicts or resets the collection. */
function tsBounded(source: string, root: SgNode, key: string): boolean {
  const k = escapeRegExp(key);
  const bound = new RegExp(
    `(^|[^\\w$])${k}\\s*(\\?\\.|\\.)\\s*(shift|splice|pop|clear|delete)\\s*\\(` +
      `|(^|[^\\w$])${k}\\s*\\.\\s*(length|size)\\s*(=(?!=)|[<>]=?|===?|!==?)` +
      `|(^|[^\\w$])delete\\s+[\\w$.]*${k}\\s*\\[` +
      `|(^|[^\\w$])${k}\\s*=\\s*[^=;]*\\.(slice|filter|splice)\\(` +
      `|(^|[^\\w$])${k}\\s*(:[^=\\n]+)?=\\s*new\\s+(LRU|QuickLRU|LRUCache|LruCache|TTLCache|NodeCache|RingBuffer|CircularBuffer)\\b`,
    'm',
  );
  if (bound.test(source)) return true;
  // A reset outside the constructor (`this.logs = []` in flush()) also bounds it.
  return root.findAll({ rule: { kind: 'assignment_expression' } }).some((assignment) => {
    const left = assignment.field('left')?.text() ?? '';
    if (left !== key && !left.endsWith(`.${key}`)) return false;
    const method = assignment.ancestors().find((a) => a.kind() === 'method_definition');
    if (method?.field('name')?.text() === 'constructor') return false;
    return assignment.ancestors().some((a) => TS_FUNCTIONS.has(String(a.kind())));
  });
}

const verdictCache = new WeakMap<object, Map<string, boolean>>();

/** A plain collection nothing in the file bounds; cached per file and name. */
function unboundedCollection(context: RuleContext, key: string, family: 'py' | 'ts'): boolean {
  let verdicts = verdictCache.get(context.file);
  if (!verdicts) verdictCache.set(context.file, (verdicts = new Map()));
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = family === 'ts'
      ? tsIsPlainCollection(context.source, key) && !tsBounded(context.source, context.root!, key)
      : pyIsPlainCollection(context.source, key) && !pyBounded(context.source, context.root!, key);
    verdicts.set(key, verdict);
  }
  return verdict;
}

function reportTs(growth: SgNode, collection: SgNode, what: string, context: RuleContext): void {
  const root = context.root;
  if (!root) return;
  const target = tsTarget(collection, root);
  if (!target) return;
  let where = tsRepeatingContext(growth);
  if (!where || !unboundedCollection(context, target.key, 'ts')) return;
  if (target.holder === 'held') {
    // The owner must be a local kept beyond the call, and the handler must be registered where it lives.
    const local = tsLocalDeclaration(collection, target.owner!);
    if (!local || !tsOwnerIsKept(local.fn, target.owner!, root)) return;
    where = tsRepeatingContext(growth, local.fn);
    if (!where) return;
  }
  context.report({
    node: growth,
    message: `\`${collection.text()}\` grows on ${where} (\`${what}\`) and nothing in this file trims, evicts or caps \`${target.key}\`.`,
  });
}

// ---------------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------------

const PY_GROW_METHODS = new Set(['append', 'appendleft', 'add', 'extend', 'insert']);
const PY_HANDLER_DECORATOR = new RegExp(
  '^@[\\w.]*\\.(route|get|post|put|patch|delete|websocket|websocket_route|on|event|command|hybrid_command|slash_command|' +
    'message_handler|callback_query_handler|message|callback_query|listener|on_event|task|loop|subscribe|consumer)\\b' +
    '|^@(receiver|shared_task|app_commands\\.command|tasks\\.loop)\\b',
);

const moduleNamesCache = new WeakMap<object, Set<string>>();

/** Names assigned at module level, computed once per file. */
function pyModuleNames(key: object, root: SgNode): Set<string> {
  let names = moduleNamesCache.get(key);
  if (!names) {
    names = new Set();
    for (const statement of root.children()) {
      if (statement.kind() !== 'expression_statement') continue;
      const left = statement.children().find((c) => c.kind() === 'assignment')?.field('left');
      if (left?.kind() === 'identifier') names.add(left.text());
    }
    moduleNamesCache.set(key, names);
  }
  return names;
}

function pyTarget(collection: SgNode, root: SgNode, key: object): Target | undefined {
  if (collection.kind() === 'identifier') {
    const name = collection.text();
    if (!pyModuleNames(key, root).has(name)) return undefined;
    const fn = collection.ancestors().find((a) => a.kind() === 'function_definition');
    // A local or parameter of the same name shadows the module-level one.
    if (fn && (fn.field('parameters')?.find({ rule: { kind: 'identifier', regex: `^${escapeRegExp(name)}$` } }) ||
      fn.findAll({ rule: { kind: 'assignment' } }).some((a) => a.field('left')?.text() === name))) return undefined;
    return { key: name, holder: 'module' };
  }
  if (collection.kind() === 'attribute' && collection.field('object')?.text() === 'self') {
    const key = collection.field('attribute')?.text();
    return key ? { key, holder: 'instance' } : undefined;
  }
  return undefined;
}

function pyForever(loop: SgNode): boolean {
  if (!/^(True|1)$/.test(loop.field('condition')?.text() ?? '')) return false;
  const body = loop.field('body');
  return !!body && !body.find({ rule: { any: [{ kind: 'break_statement' }, { kind: 'return_statement' }] } });
}

/** Hooks that run once per process or connection: what they collect is bounded by that. */
const PY_ONE_SHOT_HOOK = /^(on_ready|on_connect|on_disconnect|on_startup|on_shutdown|setup_hook|setup|startup|shutdown|lifespan|cog_load|cog_unload)$/;
const PY_CLI = /^\s*(import|from)\s+(click|typer)\b/m;

function pyRepeatingContext(node: SgNode, source: string): string | undefined {
  for (const ancestor of node.ancestors()) {
    if (ancestor.kind() === 'while_statement' && pyForever(ancestor)) return 'every turn of an endless loop';
    if (ancestor.kind() === 'function_definition') {
      const name = ancestor.field('name')?.text() ?? '';
      if (PY_ONE_SHOT_HOOK.test(name)) return undefined;
      const decorated = ancestor.parent();
      if (decorated?.kind() === 'decorated_definition') {
        const decorators = decorated.children().filter((c) => c.kind() === 'decorator').map((d) => d.text())
          // `@app.on_event("startup")` runs once; `@cli.command()` is a CLI entry point, not a handler.
          .filter((d) => !/["'](startup|shutdown)["']/.test(d) && !(PY_CLI.test(source) && /\.command\b/.test(d)));
        if (decorators.some((d) => PY_HANDLER_DECORATOR.test(d))) return 'every handled request or event';
      }
      const inClass = ancestor.ancestors().some((a) => a.kind() === 'class_definition');
      if (inClass && /^on_(message|data|event|raw_\w+|member_\w+|reaction_\w+|voice_state_update|ws_message|tick)$/.test(name)) return `every \`${name}\` call`;
      return undefined;
    }
  }
  return undefined;
}

function pyIsPlainCollection(source: string, key: string): boolean {
  const k = escapeRegExp(key);
  const plain = new RegExp(
    `(^|[^\\w.])(self\\.)?${k}\\s*(:\\s*[^=\\n]+)?=\\s*(\\[|\\{|set\\(|list\\(|dict\\(|(collections\\.)?(defaultdict|OrderedDict|Counter)\\(|(collections\\.)?deque\\(\\s*\\)|field\\(\\s*default_factory\\s*=\\s*(list|dict|set)\\))`,
    'm',
  );
  return plain.test(source);
}

function pyBounded(source: string, root: SgNode, key: string): boolean {
  const k = escapeRegExp(key);
  const bound = new RegExp(
    `(^|[^\\w])${k}\\s*\\.\\s*(pop|popleft|popitem|clear|remove|discard)\\s*\\(` +
      `|\\bdel\\s+(self\\.)?${k}\\b` +
      `|\\blen\\(\\s*(self\\.)?${k}\\s*\\)\\s*(>|>=|<|<=|==)` +
      `|(^|[^\\w])${k}\\s*\\[\\s*:\\s*\\]\\s*=` +
      `|(^|[^\\w])(self\\.)?${k}\\s*=\\s*(self\\.)?${k}\\s*\\[` +
      `|(^|[^\\w])${k}\\s*(:[^=\\n]+)?=\\s*[\\w.]*(deque\\([^)]*maxlen|LRUCache|TTLCache|LFUCache)`,
    'm',
  );
  if (bound.test(source)) return true;
  // A reset outside `__init__` (`self.events = []` in flush()) also bounds it.
  return root.findAll({ rule: { kind: 'assignment' } }).some((assignment) => {
    const left = assignment.field('left')?.text() ?? '';
    if (left !== key && left !== `self.${key}`) return false;
    const fn = assignment.ancestors().find((a) => a.kind() === 'function_definition');
    return !!fn && fn.field('name')?.text() !== '__init__';
  });
}

function reportPy(growth: SgNode, collection: SgNode, what: string, context: RuleContext): void {
  const root = context.root;
  if (!root) return;
  const target = pyTarget(collection, root, context.file);
  if (!target) return;
  const where = pyRepeatingContext(growth, context.source);
  if (!where || !unboundedCollection(context, target.key, 'py')) return;
  context.report({
    node: growth,
    message: `\`${collection.text()}\` grows on ${where} (\`${what}\`) and nothing in this file trims, evicts or caps \`${target.key}\`.`,
  });
}

export default defineRule({
  meta: {
    id: 'reliability/unbounded-growth',
    title: 'Long-lived collection that only grows',
    area: 'reliability',
    severity: 'high',
    type: 'bug',
    effort: 'small',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A module-level or instance collection grows in an event handler, request handler or endless loop with nothing that ever trims it.',
    why:
      'A list or map that lives as long as the process and gains an entry on every event, request or loop turn is a memory ' +
      'leak with a timer: the sandbox that keeps every chunk of a child process\'s stdout (seed 004) or the bot that keeps ' +
      'every message it saw runs fine in testing and is killed for memory after days in production. Reported: `.push`/' +
      '`.append`/`.add`/`.set`/`[key] =` onto a module-level collection, an instance attribute (`this.logs`, `self.history`) ' +
      'or a field of an object the function keeps (`this.apps.set(id, app)` then `app.logs.push` in a stream handler), when ' +
      'the growth runs in a repeating handler (`.on(\'data\')`, `setInterval`, an Express/Flask/FastAPI route, a Discord or ' +
      'Telegram handler, `while True` without a `break`) and the file never shifts, splices, pops, deletes, clears, resets ' +
      'or length-checks that collection. Not reported: local arrays (they die with the call or the stream), ' +
      '`deque(maxlen=N)`, LRU/TTL caches, registries filled at import time, one-shot events (`end`, `close`, `exit`).',
    recommendation:
      'Bound the collection: a ring buffer or `collections.deque(maxlen=N)`, trim after each push ' +
      '(`if (logs.length > MAX) logs.splice(0, logs.length - MAX)`), evict old entries (LRU/TTL cache) or write the data ' +
      'to a log/stream instead of keeping it in memory.',
    examples: [
      {
        language: 'ts',
        bad: "const app = { logs: [] as string[] };\napps.set(id, app);\nchild.stdout.on('data', (data) => {\n  app.logs.push(data.toString());\n});\nconst apps = new Map();\n",
        good: "const app = { logs: [] as string[] };\napps.set(id, app);\nchild.stdout.on('data', (data) => {\n  app.logs.push(data.toString());\n  if (app.logs.length > 500) app.logs.shift();\n});\nconst apps = new Map();\n",
      },
      {
        language: 'py',
        bad: 'SEEN = []\n\n@bot.event\nasync def on_message(message):\n    SEEN.append(message.content)\n',
        good: 'from collections import deque\n\nSEEN = deque(maxlen=1000)\n\n@bot.event\nasync def on_message(message):\n    SEEN.append(message.content)\n',
      },
    ],
    references: ['seed 004 (sandbox logs grow indefinitely)', 'CWE-401 / CWE-770 (allocation without limits)'],
  },
  fileFilter: /\.on\(|\.on\s*\(|addEventListener|addListener|setInterval|\.subscribe\(|while\s*\(\s*(true|1)\s*\)|for\s*\(\s*;\s*;\s*\)|\.(get|post|put|patch|delete|all)\(\s*['"`]\/|@(Get|Post|Put|Patch|Delete|SubscribeMessage|OnEvent|Interval|Cron)|onmessage|while\s+(True|1)\s*:|@[\w.]*\.(route|get|post|put|patch|delete|websocket|on|event|command|message_handler|listener|task|loop)\b|@(receiver|shared_task)\b|def on_/,
  visitors: {
    ts: {
      call_expression(node, context) {
        const callee = node.field('function');
        if (callee?.kind() !== 'member_expression') return;
        const method = callee.field('property')?.text() ?? '';
        const collection = callee.field('object');
        if (!TS_GROW_METHODS.has(method) || !collection) return;
        reportTs(node, collection, `.${method}(...)`, context);
      },
      assignment_expression(node, context) {
        const left = node.field('left');
        if (left?.kind() !== 'subscript_expression') return;
        const collection = left.field('object');
        if (collection) reportTs(node, collection, `${left.text()} = ...`, context);
      },
    },
    py: {
      call(node, context) {
        const callee = node.field('function');
        if (callee?.kind() !== 'attribute') return;
        const method = callee.field('attribute')?.text() ?? '';
        const collection = callee.field('object');
        if (!PY_GROW_METHODS.has(method) || !collection) return;
        reportPy(node, collection, `.${method}(...)`, context);
      },
      assignment(node, context) {
        const left = node.field('left');
        if (left?.kind() !== 'subscript') return;
        const collection = left.field('value');
        if (collection) reportPy(node, collection, `${left.text()} = ...`, context);
      },
    },
  },
});
