import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { escapeRegExp, namedChildren } from '../../_shared/reliability-flow.js';

/** Repository-style receivers whose `create()` returns the saved record (seed 003). */
const PY_REPOSITORY = /(^|[._])(\w+_)?(repo|repository|crud|dao|store)$|(^|[._])crud_\w+$|Repository$/;
const PY_PERSIST = /^(create|add|insert|save|create_one|insert_one)$/;
const TS_FUNCTIONS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration', 'function']);

function statementOf(call: SgNode): SgNode | undefined {
  let node: SgNode = call;
  if (node.parent()?.kind() === 'await' || node.parent()?.kind() === 'await_expression') node = node.parent()!;
  const parent = node.parent();
  return parent?.kind() === 'expression_statement' ? parent : undefined;
}

/** Text of the function after `statement`. */
function textAfter(fn: SgNode, statement: SgNode): string {
  return fn.text().slice(statement.range().end.index - fn.range().start.index);
}

// ---------------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------------

/** Whether `name` was built in `fn` before `before` by calling a class (`log = HabitLog(...)`). */
function pyBuiltLocally(fn: SgNode, name: string, before: SgNode): boolean {
  return fn.findAll({ rule: { kind: 'assignment' } }).some((assignment) => {
    if (assignment.range().start.index >= before.range().start.index || assignment.field('left')?.text() !== name) return false;
    const right = assignment.field('right');
    return right?.kind() === 'call' && /^([\w.]*\.)?[A-Z]\w*$/.test(right.field('function')?.text() ?? '');
  });
}

function pyCheck(call: SgNode, context: RuleContext): void {
  const callee = call.field('function');
  if (callee?.kind() !== 'attribute') return;
  const method = callee.field('attribute')?.text() ?? '';
  if (!PY_PERSIST.test(method)) return;
  const receiver = callee.field('object')?.text() ?? '';
  if (!PY_REPOSITORY.test(receiver)) return;
  const statement = statementOf(call);
  const fn = call.ancestors().find((a) => a.kind() === 'function_definition');
  if (!statement || !fn) return;
  const candidates = namedChildren(call.field('arguments')).map((arg) => (arg.kind() === 'keyword_argument' ? arg.field('value') : arg))
    .filter((arg): arg is SgNode => arg?.kind() === 'identifier');
  for (const arg of candidates) {
    const name = arg.text();
    if (!pyBuiltLocally(fn, name, statement)) continue;
    const after = textAfter(fn, statement);
    const n = escapeRegExp(name);
    // The unsaved object is used afterwards: its id read, handed to another call, or returned.
    const used = new RegExp(`\\b${n}\\.(id|pk)\\b|[(,]\\s*(\\w+\\s*=\\s*)?${n}\\s*[,)]|\\breturn\\s+${n}\\s*$`, 'm').exec(after);
    if (!used) continue;
    context.report({
      node: call,
      message: `The record returned by \`${callee.text()}(...)\` is discarded and \`${name}\` (built before saving) is used afterwards: its \`id\` may still be None.`,
    });
    return;
  }
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript
// ---------------------------------------------------------------------------------------------

const TS_REPOSITORY = /(repo|repository|Repository|Repo)$|^(this\.)?(manager|entityManager|em)$/;

function tsCheck(call: SgNode, context: RuleContext): void {
  const callee = call.field('function');
  if (callee?.kind() !== 'member_expression' || callee.field('property')?.text() !== 'create') return;
  const receiver = callee.field('object');
  if (!receiver) return;
  const receiverText = receiver.text();
  const parent = call.parent();
  // (a) TypeORM: `repo.create(...)` only builds an entity; as a bare statement it does nothing.
  if (parent?.kind() === 'expression_statement' && TS_REPOSITORY.test(receiverText) && /typeorm|Repository<|getRepository|InjectRepository/.test(context.source)) {
    context.report({
      node: call,
      message: `\`${receiverText}.create(...)\` only builds an entity in memory (TypeORM): its result is discarded, so nothing is saved; use \`await ${receiverText}.save(${receiverText}.create(...))\`.`,
    });
    return;
  }
  // (b) `await prisma.order.create({ data: input })` / `await Order.create(input)` discarded, then `input.id` used.
  const statement = statementOf(call);
  if (!statement) return;
  const isPrisma = /^(this\.)?(prisma|db|tx|client)\.\w+$/.test(receiverText);
  const isModel = receiver.kind() === 'identifier' && /^[A-Z]\w*$/.test(receiverText);
  if (!isPrisma && !isModel) return;
  const first = namedChildren(call.field('arguments'))[0];
  let input: SgNode | undefined;
  if (isPrisma && first?.kind() === 'object') {
    const data = first.children().find((pair) => pair.kind() === 'pair' && pair.field('key')?.text() === 'data');
    input = data?.field('value') ?? undefined;
  } else if (isModel) input = first;
  if (input?.kind() !== 'identifier') return;
  const fn = call.ancestors().find((a) => TS_FUNCTIONS.has(String(a.kind())));
  if (!fn) return;
  const used = new RegExp(`(^|[^\\w$.])${escapeRegExp(input.text())}\\.(id|_id)\\b`).test(textAfter(fn, statement));
  if (!used) return;
  context.report({
    node: call,
    message: `The record returned by \`${callee.text()}(...)\` is discarded and \`${input.text()}.id\` is read afterwards: the input object never receives the generated id.`,
  });
}

export default defineRule({
  meta: {
    id: 'reliability/discarded-result',
    title: 'Saved record discarded, unsaved object used instead',
    area: 'reliability',
    severity: 'medium',
    type: 'bug',
    effort: 'small',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'The record returned by a create/insert is discarded while the unsaved input object (whose id stays empty) is used afterwards.',
    why:
      'A repository `create()` that returns the saved record (with its primary key) leaves the object it was given ' +
      'untouched: when the caller drops the return value and keeps using its own object, every id read from it is ' +
      'None/undefined (seed 003: the audit log\'s `habit_log_id` was always null). Reported: a bare ' +
      '`repo.create(obj)`/`crud.create(db, obj_in=obj)` statement (receiver named `*_repo`, `*_repository`, `crud*`, ' +
      '`*_dao`, `*_store`) whose argument was built in the same function and is then used (`obj.id`, passed on, ' +
      'returned); `await prisma.x.create({ data: input })` or Sequelize `await Model.create(input)` discarded and then ' +
      '`input.id` read; and TypeORM `repository.create(...)` as a bare statement, which only builds an entity and saves ' +
      'nothing. Not reported: ORMs that fill in the id on the object itself (`session.add(obj)` + `commit()`, Django ' +
      '`obj.save()`, TypeORM `repository.save(entity)`), creates whose result is captured, and arguments that are ' +
      'parameters rather than objects built here (the callee may already hold the saved record).',
    recommendation:
      'Capture and use the returned record (`habit_log = habit_log_repo.create(habit_log)`, ' +
      '`const order = await prisma.order.create({ data })`), or pass its id explicitly. If your repository fills the ' +
      'id in on the argument, say so in its signature (return None) and suppress the finding with a reason.',
    examples: [
      {
        language: 'py',
        bad: 'def complete(habit, habit_log_repo, audit):\n    habit_log = HabitLog(habit_id=habit.id)\n    habit_log_repo.create(habit_log)\n    audit.log_habit_completion(habit_log)\n',
        good: 'def complete(habit, habit_log_repo, audit):\n    habit_log = HabitLog(habit_id=habit.id)\n    habit_log = habit_log_repo.create(habit_log)\n    audit.log_habit_completion(habit_log)\n',
      },
      {
        language: 'ts',
        bad: 'async function place(input: OrderInput) {\n  await prisma.order.create({ data: input });\n  await audit.log("order.created", input.id);\n}\n',
        good: 'async function place(input: OrderInput) {\n  const order = await prisma.order.create({ data: input });\n  await audit.log("order.created", order.id);\n}\n',
      },
    ],
    references: ['seed 003 (habit_log_repo.create() return value discarded, habit_log_id always null)', 'TypeORM Repository.create() docs (does not save)', 'CWE-252 (unchecked return value)'],
    cwe: ['CWE-252'],
  },
  fileFilter: /(repo|repository|Repository|Repo|crud\w*|dao|store)\.(create|add|insert|save|create_one|insert_one)\s*\(|(prisma|db|tx|client)\.\w+\.create\s*\(|\b[A-Z]\w*\.create\s*\(|\b(manager|entityManager|em)\.create\s*\(/,
  visitors: {
    py: {
      call(node, context) {
        pyCheck(node, context);
      },
    },
    ts: {
      call_expression(node, context) {
        tsCheck(node, context);
      },
    },
  },
});
