import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import type { Severity } from '../../../core/types.js';
import { keywordArgument, positionalArguments } from '../../_shared/python.js';
import {
  pyBindingsFor,
  pyNameValues,
  pyQualifiedName,
  pyStaticString,
  tsBindingsFor,
  tsDeclaredValue,
  tsExpressionBinding,
  tsResolved,
  unwrapTsExpression,
  type PyBindings,
} from '../../_shared/static-values.js';
import { callArguments, objectProperty } from '../../_shared/typescript.js';
import { pyFromStaticFile } from '../../_shared/python-static-paths.js';
import { LLM_OUTPUT, PY_REQUEST_INPUT, TS_REQUEST_INPUT, tsValueOrigin } from '../../_shared/untrusted-sources.js';

function short(text: string, max = 50): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Critical when the code visibly comes from the request or from a model's answer. CLI scripts
 * evaluate their operator's input by design: there only the Critical cases are reported.
 */
function severityFor(origins: string[], requestInput: RegExp): Severity | undefined {
  return origins.some((o) => requestInput.test(o) || LLM_OUTPUT.test(o)) ? 'critical' : undefined;
}

// ---------------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------------

const PY_CODE_BUILTINS = new Set(['eval', 'exec', 'compile']);

/** Names the module itself defines (`def eval`, `eval = ...`): they are not the builtins. */
const pyDefinedCache = new WeakMap<object, { source: string; names: Set<string> }>();
function pyModuleDefines(context: RuleContext, node: SgNode): Set<string> {
  const hit = pyDefinedCache.get(context.file);
  if (hit && hit.source === context.source) return hit.names;
  const names = new Set<string>();
  const root = node.getRoot().root();
  for (const definition of root.findAll({ rule: { any: [{ kind: 'function_definition' }, { kind: 'assignment' }] } })) {
    const name = definition.kind() === 'function_definition' ? definition.field('name') : definition.field('left');
    if (name?.kind() !== 'identifier' || !PY_CODE_BUILTINS.has(name.text())) continue;
    // A method named `eval` does not shadow the builtin for other code.
    if (definition.kind() === 'function_definition' && definition.parent()?.parent()?.kind() === 'class_definition') continue;
    names.add(name.text());
  }
  pyDefinedCache.set(context.file, { source: context.source, names });
  return names;
}

/** The builtin a call's callee is, if it is `eval`/`exec`/`compile` (or `builtins.eval`) and nothing rebinds the name. */
function pyBuiltin(callee: SgNode | null, bindings: PyBindings, context: RuleContext): string | undefined {
  if (!callee) return undefined;
  if (callee.kind() === 'attribute') {
    const name = pyQualifiedName(callee, bindings);
    return name && /^builtins\.(eval|exec|compile)$/.test(name) ? name.slice('builtins.'.length) : undefined;
  }
  if (callee.kind() !== 'identifier' || !PY_CODE_BUILTINS.has(callee.text())) return undefined;
  // `from re import compile`, `from sympy import exec`...: an import rebinds the name.
  if (bindings.has(callee.text()) || pyModuleDefines(context, callee).has(callee.text())) return undefined;
  return callee.text();
}

/**
 * `open("pkg/__version__.py").read()`, `Path(__file__).with_name(...)` read, or `f.read()` with `f`
 * from `with open(<fixed path>) as f`: the project's own file (setup.py's version trick).
 */
function pyReadsOwnFile(node: SgNode, bindings: PyBindings): boolean {
  const method = node.field('function')?.field('attribute')?.text() ?? '';
  return /^(read|read_text|read_bytes)$/.test(method) && pyFromStaticFile(node, bindings);
}

/**
 * Source read from a file (`f.read()`, `path.read_text().replace(...)`): running a script file is
 * `runpy.run_path` by another name (setuptools, pkg_resources, plugin loaders); who may write the
 * file is a path question, not an evaluation one.
 */
function pyReadsFile(node: SgNode): boolean {
  const callee = node.field('function');
  if (node.kind() !== 'call' || callee?.kind() !== 'attribute') return false;
  const method = callee.field('attribute')?.text() ?? '';
  if (/^(read|read_text|read_bytes)$/.test(method)) return true;
  const receiver = callee.field('object');
  return /^(replace|strip|rstrip|decode)$/.test(method) && !!receiver && pyReadsFile(receiver);
}

/**
 * The parts of the code handed to eval/exec that the program does not fix: empty for literals,
 * constants, `compile()` of those, and the project's own files read from fixed paths.
 */
function pyVariableCode(node: SgNode | undefined, bindings: PyBindings, context: RuleContext, depth = 0): SgNode[] {
  if (!node) return [];
  if (depth > 4) return [node];
  if (pyStaticString(node) !== undefined) return [];
  if (node.kind() === 'identifier') {
    const values = pyNameValues(node);
    if (!values) return [node];
    return values.some((v) => pyVariableCode(v, bindings, context, depth + 1).length) ? [node, ...values] : [];
  }
  if (node.kind() === 'call') {
    // `exec(compile(source, name, "exec"))`: the source decides.
    if (pyBuiltin(node.field('function'), bindings, context) === 'compile') {
      // Compiled under a real file name (not `"<string>"`-style): a script file being run, like `runpy.run_path`.
      const filename = positionalArguments(node)[1] ?? keywordArgument(node, 'filename');
      if (filename && !/^[a-zA-Z]*["']{1,3}</.test(filename.text())) return [];
      return pyVariableCode(positionalArguments(node)[0] ?? keywordArgument(node, 'source'), bindings, context, depth + 1);
    }
    if (pyReadsOwnFile(node, bindings) || pyReadsFile(node)) return [];
  }
  return [node];
}

const PY_OPERATOR_INPUT = /^(input|raw_input)\(|\bsys\.(stdin|argv)\b/;

/** A value's text plus what the names in it were assigned (`payload` → `await request.json()`). */
function pyOrigins(node: SgNode): string[] {
  const identifiers = node.kind() === 'identifier' ? [node] : node.findAll({ rule: { kind: 'identifier' } });
  return [node.text(), ...identifiers.flatMap((id) => (pyNameValues(id) ?? []).map((v) => v.text()))];
}

function pythonCall(node: SgNode, context: RuleContext): void {
  const callee = node.field('function');
  if (!callee || !/(^|\.)(eval|exec)$/.test(callee.text())) return;
  const bindings = pyBindingsFor(context.file, node, context.source);
  const builtin = pyBuiltin(callee, bindings, context);
  // `compile()` alone only checks syntax and builds a code object: it is judged where it runs.
  if (!builtin || builtin === 'compile') return;
  const source = positionalArguments(node)[0] ?? keywordArgument(node, 'source') ?? keywordArgument(node, 'object');
  const variable = pyVariableCode(source, bindings, context);
  if (!source || variable.length === 0) return;
  const origins = variable.flatMap(pyOrigins);
  // An interactive prompt or a CLI's own arguments: the operator typing code into their own console.
  if (origins.some((o) => PY_OPERATOR_INPUT.test(o)) && !origins.some((o) => PY_REQUEST_INPUT.test(o) || LLM_OUTPUT.test(o))) return;
  const severity = severityFor(origins, PY_REQUEST_INPUT);
  if (context.file.isScript && severity !== 'critical') return;
  context.report({
    node,
    message: `\`${builtin}(${short(source.text(), 40)})\` runs code that is not fixed by the program: whoever controls \`${short(variable[variable.length - 1].text(), 40)}\` runs Python with this process's rights.`,
    severity,
  });
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript
// ---------------------------------------------------------------------------------------------

/** Whether an expression is fixed by the program: literals, literal-only templates and concatenations, constants. */
function tsConstant(input: SgNode | null | undefined, depth = 0): boolean {
  if (!input) return true;
  const node = unwrapTsExpression(input);
  if (depth > 6) return false;
  switch (node.kind()) {
    case 'string':
    case 'number':
    case 'true':
    case 'false':
    case 'null':
    case 'undefined':
      return true;
    case 'template_string':
      return node
        .children()
        .filter((c) => c.kind() === 'template_substitution')
        .every((s) => tsConstant(s.children().find((c) => c.isNamed()), depth + 1));
    case 'binary_expression':
      return tsConstant(node.field('left'), depth + 1) && tsConstant(node.field('right'), depth + 1);
    case 'spread_element':
    case 'array':
      return node.children().filter((c) => c.isNamed() && c.kind() !== 'comment').every((c) => tsConstant(c, depth + 1));
    case 'identifier': {
      const value = tsDeclaredValue(node);
      return value !== undefined && tsConstant(value, depth + 1);
    }
    default:
      return false;
  }
}

/** A string assembled at run time: a template with substitutions or a concatenation with a string in it. */
function tsBuiltString(input: SgNode | undefined): boolean {
  if (!input) return false;
  const node = unwrapTsExpression(input);
  if (tsConstant(node)) return false;
  if (node.kind() === 'template_string') return true;
  if (node.kind() === 'binary_expression' && node.field('operator')?.text() === '+') {
    return !!node.find({ rule: { any: [{ kind: 'string' }, { kind: 'template_string' }] } });
  }
  return false;
}

/**
 * node:vm given a computed `filename` (an options object or the string form): a module loader
 * running a file's source (vite-node, jest, vitest), the JS twin of `runpy.run_path`.
 */
function tsRunsModuleFile(options: SgNode[]): boolean {
  return options.some((option) => {
    const value = tsResolved(option);
    if (!value) return false;
    if (value.kind() !== 'object') return value.kind() !== 'identifier' && !tsConstant(value) && /string|template/.test(String(value.kind()));
    const filename = objectProperty(value, 'filename');
    return !!filename && (filename.kind() === 'shorthand_property_identifier' || !tsConstant(filename));
  });
}

const GLOBAL_OBJECTS = /^(globalThis|window|global|self)$/;
const VM_RUNNERS = new Set(['runInNewContext', 'runInThisContext', 'runInContext', 'compileFunction']);

/** Whether the file declares its own `eval`/`Function` (a local function or variable of that name). */
function tsLocallyDeclared(node: SgNode, name: string): boolean {
  if (tsDeclaredValue(node) !== undefined) return true;
  return node
    .getRoot()
    .root()
    .findAll({ rule: { any: [{ kind: 'function_declaration' }, { kind: 'variable_declarator' }, { kind: 'formal_parameters' }] } })
    .some((d) => (d.kind() === 'formal_parameters' ? d.findAll({ rule: { kind: 'identifier' } }).some((p) => p.text() === name) : d.field('name')?.text() === name));
}

function tsReport(node: SgNode, what: string, code: SgNode[], context: RuleContext): void {
  const origins = code.flatMap((c) => {
    const inner = unwrapTsExpression(c);
    const identifiers = inner.kind() === 'identifier' ? [inner] : inner.findAll({ rule: { kind: 'identifier' } });
    return [c.text(), ...identifiers.map(tsValueOrigin)];
  });
  const shown = short(code.map((c) => c.text()).join(', '), 40);
  const severity = severityFor(origins, TS_REQUEST_INPUT);
  if (context.file.isScript && severity !== 'critical') return;
  context.report({
    node,
    message: `${what} runs code built at run time from \`${shown}\`: whoever controls that value runs JavaScript with this process's rights.`,
    severity,
  });
}

const TS_INTERESTING_CALLEE = /(^|\.)(eval|Function|setTimeout|setInterval|runInNewContext|runInThisContext|runInContext|compileFunction)$/;

function typescriptCall(node: SgNode, context: RuleContext): void {
  const callee = node.field('function');
  if (!callee) return;
  const calleeText = callee.text();
  if (!TS_INTERESTING_CALLEE.test(calleeText)) return;
  const args = callArguments(node);
  if (callee.kind() === 'identifier' || (callee.kind() === 'member_expression' && GLOBAL_OBJECTS.test(callee.field('object')?.text() ?? ''))) {
    const name = callee.kind() === 'identifier' ? calleeText : callee.field('property')?.text();
    if (name === 'eval' || name === 'Function') {
      if (callee.kind() === 'identifier' && (tsBindingsFor(context.file, node, context.source).has(name) || tsLocallyDeclared(callee, name))) return;
      const code = name === 'eval' ? args.slice(0, 1) : args;
      if (code.length === 0 || code.every((a) => tsConstant(a))) return;
      tsReport(node, name === 'eval' ? `\`${calleeText}()\`` : `\`${calleeText}()\` (the Function constructor)`, code.filter((a) => !tsConstant(a)), context);
      return;
    }
    if (name === 'setTimeout' || name === 'setInterval') {
      // A string first argument is evaluated like `eval`; functions (the normal case) are fine.
      if (tsBuiltString(args[0])) tsReport(node, `\`${calleeText}()\` with a string argument`, [args[0]], context);
      return;
    }
  }
  if (!/(runInNewContext|runInThisContext|runInContext|compileFunction)$/.test(calleeText)) return;
  const binding = tsExpressionBinding(callee, tsBindingsFor(context.file, node, context.source));
  if (binding?.module !== 'vm' || !VM_RUNNERS.has(binding.imported)) return;
  if (!args[0] || tsConstant(args[0]) || tsRunsModuleFile(args.slice(1))) return;
  tsReport(node, `\`${calleeText}()\` (node:vm is not a sandbox)`, [args[0]], context);
}

function typescriptNew(node: SgNode, context: RuleContext): void {
  const constructor = node.field('constructor');
  if (!constructor || !/(^|\.)(Function|Script)$/.test(constructor.text())) return;
  const args = callArguments(node);
  if (constructor.kind() === 'identifier' && constructor.text() === 'Function') {
    if (tsLocallyDeclared(constructor, 'Function')) return;
    const code = args.filter((a) => !tsConstant(a));
    if (code.length) tsReport(node, '`new Function()`', code, context);
    return;
  }
  if (!/Script$/.test(constructor.text())) return;
  const binding = tsExpressionBinding(constructor, tsBindingsFor(context.file, node, context.source));
  if (binding?.module !== 'vm' || binding.imported !== 'Script') return;
  if (!args[0] || tsConstant(args[0]) || tsRunsModuleFile(args.slice(1))) return;
  tsReport(node, `\`new ${constructor.text()}()\` (node:vm is not a sandbox)`, [args[0]], context);
}

export default defineRule({
  meta: {
    id: 'security/code-eval',
    title: 'Code evaluated from a variable',
    area: 'security',
    severity: 'high',
    type: 'security',
    effort: 'medium',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'Code held in a variable is run: Python `eval`/`exec` (also of `compile()` results), JS `eval()`, `new Function()`, string timers or `node:vm`.',
    why:
      'Evaluating a string runs it as a program with the service\'s rights: its files, its network, its environment and secrets. ' +
      'If any part of the string comes from a request, a stored record, a model\'s answer or a file someone else can write, that ' +
      'someone runs code on the server. `node:vm` is not a sandbox (Node\'s documentation says so): code in a context reaches ' +
      '`process` through constructors in a line. Critical when the code visibly comes from the request or from an LLM response ' +
      '(seed 004: an agent platform running generated code). In CLI scripts only those Critical cases are reported (a script ' +
      'evaluating its operator\'s input does so by design), and code typed at an interactive prompt (`input()`, stdin, argv) is ' +
      'the operator\'s own. Not reported: literal code (`eval("1 + 1")`, ' +
      '`new Function("return this")`), `ast.literal_eval`, Python source read from a file (`exec(f.read())`, `exec(compile(f.read(), path, "exec"))`: ' +
      'running a script file, like `runpy.run_path`; who may write the file is a path question; also code compiled under a ' +
      'real file name rather than `"<string>"`, and node:vm given a computed `filename`: a module loader), methods that only share the name (`model.eval()`, `redis.eval(script)`, `obj.eval()`), a module\'s own `eval` ' +
      'function or an imported one, and timers given a function.',
    recommendation:
      'Do not evaluate code to parse data: use `json.loads`/`JSON.parse`, `ast.literal_eval`, or a small expression parser with ' +
      'an allow-list of operations. To run generated or user code, run it in a real isolation boundary (a container or VM with ' +
      'no secrets in its environment, no network, resource limits), never in the service\'s own interpreter.',
    examples: [
      {
        language: 'py',
        bad: 'def calculate(expression: str) -> float:\n    return eval(expression)\n',
        good: 'import ast\n\ndef parse_settings(text: str) -> dict:\n    return ast.literal_eval(text)\n',
      },
      {
        language: 'ts',
        bad: 'export function applyFormula(formula: string, row: Record<string, number>) {\n  return new Function("row", `return ${formula}`)(row);\n}\n',
        good: 'export function applyFormula(row: Record<string, number>) {\n  return new Function("row", "return row.price * row.quantity")(row);\n}\n',
      },
    ],
    references: [
      'seed 004 (an agent platform running generated code)',
      'Bandit B307 eval, B102 exec_used',
      'ESLint no-eval, no-implied-eval, no-new-func; eslint-plugin-security detect-eval-with-expression',
      'Semgrep python.lang.security.audit.eval-detected, python.lang.security.audit.exec-detected, javascript.lang.security.audit.code-string-concat',
      'Node.js documentation: "The node:vm module is not a security mechanism"',
    ],
    cwe: ['CWE-95'],
    nosec: ['B307', 'B102'],
  },
  // The calls themselves (`eval(`, `exec(`, `Function(`), string timers, and node:vm's entry points.
  fileFilter: /\b(eval|exec|Function)\s*\(|set(Timeout|Interval)\(\s*['"`]|runIn\w*Context|compileFunction|Script\s*\(/,
  visitors: {
    py: { call: pythonCall },
    ts: { call_expression: typescriptCall, new_expression: typescriptNew },
  },
});
