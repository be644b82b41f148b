import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { positionalArguments } from '../../_shared/python.js';
import { callArguments } from '../../_shared/typescript.js';

/** Where timeouts belong: a settings, config or constants module (`config.py`, `settings/base.py`, `app.config.ts`). */
const CONFIG_PATH = /(^|\/)(config|configs|conf|settings|constants)\/|(^|\/|[._-])(config|configuration|conf|settings|constants?|defaults?)([._-][^/]*)?\.[cm]?[jt]sx?$|(^|\/|[._-])(config|configuration|conf|settings|constants?|defaults?)\.py$/i;

/** Calls whose `timeout` is not an I/O deadline: cache expiry, test runners, UI notifications, sleeps. */
const NOT_IO_CALLEE = /cache|memoize|lru|ttl|expire|pytest|sleep|delay|debounce|throttle|toast|notif|snackbar|alert|message\.(success|error|info|warn|warning|loading)|animate|transition|jest|\bvi\.|\bcy\.|waitFor|expect|retry|backoff|poll/i;

/** A positive number written in the code: `30`, `2.5`, `30 * 1000`, `(3.05, 27)`. */
function pyLiteralSeconds(node: SgNode | undefined): string | undefined {
  if (!node) return undefined;
  const kind = node.kind();
  if (kind === 'integer' || kind === 'float') return Number(node.text().replace(/_/g, '')) > 0 ? node.text() : undefined;
  if (kind === 'unary_operator') return undefined;
  if (kind === 'binary_operator') {
    const parts = [node.field('left'), node.field('right')];
    return parts.every((p) => pyLiteralSeconds(p ?? undefined) !== undefined) ? node.text() : undefined;
  }
  if (kind === 'tuple' || kind === 'parenthesized_expression') {
    const items = node.children().filter((c) => c.isNamed());
    return items.length > 0 && items.every((i) => pyLiteralSeconds(i) !== undefined) ? node.text() : undefined;
  }
  return undefined;
}

/**
 * Sub-second waits (`event.wait(timeout=0.1)`, `{ timeout: 250 }`) are polling ticks in a loop, not
 * the deadline of a request: left out.
 */
function atLeast(literal: string | undefined, minimum: number): string | undefined {
  if (literal === undefined) return undefined;
  const numbers = literal.match(/\d[\d_]*(\.\d+)?(e\d+)?/gi)?.map((n) => Number(n.replace(/_/g, ''))) ?? [];
  // `30 * 1000` and `(3.05, 27)`: judge by the largest number written.
  return Math.max(...numbers) >= minimum ? literal : undefined;
}

function tsLiteralMs(node: SgNode | undefined): string | undefined {
  if (!node) return undefined;
  const kind = node.kind();
  if (kind === 'number') return Number(node.text().replace(/_/g, '')) > 0 ? node.text() : undefined;
  if (kind === 'binary_expression') {
    const parts = [node.field('left'), node.field('right')];
    return parts.every((p) => tsLiteralMs(p ?? undefined) !== undefined) ? node.text() : undefined;
  }
  if (kind === 'parenthesized_expression') return tsLiteralMs(node.children().find((c) => c.isNamed()));
  return undefined;
}

function skipFile(context: RuleContext): boolean {
  return CONFIG_PATH.test(context.file.path);
}

const ADVICE = 'define it once in settings or a named constant so it can be tuned per environment.';

function reportLiteral(context: RuleContext, node: SgNode, what: string, call: string): void {
  context.report({ node, message: `Hardcoded timeout \`${what}\` in \`${call}\`: ${ADVICE}` });
}

function shortCallee(text: string): string {
  const flat = text.replace(/\s+/g, '');
  return flat.length > 60 ? `…${flat.slice(-59)}` : flat;
}

// ---------------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------------

/** Keyword arguments that bound an I/O wait (requests, httpx, subprocess, DB drivers, redis, locks, queues). */
const PY_TIMEOUT_KEYWORD = /^(timeout|connect_timeout|read_timeout|write_timeout|pool_timeout|socket_timeout|socket_connect_timeout|command_timeout|statement_timeout|lock_timeout)$/;
/** `httpx.Timeout(10.0)`, `aiohttp.ClientTimeout(total=30)`: every number in them is a deadline. */
const PY_TIMEOUT_OBJECT = /(^|\.)(Timeout|ClientTimeout)$/;
/** Deadline helpers whose first (or, for `wait_for`, second) positional argument is the timeout. */
const PY_POSITIONAL_DEADLINE: Record<string, number> = {
  'asyncio.wait_for': 1,
  wait_for: 1,
  'asyncio.timeout': 0,
  'async_timeout.timeout': 0,
  'anyio.fail_after': 0,
  'anyio.move_on_after': 0,
  'trio.fail_after': 0,
  'trio.move_on_after': 0,
  'signal.alarm': 0,
  'socket.setdefaulttimeout': 0,
};

function checkPyCall(call: SgNode, context: RuleContext): void {
  const callee = call.field('function')?.text() ?? '';
  // `thread.join(timeout=10)` waits for our own worker, not for I/O.
  if (NOT_IO_CALLEE.test(callee) || /\.join$/.test(callee) || skipFile(context)) return;
  const name = shortCallee(callee);
  const positionalIndex = PY_POSITIONAL_DEADLINE[callee] ?? (/\.settimeout$/.test(callee) ? 0 : undefined);
  if (positionalIndex !== undefined) {
    const value = positionalArguments(call)[positionalIndex];
    const literal = atLeast(pyLiteralSeconds(value), 1);
    if (literal && value) reportLiteral(context, value, literal, `${name}(...)`);
    return;
  }
  if (PY_TIMEOUT_OBJECT.test(callee)) {
    const first = positionalArguments(call)[0];
    const literal = atLeast(pyLiteralSeconds(first), 1);
    if (literal && first) return reportLiteral(context, first, literal, `${name}(...)`);
  }
  for (const argument of call.field('arguments')?.children() ?? []) {
    if (argument.kind() !== 'keyword_argument') continue;
    const keyword = argument.field('name')?.text() ?? '';
    if (!PY_TIMEOUT_KEYWORD.test(keyword) && !PY_TIMEOUT_OBJECT.test(callee)) continue;
    const literal = atLeast(pyLiteralSeconds(argument.field('value') ?? undefined), 1);
    if (literal) return reportLiteral(context, argument, `${keyword}=${literal}`, `${name}(...)`);
  }
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript
// ---------------------------------------------------------------------------------------------

/** Option keys that bound an I/O wait (axios, got, undici, pg, mysql2, mongodb, ioredis, opossum, LLM SDKs). */
const TS_TIMEOUT_KEY = /^['"]?(timeout|timeoutMs|timeoutMS|connectTimeout|connectTimeoutMS|connectionTimeout|connectionTimeoutMillis|requestTimeout|responseTimeout|readTimeout|socketTimeout|socketTimeoutMS|serverSelectionTimeoutMS|statement_timeout|query_timeout|lock_timeout|acquireTimeoutMillis|createTimeoutMillis|commandTimeout|headersTimeout|bodyTimeout)['"]?$/;
/** In React/Vue component files only calls that clearly do I/O count: a `timeout` there is usually UI. */
const IO_CALLEE = /fetch|axios|https?|request|client|api|query|socket|connect|pool|Pool|Client|got|ky\b|undici|redis|Redis|knex|sequelize|mongoose|prisma|openai|OpenAI|anthropic|Anthropic|exec|spawn|CircuitBreaker|Breaker/;
/** A `setTimeout` callback that aborts or fails the pending work: the delay is a request deadline. */
const ABORTS = /\.abort\s*\(|\breject\s*\(|\.destroy\s*\(|\.kill\s*\(|\.terminate\s*\(|\.cancel\s*\(/;

function isComponentFile(context: RuleContext): boolean {
  return /\.(tsx|jsx|vue|svelte)$/.test(context.file.path);
}

function checkTsOptions(call: SgNode, context: RuleContext, calleeText: string): void {
  if (NOT_IO_CALLEE.test(calleeText) || (isComponentFile(context) && !IO_CALLEE.test(calleeText))) return;
  for (const argument of callArguments(call)) {
    if (argument.kind() !== 'object') continue;
    for (const pair of argument.children()) {
      if (pair.kind() !== 'pair' || !TS_TIMEOUT_KEY.test(pair.field('key')?.text() ?? '')) continue;
      const value = pair.field('value') ?? undefined;
      const literal = atLeast(tsLiteralMs(value), 1000);
      // got: `timeout: { request: 10000 }`
      const nested = value?.kind() === 'object' ? value.children().find((c) => c.kind() === 'pair' && atLeast(tsLiteralMs(c.field('value') ?? undefined), 1000)) : undefined;
      if (literal || nested) {
        reportLiteral(context, pair, literal ? `${pair.field('key')!.text()}: ${literal}` : `${pair.field('key')!.text()}: { ${nested!.text()} }`, `${shortCallee(calleeText)}(...)`);
        return;
      }
    }
  }
}

function checkTsCall(call: SgNode, context: RuleContext): void {
  if (skipFile(context)) return;
  const callee = call.field('function');
  const calleeText = callee?.text() ?? '';
  const args = callArguments(call);
  if (calleeText === 'AbortSignal.timeout') {
    const literal = atLeast(tsLiteralMs(args[0]), 1000);
    if (literal) reportLiteral(context, args[0], literal, 'AbortSignal.timeout(...)');
    return;
  }
  // withTimeout(planner.analyze(prompt), 30000) / pTimeout(p, 5000): a deadline helper (seed 004).
  if (/(^|\.)(withTimeout|pTimeout|promiseTimeout|timeoutAfter)$/.test(calleeText)) {
    const literal = atLeast(tsLiteralMs(args[1]), 1000);
    if (literal) reportLiteral(context, args[1], literal, `${shortCallee(calleeText)}(...)`);
    return;
  }
  if (/^(window\.|globalThis\.)?setTimeout$/.test(calleeText)) {
    const literal = atLeast(tsLiteralMs(args[1]), 1000);
    const callback = args[0];
    if (literal && callback && (callback.kind() === 'arrow_function' || callback.kind() === 'function_expression') && ABORTS.test(callback.text())) {
      reportLiteral(context, args[1], literal, 'setTimeout(...)');
    }
    return;
  }
  // req.setTimeout(30000), socket.setTimeout(5000): a socket or request deadline.
  if (callee?.kind() === 'member_expression' && callee.field('property')?.text() === 'setTimeout' && !/^(jest|vi|window|globalThis|this\.timeout)$/.test(callee.field('object')?.text() ?? '')) {
    const literal = atLeast(tsLiteralMs(args[0]), 1000);
    if (literal && /req|request|socket|server|client|conn/i.test(callee.field('object')!.text())) reportLiteral(context, args[0], literal, `${shortCallee(calleeText)}(...)`);
    return;
  }
  checkTsOptions(call, context, calleeText);
}

export default defineRule({
  meta: {
    id: 'reliability/hardcoded-timeouts',
    title: 'Hardcoded timeout',
    area: 'reliability',
    severity: 'low',
    type: 'consistency',
    effort: 'small',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A timeout for an I/O call (HTTP, database, LLM, subprocess, lock, queue) written as a number literal in application code.',
    why:
      'Timeouts decide how long a request may hang before the caller gives up, and they have to agree with each other: a ' +
      '30 s upstream call behind a 10 s gateway deadline, or a 5 s database timeout on a 60 s report, fail in ways nobody ' +
      'planned. When each call site carries its own literal (`timeout=30`, `{ timeout: 5000 }`), nobody can see or tune ' +
      'them together, staging and production cannot differ, and incidents are fixed by editing code (seed 004: ' +
      '"inconsistent hardcoded timeouts"). Each literal is reported at Low. Not reported: values from settings, env or a ' +
      'named constant; config/settings/constants modules; sub-second waits (polling ticks such as `event.wait(timeout=0.1)`); `setTimeout` used as a delay (only a `setTimeout` that aborts ' +
      'or rejects the pending work is a deadline); cache expiry (`cache.set(..., timeout=300)`), `thread.join(timeout=...)`, test runners, UI ' +
      'notifications; calls in React/Vue components unless they clearly do I/O; tests and CLI scripts.',
    recommendation:
      'Collect the timeouts in one settings/config object read from the environment with sensible defaults ' +
      '(`HTTP_TIMEOUT = float(os.getenv("HTTP_TIMEOUT", "10"))`, `TIMEOUTS.HTTP_REQUEST`), and pass those names at the ' +
      'call sites.',
    examples: [
      {
        language: 'py',
        bad: 'import httpx\n\nasync def fetch_rates(client: httpx.AsyncClient) -> dict:\n    response = await client.get("https://api.rates.example/latest", timeout=30)\n    return response.json()\n',
        good: 'import httpx\n\nfrom app.config import settings\n\nasync def fetch_rates(client: httpx.AsyncClient) -> dict:\n    response = await client.get("https://api.rates.example/latest", timeout=settings.http_timeout)\n    return response.json()\n',
      },
      {
        language: 'ts',
        bad: "import axios from 'axios';\n\nexport const planner = axios.create({ baseURL: process.env.PLANNER_URL, timeout: 30000 });\n",
        good: "import axios from 'axios';\nimport { TIMEOUTS } from './config';\n\nexport const planner = axios.create({ baseURL: process.env.PLANNER_URL, timeout: TIMEOUTS.PLANNER_ANALYZE });\n",
      },
    ],
    references: [
      'seed 004 (Timeout Management: inconsistent hardcoded timeouts; centralised TIMEOUTS configuration)',
      'The Twelve-Factor App, III. Config',
    ],
    appliesTo: { tests: false, scripts: false },
  },
  // A timeout written as a number somewhere in the file: `timeout=30`, `connectTimeout: 5_000`,
  // `Timeout(10.0)`, `AbortSignal.timeout(5000)`, or a setTimeout that aborts or rejects.
  fileFilter:
    /timeout\w*['"]?\s*[:=]\s*\(?[\d.]|timeout\(\s*[\d.]|timeout\([^;]*?,\s*[\d.]|ClientTimeout\(|setTimeout\([\s\S]{0,200}?(abort|reject|destroy|kill|terminate|cancel)\s*\(|wait_for\(|\balarm\(\s*\d|fail_after\(|move_on_after\(/i,
  visitors: {
    py: {
      call(node, context) {
        checkPyCall(node, context);
      },
    },
    ts: {
      call_expression(node, context) {
        checkTsCall(node, context);
      },
      new_expression(node, context) {
        if (skipFile(context)) return;
        checkTsOptions(node, context, node.field('constructor')?.text() ?? '');
      },
    },
  },
});
