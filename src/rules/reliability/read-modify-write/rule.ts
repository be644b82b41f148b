import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { escapeRegExp } from '../../_shared/reliability-flow.js';

/** What locks the row or makes the update atomic: nothing to report in that function. */
const PY_SAFE = /select_for_update|with_for_update|FOR\s+UPDATE|\bF\(|\.version\b|version_id|update\(\s*\*\*|\.update\(/;
const TS_SAFE = /forUpdate|forShare|FOR\s+UPDATE|pessimistic|\block\s*:|setLock\(|\.version\b|increment|decrement/;

// ---------------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------------

/** Loads one row/entity from the database (SQLAlchemy, Django, repositories). */
const PY_LOOKUP = new RegExp(
  '\\.objects\\.(get|filter|select_related|prefetch_related|exclude|using)\\b.*$' +
    '|\\b(session|db|db_session|dbsession|self\\.session|self\\.db|s)\\.get\\(\\s*[A-Z]\\w*\\s*,' +
    '|\\.query\\(.*\\.(first|one|one_or_none|get|scalar)\\(\\)?' +
    '|\\.(scalar_one|scalar_one_or_none|one|one_or_none)\\(\\)$|\\.scalars\\(\\)\\.first\\(\\)$' +
    '|\\bget_object_or_404\\(|\\.get_or_404\\(|_(repo|repository)\\.(get|get_by_\\w+|find_by_\\w+|find_one)\\(',
);
const PY_WRITE = /\.(commit|save|flush)\(|\bsession\.add\(|\bdb\.add\(/;
const ARITHMETIC_PY = /^[-+*/]=$/;

function pyStripAwait(node: SgNode | null | undefined): SgNode | undefined {
  if (!node) return undefined;
  if (node.kind() === 'await') return node.children().find((c) => c.isNamed()) ?? undefined;
  return node;
}

/** The statement assigning `name` from a single-row lookup before `before`, in `fn`. */
function pyLookupOf(fn: SgNode, name: string, before: SgNode): SgNode | undefined {
  let found: SgNode | undefined;
  for (const assignment of fn.findAll({ rule: { kind: 'assignment' } })) {
    if (assignment.range().start.index >= before.range().start.index) break;
    if (assignment.field('left')?.text() !== name) continue;
    const value = pyStripAwait(assignment.field('right'));
    found = value && value.kind() === 'call' && PY_LOOKUP.test(value.text().replace(/\s+/g, ' ')) ? value : undefined;
  }
  return found;
}

function pyCheck(node: SgNode, target: SgNode | null, context: RuleContext): void {
  if (target?.kind() !== 'attribute') return;
  const owner = target.field('object');
  const field = target.field('attribute')?.text();
  if (owner?.kind() !== 'identifier' || owner.text() === 'self' || !field) return;
  const fn = node.ancestors().find((a) => a.kind() === 'function_definition');
  if (!fn || PY_SAFE.test(fn.text())) return;
  const lookup = pyLookupOf(fn, owner.text(), node);
  if (!lookup) return;
  const after = fn.text().slice(node.range().end.index - fn.range().start.index);
  if (!PY_WRITE.test(after)) return;
  context.report({
    node,
    message: `\`${node.text()}\` writes back a value computed from \`${owner.text()}\` as read by \`${lookup.text().slice(0, 60)}\`: without a row lock or an atomic update, concurrent requests lose updates.`,
  });
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript
// ---------------------------------------------------------------------------------------------

const TS_LOOKUP = /\.(findUnique|findFirst|findUniqueOrThrow|findFirstOrThrow|findOne|findOneBy|findOneOrFail|findOneByOrFail|findByPk|findById|first)\s*\(/;
const TS_FUNCTIONS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration', 'function']);

function tsFunction(node: SgNode): SgNode | undefined {
  return node.ancestors().find((a) => TS_FUNCTIONS.has(String(a.kind())));
}

/** Inside `prisma.$transaction(async (tx) => ...)` / `manager.transaction(...)` callbacks. */
function tsInTransaction(node: SgNode): boolean {
  return node.ancestors().some((a) => a.kind() === 'call_expression' && /(\$transaction|\.transaction)$/.test(a.field('function')?.text() ?? ''));
}

function tsLookupOf(fn: SgNode, name: string, before: SgNode): SgNode | undefined {
  let found: SgNode | undefined;
  for (const declarator of fn.findAll({ rule: { kind: 'variable_declarator' } })) {
    if (declarator.range().start.index >= before.range().start.index) break;
    if (declarator.field('name')?.text() !== name) continue;
    let value = declarator.field('value');
    if (value?.kind() === 'await_expression') value = value.children().find((c) => c.isNamed()) ?? null;
    found = value && value.kind() === 'call_expression' && TS_LOOKUP.test(value.text()) ? value : undefined;
  }
  return found;
}

/** `u.balance` read in `expression` (the entity's own field feeding arithmetic). */
function tsReadField(expression: SgNode): { owner: string; field: string } | undefined {
  if (expression.kind() !== 'binary_expression') return undefined;
  const operator = expression.children().find((c) => !c.isNamed())?.text() ?? '';
  if (!/^[-+*/]$/.test(operator)) return undefined;
  const read = expression.find({ rule: { kind: 'member_expression', has: { field: 'object', kind: 'identifier' } } });
  const owner = read?.field('object')?.text();
  const field = read?.field('property')?.text();
  return owner && field ? { owner, field } : undefined;
}

function tsReport(node: SgNode, owner: string, fn: SgNode, context: RuleContext, needsWrite: boolean): void {
  if (TS_SAFE.test(fn.text()) || tsInTransaction(node)) return;
  const lookup = tsLookupOf(fn, owner, node);
  if (!lookup) return;
  if (needsWrite && !/\.(save|update|persist)\s*\(/.test(fn.text().slice(node.range().end.index - fn.range().start.index))) return;
  context.report({
    node,
    message: `\`${node.text().slice(0, 80)}\` writes back a value computed from \`${owner}\` as read by \`${lookup.text().slice(0, 60)}\`: without a row lock, version check or atomic increment, concurrent requests lose updates.`,
  });
}

export default defineRule({
  meta: {
    id: 'reliability/read-modify-write',
    title: 'Read-modify-write without a lock or atomic update',
    area: 'reliability',
    severity: 'medium',
    type: 'bug',
    effort: 'small',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'An entity is read, a numeric field is recomputed from the read value and written back, with no lock or atomic update.',
    why:
      'Two requests that read the same balance or stock, subtract and save both write their own result: one update is ' +
      'lost (seeds 000 and 004: race conditions in balance updates and app updates). Reported: a row loaded with ' +
      '`session.get(...)`, `query(...).first()`, `Model.objects.get/filter(...)`, `get_object_or_404`, Prisma ' +
      '`findUnique/findFirst`, TypeORM `findOne`, Sequelize `findByPk`, knex `.first()`, then a numeric field ' +
      'recomputed from its own value (`obj.stock -= n`, `balance: user.balance - amount`) and saved or committed in the ' +
      'same function. Not reported: `select_for_update()`/`with_for_update()`/`forUpdate()`/pessimistic locks, atomic ' +
      'updates (`F("count") + 1`, `{ increment: n }`, `queryset.update(...)`), version columns, Prisma/TypeORM ' +
      'transaction callbacks, and non-numeric changes (status strings are racy too, but reported only when arithmetic ' +
      'on the read value makes the lost update certain).',
    recommendation:
      'Let the database do the arithmetic (`Model.objects.filter(pk=pk).update(stock=F("stock") - n)`, ' +
      '`UPDATE ... SET balance = balance - ?`, Prisma `{ balance: { decrement: amount } }`, Sequelize ' +
      '`increment()`), or lock the row for the duration (`select_for_update()` inside `transaction.atomic()`, ' +
      '`with_for_update()`, `lock: { mode: "pessimistic_write" }`), or add a version column and retry on conflict.',
    examples: [
      {
        language: 'py',
        bad: 'def withdraw(db, user_id, amount):\n    account = db.query(Account).filter_by(user_id=user_id).first()\n    account.balance -= amount\n    db.commit()\n',
        good: 'def withdraw(db, user_id, amount):\n    account = db.query(Account).filter_by(user_id=user_id).with_for_update().first()\n    account.balance -= amount\n    db.commit()\n',
      },
      {
        language: 'ts',
        bad: 'async function withdraw(id: string, amount: number) {\n  const user = await prisma.user.findUnique({ where: { id } });\n  await prisma.user.update({ where: { id }, data: { balance: user.balance - amount } });\n}\n',
        good: 'async function withdraw(id: string, amount: number) {\n  await prisma.user.update({ where: { id }, data: { balance: { decrement: amount } } });\n}\n',
      },
    ],
    references: ['seed 000 (race conditions in balance updates)', 'seed 004 (data consistency: read then write)', 'CWE-362 (race condition)', 'CWE-367 (TOCTOU)'],
  },
  // A write and a single-row lookup somewhere in the file (anchored lookaheads: evaluated once).
  fileFilter: /^(?=[\s\S]*?\.(commit|save|update|persist|flush)\s*\()(?=[\s\S]*?(\.(first|one|one_or_none|scalar_one|scalar_one_or_none|get|findUnique|findFirst|findUniqueOrThrow|findFirstOrThrow|findOne|findOneBy|findOneOrFail|findOneByOrFail|findByPk|findById|get_by_\w+|find_by_\w+|find_one)\s*\(|get_object_or_404|get_or_404))/,
  visitors: {
    py: {
      augmented_assignment(node, context) {
        const left = node.field('left');
        if (left?.kind() !== 'attribute' || left.field('object')?.kind() !== 'identifier') return;
        const operator = node.children().find((c) => !c.isNamed())?.text() ?? '';
        const right = node.field('right');
        if (!ARITHMETIC_PY.test(operator) || !right || right.kind() === 'string') return;
        pyCheck(node, node.field('left'), context);
      },
      assignment(node, context) {
        const left = node.field('left');
        const right = node.field('right');
        if (left?.kind() !== 'attribute' || right?.kind() !== 'binary_operator') return;
        const operator = right.field('operator')?.text() ?? '';
        if (!/^[-+*/]$/.test(operator)) return;
        const own = new RegExp(`(^|[^\\w.])${escapeRegExp(left.text())}\\b`);
        if (!own.test(right.text()) || right.find({ rule: { kind: 'string' } })) return;
        pyCheck(node, left, context);
      },
    },
    ts: {
      augmented_assignment_expression(node, context) {
        const operator = node.children().find((c) => !c.isNamed())?.text() ?? '';
        const left = node.field('left');
        const right = node.field('right');
        if (!/^[-+*/]=$/.test(operator) || left?.kind() !== 'member_expression' || !right || /string/.test(String(right.kind()))) return;
        const owner = left.field('object');
        const fn = tsFunction(node);
        if (owner?.kind() !== 'identifier' || !fn) return;
        tsReport(node, owner.text(), fn, context, true);
      },
      assignment_expression(node, context) {
        const left = node.field('left');
        const right = node.field('right');
        if (left?.kind() !== 'member_expression' || !right) return;
        const read = tsReadField(right);
        const owner = left.field('object');
        const fn = tsFunction(node);
        if (!read || !fn || owner?.kind() !== 'identifier' || read.owner !== owner.text() || read.field !== left.field('property')?.text()) return;
        tsReport(node, owner.text(), fn, context, true);
      },
      pair(node, context) {
        // `data: { balance: user.balance - amount }` inside an update call.
        const key = node.field('key')?.text();
        const value = node.field('value');
        const read = value ? tsReadField(value) : undefined;
        if (!read || read.field !== key) return;
        const update = node.ancestors().find((a) => a.kind() === 'call_expression');
        if (!update || !/\.(update|updateOne|upsert|save|set)\s*$/.test(update.field('function')?.text() ?? '')) return;
        const fn = tsFunction(node);
        if (fn) tsReport(node, read.owner, fn, context, false);
      },
    },
  },
});
