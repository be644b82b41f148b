import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { keywordArgument, positionalArguments } from '../../_shared/python.js';
import { importAliases } from '../../_shared/python-qualified-names.js';
import { tsDeclaredValue, tsModuleBindings } from '../../_shared/static-values.js';
import { callArguments } from '../../_shared/typescript.js';

type Family = 'py' | 'ts';

/** Writes that create a key with no expiry of its own. */
const PY_WRITES = new Set(['set', 'hset', 'hmset', 'setnx']);
const TS_WRITES = new Set(['set', 'hset', 'hSet', 'hmset', 'hmSet', 'setnx', 'setNX']);
/** Calls that give a key an expiry (or remove it) later in the same function. */
const EXPIRY_CALL = /\.(expire|pexpire|expireat|pexpireat|pExpire|expireAt|pExpireAt|getex|getEx|delete|unlink|del)\s*\(/;
const REDIS_RECEIVER_PY = /(^|\.|_)(redis|r|rdb|rds|redis_client|client|conn|pipe|pipeline|cache|store)$/i;
const REDIS_RECEIVER_TS = /(^|\.)(\w*[rR]edis\w*|client|\w+Client|pipeline|pipe|multi|tx)$/;
const REDIS_IMPORT_PY = /^(redis|aioredis|coredis|django_redis|walrus)(\.|$)/;
const REDIS_MODULE_TS = /^(ioredis|redis|@redis\/client|@upstash\/redis|@vercel\/kv)$/;
/** In-memory containers that share the `.set` name but are not Redis. */
const IN_MEMORY = /^(new\s+)?(Map|WeakMap|LRUCache|LRU|QuickLRU|NodeCache|TTLCache|LFUCache|OrderedDict|dict|defaultdict|cachetools\.\w+)\b|^\{/;

interface KeyShape {
  /** The names the key is built from (`user_id`). */
  parts: string[];
}

// ---- Python ---------------------------------------------------------------------------------

function pyFunctionOf(node: SgNode): SgNode | undefined {
  return node.ancestors().find((a) => a.kind() === 'function_definition');
}

/** The value last assigned to a local name before `before`, in the enclosing function (or module). */
function pyAssignedValue(name: string, before: SgNode): SgNode | undefined {
  const scope = pyFunctionOf(before) ?? before.getRoot().root();
  let value: SgNode | undefined;
  for (const assignment of scope.findAll({ rule: { kind: 'assignment' } })) {
    if (assignment.range().start.index >= before.range().start.index) break;
    if (assignment.field('left')?.text() === name) value = assignment.field('right') ?? undefined;
  }
  return value;
}

function pyKeyShape(key: SgNode | undefined, depth = 0): KeyShape | undefined {
  if (!key || depth > 2) return undefined;
  const kind = key.kind();
  if (kind === 'string') {
    const parts = key.findAll({ rule: { kind: 'interpolation' } }).map((i) => i.text().slice(1, -1).trim());
    return parts.length > 0 ? { parts } : undefined;
  }
  if (kind === 'binary_operator') {
    const operands = [key.field('left'), key.field('right')].filter((o): o is SgNode => !!o);
    const dynamic = operands.filter((o) => o.kind() !== 'string' && o.kind() !== 'integer');
    return dynamic.length > 0 && operands.some((o) => o.kind() === 'string') ? { parts: dynamic.map((o) => o.text()) } : undefined;
  }
  if (kind === 'call') {
    const callee = key.field('function');
    const args = positionalArguments(key);
    // "user:{}".format(uid)
    if (callee?.kind() === 'attribute' && callee.field('attribute')?.text() === 'format' && callee.field('object')?.kind() === 'string') {
      return args.length > 0 ? { parts: args.map((a) => a.text()) } : undefined;
    }
    // keys.user(uid), user_cache_key(uid), KeyBuilder.session(sid)
    if (/key/i.test(callee?.text() ?? '') && args.length > 0 && args.some((a) => a.kind() !== 'string')) return { parts: args.map((a) => a.text()) };
    return undefined;
  }
  if (kind === 'identifier') return pyKeyShape(pyAssignedValue(key.text(), key), depth + 1);
  return undefined;
}

function isNone(node: SgNode | undefined): boolean {
  return node?.kind() === 'none';
}

function pyIsInMemory(receiver: SgNode): boolean {
  if (receiver.kind() !== 'identifier' && receiver.kind() !== 'attribute') return false;
  const name = receiver.text();
  const root = receiver.getRoot().root();
  for (const assignment of root.findAll({ rule: { kind: 'assignment' } })) {
    if (assignment.field('left')?.text() !== name) continue;
    const value = assignment.field('right')?.text() ?? '';
    if (IN_MEMORY.test(value) || /(^|\.)(TTLCache|LRUCache|LFUCache|Cache)\(/.test(value)) return true;
  }
  return false;
}

function checkPython(call: SgNode, context: RuleContext): void {
  const callee = call.field('function');
  if (callee?.kind() !== 'attribute') return;
  const method = callee.field('attribute')?.text() ?? '';
  const receiver = callee.field('object');
  if (!receiver || !PY_WRITES.has(method)) return;
  const aliases = importAliases(call, context);
  const imported = [...aliases.values()];
  const receiverText = receiver.text();
  const args = positionalArguments(call);
  const key = args[0];
  const djangoCache =
    method === 'set' &&
    (/^caches\[/.test(receiverText) || /^django\.core\.cache\.(cache|caches)$/.test(aliases.get(receiverText.split('[')[0]) ?? ''));
  if (djangoCache) {
    // Django's `cache.set(k, v)` uses the configured TIMEOUT (300 s by default); only `None` means forever.
    const timeout = keywordArgument(call, 'timeout') ?? args[2];
    if (!isNone(timeout)) return;
    const shape = pyKeyShape(key);
    if (!shape) return;
    report(call, context, shape, `\`timeout=None\` keeps it forever; pass a timeout in seconds`);
    return;
  }
  if (!imported.some((q) => REDIS_IMPORT_PY.test(q))) return;
  if (!REDIS_RECEIVER_PY.test(receiverText) || pyIsInMemory(receiver)) return;
  if (method === 'set') {
    if (args.length >= 3 && !isNone(args[2])) return;
    for (const option of ['ex', 'px', 'exat', 'pxat', 'keepttl']) {
      const value = keywordArgument(call, option);
      if (value && !isNone(value) && value.text() !== 'False') return;
    }
  }
  const shape = pyKeyShape(key);
  if (!shape) return;
  const scope = pyFunctionOf(call) ?? call.getRoot().root();
  if (EXPIRY_CALL.test(scope.text()) || isPassThrough(shape, pyFunctionOf(call))) return;
  const hint = method === 'set' ? 'pass `ex=<seconds>`' : `call \`expire(key, <seconds>)\` after \`${method}\``;
  report(call, context, shape, `no \`ex=\`/\`px=\` and no \`expire()\`${functionLabel(scope)}; ${hint}`);
}

function functionLabel(scope: SgNode): string {
  const name = scope.field('name')?.text();
  return name ? ` in \`${name}\`` : '';
}

/**
 * `async set(key, value) { await this.client.set(this.ns(key), value) }`: a pass-through store
 * wrapper (or a key handed in as `key`) leaves the expiry decision to its callers.
 */
function isPassThrough(shape: KeyShape, scope: SgNode | undefined): boolean {
  if (shape.parts.every((p) => /^(key|k|name|cache_?key|cacheKey)$/.test(p))) return true;
  const name = scope?.field('name')?.text() ?? '';
  return /^(set|put|write|save|store|set_?item|set_?value|setItem|setValue|hset|hSet|_set)$/.test(name);
}

function report(call: SgNode, context: RuleContext, shape: KeyShape, detail: string): void {
  const callee = call.field('function')?.text() ?? 'set';
  const from = shape.parts
    .slice(0, 2)
    .map((p) => `\`${p.length > 30 ? `${p.slice(0, 27)}...` : p}\``)
    .join(', ');
  context.report({
    node: call,
    message: `\`${callee}(...)\` writes a key built from ${from} with no expiry (${detail}): one key per value, kept until memory runs out.`,
  });
}

// ---- TypeScript / JavaScript ---------------------------------------------------------------

function tsKeyShape(key: SgNode | undefined, depth = 0): KeyShape | undefined {
  if (!key || depth > 2) return undefined;
  const kind = key.kind();
  if (kind === 'template_string') {
    const parts = key.findAll({ rule: { kind: 'template_substitution' } }).map((s) => s.text().slice(2, -1).trim());
    return parts.length > 0 ? { parts } : undefined;
  }
  if (kind === 'binary_expression') {
    const operands = [key.field('left'), key.field('right')].filter((o): o is SgNode => !!o);
    const dynamic = operands.filter((o) => o.kind() !== 'string' && o.kind() !== 'number');
    const hasLiteral = operands.some((o) => o.kind() === 'string' || o.kind() === 'template_string' || o.kind() === 'binary_expression');
    return dynamic.length > 0 && hasLiteral ? { parts: dynamic.map((o) => o.text()) } : undefined;
  }
  if (kind === 'call_expression') {
    const callee = key.field('function')?.text() ?? '';
    const args = callArguments(key);
    if (/key/i.test(callee) && args.length > 0 && args.some((a) => a.kind() !== 'string')) return { parts: args.map((a) => a.text()) };
    return undefined;
  }
  if (kind === 'identifier') return tsKeyShape(tsDeclaredValue(key), depth + 1);
  return undefined;
}

const tsRedisFiles = new WeakMap<object, boolean>();

function tsImportsRedis(call: SgNode, context: RuleContext): boolean {
  let known = tsRedisFiles.get(context);
  if (known === undefined) {
    known = [...tsModuleBindings(call.getRoot().root()).values()].some((b) => REDIS_MODULE_TS.test(b.module));
    tsRedisFiles.set(context, known);
  }
  return known;
}

/** `'EX', 60` (ioredis) or `{ EX: 60 }` / `{ ex: 60 }` (node-redis, Upstash) among the extra arguments. */
function tsHasExpiryOption(extra: SgNode[]): boolean {
  for (const arg of extra) {
    if (arg.kind() === 'string' && /^['"](EX|PX|EXAT|PXAT|KEEPTTL)['"]$/i.test(arg.text())) return true;
    if (arg.kind() === 'object') {
      if (/\b(EX|PX|EXAT|PXAT|KEEPTTL|ex|px|exat|pxat|keepTtl|expiration)\b\s*[:,}]/.test(arg.text())) return true;
      continue;
    }
    // An options object or flag built elsewhere: assume it may set an expiry.
    if (arg.kind() === 'identifier' || arg.kind() === 'member_expression' || arg.kind() === 'spread_element') return true;
  }
  return false;
}

function checkTypeScript(call: SgNode, context: RuleContext): void {
  const callee = call.field('function');
  if (callee?.kind() !== 'member_expression') return;
  const method = callee.field('property')?.text() ?? '';
  const receiver = callee.field('object');
  if (!receiver || !TS_WRITES.has(method)) return;
  if (!REDIS_RECEIVER_TS.test(receiver.text()) || !tsImportsRedis(call, context)) return;
  if (receiver.kind() === 'identifier' && IN_MEMORY.test(tsDeclaredValue(receiver)?.text() ?? '')) return;
  const args = callArguments(call);
  if (/^(set|setnx|setNX)$/.test(method) && tsHasExpiryOption(args.slice(2))) return;
  const shape = tsKeyShape(args[0]);
  if (!shape) return;
  const scope = call.ancestors().find((a) => /^(function_declaration|function_expression|arrow_function|method_definition|function)$/.test(String(a.kind())));
  if (EXPIRY_CALL.test((scope ?? call.getRoot().root()).text()) || isPassThrough(shape, scope)) return;
  const name = scope?.kind() === 'method_definition' || scope?.kind() === 'function_declaration' ? scope.field('name')?.text() : undefined;
  const hint = method === 'set' ? "pass `'EX', <seconds>` (ioredis) or `{ EX: <seconds> }` (node-redis)" : `call \`expire(key, <seconds>)\` after \`${method}\``;
  report(call, context, shape, `no EX/PX option and no \`expire()\`${name ? ` in \`${name}\`` : ''}; ${hint}`);
}

export default defineRule({
  meta: {
    id: 'performance/cache-without-ttl',
    title: 'Cache key per id written without expiry',
    area: 'performance',
    severity: 'medium',
    type: 'performance',
    effort: 'small',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A Redis or cache write whose key is built from an id (f-string, template, concatenation) and that never expires.',
    why:
      'A key built from a user, chat or order id creates one entry per id. Without an expiry nothing ever removes them: Redis ' +
      'memory grows with every new id until `maxmemory` evicts hot keys or writes fail, and stale entries are served forever ' +
      '(seed 000: "memory leaks - keys not expiring", "TTL consistency"). Reported: redis-py / redis.asyncio `set` without ' +
      '`ex`/`px`/`exat`/`keepttl` and `hset`/`hmset`/`setnx` with no `expire()` in the same function; ioredis / node-redis / ' +
      'Upstash `set` without `EX`/`PX` and `hSet` without `expire`; Django `cache.set(key, value, None)` / `timeout=None`. ' +
      'Not reported: constant keys (one key cannot grow), `setex`, an `expire`/`delete` on the key in the same function, ' +
      'options passed as a variable, Django `cache.set(k, v)` (it uses the configured TIMEOUT, 300 s by default), in-memory ' +
      'maps and LRU caches, tests.',
    recommendation:
      'Give every per-id key a TTL that matches how long the data stays valid: `r.set(key, value, ex=3600)`, ' +
      "`redis.set(key, value, 'EX', 3600)`, `client.set(key, value, { EX: 3600 })`, or `expire` right after `hset` (in the " +
      'same pipeline). Keep TTLs in one place (the key-naming module) so they stay consistent.',
    examples: [
      {
        language: 'py',
        bad: 'import json\nimport redis\n\nr = redis.Redis()\n\ndef cache_user(user):\n    r.set(f"user:{user.id}", json.dumps(user.to_dict()))\n',
        good:
          'import json\nimport redis\n\nr = redis.Redis()\n\ndef cache_user(user):\n    r.set(f"user:{user.id}", json.dumps(user.to_dict()), ex=3600)\n',
      },
      {
        language: 'ts',
        bad:
          "import Redis from 'ioredis';\n\nconst redis = new Redis();\n\nexport async function cacheSession(id: string, data: object) {\n" +
          '  await redis.set(`session:${id}`, JSON.stringify(data));\n}\n',
        good:
          "import Redis from 'ioredis';\n\nconst redis = new Redis();\n\nexport async function cacheSession(id: string, data: object) {\n" +
          "  await redis.set(`session:${id}`, JSON.stringify(data), 'EX', 86400);\n}\n",
      },
    ],
    references: [
      'seed 000 (Redis caching: TTL consistency, memory leaks from keys not expiring)',
      'Redis docs: SET (EX/PX/EXAT/PXAT/KEEPTTL options) and EXPIRE',
      'Django docs: cache.set timeout (None caches forever; default TIMEOUT 300 s)',
    ],
  },
  // Every write it reports goes through a method whose name has one of these.
  // A write method and a Redis client or Django cache in the same file.
  fileFilter: /^(?=[\s\S]*?\.(h?m?set|hSet|hmSet|setnx|setNX)\s*\()(?=[\s\S]*?(redis|Redis|upstash|@vercel\/kv|django\.core\.cache|caches\[))/,
  visitors: {
    py: {
      call(node, context) {
        checkPython(node, context);
      },
    },
    ts: {
      call_expression(node, context) {
        checkTypeScript(node, context);
      },
    },
  },
});
