import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { isAsyncFunction, positionalArguments } from '../../_shared/python.js';
import { importAliases, qualifiedName, type ImportAliases } from '../../_shared/python-qualified-names.js';
import { checkTypeScriptCall } from './typescript.js';

type BlockingKind = 'sleep' | 'http' | 'subprocess' | 'shell' | 'file' | 'filesystem';

/** What each kind of blocking call should become inside a coroutine. */
const ALTERNATIVE: Record<BlockingKind, string> = {
  sleep: 'use `await asyncio.sleep(...)`',
  http: 'use an async client (`httpx.AsyncClient`, `aiohttp`) or `await asyncio.to_thread(...)`',
  subprocess: 'use `await asyncio.create_subprocess_exec(...)` or `await asyncio.to_thread(...)`',
  shell: 'use `await asyncio.create_subprocess_shell(...)`',
  file: 'use `aiofiles` / `anyio.Path`, or move the I/O into `await asyncio.to_thread(...)`',
  filesystem: 'run it with `await asyncio.to_thread(...)`',
};

const HTTP_METHODS = ['get', 'post', 'put', 'delete', 'patch', 'head', 'options', 'request'];

/** Qualified names of calls that block the calling thread. */
const BLOCKING_CALLS = new Map<string, BlockingKind>([
  ['time.sleep', 'sleep'],
  ...HTTP_METHODS.map((m) => [`requests.${m}`, 'http'] as [string, BlockingKind]),
  ...[...HTTP_METHODS, 'stream'].map((m) => [`httpx.${m}`, 'http'] as [string, BlockingKind]),
  ['urllib.request.urlopen', 'http'],
  ['subprocess.run', 'subprocess'],
  ['subprocess.call', 'subprocess'],
  ['subprocess.check_call', 'subprocess'],
  ['subprocess.check_output', 'subprocess'],
  ['subprocess.getoutput', 'subprocess'],
  ['subprocess.getstatusoutput', 'subprocess'],
  ['os.system', 'shell'],
  ['os.popen', 'shell'],
  ['open', 'file'],
  ['io.open', 'file'],
  ['codecs.open', 'file'],
  ['gzip.open', 'file'],
  ['bz2.open', 'file'],
  ['lzma.open', 'file'],
  ...['copy', 'copy2', 'copyfile', 'copyfileobj', 'copytree', 'move', 'rmtree', 'make_archive', 'unpack_archive'].map(
    (m) => [`shutil.${m}`, 'filesystem'] as [string, BlockingKind],
  ),
]);

/** Constructors of synchronous HTTP sessions whose methods block (`requests.Session().get`). */
const SYNC_HTTP_SESSIONS = new Set(['requests.Session', 'requests.session', 'requests.sessions.Session', 'httpx.Client']);

/** pathlib's whole-file helpers: the names are specific enough to need no type. */
const PATH_IO_METHODS = new Set(['read_text', 'write_text', 'read_bytes', 'write_bytes']);

/** Per-file facts, computed once per file on first use. */
interface FileFacts {
  aliases: ImportAliases;
  /** Receivers bound to a sync HTTP session: `self.session` anywhere, or identifiers per scope (function start index, -1 = module). */
  sessionAttributes: Set<string>;
  sessionNames: Map<number, Set<string>>;
}

const factsCache = new WeakMap<RuleContext, FileFacts>();

function scopeIndexOf(node: SgNode): number {
  const fn = node.ancestors().find((a) => a.kind() === 'function_definition');
  return fn ? fn.range().start.index : -1;
}

function factsFor(node: SgNode, context: RuleContext): FileFacts {
  let facts = factsCache.get(context);
  if (facts) return facts;
  const aliases = importAliases(node, context);
  facts = { aliases, sessionAttributes: new Set(), sessionNames: new Map() };
  const root = node.getRoot().root();
  const record = (target: SgNode | null | undefined, value: SgNode | null | undefined) => {
    if (!target || value?.kind() !== 'call') return;
    const constructor = qualifiedName(value.field('function'), aliases);
    if (!constructor || !SYNC_HTTP_SESSIONS.has(constructor)) return;
    if (target.kind() === 'attribute') facts!.sessionAttributes.add(target.text());
    else if (target.kind() === 'identifier') {
      const scope = scopeIndexOf(target);
      const names = facts!.sessionNames.get(scope) ?? new Set<string>();
      names.add(target.text());
      facts!.sessionNames.set(scope, names);
    }
  };
  for (const assignment of root.findAll({ rule: { kind: 'assignment' } })) {
    record(assignment.field('left'), assignment.field('right'));
  }
  for (const pattern of root.findAll({ rule: { kind: 'as_pattern', inside: { kind: 'with_item' } } })) {
    const value = pattern.children().find((c) => c.isNamed());
    record(pattern.find({ rule: { kind: 'as_pattern_target' } })?.children().find((c) => c.isNamed()), value);
  }
  factsCache.set(context, facts);
  return facts;
}

/** The `async def` the call runs in, or undefined when a plain `def`, a lambda or a class body comes first. */
function enclosingCoroutine(call: SgNode): SgNode | undefined {
  for (const ancestor of call.ancestors()) {
    const kind = ancestor.kind();
    if (kind === 'lambda' || kind === 'class_definition') return undefined;
    if (kind === 'function_definition') return isAsyncFunction(ancestor) ? ancestor : undefined;
  }
  return undefined;
}

const ONE_SHOT_HOOKS = /^(lifespan|startup|on_startup|shutdown|on_shutdown|setup_hook)$/;

/** Startup/shutdown hooks run once before the server takes traffic: blocking there stalls nobody. */
function isOneShotHook(fn: SgNode): boolean {
  if (ONE_SHOT_HOOKS.test(fn.field('name')?.text() ?? '')) return true;
  const decorated = fn.parent();
  if (decorated?.kind() !== 'decorated_definition') return false;
  return decorated.children().some((d) => d.kind() === 'decorator' && /\.on_event\(\s*['"](startup|shutdown)['"]/.test(d.text()));
}

/** Names a function binds itself: parameters, assignment and loop targets, `as` targets. */
function locallyBound(fn: SgNode, name: string): boolean {
  const parameters = fn.field('parameters');
  for (const parameter of parameters?.children() ?? []) {
    const bound = parameter.kind() === 'identifier' ? parameter : parameter.children().find((c) => c.kind() === 'identifier');
    if (bound?.text() === name) return true;
  }
  const body = fn.field('body');
  if (!body) return false;
  const targets = body.findAll({
    rule: {
      kind: 'identifier',
      regex: `^${name}$`,
      any: [
        { inside: { kind: 'assignment', field: 'left' } },
        { inside: { kind: 'for_statement', field: 'left' } },
        { inside: { kind: 'as_pattern_target' } },
        { inside: { kind: 'pattern_list' } },
      ],
    },
  });
  return targets.length > 0;
}

function unparenthesized(node: SgNode): SgNode {
  let current = node;
  while (current.kind() === 'parenthesized_expression') current = current.children().find((c) => c.isNamed()) ?? current;
  return current;
}

/**
 * A receiver that is a `pathlib.Path`: `Path(...)`, `base / "name"`, a name ending in `path`, a
 * parameter annotated `Path`, or a local assigned one of those.
 */
function looksLikePath(receiver: SgNode, aliases: ImportAliases, fn: SgNode, depth = 0): boolean {
  const node = unparenthesized(receiver);
  if (depth > 3) return false;
  if (node.kind() === 'call') {
    const name = qualifiedName(node.field('function'), aliases);
    return name === 'pathlib.Path' || name === 'pathlib.PurePath' || name === 'pathlib.PosixPath';
  }
  if (node.kind() === 'binary_operator') {
    const left = node.field('left');
    return node.children().some((c) => c.kind() === '/') && !!left && looksLikePath(left, aliases, fn, depth + 1);
  }
  if (node.kind() === 'attribute') return /(^|[._])\w*path$/i.test(node.text());
  if (node.kind() !== 'identifier') return false;
  const name = node.text();
  if (/(^|_)path$/i.test(name)) return true;
  for (const parameter of fn.field('parameters')?.children() ?? []) {
    if (!/typed/.test(String(parameter.kind()))) continue;
    const bound = parameter.children().find((c) => c.kind() === 'identifier');
    const annotation = parameter.field('type')?.text() ?? '';
    if (bound?.text() === name) return /\b(pathlib\.)?(Pure)?(Posix)?Path\b/.test(annotation);
  }
  for (const assignment of fn.field('body')?.findAll({ rule: { kind: 'assignment' } }) ?? []) {
    const right = assignment.field('right');
    if (assignment.field('left')?.text() === name && right && looksLikePath(right, aliases, fn, depth + 1)) return true;
  }
  return false;
}

/** `subprocess.Popen(...)`, or a local of the coroutine assigned from it. */
function isPopen(receiver: SgNode, coroutine: SgNode, aliases: ImportAliases): boolean {
  const node = unparenthesized(receiver);
  const isPopenCall = (value: SgNode | null | undefined) =>
    value?.kind() === 'call' && qualifiedName(value.field('function'), aliases) === 'subprocess.Popen';
  if (isPopenCall(node)) return true;
  if (node.kind() !== 'identifier') return false;
  for (const assignment of coroutine.field('body')?.findAll({ rule: { kind: 'assignment' } }) ?? []) {
    if (assignment.field('left')?.text() === node.text() && isPopenCall(assignment.field('right'))) return true;
  }
  for (const pattern of coroutine.field('body')?.findAll({ rule: { kind: 'as_pattern' } }) ?? []) {
    const target = pattern.find({ rule: { kind: 'as_pattern_target' } })?.text();
    if (target === node.text() && isPopenCall(pattern.children().find((c) => c.isNamed()))) return true;
  }
  return false;
}

interface Blocking {
  kind: BlockingKind;
  name: string;
}

function classify(call: SgNode, coroutine: SgNode, facts: FileFacts): Blocking | undefined {
  const callee = call.field('function');
  if (!callee) return undefined;
  const name = qualifiedName(callee, facts.aliases, new Set(['open']));
  const known = name ? BLOCKING_CALLS.get(name) : undefined;
  // `requests = await queue.get()`: a local that shadows the imported module is not the module.
  if (name && known) return locallyBound(coroutine, callee.text().split('.')[0]) ? undefined : { kind: known, name };
  if (callee.kind() !== 'attribute') return undefined;
  const method = callee.field('attribute')?.text() ?? '';
  const receiver = callee.field('object');
  if (!receiver) return undefined;
  if (PATH_IO_METHODS.has(method)) return { kind: 'file', name: `Path.${method}` };
  // `subprocess.Popen(...)` only starts the child; `.wait()` / `.communicate()` block until it exits.
  if ((method === 'wait' || method === 'communicate') && isPopen(receiver, coroutine, facts.aliases)) return { kind: 'subprocess', name: `Popen.${method}` };
  if (method === 'open' && looksLikePath(receiver, facts.aliases, coroutine)) return { kind: 'file', name: 'Path.open' };
  if (!HTTP_METHODS.includes(method)) return undefined;
  if (receiver.kind() === 'call') {
    const constructor = qualifiedName(receiver.field('function'), facts.aliases);
    if (constructor && SYNC_HTTP_SESSIONS.has(constructor)) return { kind: 'http', name: `${constructor}().${method}` };
    return undefined;
  }
  const receiverText = receiver.text();
  const isSession =
    receiver.kind() === 'attribute'
      ? facts.sessionAttributes.has(receiverText)
      : receiver.kind() === 'identifier' &&
        (facts.sessionNames.get(coroutine.range().start.index)?.has(receiverText) || facts.sessionNames.get(-1)?.has(receiverText));
  return isSession ? { kind: 'http', name: `${receiverText}.${method}` } : undefined;
}

/** `async with x(...)`: an async context manager (aiofiles, anyio), never a blocking call. */
function isAsyncWithItem(call: SgNode): boolean {
  let node = call.parent();
  if (node?.kind() === 'as_pattern') node = node.parent();
  if (node?.kind() !== 'with_item') return false;
  const statement = node.ancestors().find((a) => a.kind() === 'with_statement');
  return statement?.children().some((c) => c.kind() === 'async') ?? false;
}

/** What the `with open(...) as f:` body does with the handle (`json.dump`, `f.read`), for the message. */
function handleOperations(call: SgNode, aliases: ImportAliases): string[] {
  const pattern = call.parent();
  if (pattern?.kind() !== 'as_pattern') return [];
  const handle = pattern.find({ rule: { kind: 'as_pattern_target' } })?.text();
  const body = pattern.ancestors().find((a) => a.kind() === 'with_statement')?.field('body');
  if (!handle || !body) return [];
  const operations = new Set<string>();
  for (const inner of body.findAll({ rule: { kind: 'call' } })) {
    const callee = inner.field('function');
    const args = positionalArguments(inner).map((a) => a.text());
    const name = qualifiedName(callee, aliases);
    if (name && /^(json|pickle|yaml|csv|tomllib|toml)\.\w+$/.test(name) && args.includes(handle)) operations.add(`${name}()`);
    else if (callee?.kind() === 'attribute' && callee.field('object')?.text() === handle) {
      const method = callee.field('attribute')?.text() ?? '';
      if (/^(read|readline|readlines|write|writelines|truncate|flush)$/.test(method)) operations.add(`${handle}.${method}()`);
    }
  }
  return [...operations];
}

/** The call as written (short ones in full), plus its real name when an alias hides it (`pause(1)` = `time.sleep`). */
function shown(call: SgNode, name: string): string {
  const text = call.text();
  const calleeText = call.field('function')?.text() ?? name;
  const written = text.length <= 60 && !text.includes('\n') ? text : `${calleeText}(...)`;
  const aliased = BLOCKING_CALLS.has(name) && calleeText !== name;
  return `\`${written}\`${aliased ? ` (\`${name}\`)` : ''}`;
}

export default defineRule({
  meta: {
    id: 'performance/blocking-call-in-async',
    title: 'Blocking call inside async function',
    area: 'performance',
    severity: 'high',
    type: 'performance',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A synchronous sleep, HTTP request, subprocess or file I/O call inside an `async def`, an async JS function or a request handler.',
    why:
      'An event loop runs every coroutine on one thread. A synchronous call inside `async def` (`time.sleep`, `requests.get`, ' +
      '`subprocess.run`, `open(...)` + `json.dump`) holds that thread until it returns, so every other request, bot or task ' +
      'waits too: seed 001\'s activity logger wrote a JSON file on every trading cycle and added milliseconds of stall to all ' +
      'bots at once. Only calls made lexically in the coroutine are reported: a call inside a nested `def` or `lambda`, a callable ' +
      'passed to `asyncio.to_thread` / `run_in_executor`, an awaited call (`await anyio.Path(p).read_text()`), and `async with` ' +
      'context managers (`aiofiles.open`) do not block. A file opened with `with open(...) as f` is reported once, at the `open`, ' +
      'with what the block does to the handle (`json.dump`, `f.write`) named in the message. Startup and shutdown hooks ' +
      '(`lifespan`, `on_event("startup")`) run before traffic and are not reported; in CLI scripts the finding is Medium. ' +
      'Node has the same single loop: `fs.readFileSync`, `execSync`, `spawnSync`, `crypto.pbkdf2Sync` or `zlib.gzipSync` inside an ' +
      'Express/Fastify/Koa route handler stall every other request (High); inside any other async function they are Medium. ' +
      'Not reported in JS/TS: module top level (startup), CLI scripts, plain sync functions that are not handlers, async ' +
      'functions named like one-shot startup (`main`, `bootstrap`, `init*`, `setup*`, `load*Config`), `fs.promises`, and the ' +
      'cheap metadata calls (`existsSync`, `statSync`, `mkdirSync`, `unlinkSync`, `renameSync`).',
    recommendation:
      'Use the async counterpart (`await asyncio.sleep`, `httpx.AsyncClient`, `asyncio.create_subprocess_exec`, `aiofiles`), ' +
      'or move the synchronous work to a thread with `await asyncio.to_thread(func, *args)`. In Node use `fs/promises`, ' +
      'promisified `execFile`/`spawn`, and the callback/promise forms of `crypto` and `zlib`; read static files once at startup.',
    examples: [
      {
        language: 'py',
        bad:
          'import json\n\nasync def log_activity(entry):\n    with open("activity.json") as f:\n        entries = json.load(f)\n' +
          '    entries.append(entry)\n    with open("activity.json", "w") as f:\n        json.dump(entries[-500:], f)\n',
        good:
          'import json\nimport aiofiles\n\nasync def log_activity(entry):\n    async with aiofiles.open("activity.json") as f:\n' +
          '        entries = json.loads(await f.read())\n    entries.append(entry)\n    async with aiofiles.open("activity.json", "w") as f:\n' +
          '        await f.write(json.dumps(entries[-500:]))\n',
      },
      {
        language: 'ts',
        bad:
          "import fs from 'node:fs';\nimport express from 'express';\n\nconst app = express();\n\n" +
          "app.get('/report/:id', (req, res) => {\n  const body = fs.readFileSync(`reports/${req.params.id}.json`, 'utf8');\n  res.type('json').send(body);\n});\n",
        good:
          "import { readFile } from 'node:fs/promises';\nimport express from 'express';\n\nconst app = express();\n\n" +
          "app.get('/report/:id', async (req, res) => {\n  const body = await readFile(`reports/${req.params.id}.json`, 'utf8');\n  res.type('json').send(body);\n});\n",
      },
    ],
    references: [
      'seed 001 (blocking activity logger: JSON file writes block the event loop every cycle)',
      'Ruff ASYNC210/ASYNC220/ASYNC230/ASYNC251 (flake8-async blocking calls in async functions)',
      'Python docs: asyncio "Running Blocking Code"',
      'eslint-plugin-n no-sync; Node.js docs: "Don\'t Block the Event Loop"',
    ],
  },
  // No coroutine, no event loop to block (Python); every reported Node call ends in `Sync`.
  fileFilter: /\basync\s+def\b|\w(Sync)\s*\(/,
  visitors: {
    py: {
      call(node, context) {
        const coroutine = enclosingCoroutine(node);
        if (!coroutine || isOneShotHook(coroutine)) return;
        if (node.parent()?.kind() === 'await' || isAsyncWithItem(node)) return;
        const facts = factsFor(node, context);
        const blocking = classify(node, coroutine, facts);
        if (!blocking) return;
        const fnName = coroutine.field('name')?.text() ?? '<coroutine>';
        const operations = blocking.kind === 'file' ? handleOperations(node, facts.aliases) : [];
        const what = `${shown(node, blocking.name)}${operations.length ? ` + ${operations.map((o) => `\`${o}\``).join(', ')}` : ''}`;
        const label = blocking.kind === 'file' ? 'Synchronous file I/O ' : blocking.kind === 'http' ? 'Synchronous HTTP call ' : '';
        context.report({
          node,
          message: `${label}${what} inside \`async def ${fnName}\` blocks the event loop; ${ALTERNATIVE[blocking.kind]}.`,
          severity: context.file.isScript ? 'medium' : undefined,
        });
      },
    },
    ts: {
      call_expression(node, context) {
        checkTypeScriptCall(node, context);
      },
    },
  },
});
