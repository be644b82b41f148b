import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { escapeRegExp, followingStatements, namedChildren } from '../../_shared/reliability-flow.js';

type Family = 'py' | 'ts';

// ---------------------------------------------------------------------------------------------
// Which calls can come back empty
// ---------------------------------------------------------------------------------------------

const PY_QUERY_CHAIN = /\b(query|filter|filter_by|objects|scalars|where|order_by|exclude|execute|select_related|all)\b/;
const PY_DICT_RECEIVER = /^os\.environ$|^request\.(args|form|json|headers|GET|POST|data|query_params|cookies)$|(^|[._])(data|payload|body|params|headers|config|cfg|settings|options|opts|kwargs|meta|metadata|mapping|json|environ|attrs|form|query_params)$/i;

/** Why the Python call can return None, or undefined when it cannot (or we cannot tell). */
const PY_LOOKUP_METHOD = /^(first|last|one_or_none|scalar_one_or_none|scalar|get|get_by_\w+|find_by_\w+|find_one|get_one_or_none)$/;

function pyMethod(call: SgNode): string {
  const callee = call.field('function');
  return callee?.kind() === 'attribute' ? callee.field('attribute')?.text() ?? '' : '';
}

function pyEmptyLookup(call: SgNode): string | undefined {
  if (call.kind() !== 'call') return undefined;
  const callee = call.field('function');
  if (callee?.kind() !== 'attribute') return undefined;
  const method = callee.field('attribute')?.text() ?? '';
  if (!PY_LOOKUP_METHOD.test(method)) return undefined;
  // `.get()` is everywhere: only `session.get(Model, id)`, `Model.query.get(id)` and a directly dereferenced dict get.
  if (method === 'get' && namedChildren(call.field('arguments')).length < 2 && !/\.query$/.test(callee.field('object')?.text() ?? '')) return undefined;
  const receiver = callee.field('object');
  const args = namedChildren(call.field('arguments'));
  const receiverText = receiver?.text() ?? '';
  if ((method === 'first' || method === 'last') && args.length === 0 && PY_QUERY_CHAIN.test(receiverText)) return `\`.${method}()\` returns None when no row matches`;
  if (/^(one_or_none|scalar_one_or_none)$/.test(method)) return `\`.${method}()\` returns None when no row matches`;
  if (method === 'scalar' && !/func\.(count|sum|max|min|avg)|\bcount\(/.test(call.text()) &&
    (args[0]?.text().startsWith('select(') || (args.length === 0 && /\.execute\(/.test(receiverText)))) return '`.scalar()` returns None when no row matches';
  if (method === 'get' && /(^|\.)(session|db|db_session|dbsession)$/.test(receiverText) && args.length >= 2 && /^[A-Z]\w*$/.test(args[0].text())) return '`session.get()` returns None for an unknown id';
  if (method === 'get' && /\.query$/.test(receiverText) && args.length === 1) return '`Model.query.get()` returns None for an unknown id';
  if (/^(get_by_\w+|find_by_\w+|find_one|get_one_or_none)$/.test(method) && /(^|[._])(repo|repository|\w+_repo|\w+_repository)$/.test(receiverText)) return `\`${method}()\` returns None when nothing is found`;
  return undefined;
}

/** `d.get('k')` with no default, on something that is clearly a mapping of optional keys. */
function pyDictGet(call: SgNode): string | undefined {
  const callee = call.field('function');
  if (call.kind() !== 'call' || callee?.kind() !== 'attribute' || callee.field('attribute')?.text() !== 'get') return undefined;
  const args = namedChildren(call.field('arguments'));
  if (args.length !== 1 || args[0].kind() === 'keyword_argument' || !PY_DICT_RECEIVER.test(callee.field('object')?.text() ?? '')) return undefined;
  // `if "Authorization" in request.headers:` (or `not in ... : return`) already answered the question.
  const fn = call.ancestors().find((a) => a.kind() === 'function_definition');
  const key = args[0].text();
  if (fn && new RegExp(`${escapeRegExp(key)}\\s+(not\\s+)?in\\b`).test(fn.text())) return undefined;
  return '`.get()` without a default returns None for a missing key';
}

const TS_LOOKUP_METHODS = /^(findOne|findOneBy|findFirst|findUnique|findByPk|findById|first)$/;
const TS_ORM_RECEIVER = /(^|\.)(prisma|tx|db|client)\.\w+$|(repo|repository|Repository|Repo|manager|Manager)$|^[A-Z]\w*$|\b(knex|trx)\b|^(this\.)?(knex|db|trx)\b/;
const TS_FUNCTIONS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration', 'function']);

function tsEmptyLookup(call: SgNode, source: string): string | undefined {
  if (call.kind() !== 'call_expression') return undefined;
  const callee = call.field('function');
  if (callee?.kind() !== 'member_expression') return undefined;
  const method = callee.field('property')?.text() ?? '';
  if (!TS_LOOKUP_METHODS.test(method)) return undefined;
  const receiver = callee.field('object');
  // ORM receivers only: a service's own `findOne()` (NestJS) usually throws NotFoundException itself.
  const receiverText = receiver?.text() ?? '';
  const receiverName = receiverText.split('.').pop() ?? '';
  const typedAsOrm = !!receiverName && new RegExp(`\\b${escapeRegExp(receiverName)}\\??\\s*:\\s*(Repository|Model|ModelStatic|EntityRepository)<`).test(source);
  if (!TS_ORM_RECEIVER.test(receiverText) && !typedAsOrm) return undefined;
  // `.first()` is knex's; elsewhere (`list.first()`) it may be anything. An aggregate always returns a row.
  if (method === 'first' && (!/\b(knex|db|trx|where|from|select)\b/.test(receiverText) || /\.(max|min|count|countDistinct|sum|avg)\(/.test(receiverText))) return undefined;
  // In-memory lookups (`array.find()`, `map.get()`) are not followed: on real code bases they are
  // nearly always invariants the author knows (get-or-init maps, ids taken from the same list).
  return `\`${method}()\` resolves to null when nothing matches`;
}

// ---------------------------------------------------------------------------------------------
// Uses of a name on the straight path after it is assigned
// ---------------------------------------------------------------------------------------------

/** Identifier nodes that read `name` (not attribute names, keyword names or property keys). */
function usesOf(node: SgNode, name: string, family: Family): SgNode[] {
  const kinds = family === 'py' ? [{ kind: 'identifier' }] : [{ kind: 'identifier' }, { kind: 'shorthand_property_identifier' }];
  const regex = `^${escapeRegExp(name)}$`;
  const found = node.findAll({ rule: { any: kinds.map((k) => ({ ...k, regex })) } });
  if (node.text() === name && (node.kind() === 'identifier' || node.kind() === 'shorthand_property_identifier')) found.unshift(node);
  return found.filter((use) => {
    const parent = use.parent();
    if (!parent) return true;
    if (family === 'py' && parent.kind() === 'attribute' && parent.field('attribute')?.id() === use.id()) return false;
    if (family === 'py' && parent.kind() === 'keyword_argument' && parent.field('name')?.id() === use.id()) return false;
    return true;
  });
}

/** Whether this use dereferences the value (`x.attr`, `x[k]`, `x.m()`), unguarded on this line. */
function isDereference(use: SgNode, family: Family, stop: SgNode): boolean {
  const parent = use.parent();
  if (!parent) return false;
  let deref = false;
  if (family === 'py') {
    deref = (parent.kind() === 'attribute' && parent.field('object')?.id() === use.id()) ||
      (parent.kind() === 'subscript' && parent.field('value')?.id() === use.id());
  } else {
    // `const { email } = user` throws on null just like `user.email`.
    if (parent.kind() === 'variable_declarator' && parent.field('value')?.id() === use.id() && parent.field('name')?.kind() === 'object_pattern') return true;
    deref = ((parent.kind() === 'member_expression' && parent.field('object')?.id() === use.id() && !parent.children().some((c) => c.kind() === 'optional_chain')) ||
      (parent.kind() === 'subscript_expression' && parent.field('object')?.id() === use.id() && !parent.children().some((c) => c.kind() === 'optional_chain')));
  }
  if (!deref) return false;
  // A ternary, a lambda or a nested function decides later whether this runs.
  for (const ancestor of use.ancestors()) {
    if (ancestor.id() === stop.id()) break;
    const kind = String(ancestor.kind());
    if (kind === 'conditional_expression' || kind === 'ternary_expression' || kind === 'lambda' || TS_FUNCTIONS.has(kind)) return false;
    if (kind === 'try_statement') return false;
  }
  return true;
}

/** The part of a statement that runs before its body: the condition of an `if`, the iterable of a `for`. */
function headerOf(statement: SgNode, family: Family): SgNode | undefined {
  const kind = String(statement.kind());
  if (family === 'py') {
    if (kind === 'if_statement' || kind === 'while_statement') return statement.field('condition') ?? undefined;
    if (kind === 'for_statement') return statement.field('right') ?? undefined;
    if (kind === 'with_statement') return statement.children().find((c) => c.kind() === 'with_clause');
    if (/^(expression_statement|return_statement|assert_statement|raise_statement|delete_statement)$/.test(kind)) return statement;
    return undefined;
  }
  if (kind === 'if_statement' || kind === 'while_statement' || kind === 'switch_statement') return statement.field('condition') ?? undefined;
  if (kind === 'for_in_statement') return statement.field('right') ?? undefined;
  if (/^(expression_statement|return_statement|lexical_declaration|variable_declaration|throw_statement)$/.test(kind)) return statement;
  return undefined;
}

/** The first unguarded dereference of `name` on the straight path after `statement`, if any. */
function firstUncheckedDereference(statement: SgNode, name: string, family: Family): SgNode | undefined {
  for (const next of followingStatements(statement)) {
    if (!usesOf(next, name, family).length) continue;
    const header = headerOf(next, family);
    if (!header) return undefined;
    const first = usesOf(header, name, family)[0];
    // Used in the body only (an `if` that does not test it, a `with`, a loop): stop following.
    if (!first) return undefined;
    return isDereference(first, family, next) ? first.parent()! : undefined;
  }
  return undefined;
}

/** Inside a `try` whose handler expects exactly this failure (`except (AttributeError, ValueError):`). */
function pyCaughtOnPurpose(node: SgNode): boolean {
  return node.ancestors().some((a) => a.kind() === 'try_statement' &&
    a.children().some((c) => c.kind() === 'except_clause' && /\b(AttributeError|TypeError)\b/.test(c.children().filter((x) => x.kind() !== 'block').map((x) => x.text()).join(' '))));
}

function report(context: RuleContext, node: SgNode, name: string, lookup: SgNode, why: string): void {
  if (context.file.family === 'py' && pyCaughtOnPurpose(node)) return;
  context.report({
    node,
    message: `\`${node.text().replace(/\s+/g, ' ').slice(0, 60)}\` dereferences \`${name}\` without a check: ${why} (\`${lookup.text().replace(/\s+/g, ' ').slice(0, 60)}\`).`,
  });
}

function unwrapAwait(node: SgNode | null | undefined): SgNode | undefined {
  if (!node) return undefined;
  if (node.kind() === 'await' || node.kind() === 'await_expression') return unwrapAwait(namedChildren(node)[0]);
  if (node.kind() === 'parenthesized_expression') return unwrapAwait(namedChildren(node)[0]);
  return node;
}

export default defineRule({
  meta: {
    id: 'reliability/none-dereference',
    title: 'Lookup that can be empty dereferenced without a check',
    area: 'reliability',
    severity: 'medium',
    type: 'bug',
    effort: 'small',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'The result of a lookup that returns None/null when nothing matches is dereferenced without a check.',
    why:
      '`query(...).first()`, `session.get(Model, id)`, `scalar_one_or_none()`, `dict.get(key)`, Prisma `findUnique`, ' +
      'TypeORM `findOne`, Sequelize `findByPk`, Mongoose `findById` and knex `.first()` all return None/null when nothing ' +
      'matches. The row ' +
      'deleted after a keyboard was sent (seed 003) then crashes the handler with `AttributeError`/`TypeError` instead ' +
      'of a clear "not found". Reported only on a straight path in the same function: the value is assigned and the ' +
      'next statement that mentions it dereferences it (`x.attr`, `x[k]`, `x.method()`), or the call is dereferenced ' +
      'directly (`d.get("a").strip()`). Not reported: any check first (`if x`, `if (!x) throw`, `assert x`, `x or ' +
      'default`, a ternary), optional chaining `x?.a`, the explicit non-null assertion `x!`, lookups that raise ' +
      '(`.one()`, `get_object_or_404`, Django `objects.get()`, `findOneOrFail`, `findUniqueOrThrow`), DOM lookups ' +
      '(`querySelector` of static page elements is usually certain), in-memory lookups (`array.find()`, `map.get()`: ' +
      'nearly always invariants such as get-or-init maps), `re.match()` results (on real code bases they are ' +
      'almost always invariants: the text was produced or filtered to match), and values passed to another function first.',
    recommendation:
      'Check the result and answer "not found" explicitly (`if user is None: raise HTTPException(404)`, ' +
      '`if (!user) throw new NotFoundError()`), or use the raising variant (`.one()`, `get_object_or_404`, ' +
      '`findUniqueOrThrow`, `findOneOrFail`).',
    examples: [
      {
        language: 'py',
        bad: 'def reward_name(session, reward_id):\n    reward = session.query(Reward).filter_by(id=reward_id).first()\n    return reward.name\n',
        good: 'def reward_name(session, reward_id):\n    reward = session.query(Reward).filter_by(id=reward_id).first()\n    if reward is None:\n        raise LookupError(reward_id)\n    return reward.name\n',
      },
      {
        language: 'ts',
        bad: 'async function email(id: string) {\n  const user = await prisma.user.findUnique({ where: { id } });\n  return user.email;\n}\n',
        good: 'async function email(id: string) {\n  const user = await prisma.user.findUnique({ where: { id } });\n  if (!user) throw new Error(`unknown user ${id}`);\n  return user.email;\n}\n',
      },
    ],
    references: ['seed 003 (reward_repository.get_by_id() can return None, then reward.id crashes)', 'CWE-476 (NULL pointer dereference)', 'mypy/pyright Optional member access, TypeScript strictNullChecks'],
    cwe: ['CWE-476'],
  },
  fileFilter: new RegExp([
    '\\.(first|last)\\(\\)|one_or_none\\(|\\.scalar\\(|(session|db)\\.get\\(|query\\.get\\(',
    '(repo|repository)\\.(get_by_|find_by_|find_one|get_one_or_none)',
    '\\.get\\([^()\\n]*\\)\\.',
    '\\.(findOne|findOneBy|findFirst|findUnique|findByPk|findById)\\(',
  ].join('|')),
  visitors: {
    py: {
      call(node, context) {
        const method = pyMethod(node);
        if (!PY_LOOKUP_METHOD.test(method)) return;
        // A dict `.get()` is only followed when dereferenced on the spot.
        if (method === 'get' && node.parent()?.kind() !== 'attribute' && node.parent()?.kind() !== 'assignment' && node.parent()?.kind() !== 'await') return;
        const why = pyEmptyLookup(node) ?? pyDictGet(node);
        if (!why) return;
        let value: SgNode = node;
        if (value.parent()?.kind() === 'await') value = value.parent()!;
        const parent = value.parent();
        // Direct chain: `session.query(X).first().name`, `data.get("a").strip()`.
        if (parent?.kind() === 'attribute' && parent.field('object')?.id() === value.id()) {
          report(context, parent, value.text().slice(0, 40), node, why);
          return;
        }
        if (pyDictGet(node) && !pyEmptyLookup(node)) return;
        if (parent?.kind() !== 'assignment' || parent.field('right')?.id() !== value.id()) return;
        const target = parent.field('left');
        const statement = parent.parent();
        if (target?.kind() !== 'identifier' || statement?.kind() !== 'expression_statement') return;
        const deref = firstUncheckedDereference(statement, target.text(), 'py');
        if (deref) report(context, deref, target.text(), node, why);
      },
    },
    ts: {
      call_expression(node, context) {
        const why = tsEmptyLookup(node, context.source);
        if (!why) return;
        let value: SgNode = node;
        while (value.parent() && /^(await_expression|parenthesized_expression)$/.test(String(value.parent()!.kind()))) value = value.parent()!;
        const parent = value.parent();
        if (parent?.kind() === 'member_expression' && parent.field('object')?.id() === value.id() && !parent.children().some((c) => c.kind() === 'optional_chain')) {
          // `(await repo.findOne(...)).name`; without `await` the member is the promise's (`.then`), not the row's.
          if (value.kind() !== 'call_expression') report(context, parent, unwrapAwait(value)?.text().slice(0, 40) ?? value.text(), node, why);
          return;
        }
        if (parent?.kind() !== 'variable_declarator' || parent.field('value')?.id() !== value.id()) return;
        const target = parent.field('name');
        const statement = parent.parent();
        if (target?.kind() !== 'identifier' || !statement || !/^(lexical_declaration|variable_declaration)$/.test(String(statement.kind()))) return;
        const deref = firstUncheckedDereference(statement, target.text(), 'ts');
        if (deref) report(context, deref, target.text(), node, why);
      },
    },
  },
});
