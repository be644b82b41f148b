import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';

/**
 * A call that checks something: assertion libraries, mock assertions, pytest/unittest failure
 * helpers and project helpers named for checking (`assert_valid(...)`, `self.check_roundtrip(...)`,
 * stdlib's `self._test_codec(...)`), matched on the callee's last name.
 */
const PY_CHECKING_CALL = /^_*(assert|check|verify|expect|ensure|validate|fail|raises|warns|deprecated_call|do_test|run_test|test|compare)/i;
// Schema `parse`/`parseAsync` throws on invalid input: `schema.parse(value)` asserts the value is accepted.
const TS_CHECKING_CALL = /^_*(assert|expect|check|verify|ensure|validate|should|fail|throws|rejects|doesNotThrow|doesNotReject|toMatch\w*Snapshot)([A-Z_$\d]|s?$)|^(parse|parseAsync)$/;
/** Assertions of a test context (node:test `t.assert.*`, tap/ava `t.is`, `t.same`, `t.deepEqual`...). */
const TS_CONTEXT_ASSERTION = /^(is|not|ok|notOk|true|false|truthy|falsy|equal|equals|notEqual|deepEqual|notDeepEqual|strictEqual|notStrictEqual|same|notSame|like|unlike|match|notMatch|plan|pass|error|regex|notRegex|snapshot|throws|throwsAsync|notThrows|notThrowsAsync|rejects|resolves|assert)$/;

/** Text shortcut for the checks below: a checking call's name followed by `(`, `.rejects`, `throw`. */
const TS_CHECK_TEXT = /(?<![\w$])_*(expect|assert|check|verify|ensure|validate|should|fail|throws|rejects|doesNotThrow|doesNotReject)([A-Z_$\d][\w$]*|s)?\s*[(.<]|\.(parse|parseAsync)\(|\.(rejects|resolves|should)\b|\bthrow\s/;
const PY_CHECK_TEXT = /^\s*(assert|raise)\b|\.(assert\w*|fail\w*)\s*\(|\bpytest\.(raises|warns|fail)\b/m;

/** Decorators that keep a function from being a test that must assert (fixtures, skips, expected failures). */
// `@given` (hypothesis): a property test without `assert` checks that no example crashes, a common idiom.
const PY_NOT_A_CHECKED_TEST = /(^|\.)(fixture|skip|skipif|skipIf|skipUnless|xfail|expectedFailure|given)\b/;

/** A file importing a test framework is a test module wherever it lives. */
const PY_TEST_IMPORT = /^\s*(import\s+(pytest|unittest)\b|from\s+(pytest|unittest)\b)/m;
const TS_TEST_IMPORT = /from\s+['"](vitest|@jest\/globals|node:test|mocha|ava|tap|bun:test)['"]|require\(['"](node:test|mocha|ava|tap)['"]\)/;

/** The called name: `assert_called_once` of `mailer.send.assert_called_once`, `toEqual` of `expect(x).toEqual`. */
function lastName(callee: SgNode | null): string {
  if (!callee) return '';
  const kind = callee.kind();
  if (kind === 'identifier') return callee.text();
  if (kind === 'attribute') return callee.field('attribute')?.text() ?? '';
  if (kind === 'member_expression') return callee.field('property')?.text() ?? '';
  return '';
}

/** The leftmost name of a call chain: `expect` of `expect(x).not.toBe(y)`, `t` of `t.assert.equal`. */
function rootName(callee: SgNode): string {
  let node: SgNode | null = callee;
  for (let depth = 0; node && depth < 64; depth++) {
    const kind = node.kind();
    if (kind === 'identifier') return node.text();
    if (kind === 'member_expression') node = node.field('object');
    else if (kind === 'call_expression') node = node.field('function');
    else if (kind === 'non_null_expression' || kind === 'parenthesized_expression' || kind === 'await_expression') node = node.child(0)?.isNamed() ? node.child(0) : node.child(1);
    else return '';
  }
  return '';
}

// ---------------------------------------------------------------- Python

function pyHasCheck(body: SgNode, assertingHelpers: ReadonlySet<string>): boolean {
  if (PY_CHECK_TEXT.test(body.text())) return true;
  if (body.find({ rule: { any: [{ kind: 'assert_statement' }, { kind: 'raise_statement' }] } })) return true;
  for (const call of body.findAll({ rule: { kind: 'call' } })) {
    const name = lastName(call.field('function'));
    if (PY_CHECKING_CALL.test(name) || assertingHelpers.has(name)) return true;
  }
  return false;
}

/** Functions of this file that check something, so calling them is an assertion (two levels deep). */
function pyAssertingHelpers(root: SgNode): Set<string> {
  const helpers = new Set<string>();
  const functions = root.findAll({ rule: { kind: 'function_definition' } });
  for (let round = 0; round < 2; round++) {
    for (const fn of functions) {
      const name = fn.field('name')?.text();
      const body = fn.field('body');
      if (name && body && !helpers.has(name) && pyHasCheck(body, helpers)) helpers.add(name);
    }
  }
  return helpers;
}

function pyDecorators(fn: SgNode): string[] {
  const parent = fn.parent();
  if (parent?.kind() !== 'decorated_definition') return [];
  return parent.children().filter((c) => c.kind() === 'decorator').map((d) => d.text().slice(1));
}

/** Top-level test functions and test methods of classes (not nested helpers). */
function pyTestFunctions(root: SgNode): SgNode[] {
  return root.findAll({ rule: { kind: 'function_definition', has: { field: 'name', regex: '^test' } } }).filter((fn) => {
    let container = fn.parent();
    if (container?.kind() === 'decorated_definition') container = container.parent();
    if (container?.kind() === 'module') return /^test_/.test(fn.field('name')?.text() ?? '') && fn.field('name')?.text() !== 'test_main';
    if (container?.kind() !== 'block' || container.parent()?.kind() !== 'class_definition') return false;
    // Test classes built inside functions or `if __name__ == "__main__":` are runner fixtures.
    let classOwner = container.parent()!.parent();
    if (classOwner?.kind() === 'decorated_definition') classOwner = classOwner.parent();
    if (classOwner?.kind() !== 'module') return false;
    return /^test/.test(fn.field('name')?.text() ?? '');
  });
}

/** `pass`, `...`, a docstring or `self.skipTest(...)` only: a placeholder or a disabled inherited test. */
function pyIsPlaceholder(body: SgNode): boolean {
  const statements = body.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
  return statements.every((s) => {
    if (s.kind() === 'pass_statement') return true;
    if (s.kind() !== 'expression_statement') return false;
    const text = s.text();
    return text === '...' || /^[rbuRBU]*("""|'''|"|')/.test(text) || /skipTest\(|pytest\.skip\(/.test(text);
  });
}

/** A `test_*` function returning a value is a decorator factory or helper (`def test_id(id_val): ... return _has_id`), not a test. */
function pyReturnsValue(fn: SgNode, body: SgNode): boolean {
  return body.findAll({ rule: { kind: 'return_statement' } }).some((ret) =>
    ret.children().some((c) => c.isNamed() && c.kind() !== 'none') &&
    ret.ancestors().find((a) => a.kind() === 'function_definition' || a.kind() === 'lambda')?.id() === fn.id());
}

/** `self.skipTest(...)` / `pytest.skip(...)` as a statement of the test itself: the rest never runs. */
function pySkipsUnconditionally(body: SgNode): boolean {
  return body.children().some((s) => s.kind() === 'expression_statement' && /^(self\.skipTest|pytest\.skip|raise\s+(unittest\.)?SkipTest)\b/.test(s.text()));
}

/** TestCase methods that only set things up. */
const SETUP_METHODS = /^(addCleanup|addClassCleanup|enterContext|subTest|setUp|tearDown|useFixture|patch|id|shortDescription)$/;
const STANDARD_TEST_BASE = /^((unittest|django\.test|test)\.)?(TestCase|IsolatedAsyncioTestCase|SimpleTestCase|TransactionTestCase|object)$/;

/**
 * A method of a class derived from a project base class (`base.BaseTestCase`) that calls a
 * `self.` helper defined elsewhere (`self._run_cmd(..., allow_fail=False)`): that helper may
 * well assert, and this file cannot tell.
 */
function pyCallsInheritedHelper(fn: SgNode, body: SgNode, definedNames: ReadonlySet<string>): boolean {
  let owner = fn.parent();
  if (owner?.kind() === 'decorated_definition') owner = owner.parent();
  const cls = owner?.parent();
  if (cls?.kind() !== 'class_definition') return false;
  const bases = cls.field('superclasses')?.children().filter((c) => c.isNamed()).map((c) => c.text()) ?? [];
  if (bases.length === 0 || bases.every((b) => STANDARD_TEST_BASE.test(b))) return false;
  return body.findAll({ rule: { kind: 'call' } }).some((call) => {
    const m = /^self\.(\w+)$/.exec(call.field('function')?.text() ?? '');
    return !!m && !definedNames.has(m[1]!) && !SETUP_METHODS.test(m[1]!);
  });
}

function checkPython(context: RuleContext, root: SgNode): void {
  if (context.file.path.endsWith('conftest.py')) return;
  const tests = pyTestFunctions(root);
  if (tests.length === 0) return;
  const helpers = pyAssertingHelpers(root);
  const definedNames = new Set(root.findAll({ rule: { kind: 'function_definition' } }).map((f) => f.field('name')?.text() ?? ''));
  for (const fn of tests) {
    const body = fn.field('body');
    const name = fn.field('name');
    if (!body || !name || pyIsPlaceholder(body)) continue;
    if (pyDecorators(fn).some((d) => PY_NOT_A_CHECKED_TEST.test(d))) continue;
    if (pyHasCheck(body, helpers)) continue;
    if (pyReturnsValue(fn, body)) continue;
    if (pySkipsUnconditionally(body) || pyCallsInheritedHelper(fn, body, definedNames)) continue;
    context.report({ node: name, message: `Test \`${name.text()}\` has no assertion: it passes whatever the code under test returns.` });
  }
}

// ---------------------------------------------------------------- TypeScript / JavaScript

const FUNCTION_KINDS = new Set(['arrow_function', 'function_expression', 'function']);

/** `it(...)`, `test(...)`, `it.only(...)`, `test.concurrent(...)`, `it.each(rows)(...)`; not skip/todo/fails. */
function tsTestCallName(callee: SgNode): boolean {
  let target = callee;
  if (target.kind() === 'call_expression') {
    const inner = target.field('function');
    if (inner?.kind() !== 'member_expression' || inner.field('property')?.text() !== 'each') return false;
    target = inner.field('object')!;
  }
  const text = target.text();
  return /^(it|test)(\.(only|concurrent|serial|sequential))*$/.test(text);
}

/**
 * Type-level tests check at compile time: `x satisfies T`, `// @ts-expect-error`, a declaration
 * typed `const s: StandardSchemaV1 = z.string()` (assignability).
 */
function tsHasTypeCheck(body: SgNode): boolean {
  if (body.find({ rule: { any: [{ kind: 'satisfies_expression' }, { kind: 'type_alias_declaration' }, { kind: 'interface_declaration' }] } })) return true;
  if (body.find({ rule: { kind: 'comment', regex: '@ts-expect-error|@ts-ignore|not assignable|[Tt]ype (error|instantiation)' } })) return true;
  return body.findAll({ rule: { kind: 'variable_declarator', has: { field: 'type', kind: 'type_annotation' } } })
    .some((declarator) => !/^:\s*(any|unknown)$/.test(declarator.field('type')?.text() ?? ''));
}

/** Tests named for what the compiler checks ("type inference", "assignability", "recursive types"). */
const TYPE_TEST_NAME = /\b(types?|typing|typed|typings|assignab\w*|infer\w*|generics?|compat\w*|readonly|recursi\w*|self-recursion|overloads?|compiles?)\b/i;

const NESTING_STATEMENTS = new Set(['for_statement', 'for_in_statement', 'while_statement', 'if_statement', 'else_clause', 'statement_block', 'try_statement']);

/**
 * Calls to `it`/`test` (with `.only`/`.concurrent`/`.each(rows)`), found by walking statements:
 * the top level, `describe(...)` callbacks and loops over cases. Much cheaper than visiting every
 * call of large test files.
 */
function tsTestCalls(container: SgNode, calls: SgNode[] = [], depth = 0): SgNode[] {
  if (depth > 12) return calls;
  for (const statement of container.children()) {
    const kind = statement.kind();
    if (kind === 'expression_statement') {
      let expression = statement.child(0);
      if (expression?.kind() === 'await_expression') expression = expression.child(1);
      if (expression?.kind() !== 'call_expression') continue;
      const callee = expression.field('function');
      const head = callee ? rootName(callee) : '';
      if (head === 'it' || head === 'test') {
        calls.push(expression);
        continue;
      }
      // describe('...', () => { ... }) and other suites: look inside their callbacks.
      for (const arg of expression.field('arguments')?.children() ?? []) {
        if (!FUNCTION_KINDS.has(String(arg.kind()))) continue;
        const body = arg.field('body');
        if (body?.kind() === 'statement_block') tsTestCalls(body, calls, depth + 1);
      }
    } else if (NESTING_STATEMENTS.has(String(kind))) {
      tsTestCalls(statement, calls, depth + 1);
    }
  }
  return calls;
}

function tsHasCheck(body: SgNode, testContext: string | undefined, assertingHelpers: ReadonlySet<string>, typed: boolean): boolean {
  // Fast path on the text (most tests call `expect`/`assert` right away); the walk below finds the rest.
  if (TS_CHECK_TEXT.test(body.text())) return true;
  if (body.find({ rule: { kind: 'throw_statement' } })) return true;
  if (body.find({ rule: { kind: 'property_identifier', regex: '^(should|rejects|resolves)$' } })) return true;
  for (const call of body.findAll({ rule: { kind: 'call_expression' } })) {
    const callee = call.field('function');
    if (!callee) continue;
    const root = rootName(callee);
    if (/^(expect|expectTypeOf|assertType|assert|should|chai|sinon)$/.test(root)) return true;
    const name = lastName(callee);
    if (TS_CHECKING_CALL.test(name) || assertingHelpers.has(name)) return true;
    if (testContext && root === testContext && TS_CONTEXT_ASSERTION.test(name)) return true;
    // `runSuite(t, cases)`: the test context handed to a helper, which asserts with it.
    if (testContext && call.field('arguments')?.children().some((a) => a.kind() === 'identifier' && a.text() === testContext)) return true;
  }
  // Last, as the costliest; TypeScript-only node kinds do not exist in the JavaScript grammar.
  return typed && tsHasTypeCheck(body);
}

/** Named functions of this file that check something (`function expectValid(...)`, `const assertShape = ...`). */
function tsAssertingHelpers(root: SgNode): Set<string> {
  const helpers = new Set<string>();
  const candidates: Array<[string, SgNode]> = [];
  // Top-level helpers only: functions nested in tests are part of the test body already.
  const topLevel = root.children();
  const declarations = topLevel.flatMap((c) => (c.kind() === 'export_statement' ? c.children() : [c]));
  for (const fn of declarations.filter((c) => c.kind() === 'function_declaration')) {
    const name = fn.field('name')?.text();
    const body = fn.field('body');
    if (name && body) candidates.push([name, body]);
  }
  for (const declarator of declarations.filter((c) => c.kind() === 'lexical_declaration' || c.kind() === 'variable_declaration').flatMap((c) => c.children())) {
    const value = declarator.field('value');
    const name = declarator.field('name')?.text();
    if (name && value && FUNCTION_KINDS.has(String(value.kind()))) candidates.push([name, value]);
  }
  for (let round = 0; round < 2; round++) {
    for (const [name, body] of candidates) {
      if (!helpers.has(name) && tsHasCheck(body, undefined, helpers, false)) helpers.add(name);
    }
  }
  return helpers;
}

function tsTestName(args: SgNode[]): string {
  const first = args[0];
  if (!first) return 'test';
  const text = first.text();
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function checkTypeScript(context: RuleContext, root: SgNode): void {
  let helpers: Set<string> | undefined;
  const typed = context.file.language !== 'javascript';
  for (const call of tsTestCalls(root)) {
    // Most tests call `expect`/`assert` plainly: one text check settles them.
    if (TS_CHECK_TEXT.test(call.text())) continue;
    const callee = call.field('function');
    if (!callee || !tsTestCallName(callee)) continue;
    const args = call.field('arguments')?.children().filter((c) => c.isNamed() && c.kind() !== 'comment') ?? [];
    const callback = args[args.length - 1];
    if (args.length < 2 || !callback || !FUNCTION_KINDS.has(String(callback.kind()))) continue;
    const params = callback.field('parameters')?.children().filter((c) => c.isNamed()) ?? [];
    const single = callback.field('parameter');
    const firstParam = (single ?? params[0])?.text().replace(/[:=].*$/s, '').trim();
    // Mocha/jest `done` callbacks: the test asserts that the callback gets called.
    if (firstParam && /^(done|cb|callback|next|end)$/.test(firstParam)) continue;
    const body = callback.field('body');
    if (!body) continue;
    if (body.kind() === 'statement_block' && body.children().filter((c) => c.isNamed() && c.kind() !== 'comment').length === 0) continue;
    // Compile-time tests in TypeScript: the type checker is the assertion.
    if (typed && TYPE_TEST_NAME.test(args[0]?.text() ?? '')) continue;
    helpers ??= tsAssertingHelpers(root);
    if (tsHasCheck(body, firstParam, helpers, typed)) continue;
    context.report({ node: call, message: `Test ${tsTestName(args)} has no assertion: it passes whatever the code under test does.` });
  }
}

export default defineRule({
  meta: {
    id: 'testing/no-assertions',
    title: 'Test without assertions',
    area: 'testing',
    severity: 'medium',
    type: 'bug',
    effort: 'small',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A test function (pytest, unittest, vitest, jest, mocha, node:test) that never checks a result.',
    why:
      'A test without an assertion passes as long as nothing throws: it raises coverage numbers without checking ' +
      'behaviour, so a regression that returns the wrong value goes through green. Counted as assertions: `assert`, ' +
      '`raise`, `self.assert*`/`self.fail`, `pytest.raises`/`warns`/`fail`, mock `assert_called*`, `expect(...)`, ' +
      '`assert.*`, chai `should`, `.rejects`/`.resolves`, test-context checks (`t.is`, `t.assert.equal`), `throw`, and calls ' +
      'to helpers named `assert*`/`check*`/`verify*`/`expect*` or defined in the same file and asserting themselves. ' +
      'Not reported: fixtures, skipped and expected-failure tests, placeholder bodies (`pass`, `...`, empty callbacks), ' +
      '`it.todo`/`it.skip`, mocha `done`-callback tests, `conftest.py`.',
    recommendation:
      'Assert on the result or on the side effect the test is about (`assert response.status_code == 200`, ' +
      '`expect(result).toEqual(...)`). For a "does not raise" smoke test, say so explicitly (`expect(() => run()).not.toThrow()`).',
    examples: [
      {
        language: 'py',
        bad: 'import pytest\n\n\ndef test_create_user(client):\n    client.post("/users", json={"name": "ana"})\n',
        good: 'import pytest\n\n\ndef test_create_user(client):\n    response = client.post("/users", json={"name": "ana"})\n    assert response.status_code == 201\n',
      },
      {
        language: 'ts',
        bad: "import { it } from 'vitest';\n\nit('creates a user', async () => {\n  await createUser({ name: 'ana' });\n});\n",
        good: "import { it, expect } from 'vitest';\n\nit('creates a user', async () => {\n  const user = await createUser({ name: 'ana' });\n  expect(user.id).toBeDefined();\n});\n",
      },
    ],
    references: ['RULES.md testing/no-assertions (seed 000)', 'eslint-plugin-jest expect-expect', 'eslint-plugin-vitest expect-expect', 'SonarQube S2699 (tests should include assertions)'],
    appliesTo: { tests: true, scripts: true },
  },
  fileFilter: /\bdef\s+test|\b(it|test)(\.\w+)*\s*\(/,
  onFile(context) {
    const root = context.root;
    if (!root || context.file.family === 'text') return;
    if (context.file.family === 'py') {
      if (!context.file.isTest && !PY_TEST_IMPORT.test(context.source)) return;
      checkPython(context, root);
    } else {
      if (!context.file.isTest && !TS_TEST_IMPORT.test(context.source)) return;
      checkTypeScript(context, root);
    }
  },
});
