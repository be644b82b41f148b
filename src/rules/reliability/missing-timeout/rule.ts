import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import type { Severity } from '../../../core/types.js';
import { keywordArgument, positionalArguments } from '../../_shared/python.js';
import { pyBindingsFor, pyQualifiedName, tsBindingsFor, tsExpressionBinding, tsResolved } from '../../_shared/static-values.js';
import { callArguments, objectProperty } from '../../_shared/typescript.js';

// ---------------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------------

const REQUESTS_FUNCTIONS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'].map((m) => `requests.${m}`));
/** httpx defaults to 5 s; only an explicit `timeout=None` removes the bound. */
const HTTPX_CALLS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'stream', 'Client', 'AsyncClient'].map((m) => `httpx.${m}`));
/** Anthropic/OpenAI SDK clients: the default timeout is 10 minutes, retried twice. */
const PY_LLM_CLIENTS = new Set([
  'anthropic.Anthropic',
  'anthropic.AsyncAnthropic',
  'openai.OpenAI',
  'openai.AsyncOpenAI',
  'openai.AzureOpenAI',
  'openai.AsyncAzureOpenAI',
]);
const SMTP_CLASSES = new Set(['smtplib.SMTP', 'smtplib.SMTP_SSL', 'smtplib.LMTP']);

/** `f(**options)` may carry a timeout: cannot tell, stay silent. */
function pyHasKeywordSplat(call: SgNode): boolean {
  return call.field('arguments')?.children().some((c) => c.kind() === 'dictionary_splat') ?? false;
}

/** Per-request `timeout=` on SDK calls (`client.messages.create(..., timeout=30)`) bounds them too. */
function pyHasPerRequestTimeout(root: SgNode): boolean {
  return root
    .findAll({ rule: { kind: 'keyword_argument', has: { field: 'name', regex: '^timeout$' } } })
    .some((kw) => /\.(create|stream|parse|with_options)$/.test(kw.parent()?.parent()?.field('function')?.text() ?? ''));
}

function severityFor(context: RuleContext): Severity | undefined {
  return context.file.isScript ? 'low' : undefined;
}

/** Last name of every callee the Python side knows (cheap test before resolving imports). */
const PY_CALLEE_TAIL = /(^|\.)(get|post|put|patch|delete|head|options|request|stream|Client|AsyncClient|urlopen|SMTP|SMTP_SSL|LMTP|Anthropic|AsyncAnthropic|OpenAI|AsyncOpenAI|AzureOpenAI|AsyncAzureOpenAI)$/;

function checkPythonCall(node: SgNode, context: RuleContext): void {
  const callee = node.field('function');
  if (!callee || (callee.kind() !== 'attribute' && callee.kind() !== 'identifier')) return;
  if (!PY_CALLEE_TAIL.test(callee.text())) return;
  const name = pyQualifiedName(callee, pyBindingsFor(context.file, node, context.source));
  if (!name || pyHasKeywordSplat(node)) return;
  const timeout = keywordArgument(node, 'timeout');
  const shown = `\`${callee.text()}(...)\``;

  if (REQUESTS_FUNCTIONS.has(name)) {
    if (timeout && timeout.kind() !== 'none') return;
    context.report({
      node,
      message: `${shown} has ${timeout ? '`timeout=None`' : 'no `timeout=`'}: requests never times out by default, so a server that stops answering blocks this call forever.`,
      severity: severityFor(context),
    });
    return;
  }
  if (HTTPX_CALLS.has(name)) {
    if (timeout?.kind() !== 'none') return;
    context.report({ node, message: `${shown} passes \`timeout=None\`, removing httpx's 5 s default: a stalled server blocks it forever.`, severity: severityFor(context) });
    return;
  }
  if (name === 'urllib.request.urlopen') {
    if (timeout || positionalArguments(node).length >= 3 || /\bsetdefaulttimeout\s*\(/.test(context.source)) return;
    context.report({ node, message: `${shown} has no \`timeout=\`: without one it waits on the socket forever.`, severity: severityFor(context) });
    return;
  }
  if (SMTP_CLASSES.has(name)) {
    if (timeout || (name !== 'smtplib.SMTP_SSL' && positionalArguments(node).length >= 4) || /\bsetdefaulttimeout\s*\(/.test(context.source)) return;
    context.report({ node, message: `${shown} has no \`timeout=\`: a mail server that stops answering blocks the sender forever.`, severity: severityFor(context) });
    return;
  }
  if (PY_LLM_CLIENTS.has(name)) {
    if (timeout && timeout.kind() !== 'none') return;
    if (!timeout && pyHasPerRequestTimeout(node.getRoot().root())) return;
    context.report({
      node,
      message: `${shown} is created ${timeout ? 'with `timeout=None`' : 'without `timeout=`'}: the SDK waits up to 10 minutes per attempt (and retries), so a stuck LLM call hangs the caller.`,
      severity: severityFor(context),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript
// ---------------------------------------------------------------------------------------------

/** Modules whose `fetch` behaves like the global one (no timeout unless a signal is passed). */
const FETCH_MODULES = new Set(['node-fetch', 'undici', 'cross-fetch', 'isomorphic-fetch']);
const AXIOS_CONFIG_AT: Record<string, number> = {
  request: 0,
  create: 0,
  get: 1,
  delete: 1,
  head: 1,
  options: 1,
  post: 2,
  put: 2,
  patch: 2,
  postForm: 2,
  putForm: 2,
  patchForm: 2,
};
const GOT_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'stream', 'paginate', 'extend']);
const TS_LLM_CLIENTS: Record<string, Set<string>> = {
  '@anthropic-ai/sdk': new Set(['default', '*', 'Anthropic']),
  openai: new Set(['default', '*', 'OpenAI', 'AzureOpenAI']),
};

type OptionsVerdict = 'bounded' | 'unbounded' | 'unknown';

/**
 * Whether an options argument bounds the call: a literal object with one of `keys` is bounded;
 * one without them (and without a spread) is not; anything that cannot be seen is unknown.
 */
function optionsVerdict(argument: SgNode | undefined, keys: string[]): OptionsVerdict {
  if (!argument) return 'unbounded';
  const value = tsResolved(argument);
  if (!value || value.kind() !== 'object') return 'unknown';
  if (value.children().some((c) => c.kind() === 'spread_element')) return 'unknown';
  return keys.some((key) => objectProperty(value, key) !== undefined) ? 'bounded' : 'unbounded';
}

/** Browser code: components, or scripts that touch the DOM. */
const BROWSER_CODE = /\b(document|window)\.\w/;

function tsSeverity(context: RuleContext): Severity | undefined {
  // In a browser the user can navigate away; a hung request does not pile up server resources.
  if (context.file.isScript || /\.[jt]sx$/.test(context.file.path) || BROWSER_CODE.test(context.source)) return 'low';
  return undefined;
}

/** `fetch(request)` where the argument may be a `Request` carrying its own signal. */
function mayBeRequestObject(argument: SgNode | undefined): boolean {
  if (!argument) return false;
  const value = tsResolved(argument);
  if (value?.kind() === 'new_expression') return value.field('constructor')?.text() === 'Request';
  return argument.kind() === 'identifier' && /req(uest)?$/i.test(argument.text());
}

function checkFetch(node: SgNode, callee: SgNode, context: RuleContext): void {
  const args = callArguments(node);
  if (!args.length || mayBeRequestObject(args[0])) return;
  // node-fetch v2 honours `timeout`; everything else needs a signal.
  if (optionsVerdict(args[1], ['signal', 'timeout']) !== 'unbounded') return;
  context.report({
    node,
    message: `\`${callee.text()}(${args[0].text().length > 40 ? '...' : args[0].text()}${args[1] ? ', ...' : ''})\` has no \`signal\`: fetch never times out on its own; pass \`signal: AbortSignal.timeout(ms)\`.`,
    severity: tsSeverity(context),
  });
}

/** `function load(key, fetch) { … fetch(key) }`: a parameter or local named `fetch` is some other function. */
function shadowsGlobalFetch(call: SgNode): boolean {
  for (const scope of call.ancestors()) {
    const parameters = scope.field('parameters') ?? (scope.kind() === 'arrow_function' ? scope.field('parameter') : null);
    if (parameters?.find({ rule: { kind: 'identifier', regex: '^fetch$' } })) return true;
  }
  return call.getRoot().root().find({ rule: { kind: 'variable_declarator', has: { field: 'name', kind: 'identifier', regex: '^fetch$' } } }) !== null;
}

function checkTsCall(node: SgNode, context: RuleContext): void {
  const callee = node.field('function');
  if (!callee) return;
  const bindings = tsBindingsFor(context.file, node, context.source);
  if (callee.kind() === 'identifier' && callee.text() === 'fetch') {
    const binding = bindings.get('fetch');
    if ((!binding && !shadowsGlobalFetch(node)) || (binding && FETCH_MODULES.has(binding.module))) checkFetch(node, callee, context);
    return;
  }
  if (callee.kind() === 'member_expression' && /^(window|globalThis|self)\.fetch$/.test(callee.text())) {
    checkFetch(node, callee, context);
    return;
  }
  const binding = callee.kind() === 'identifier' || callee.kind() === 'member_expression' ? tsExpressionBinding(callee, bindings) : undefined;
  if (!binding) return;
  const args = callArguments(node);
  if (binding.module === 'axios') {
    if (/\bdefaults\.timeout\s*=/.test(context.source)) return;
    let at: number | undefined;
    if (binding.imported === 'default' || binding.imported === '*') at = args[0]?.kind() === 'object' || args.length === 0 ? 0 : 1;
    else at = AXIOS_CONFIG_AT[binding.imported];
    if (at === undefined || (at > 0 && args.length === 0)) return;
    if (optionsVerdict(args[at], ['timeout', 'signal']) !== 'unbounded') return;
    const what = binding.imported === 'create' ? 'creates an axios instance' : 'calls axios';
    context.report({
      node,
      message: `\`${callee.text()}(...)\` ${what} without \`timeout\`: axios defaults to 0 (wait forever).`,
      severity: tsSeverity(context),
    });
    return;
  }
  if (binding.module === 'got') {
    const isGot = binding.imported === 'default' || binding.imported === '*';
    if (!isGot && !GOT_METHODS.has(binding.imported)) return;
    const at = binding.imported === 'extend' || args[0]?.kind() === 'object' ? 0 : 1;
    if (at === 1 && args.length === 0) return;
    if (optionsVerdict(args[at], ['timeout', 'signal']) !== 'unbounded') return;
    context.report({ node, message: `\`${callee.text()}(...)\` has no \`timeout\`: got waits forever by default.`, severity: tsSeverity(context) });
  }
}

/** Per-request options with a timeout (`client.messages.create(body, { timeout: 30_000 })`) bound the SDK calls too. */
function tsHasPerRequestTimeout(root: SgNode): boolean {
  return root
    .findAll({ rule: { kind: 'call_expression', has: { field: 'function', kind: 'member_expression', has: { field: 'property', regex: '^(create|stream|parse)$' } } } })
    .some((call) => {
      const options = callArguments(call)[1];
      return options?.kind() === 'object' && objectProperty(options, 'timeout') !== undefined;
    });
}

function checkTsNew(node: SgNode, context: RuleContext): void {
  const constructor = node.field('constructor');
  if (!constructor) return;
  const binding = tsExpressionBinding(constructor, tsBindingsFor(context.file, node, context.source));
  if (!binding || !TS_LLM_CLIENTS[binding.module]?.has(binding.imported)) return;
  const args = node.field('arguments') ? callArguments(node) : [];
  if (optionsVerdict(args[0], ['timeout']) !== 'unbounded' || tsHasPerRequestTimeout(node.getRoot().root())) return;
  context.report({
    node,
    message: `\`new ${constructor.text()}(...)\` without \`timeout\`: the SDK waits up to 10 minutes per attempt (and retries), so a stuck LLM call hangs the request.`,
    severity: tsSeverity(context),
  });
}

export default defineRule({
  meta: {
    id: 'reliability/missing-timeout',
    title: 'HTTP or LLM client call without a timeout',
    area: 'reliability',
    severity: 'medium',
    type: 'bug',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'An HTTP, LLM SDK or mail client call that can wait forever: no timeout, or one explicitly disabled.',
    why:
      'A remote service that accepts the connection and then stops answering blocks the caller for as long as the ' +
      'client lets it: forever for `requests`, `urllib`, `smtplib`, `fetch`, axios and got, 10 minutes per attempt for the ' +
      'Anthropic/OpenAI SDKs (seed 001: "LLM client calls lack timeout parameter - could hang"). Workers, event-loop tasks ' +
      'and request handlers pile up behind it until the service stops responding itself. Calls in CLI scripts and browser ' +
      'code (`.tsx`/`.jsx`, scripts using `document`/`window`) are Low. Not reported: httpx (5 s default) unless `timeout=None`, aiohttp (5 min default ' +
      'total), `requests.Session` methods (the session may carry a timeout adapter), calls whose options cannot be seen ' +
      '(`**kwargs`, `{...opts}`, a parameter), calls on an axios instance (the `axios.create` is reported instead), and tests.',
    recommendation:
      'Pass an explicit timeout sized to the call: `requests.get(url, timeout=10)`, `Anthropic(timeout=60.0)`, ' +
      '`fetch(url, { signal: AbortSignal.timeout(10_000) })`, `axios.create({ timeout: 10_000 })`, ' +
      '`new OpenAI({ timeout: 60_000 })`. Keep the values in one configuration point.',
    examples: [
      {
        language: 'py',
        bad: 'import requests\n\ndef price(symbol):\n    return requests.get(f"https://api.example.com/{symbol}").json()\n',
        good: 'import requests\n\ndef price(symbol):\n    return requests.get(f"https://api.example.com/{symbol}", timeout=10).json()\n',
      },
      {
        language: 'ts',
        bad: 'export async function plan(body: unknown) {\n  return fetch("http://planner:8000/analyze", { method: "POST", body: JSON.stringify(body) });\n}\n',
        good:
          'export async function plan(body: unknown) {\n  return fetch("http://planner:8000/analyze", { method: "POST", body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });\n}\n',
      },
    ],
    references: [
      'seed 001 (LLM client calls lack timeout parameter)',
      'seed 004 (direct HTTP calls, timeout management)',
      'Bandit B113 request_without_timeout',
      'Semgrep python.requests.best-practice.use-timeout',
    ],
    cwe: ['CWE-400'],
    nosec: ['B113'],
  },
  // The import of a client library (or a `fetch(` call) must be there for anything to be found.
  fileFilter: /\b(import|from)\s+(requests|httpx|smtplib|anthropic|openai)\b|\burllib\.request\b|\burlopen\b|\bfetch\s*\(|['"](axios|got|openai|@anthropic-ai\/sdk)['"]/,
  visitors: {
    py: { call: checkPythonCall },
    ts: { call_expression: checkTsCall, new_expression: checkTsNew },
  },
});
