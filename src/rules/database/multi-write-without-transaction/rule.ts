import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext, type RuleFile } from '../../../core/rule.js';
import { positionalArguments } from '../../_shared/python.js';
import { tsStaticString } from '../../_shared/static-values.js';
import { callArguments, FUNCTION_KINDS } from '../../_shared/typescript.js';

/** One database write: the call, what it writes to (a model, table or session) and how it reads. */
interface Write {
  call: SgNode;
  target: string;
  label: string;
}

/** Schema migrations and seed data run once, usually in their own transaction or by hand. */
const MIGRATION_PATH = /(^|\/)(migrations?|alembic|versions|seeds?|seeders|fixtures)\//;

const PY_LOOPS = new Set(['for_statement', 'while_statement', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);
const TS_LOOPS = new Set(['for_statement', 'for_in_statement', 'while_statement', 'do_statement']);
const BLOCKS = new Set(['block', 'statement_block', 'module', 'program']);
const EXITS = new Set(['return_statement', 'raise_statement', 'throw_statement', 'continue_statement', 'break_statement']);

/** Whether control never falls out of a statement: `return`/`raise`, or an if/else whose every branch ends so. */
function terminates(statement: SgNode | undefined): boolean {
  if (!statement) return false;
  const kind = String(statement.kind());
  if (EXITS.has(kind)) return true;
  const named = statement.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
  if (BLOCKS.has(kind) || kind === 'else_clause' || kind === 'elif_clause') return terminates(named[named.length - 1]);
  if (kind === 'if_statement') {
    const consequence = statement.field('consequence');
    const clauses = named.filter((c) => c.kind() === 'else_clause' || c.kind() === 'elif_clause');
    return terminates(consequence ?? undefined) && clauses.some((c) => c.kind() === 'else_clause') && clauses.every(terminates);
  }
  return false;
}

/** Error paths record a failure or compensate; they are not the unit of work. */
const HANDLERS = new Set(['except_clause', 'catch_clause', 'finally_clause']);

function inHandler(call: SgNode, fn: SgNode): boolean {
  for (const ancestor of call.ancestors()) {
    if (ancestor.id() === fn.id()) return false;
    if (HANDLERS.has(String(ancestor.kind()))) return true;
  }
  return false;
}

/** Whether a write sits in a loop inside its function: a batch, not two different writes. */
function inLoop(call: SgNode, fn: SgNode, loops: Set<string>): boolean {
  for (const ancestor of call.ancestors()) {
    if (ancestor.id() === fn.id()) return false;
    if (loops.has(String(ancestor.kind()))) return true;
  }
  return false;
}

/**
 * Whether `second` runs after `first` on one path: they meet in one block (not in two branches of
 * an `if`/`try`/`switch`), and no `return`/`raise` ends the first one's branch before the second.
 */
function runsAfter(first: SgNode, second: SgNode): boolean {
  const secondAncestors = new Set(second.ancestors().map((a) => a.id()));
  let child = first;
  for (const ancestor of first.ancestors()) {
    if (BLOCKS.has(String(ancestor.kind()))) {
      const statements = ancestor.children().filter((c) => c.isNamed());
      const index = statements.findIndex((s) => s.id() === child.id());
      const meets = secondAncestors.has(ancestor.id());
      const later = statements.slice(index + 1);
      if (meets) {
        const secondIndex = statements.findIndex((s) => secondAncestors.has(s.id()));
        return secondIndex > index && !later.slice(0, secondIndex - index - 1).some(terminates);
      }
      if (later.some(terminates)) return false;
    } else if (secondAncestors.has(ancestor.id())) {
      // They meet in an if/try/switch/ternary: two branches.
      return false;
    }
    child = ancestor;
  }
  return false;
}

function report(context: RuleContext, writes: Write[], why: string, related: (a: Write, b: Write) => boolean = () => true): void {
  for (let i = 1; i < writes.length; i++) {
    const first = writes.slice(0, i).find((w) => related(w, writes[i]) && runsAfter(w.call, writes[i].call));
    if (!first) continue;
    const line = first.call.range().start.line + 1;
    context.report({
      node: writes[i].call,
      message: `\`${writes[i].label}\` is a second write after \`${first.label}\` (line ${line}) with no transaction around both: ${why}`,
    });
    return;
  }
}

// ---------------------------------------------------------------------------------------------
// Python: SQLAlchemy / DB-API commits, Django ORM writes.
// ---------------------------------------------------------------------------------------------

/** `session.commit()`, `db.session.commit()`, `self.conn.commit()`: each commit closes a transaction. */
const COMMIT_RECEIVER = /(^|\.)(\w*session|db|conn|connection|con|cnx|\w+_db)$/i;
const DJANGO_MANAGER_WRITES = new Set(['create', 'bulk_create', 'bulk_update', 'get_or_create', 'update_or_create', 'update', 'delete']);
const DJANGO_INSTANCE_WRITES = new Set(['save', 'delete']);
/** `transaction.atomic`, `with session.begin():`, `with engine.begin() as conn:`. */
const PY_TRANSACTION = /(^|\.)(atomic|begin|begin_nested|transaction)(\(|$)/;

function pyInTransaction(call: SgNode, fn: SgNode): boolean {
  for (const ancestor of call.ancestors()) {
    if (ancestor.kind() === 'with_statement') {
      const items = ancestor.children().find((c) => c.kind() === 'with_clause');
      if (items && items.children().some((item) => PY_TRANSACTION.test(item.text().split(/\s+as\s+/)[0]))) return true;
    }
    if (ancestor.id() === fn.id()) break;
  }
  const decorated = fn.parent();
  return decorated?.kind() === 'decorated_definition' && decorated.children().some((d) => d.kind() === 'decorator' && /(^|\.)atomic\b/.test(d.text()));
}

/** `user.save(update_fields=["last_login"])`: bookkeeping, not part of the unit of work. */
function pyTouchOnlySave(call: SgNode): boolean {
  const fields = call.field('arguments')?.children().find((c) => c.kind() === 'keyword_argument' && c.field('name')?.text() === 'update_fields')?.field('value');
  const names = fields?.children().filter((c) => c.kind() === 'string') ?? [];
  return names.length > 0 && names.every((n) => TOUCH_FIELD.test(n.text().replace(/^['"]|['"]$/g, '')));
}

function pyWrite(call: SgNode, django: boolean): Write | undefined {
  const callee = call.field('function');
  if (callee?.kind() !== 'attribute') return undefined;
  const method = callee.field('attribute')!.text();
  const receiver = callee.field('object')!;
  const args = positionalArguments(call);
  if (method === 'commit' && args.length === 0 && COMMIT_RECEIVER.test(receiver.text())) {
    return { call, target: receiver.text(), label: `${receiver.text()}.commit()` };
  }
  if (!django) return undefined;
  const managerAt = receiver.text().indexOf('.objects');
  if (DJANGO_MANAGER_WRITES.has(method) && managerAt > 0) {
    const model = receiver.text().slice(0, managerAt);
    return { call, target: model, label: `${model}.objects…${method}()` };
  }
  // `order.save()` / `order.save(update_fields=[...])`: a model instance (not `super().save()`).
  if (DJANGO_INSTANCE_WRITES.has(method) && args.length === 0 && !pyTouchOnlySave(call) && /^[\w.]+$/.test(receiver.text()) && !/session$|cache$/.test(receiver.text())) {
    return { call, target: receiver.text(), label: `${receiver.text()}.${method}()` };
  }
  return undefined;
}

/** Writes found so far in each function of the file being audited, judged once the file is walked. */
const pendingWrites = new WeakMap<RuleFile, Map<number, { fn: SgNode; writes: Write[] }>>();

function collect(context: RuleContext, fn: SgNode, write: Write): void {
  let byFunction = pendingWrites.get(context.file);
  if (!byFunction) pendingWrites.set(context.file, (byFunction = new Map()));
  const entry = byFunction.get(fn.id()) ?? { fn, writes: [] };
  entry.writes.push(write);
  byFunction.set(fn.id(), entry);
}

const PY_WRITE_CALLEE = /\.(commit|save|delete|create|update|bulk_create|bulk_update|get_or_create|update_or_create)$/;
const djangoFiles = new WeakMap<RuleFile, boolean>();

function visitPyCall(call: SgNode, context: RuleContext): void {
  // Cheapest test first: this runs on every call of the file.
  if (!PY_WRITE_CALLEE.test(call.field('function')?.text() ?? '')) return;
  let django = djangoFiles.get(context.file);
  if (django === undefined) djangoFiles.set(context.file, (django = /\bfrom django\b|\bimport django\b/.test(context.source)));
  const write = pyWrite(call, django);
  if (!write) return;
  const fn = call.ancestors().find((a) => a.kind() === 'function_definition' || a.kind() === 'lambda');
  if (fn?.kind() !== 'function_definition' || inLoop(call, fn, PY_LOOPS) || inHandler(call, fn) || pyInTransaction(call, fn)) return;
  collect(context, fn, write);
}

function judgePyFunction(writes: Write[], context: RuleContext): void {
  const commits = writes.filter((w) => w.label.endsWith('.commit()'));
  if (commits.length >= 2) {
    report(context, commits, 'each commit is its own transaction, so a failure after the first leaves the data half-updated.');
    return;
  }
  const models = writes.filter((w) => !w.label.endsWith('.commit()'));
  // `profile, _ = Profile.objects.get_or_create(...)` then `profile.save()`: one model, one row.
  const modelOf = (w: Write) => w.target.slice(w.target.lastIndexOf('.') + 1).replace(/_/g, '').toLowerCase();
  if (new Set(models.map(modelOf)).size >= 2) {
    report(context, models, 'a failure after the first leaves the data half-updated; wrap them in `transaction.atomic()`.', (a, b) => modelOf(a) !== modelOf(b));
  }
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript: Prisma, TypeORM, knex, node-postgres, better-sqlite3.
// ---------------------------------------------------------------------------------------------

const PRISMA_WRITES = /^(create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany)$/;
const PRISMA_CLIENT = /(^|\.)(prisma|db|prismaClient|database)$/i;
const TYPEORM_WRITES = /^(save|insert|update|delete|remove|softDelete|softRemove|upsert|increment|decrement)$/;
const TYPEORM_RECEIVER = /(Repo|Repository|repo|repository)$|(^|\.)(manager|entityManager|getRepository\(.*\))$/;
const KNEX_WRITES = /^(insert|update|del|delete|increment|decrement|upsert|merge)$/;
const KNEX_ROOT = /^(this\.)?(knex|db|database|pg|sql)$/;
const SQL_WRITE = /^\s*(INSERT|UPDATE|DELETE)\b/i;
/** Repository-style data layers (`this.db.createApp(...)`, seed 004). */
const DATA_LAYER = /(^|\.)(db|database|repo|repository|dao)$/i;
const DATA_LAYER_WRITE = /^(create|insert|update|delete|remove|save|upsert)[A-Z]\w*$/;
/** A callback passed to one of these runs inside a transaction. */
const TS_TRANSACTION_CALL = /(^|\.)(\$transaction|transaction|withTransaction|runInTransaction|begin)$/;

/** The innermost call of a member chain: `knex('orders')` in `knex('orders').where(...).update(...)`. */
function chainRoot(call: SgNode): SgNode {
  let node = call;
  for (;;) {
    const callee = node.field('function');
    const object = callee?.kind() === 'member_expression' ? callee.field('object') : undefined;
    if (object?.kind() !== 'call_expression') return node;
    node = object;
  }
}

function sqlText(node: SgNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind() === 'template_string') return node.text().slice(1);
  return tsStaticString(node);
}

/** Columns written as bookkeeping (`last_access`, `updatedAt`, usage counters): not part of the unit of work. */
const TOUCH_FIELD = /^['"`]?(last[_A-Z]\w*|updated_?at|updatedAt|modified_?at|times_used|login_count|failed_\w+|failedLogins?)['"`]?$/;

/** `{ last_access: new Date() }` / `{ data: { lastSeenAt: now } }`: an object whose only keys are bookkeeping. */
function touchOnlyObject(node: SgNode | undefined): boolean {
  if (node?.kind() !== 'object') return false;
  const pairs = node.children().filter((c) => c.kind() === 'pair' || c.kind() === 'shorthand_property_identifier');
  const data = pairs.find((p) => p.field('key')?.text() === 'data');
  if (data) return touchOnlyObject(data.field('value') ?? undefined);
  return pairs.length > 0 && pairs.every((p) => TOUCH_FIELD.test((p.field('key') ?? p).text()));
}

/**
 * Housekeeping next to the real work: touching `last_access`, deleting expired rows. Reviewers do not
 * expect those in the same transaction as the write they accompany.
 */
function tsHousekeeping(call: SgNode, method: string): boolean {
  if (/^(update|updateMany|upsert)$/.test(method)) {
    const args = callArguments(call);
    return args.some(touchOnlyObject);
  }
  if (/^(del|delete|deleteMany)$/.test(method)) {
    let chain = call;
    while (chain.parent()?.kind() === 'member_expression' && chain.parent()!.parent()?.kind() === 'call_expression') chain = chain.parent()!.parent()!;
    return /expir|stale|outdated/i.test(chain.text()) && /['"`]<=?['"`]|\blt\b|\blte\b/.test(chain.text());
  }
  return false;
}

function tsWrite(call: SgNode): Write | undefined {
  const method = call.field('function')?.field('property')?.text() ?? '';
  if (tsHousekeeping(call, method)) return undefined;
  return tsWriteCall(call);
}

function tsWriteCall(call: SgNode): Write | undefined {
  const callee = call.field('function');
  if (callee?.kind() !== 'member_expression') return undefined;
  const method = callee.field('property')?.text() ?? '';
  const receiver = callee.field('object')!;
  const receiverText = receiver.text();
  // prisma.user.update(...)
  if (PRISMA_WRITES.test(method) && receiver.kind() === 'member_expression' && PRISMA_CLIENT.test(receiver.field('object')!.text())) {
    return { call, target: receiverText, label: `${receiverText}.${method}()` };
  }
  // this.userRepository.save(...), manager.save(...)
  if (TYPEORM_WRITES.test(method) && TYPEORM_RECEIVER.test(receiverText)) {
    return { call, target: receiverText, label: `${receiverText}.${method}()` };
  }
  // knex('orders').where(...).update(...)
  if (KNEX_WRITES.test(method) && receiver.kind() === 'call_expression') {
    const root = chainRoot(call);
    const rootCallee = root.field('function')?.text() ?? '';
    const table = tsStaticString(callArguments(root)[0]);
    if (KNEX_ROOT.test(rootCallee) && table !== undefined && !/\.transacting\s*\(/.test(call.text())) {
      return { call, target: table, label: `${rootCallee}('${table}').${method}()` };
    }
  }
  // pool.query('INSERT ...'), client.query(`UPDATE ...`), db.prepare('DELETE ...').run()
  if ((method === 'query' || method === 'execute' || method === 'none' || method === 'exec') && SQL_WRITE.test(sqlText(callArguments(call)[0]) ?? '')) {
    const statement = SQL_WRITE.exec(sqlText(callArguments(call)[0])!)![1].toUpperCase();
    return { call, target: receiverText, label: `${receiverText}.${method}('${statement} …')` };
  }
  if (method === 'run' && receiver.kind() === 'call_expression' && /\.prepare$/.test(receiver.field('function')?.text() ?? '') && SQL_WRITE.test(sqlText(callArguments(receiver)[0]) ?? '')) {
    return { call, target: receiverText, label: `${receiver.field('function')!.text()}('${SQL_WRITE.exec(sqlText(callArguments(receiver)[0])!)![1].toUpperCase()} …').run()` };
  }
  if (DATA_LAYER_WRITE.test(method) && DATA_LAYER.test(receiverText)) {
    return { call, target: receiverText, label: `${receiverText}.${method}()` };
  }
  return undefined;
}

function tsEnclosingFunction(node: SgNode): SgNode | undefined {
  return node.ancestors().find((a) => FUNCTION_KINDS.has(String(a.kind())));
}

/** Inside a `$transaction(async (tx) => ...)` / `knex.transaction(...)` / `manager.transaction(...)` callback. */
function tsInTransaction(fn: SgNode): boolean {
  for (let current: SgNode | undefined = fn; current; current = tsEnclosingFunction(current)) {
    const holder = current.parent();
    const call = holder?.kind() === 'arguments' ? holder.parent() : undefined;
    if (call?.kind() === 'call_expression' && TS_TRANSACTION_CALL.test(call.field('function')?.text() ?? '')) return true;
  }
  return false;
}

/** A function that opens a transaction by hand (`BEGIN`, `startTransaction()`) manages its own atomicity. */
const MANUAL_TRANSACTION = /startTransaction\s*\(|['"`]\s*BEGIN\b|\.begin\s*\(\s*\)|\.transaction\s*\(/i;

/** Method names any of the TS write shapes can end with: a cheap first test on every call. */
const TS_WRITE_METHOD = /^(create\w*|update\w*|upsert|delete\w*|save|insert\w*|remove\w*|softDelete|softRemove|increment|decrement|del|merge|query|execute|none|exec|run)$/;

/** Parameter names and types that carry a connection or transaction opened by the caller. */
const CALLER_HANDLE_NAME = /^(tx|trx|transaction|t|client|conn|connection|manager|em|entityManager|queryRunner|runner)$/;
const CALLER_HANDLE_TYPE = /Transaction|PoolClient|EntityManager|QueryRunner|Knex\.Transaction|TransactionClient/;

/**
 * `async function insertOrder(client: PoolClient, ...)`: the caller checked the connection out and
 * usually holds the transaction; this function cannot tell, so it is not judged.
 */
function writesThroughCallerHandle(write: Write, fn: SgNode): boolean {
  const root = /^[\w$]+/.exec(write.call.field('function')?.text() ?? '')?.[0];
  if (!root || root === 'this') return false;
  const parameters = fn.field('parameters') ?? fn.field('parameter');
  for (const parameter of parameters?.kind() === 'identifier' ? [parameters] : (parameters?.children() ?? [])) {
    const name = parameter.kind() === 'identifier' ? parameter.text() : parameter.field('pattern')?.text();
    if (name !== root) continue;
    return CALLER_HANDLE_NAME.test(name) || CALLER_HANDLE_TYPE.test(parameter.field('type')?.text() ?? '');
  }
  return false;
}

function visitTsCall(call: SgNode, context: RuleContext): void {
  // Cheapest test first: this runs on every call of the file.
  const method = /\.(\w+)$/.exec(call.field('function')?.text() ?? '')?.[1];
  if (!method || !TS_WRITE_METHOD.test(method)) return;
  const write = tsWrite(call);
  if (!write) return;
  const fn = tsEnclosingFunction(call);
  if (!fn || inLoop(call, fn, TS_LOOPS) || inHandler(call, fn) || writesThroughCallerHandle(write, fn)) return;
  collect(context, fn, write);
}

function judgeTsFunction(fn: SgNode, found: Write[], context: RuleContext): void {
  if (found.length < 2 || MANUAL_TRANSACTION.test(fn.text()) || tsInTransaction(fn)) return;
  const writes: Write[] = [];
  for (const write of found) {
    // `knex('a').insert(...)` is one write even though `.returning()` etc. follow it.
    if (writes.some((w) => w.call.text().includes(write.call.text()) || write.call.text().includes(w.call.text()))) continue;
    writes.push(write);
  }
  if (writes.length >= 2) report(context, writes, 'if it fails, the first write stays and the data is half-updated.');
}

/** Text of a possible write: a file needs two of them (and not be a migration) for the visitors to have work. */
const WRITE_TEXT = /\.(commit\(\s*\)|save\(|delete\(|objects\.|create\w*\(|update\w*\(|upsert\(|insert\w*\(|remove\w*\(|del\(|increment\(|decrement\(|run\()|\b(INSERT|UPDATE|DELETE)\b/g;
const worthCache = new WeakMap<RuleFile, boolean>();

function worthVisiting(context: RuleContext): boolean {
  let worth = worthCache.get(context.file);
  if (worth === undefined) {
    worth = !MIGRATION_PATH.test(context.file.path) && (context.source.match(WRITE_TEXT)?.length ?? 0) >= 2;
    worthCache.set(context.file, worth);
  }
  return worth;
}

export default defineRule({
  meta: {
    id: 'database/multi-write-without-transaction',
    title: 'Several writes without a transaction',
    area: 'database',
    severity: 'medium',
    type: 'bug',
    effort: 'small',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A function writes to the database twice or more (two commits, two models, two tables) without one transaction around the writes.',
    why:
      'Each write outside a transaction is committed on its own. When the second one fails (a constraint, a timeout, a ' +
      'crash, a deploy) the first stays: an order without its items, a payment marked captured whose order is still ' +
      'pending, money debited from one account and never credited to the other. Nothing rolls it back and the inconsistency ' +
      'is found by a customer. Two `session.commit()` calls in one SQLAlchemy function are two transactions. Reported once ' +
      'per function, at the second write. Not reported: writes inside `transaction.atomic` / `session.begin()` / ' +
      '`$transaction` / `knex.transaction` / `manager.transaction` / a hand-written `BEGIN`, writes in a loop (batches), ' +
      'writes in different branches of an `if`/`try`, writes in error handlers, a Django function that only writes one ' +
      'model, bookkeeping next to the real write (`last_login`/`updatedAt` touches, deleting expired rows), writes through ' +
      'a connection or transaction handed in by the caller (`client: PoolClient`, `tx`), migrations, seed data, CLI ' +
      'scripts and tests.',
    recommendation:
      'Put the writes that belong together in one transaction: one `commit()` at the end (or `async with session.begin():`), ' +
      '`with transaction.atomic():` in Django, `prisma.$transaction([...])`, `knex.transaction(async (trx) => ...)`, ' +
      '`dataSource.transaction(async (manager) => ...)`. When an external call sits between the writes, record the ' +
      'intent first and make the follow-up idempotent (outbox / saga with compensation, seed 004).',
    examples: [
      {
        language: 'py',
        bad: 'async def place_order(session, cart):\n    order = Order(customer_id=cart.customer_id)\n    session.add(order)\n    await session.commit()\n    session.add_all([OrderItem(order_id=order.id, sku=i.sku) for i in cart.items])\n    await session.commit()\n',
        good: 'async def place_order(session, cart):\n    order = Order(customer_id=cart.customer_id)\n    session.add(order)\n    await session.flush()\n    session.add_all([OrderItem(order_id=order.id, sku=i.sku) for i in cart.items])\n    await session.commit()\n',
      },
      {
        language: 'ts',
        bad: 'export async function transfer(from: string, to: string, cents: number) {\n  await prisma.account.update({ where: { id: from }, data: { balance: { decrement: cents } } });\n  await prisma.account.update({ where: { id: to }, data: { balance: { increment: cents } } });\n}\n',
        good: 'export async function transfer(from: string, to: string, cents: number) {\n  await prisma.$transaction([\n    prisma.account.update({ where: { id: from }, data: { balance: { decrement: cents } } }),\n    prisma.account.update({ where: { id: to }, data: { balance: { increment: cents } } }),\n  ]);\n}\n',
      },
    ],
    references: [
      'seed 000 (PaymentRepository: transaction safety; transaction atomicity), seed 004 (transaction management: DB record, external calls, DB update)',
      'Django docs: Database transactions (transaction.atomic)',
      'SQLAlchemy docs: Session basics, "framing out a begin / commit / rollback block"',
      'Prisma docs: Transactions and batch queries',
    ],
    appliesTo: { tests: false, scripts: false },
  },
  fileFilter:
    /\.commit\(\s*\)|\.objects\.|\.save\(|\.delete\(\)|\b(prisma|db|database)\.\w+\.(create|update|upsert|delete)|(Repo|Repository|repo|repository|[mM]anager)\.(save|insert|update|delete|remove|softDelete|softRemove|upsert|increment|decrement)\(|\b(knex|db|database|pg|sql)\(|\b(INSERT|UPDATE|DELETE)\b|\b(db|database|repo|repository|dao)\.(create|insert|update|delete|remove|save|upsert)[A-Z]/,
  visitors: {
    py: {
      call(node, context) {
        if (worthVisiting(context)) visitPyCall(node, context);
      },
    },
    ts: {
      call_expression(node, context) {
        if (worthVisiting(context)) visitTsCall(node, context);
      },
    },
  },
  // Runs after the visitors: every write of the file has been collected by function.
  onFile(context) {
    const byFunction = pendingWrites.get(context.file);
    if (!byFunction) return;
    pendingWrites.delete(context.file);
    for (const { fn, writes } of byFunction.values()) {
      writes.sort((a, b) => a.call.range().start.index - b.call.range().start.index);
      if (context.file.family === 'py') judgePyFunction(writes, context);
      else judgeTsFunction(fn, writes, context);
    }
  },
});
