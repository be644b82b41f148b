import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { descendantsInScope } from '../../_shared/error-handling.js';
import { FUNCTION_KINDS } from '../../_shared/typescript.js';
import { callLabel, calleeOf, isLoggingCall, lastName, receiverOf, startsAfter, words } from '../../_shared/logged-failures.js';

/**
 * The criterion (conservative on purpose), within one function:
 *   1. a database write W1 (create/insert/save/update/upsert/commit on a database-like receiver:
 *      `db.createApp`, `session.commit`, `Order.objects.create`, `prisma.app.create`, `order.save()`),
 *   2. then a call E to another system (HTTP client, a `*Client`, a planner/sandbox/docker/k8s
 *      object, payment provider, queue publish), in the same block as W1 or nested in it,
 *   3. then a second database write W2 in that block (the "mark done" step),
 * with no transaction around them (`with transaction.atomic()`, `session.begin()`, `@atomic`,
 * a callback of `db.transaction(...)`/`prisma.$transaction(...)`) and no `except`/`catch` (or
 * `finally`) around E that compensates: deletes the record, marks it failed, rolls back.
 * Reported once per function, at E.
 */

/** Words of receivers that are a database handle or a model. */
const DB_WORDS = new Set([
  'db', 'database', 'session', 'repo', 'repository', 'prisma', 'knex', 'orm', 'store', 'dao', 'objects', 'table', 'collection',
  'conn', 'connection', 'tx', 'trx', 'pool', 'em', 'models', 'model', 'sql', 'pg', 'mongo', 'mongoose', 'sequelize', 'typeorm',
  'drizzle', 'kysely', 'datastore', 'dynamo', 'dynamodb', 'firestore', 'supabase',
]);
/**
 * Words of receivers that are another system: clients, sandboxes, payment providers, queues. Not
 * `service` alone: in many apps (Directus, NestJS) a `*Service` is a layer over the same database.
 */
const EXTERNAL_WORDS = new Set([
  'client', 'api', 'sandbox', 'sandboxes', 'docker', 'container', 'containers', 'k8s', 'kube', 'kubernetes', 'provisioner',
  'stripe', 'paypal', 'braintree', 'adyen', 'payment', 'payments', 'billing', 'planner', 'queue', 'publisher', 'broker', 'sqs',
  'sns', 'kafka', 'producer', 's3', 'bucket', 'lambda', 'gateway', 'llm', 'openai', 'anthropic', 'github', 'orchestrator',
  'cluster', 'http', 'rabbit', 'amqp', 'nats', 'pubsub', 'celery', 'deployer',
]);
const HTTP_FUNCTION = /^(fetch|axios|got|ky|request|superagent|undici\.request|requests\.\w+|httpx\.\w+|axios\.\w+|got\.\w+|ky\.\w+|urllib\.request\.urlopen|urlopen)$/;
/** Reads and queries: on a `client` they are a database client (`pg`'s `client.query`), not another service. */
const DB_METHOD = /^(query|execute|exec|raw|select|count|aggregate|transaction|find\w*|fetch_?(all|one|val|row|many)|fetchAll|fetchOne)$/;
const NOT_EXTERNAL_WORDS = new Set(['redis', 'cache', 'cached', 'memcache', 'metrics', 'statsd', 'sentry', 'telemetry', 'logger', 'log', 'emitter', 'events']);
const HTTP_RECEIVER_WORDS = new Set(['session', 'client', 'http', 'api', 'requests', 'httpx', 'aiohttp']);
const PUBLISH_METHOD = /^(publish|enqueue|send_message|sendMessage|send_task|apply_async|delay|add_job|addJob|produce)$/;
const WRITE_METHOD = /^(create|insert|save|update|upsert|persist|commit|flush|bulk_create|bulkCreate|bulk_update|bulkUpdate|insertOne|insertMany|updateOne|updateMany|findOneAndUpdate|findByIdAndUpdate|put_item|putItem|update_item|updateItem)([A-Z_]\w*)?$/;
/** Handler calls that undo or flag the first write. */
const COMPENSATION_WORDS = new Set([
  'delete', 'remove', 'destroy', 'rollback', 'update', 'save', 'mark', 'fail', 'failed', 'compensate', 'revert', 'undo', 'cleanup',
  'cancel', 'refund', 'release', 'stop', 'abort', 'discard', 'teardown', 'deprovision', 'unpublish',
]);
const TRANSACTION = /\b(transaction|atomic|\$transaction|begin|begin_nested|transact)\b/;

function wordSet(text: string): Set<string> {
  return new Set(words(text));
}

function intersects(a: Set<string>, b: Set<string>): boolean {
  for (const w of a) if (b.has(w)) return true;
  return false;
}

function isAwaited(call: SgNode): boolean {
  const parent = call.parent();
  return parent?.kind() === 'await' || parent?.kind() === 'await_expression';
}

function argumentCount(call: SgNode): number {
  return call.field('arguments')?.children().filter((c) => c.isNamed() && c.kind() !== 'comment').length ?? 0;
}

/** `knex('apps').insert(...)`: the receiver is itself a call; judge it by its callee. */
function receiverWords(callee: SgNode | null): Set<string> {
  if (!callee) return new Set();
  const object = callee.field('object');
  return wordSet(object ? object.text().replace(/\(.*?\)/gs, '') : '');
}

function isWrite(call: SgNode, family: 'py' | 'ts'): boolean {
  const callee = call.field('function');
  const name = lastName(calleeOf(call));
  if (!callee || !WRITE_METHOD.test(name) || isExternal(call, family)) return false;
  const receiver = receiverWords(callee);
  if (intersects(receiver, DB_WORDS)) return true;
  // order.save() (Django, mongoose, TypeORM active records)
  return name === 'save' && argumentCount(call) === 0 && /^[\w$]+$/.test(receiverOf(calleeOf(call))) && receiverOf(calleeOf(call)) !== '';
}

function isExternal(call: SgNode, family: 'py' | 'ts'): boolean {
  if (isLoggingCall(call)) return false;
  const calleeText = calleeOf(call);
  const name = lastName(calleeText);
  if (HTTP_FUNCTION.test(calleeText)) return !/^[A-Z]/.test(name);
  const receiver = wordSet(receiverOf(calleeText).replace(/\(.*?\)/gs, ''));
  if (receiver.size === 0 || intersects(receiver, NOT_EXTERNAL_WORDS)) return false;
  if (DB_METHOD.test(name) && ![...receiver].some((w) => EXTERNAL_WORDS.has(w) && !HTTP_RECEIVER_WORDS.has(w))) return false;
  // aiohttp/requests sessions: `session.post(url)`; SQLAlchemy sessions have no post/put/patch.
  if (/^(post|put|patch|request)$/.test(name) && intersects(receiver, HTTP_RECEIVER_WORDS)) return family === 'py' || isAwaited(call);
  if (intersects(receiver, DB_WORDS)) return false;
  // In TS a remote call is asynchronous: a sync call on a "client" is a cache or a builder.
  if (family === 'ts' && !isAwaited(call)) return false;
  if (PUBLISH_METHOD.test(name)) return true;
  if (intersects(receiver, EXTERNAL_WORDS)) return true;
  return false;
}

/** Nearest enclosing block of a node (a `block` in Python, `statement_block` in TS). */
function enclosingBlock(node: SgNode, fn: SgNode): SgNode {
  for (const ancestor of node.ancestors()) {
    if (ancestor.id() === fn.id()) break;
    if (ancestor.kind() === 'block' || ancestor.kind() === 'statement_block') return ancestor;
  }
  return fn;
}

function contains(outer: SgNode, inner: SgNode): boolean {
  return inner.ancestors().some((a) => a.id() === outer.id());
}

/** A handler or `finally` that does more than log and answer: deletes, marks failed, rolls back. */
function compensates(clause: SgNode, family: 'py' | 'ts'): boolean {
  for (const node of descendantsInScope(clause, family)) {
    const kind = node.kind();
    if ((kind === 'call' || kind === 'call_expression') && !isLoggingCall(node)) {
      if (intersects(wordSet(lastName(calleeOf(node))), COMPENSATION_WORDS)) return true;
    }
    // app.status = "failed"
    if ((kind === 'assignment' || kind === 'assignment_expression') && /\.(status|state)$/.test(node.field('left')?.text() ?? '')) return true;
  }
  return false;
}

/** Inside a transaction, or a `try` whose handler/finally compensates. */
function isProtected(call: SgNode, fn: SgNode, family: 'py' | 'ts'): boolean {
  for (const ancestor of call.ancestors()) {
    if (ancestor.id() === fn.id()) break;
    const kind = ancestor.kind();
    if (kind === 'with_statement' && TRANSACTION.test(ancestor.children().find((c) => c.kind() === 'with_clause')?.text() ?? '')) return true;
    if (kind === 'try_statement') {
      const clauses = ancestor.children().filter((c) => /^(except_clause|except_group_clause|catch_clause|finally_clause)$/.test(String(c.kind())));
      if (clauses.some((clause) => compensates(clause, family))) return true;
    }
  }
  return false;
}

/** `@transaction.atomic def ...`, or a callback passed to `db.transaction(...)` / `prisma.$transaction(...)`. */
function runsInTransaction(fn: SgNode): boolean {
  const parent = fn.parent();
  if (parent?.kind() === 'decorated_definition') {
    if (parent.children().some((c) => c.kind() === 'decorator' && TRANSACTION.test(c.text()))) return true;
  }
  for (const ancestor of fn.ancestors()) {
    if (ancestor.kind() === 'call_expression' || ancestor.kind() === 'call') {
      if (TRANSACTION.test(calleeOf(ancestor))) return true;
    }
  }
  return false;
}

/** Words that make a receiver worth a closer look as another system (cheap text test before the word split). */
const HINT_WORDS = [...EXTERNAL_WORDS, 'fetch', 'axios', 'got', 'ky', 'requests', 'httpx', 'urlopen', 'superagent', 'publish', 'enqueue', 'send_message', 'send_task', 'apply_async', 'delay', 'add_job', 'produce'];
const capitalised = (w: string) => w[0].toUpperCase() + w.slice(1);
/** An external-looking call in the source text (the file filter): `sandboxService.execute(`, `requests.post(`, `fetch(`. */
const EXTERNAL_CALL_TEXT = `(?:(?:(?<![a-zA-Z])(?:${HINT_WORDS.join('|')})|(?:${HINT_WORDS.map(capitalised).join('|')}))(?![a-z])[\\w$]*(?:\\??\\.[\\w$]+)*\\??\\.[\\w$]+\\s*\\(|(?<![\\w$.])(?:fetch|axios|got|ky|urlopen)\\s*\\(|\\.(?:publish|enqueue|send_message|sendMessage|send_task|apply_async|delay|add_job|addJob|produce)\\s*\\()`;
/**
 * The same words as a search the engine runs on callees (only likely calls reach JavaScript), matched
 * as identifier words: `sandboxService`, `stripe_client`, `SandboxService`, not `capital` or `key`.
 */
const EXTERNAL_CALLEE_HINT = `(?:^|[^a-zA-Z])(?:${HINT_WORDS.join('|')})(?:[^a-z]|$)|(?:${HINT_WORDS.map(capitalised).join('|')}|sendMessage|addJob)(?:[^a-z]|$)`;
const WRITE_CALLEE_HINT = '(create|insert|save|update|upsert|persist|commit|flush|Update|putItem|put_item)';
const PY_SCOPES = new Set(['function_definition', 'lambda']);
const TS_SCOPES = new Set([...FUNCTION_KINDS, 'function', 'generator_function']);

interface FunctionCalls {
  fn: SgNode;
  writes: SgNode[];
  externals: SgNode[];
}

/**
 * Calls grouped by the function they run in, keeping only write and external candidates (a cheap
 * name test): one pass over the file instead of one walk per function.
 */
function candidateCallsByFunction(root: SgNode, family: 'py' | 'ts'): FunctionCalls[] {
  const scopes = family === 'py' ? PY_SCOPES : TS_SCOPES;
  const kind = family === 'py' ? 'call' : 'call_expression';
  // Externals first (rare): most files have none and stop here.
  const externalCalls = root
    .findAll({ rule: { kind, has: { field: 'function', regex: EXTERNAL_CALLEE_HINT } } })
    .filter((call) => {
      const callee = calleeOf(call);
      return HTTP_FUNCTION.test(callee) || PUBLISH_METHOD.test(lastName(callee)) || intersects(wordSet(receiverOf(callee)), EXTERNAL_WORDS);
    });
  if (externalCalls.length === 0) return [];
  const byFunction = new Map<number, FunctionCalls>();
  const entryFor = (call: SgNode, create: boolean): FunctionCalls | undefined => {
    const fn = call.ancestors().find((a) => scopes.has(String(a.kind())));
    if (!fn) return undefined;
    let entry = byFunction.get(fn.id());
    if (!entry && create) byFunction.set(fn.id(), (entry = { fn, writes: [], externals: [] }));
    return entry;
  };
  for (const call of externalCalls) entryFor(call, true)?.externals.push(call);
  for (const call of root.findAll({ rule: { kind, has: { field: 'function', regex: WRITE_CALLEE_HINT } } })) {
    if (WRITE_METHOD.test(lastName(calleeOf(call)))) entryFor(call, false)?.writes.push(call);
  }
  return [...byFunction.values()].filter((entry) => entry.writes.length >= 2);
}

function check({ fn, writes, externals }: FunctionCalls, family: 'py' | 'ts', context: RuleContext): void {
  if (runsInTransaction(fn)) return;
  const byPosition = (a: SgNode, b: SgNode) => a.range().start.index - b.range().start.index;
  writes.sort(byPosition);
  externals.sort(byPosition);
  for (const first of writes) {
    if (!isWrite(first, family)) continue;
    const block = enclosingBlock(first, fn);
    const external = externals.find((c) => startsAfter(c, first) && contains(block, c) && isExternal(c, family));
    if (!external) continue;
    const second = writes.find((c) => startsAfter(c, external) && contains(block, c) && isWrite(c, family));
    if (!second) continue;
    if (isProtected(external, fn, family)) return;
    const step = callLabel(external);
    context.report({
      node: external,
      message: `\`${callLabel(first)}\` is written before \`${step}\` and \`${callLabel(second)}\` after it, with no transaction or compensation: if \`${step}\` fails, the first write stays half-done.`,
    });
    return;
  }
}

export default defineRule({
  meta: {
    id: 'reliability/partial-failure',
    title: 'Multi-step operation without compensation',
    area: 'reliability',
    severity: 'high',
    type: 'bug',
    effort: 'medium',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A record is written, another service is called, then the record is updated, with nothing to undo the first write if the call fails.',
    why:
      'Seed 004 ("Transaction Management, CRITICAL"): `db.createApp(app)`, then `planner.analyze()` and `sandbox.execute()`, ' +
      'then `db.updateApp(appId, { status: "running" })`. If the sandbox fails, the database shows an app "generating" ' +
      'forever, and the user sees a record that will never work. Criterion, within one function: a database write ' +
      '(create/insert/save/update/commit on a database-like receiver), then a call to another system (HTTP client, a ' +
      'client object, planner or sandbox, docker/k8s, payment provider, queue publish; not a bare `*Service`, often a ' +
      'layer over the same database), then a second database write in the same block; reported once, at the external call. Not reported: the same flow inside a `try` whose ' +
      '`except`/`catch`/`finally` compensates (deletes the record, marks it failed, rolls back), flows in a transaction ' +
      '(`with transaction.atomic()`, `session.begin()`, `@atomic`, a `db.transaction(...)`/`prisma.$transaction(...)` ' +
      'callback), functions with a single write, and writes in different branches of an `if`.',
    recommendation:
      'Make the steps undoable: wrap them in `try` and, on failure, delete the record or mark it failed (and stop what ' +
      'was started), then rethrow; or run the steps as a saga with a compensation per step (seed 004). Keep database ' +
      'writes that must succeed together in one transaction.',
    examples: [
      {
        language: 'ts',
        bad: 'async function generate(prompt: string) {\n  const app = await db.createApp({ prompt, status: "generating" });\n  const result = await sandboxService.execute(app.id, prompt);\n  await db.updateApp(app.id, { status: "running", port: result.port });\n}\n',
        good: 'async function generate(prompt: string) {\n  const app = await db.createApp({ prompt, status: "generating" });\n  try {\n    const result = await sandboxService.execute(app.id, prompt);\n    await db.updateApp(app.id, { status: "running", port: result.port });\n  } catch (error) {\n    await db.updateApp(app.id, { status: "failed" });\n    throw error;\n  }\n}\n',
      },
      {
        language: 'py',
        bad: 'def place_order(cart):\n    order = Order.objects.create(customer=cart.customer, total=cart.total)\n    charge = stripe_client.charges.create(amount=cart.total_cents, customer=cart.customer.stripe_id)\n    order.charge_id = charge.id\n    order.save()\n',
        good: 'def place_order(cart):\n    order = Order.objects.create(customer=cart.customer, total=cart.total)\n    try:\n        charge = stripe_client.charges.create(amount=cart.total_cents, customer=cart.customer.stripe_id)\n    except Exception:\n        order.status = "payment_failed"\n        order.save()\n        raise\n    order.charge_id = charge.id\n    order.save()\n',
      },
    ],
    references: [
      'seed 004 (Transaction Management: create record → call planner/sandbox → update; Saga pattern)',
      'Microservices.io: Saga pattern (compensating transactions)',
    ],
  },
  // A write and something that looks like another system, both somewhere in the file.
  fileFilter: new RegExp(`^(?=[\\s\\S]*\\b(create|insert|save|update|upsert|commit|flush|persist)\\w*\\s*\\()(?=[\\s\\S]*${EXTERNAL_CALL_TEXT})`),
  onFile(context) {
    const family = context.file.family;
    if (!context.root || (family !== 'py' && family !== 'ts')) return;
    for (const entry of candidateCallsByFunction(context.root, family)) check(entry, family, context);
  },
});
