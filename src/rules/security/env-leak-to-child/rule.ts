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
  tsStaticString,
  unwrapTsExpression,
  type PyBindings,
} from '../../_shared/static-values.js';
import { callArguments, enclosingFunction, objectProperty } from '../../_shared/typescript.js';
import { PY_REQUEST_INPUT, TS_REQUEST_INPUT, tsValueOrigin } from '../../_shared/untrusted-sources.js';

/** Programs that run code from where they are pointed: interpreters, package runners, shells. */
const RUNNER = /^(?:.*\/)?(node|nodejs|npm|npx|yarn|pnpm|bun|bunx|deno|tsx|ts-node|python|python3(\.\d+)?|pip3?|uv|poetry|pipenv|sh|bash|zsh|ruby|php|perl)(\.exe|\.cmd)?$/;
/** Names that say the child runs someone else's code: an app, a user's project, a sandbox, a job, something generated. */
const UNTRUSTED_TARGET = /(app|sandbox|user|generated|workspace|tenant|upload|plugin|submission|project|job|untrusted|guest)/i;
/** Names (of the target, the function, the class or the file) that say it is untrusted for sure: High. */
const UNTRUSTED_FOR_SURE = /(sandbox|generated|untrusted|upload|submission|user|guest|tenant)/i;

function short(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** File paths that say the module runs foreign code (a `user/` or `app/` folder says nothing). */
const UNTRUSTED_PATH = /(sandbox|untrusted|generated|submission)/i;

/**
 * Whether (and how badly) the child runs someone else's code, from the names around the call:
 * the target values, the enclosing function and class, the file path. `null`: nothing says so.
 */
function untrustedSeverity(targets: string[], call: SgNode, path: string, requestInput: RegExp): Severity | undefined | null {
  const owners = call
    .ancestors()
    .filter((a) => /^(function_definition|class_definition|function_declaration|method_definition|class_declaration|class)$/.test(String(a.kind())))
    .map((a) => a.field('name')?.text() ?? '');
  const names = [...targets, ...owners];
  if (targets.some((t) => requestInput.test(t))) return 'high';
  if (names.some((t) => UNTRUSTED_FOR_SURE.test(t)) || UNTRUSTED_PATH.test(path)) return 'high';
  return names.some((t) => UNTRUSTED_TARGET.test(t)) ? undefined : null;
}

function message(call: string, program: string, targets: string[], env: string): string {
  return (
    `\`${call}\` runs \`${program}\` on \`${short(targets.join(', '))}\` with \`env: ${short(env, 30)}\`: ` +
    'the child (and the code it runs) receives every secret of this process.'
  );
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript
// ---------------------------------------------------------------------------------------------

const TS_SPAWNERS: Record<string, Set<string>> = {
  child_process: new Set(['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']),
  execa: new Set(['execa', 'execaSync', 'execaCommand', 'execaCommandSync', 'execaNode', 'default']),
  'cross-spawn': new Set(['default', '*', 'spawn', 'sync']),
};
/** Functions whose first argument is a whole command line rather than a program. */
const TS_COMMAND_LINE = new Set(['exec', 'execSync', 'execaCommand', 'execaCommandSync']);
/** Functions that run a JavaScript module with node. */
const TS_NODE_MODULE = new Set(['fork', 'execaNode']);

function isProcessEnv(node: SgNode | undefined): boolean {
  return !!node && unwrapTsExpression(node).text().replace(/\s+/g, '') === 'process.env';
}

/** Whether an env value is the whole parent environment: `process.env`, `{ ...process.env, X }`, `Object.assign({}, process.env)`. */
function tsWholeEnvironment(value: SgNode | undefined): boolean {
  if (!value) return false;
  const node = unwrapTsExpression(value);
  if (isProcessEnv(node)) return true;
  if (node.kind() === 'object') {
    return node.children().some((c) => c.kind() === 'spread_element' && isProcessEnv(c.children().find((x) => x.isNamed())));
  }
  if (node.kind() === 'call_expression' && node.field('function')?.text() === 'Object.assign') {
    return callArguments(node).some((a) => isProcessEnv(a));
  }
  return false;
}

/** The value `{ env }` refers to: the nearest `const env = ...` in the enclosing functions or the module. */
function tsShorthandValue(shorthand: SgNode): SgNode | undefined {
  for (const scope of [...shorthand.ancestors()]) {
    if (scope.kind() !== 'statement_block' && scope.kind() !== 'program') continue;
    for (const declarator of scope.findAll({ rule: { kind: 'variable_declarator' } })) {
      if (declarator.field('name')?.text() === shorthand.text() && declarator.field('value')) return unwrapTsExpression(declarator.field('value')!);
    }
  }
  return undefined;
}

/** `delete env.SECRET` / `delete env[key]` on the variable: the copy is filtered before it is handed over. */
function tsFiltered(name: string, near: SgNode): boolean {
  const scope = enclosingFunction(near) ?? near.getRoot().root();
  return scope.findAll({ rule: { kind: 'unary_expression' } }).some((u) => u.text().startsWith('delete') && new RegExp(`^delete\\s+${name}\\b`).test(u.text()));
}

function tsConstant(input: SgNode | undefined, depth = 0): boolean {
  if (!input) return true;
  const node = unwrapTsExpression(input);
  if (depth > 5) return false;
  if (tsStaticString(node) !== undefined || node.kind() === 'number') return true;
  if (/^(__dirname|process\.cwd\(\)|import\.meta\.dirname)$/.test(node.text())) return true;
  if (node.kind() === 'identifier') {
    const value = tsDeclaredValue(node);
    return value !== undefined && tsConstant(value, depth + 1);
  }
  if (node.kind() === 'template_string') {
    return node.children().filter((c) => c.kind() === 'template_substitution').every((s) => tsConstant(s.children().find((c) => c.isNamed()), depth + 1));
  }
  if (node.kind() === 'call_expression' && /^path\.(join|resolve)$/.test(node.field('function')?.text() ?? '')) {
    return callArguments(node).every((a) => tsConstant(a, depth + 1));
  }
  return false;
}

/** The non-constant parts of what the child is pointed at: arguments, command-line substitutions, cwd. */
function tsVariableTargets(parts: SgNode[]): SgNode[] {
  const out: SgNode[] = [];
  for (const part of parts) {
    const node = tsResolved(part);
    if (!node) continue;
    if (node.kind() === 'array') out.push(...tsVariableTargets(node.children().filter((c) => c.isNamed() && c.kind() !== 'comment')));
    else if (node.kind() === 'spread_element') out.push(...tsVariableTargets(node.children().filter((c) => c.isNamed())));
    else if (node.kind() === 'template_string') {
      out.push(...node.children().filter((c) => c.kind() === 'template_substitution').map((s) => s.children().find((c) => c.isNamed())!).filter((e) => e && !tsConstant(e)));
    } else if (!tsConstant(node)) out.push(node);
  }
  return out;
}

/** The program a command line starts with: the first word of its literal head. */
function tsCommandProgram(command: SgNode | undefined): string | undefined {
  const node = tsResolved(command);
  if (!node) return undefined;
  const literal = tsStaticString(node);
  if (literal !== undefined) return literal.trim().split(/\s+/)[0];
  if (node.kind() === 'template_string') {
    const head = node.children().find((c) => c.isNamed());
    if (head?.kind() === 'string_fragment') return head.text().trim().split(/\s+/)[0];
  }
  return undefined;
}

function typescriptCall(node: SgNode, context: RuleContext): void {
  const callee = node.field('function');
  if (!callee || !/(spawn|exec|fork|sync)\w*$/i.test(callee.text())) return;
  const args = callArguments(node);
  // Cheap first: only calls handed an options object that mentions `env`.
  if (!args.some((a) => a.kind() === 'object' ? /\benv\b/.test(a.text()) : a.kind() === 'identifier')) return;
  const binding = tsExpressionBinding(callee, tsBindingsFor(context.file, node, context.source));
  if (!binding || !TS_SPAWNERS[binding.module]?.has(binding.imported)) return;
  const optionsIndex = args.findIndex((a, i) => i > 0 && tsResolved(a)?.kind() === 'object');
  const options = optionsIndex > 0 ? tsResolved(args[optionsIndex]) : undefined;
  if (!options) return;
  const envValue = objectProperty(options, 'env');
  if (!envValue) return;
  const resolvedEnv = envValue.kind() === 'shorthand_property_identifier' ? tsShorthandValue(envValue) : tsResolved(envValue);
  if (!tsWholeEnvironment(resolvedEnv)) return;
  const envName = unwrapTsExpression(envValue);
  if ((envName.kind() === 'identifier' || envName.kind() === 'shorthand_property_identifier') && tsFiltered(envName.text(), node)) return;

  const name = binding.imported;
  let program: string | undefined;
  let targets: SgNode[];
  const cwd = objectProperty(options, 'cwd');
  const cwdParts = cwd ? [cwd] : [];
  if (binding.module === 'child_process' && TS_NODE_MODULE.has(name)) {
    program = 'node';
    targets = tsVariableTargets([args[0], ...(optionsIndex > 1 ? [args[1]] : []), ...cwdParts]);
  } else if (TS_NODE_MODULE.has(name)) {
    program = 'node';
    targets = tsVariableTargets([args[0], ...cwdParts]);
  } else if (TS_COMMAND_LINE.has(name)) {
    program = tsCommandProgram(args[0]);
    targets = tsVariableTargets([args[0], ...cwdParts]);
  } else {
    const first = tsResolved(args[0]);
    program = first?.text() === 'process.execPath' ? 'node' : tsStaticString(first);
    targets = tsVariableTargets([...(optionsIndex > 1 ? [args[1]] : []), ...cwdParts]);
  }
  // A fixed tool (`git`, `docker`) or code the project owns (`node scripts/build.js`) is not reported.
  if (!program || !RUNNER.test(program) || targets.length === 0) return;
  const targetTexts = targets.map((t) => t.text());
  const cwdTexts = cwd ? [cwd.text(), tsResolved(cwd)?.text() ?? ''] : [];
  const severity = untrustedSeverity([...targetTexts, ...targets.map(tsValueOrigin), ...cwdTexts], node, context.file.path, TS_REQUEST_INPUT);
  if (severity === null) return;
  context.report({
    node,
    message: message(`${callee.text()}()`, program, targetTexts, envValue.text()),
    severity,
  });
}

// ---------------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------------

const PY_SPAWNERS = new Set([
  'subprocess.run',
  'subprocess.call',
  'subprocess.check_call',
  'subprocess.check_output',
  'subprocess.Popen',
  'asyncio.create_subprocess_exec',
  'asyncio.create_subprocess_shell',
]);

function pyIsEnviron(node: SgNode | null | undefined, bindings: PyBindings): boolean {
  return !!node && pyQualifiedName(node, bindings) === 'os.environ';
}

/** `os.environ`, `os.environ.copy()`, `dict(os.environ, ...)`, `{**os.environ, ...}`, `os.environ | {...}`. */
function pyWholeEnvironment(value: SgNode | null | undefined, bindings: PyBindings): boolean {
  if (!value) return false;
  if (pyIsEnviron(value, bindings)) return true;
  switch (value.kind()) {
    case 'call': {
      const callee = value.field('function');
      if (callee?.kind() === 'attribute' && callee.field('attribute')?.text() === 'copy') return pyIsEnviron(callee.field('object'), bindings);
      if (callee?.text() === 'dict') return pyIsEnviron(positionalArguments(value)[0], bindings);
      return false;
    }
    case 'dictionary':
      return value.children().some((c) => c.kind() === 'dictionary_splat' && pyIsEnviron(c.children().find((x) => x.isNamed()), bindings));
    case 'binary_operator':
      return value.field('operator')?.text() === '|' && pyIsEnviron(value.field('left'), bindings);
    default:
      return false;
  }
}

/** `env.pop("SECRET")` / `del env["SECRET"]` in the same function: the copy is filtered. */
function pyFiltered(name: string, near: SgNode): boolean {
  const scope = near.ancestors().find((a) => a.kind() === 'function_definition') ?? near.getRoot().root();
  return new RegExp(`\\b${name}\\.pop\\(|\\bdel\\s+${name}\\[|\\b${name}\\s*=\\s*\\{[^}]*\\bfor\\b`).test(scope.text());
}

function pyConstant(node: SgNode | null | undefined, bindings: PyBindings, depth = 0): boolean {
  if (!node || depth > 5) return !node;
  if (pyStaticString(node) !== undefined || node.kind() === 'integer') return true;
  if (pyQualifiedName(node, bindings) === 'sys.executable') return true;
  if (node.kind() === 'identifier') {
    const values = pyNameValues(node);
    return !!values && values.every((v) => pyConstant(v, bindings, depth + 1));
  }
  return false;
}

function pythonCall(node: SgNode, context: RuleContext): void {
  const envArg = keywordArgument(node, 'env');
  if (!envArg) return;
  const bindings = pyBindingsFor(context.file, node, context.source);
  const callee = pyQualifiedName(node.field('function'), bindings);
  if (!callee || !PY_SPAWNERS.has(callee)) return;
  const envValues = envArg.kind() === 'identifier' ? pyNameValues(envArg) : [envArg];
  if (!envValues || !envValues.some((v) => pyWholeEnvironment(v, bindings))) return;
  if (envArg.kind() === 'identifier' && pyFiltered(envArg.text(), node)) return;

  const positional = positionalArguments(node);
  const shellLine = callee === 'asyncio.create_subprocess_shell' || keywordArgument(node, 'shell')?.text() === 'True';
  let argv: SgNode[];
  let program: string | undefined;
  const first = positional[0] ?? keywordArgument(node, 'args');
  if (callee === 'asyncio.create_subprocess_exec') argv = positional;
  else if (first && (first.kind() === 'list' || first.kind() === 'tuple')) argv = first.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
  else if (first?.kind() === 'identifier' && pyNameValues(first)?.length === 1 && ['list', 'tuple'].includes(String(pyNameValues(first)![0].kind()))) {
    argv = pyNameValues(first)![0].children().filter((c) => c.isNamed() && c.kind() !== 'comment');
  } else argv = first ? [first] : [];
  const head = argv[0];
  if (!head) return;
  if (pyQualifiedName(head, bindings) === 'sys.executable') program = 'python';
  else {
    const literal = pyStaticString(head) ?? (head.kind() === 'string' ? head.children().find((c) => c.kind() === 'string_content')?.text() : undefined);
    program = shellLine || argv.length === 1 ? literal?.trim().split(/\s+/)[0] : literal;
  }
  const targets = [...argv.slice(argv.length === 1 ? 0 : 1), keywordArgument(node, 'cwd')]
    .filter((t): t is SgNode => !!t)
    .flatMap((t) => (t.kind() === 'string' ? t.children().filter((c) => c.kind() === 'interpolation') : [t]))
    .filter((t) => !pyConstant(t.kind() === 'interpolation' ? t.field('expression') : t, bindings));
  if (!program || !RUNNER.test(program) || targets.length === 0) return;
  const targetTexts = targets.map((t) => t.text().replace(/^\{|\}$/g, ''));
  const origins = targets.flatMap((t) => (t.kind() === 'identifier' ? (pyNameValues(t) ?? []).map((v) => v.text()) : []));
  const severity = untrustedSeverity([...targetTexts, ...origins], node, context.file.path, PY_REQUEST_INPUT);
  if (severity === null) return;
  context.report({
    node,
    message: message(`${node.field('function')?.text()}()`, program, targetTexts, envArg.text()),
    severity,
  });
}

export default defineRule({
  meta: {
    id: 'security/env-leak-to-child',
    title: 'Whole environment handed to a child running other code',
    area: 'security',
    severity: 'medium',
    type: 'security',
    effort: 'small',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'An interpreter or package runner pointed at a run-time path gets the whole parent environment (`env: {...process.env}`, `env=os.environ`).',
    why:
      'The parent\'s environment holds its secrets: database URLs, API keys, signing secrets. Handing all of it to a child that ' +
      'runs code chosen at run time (`npm start` in an app directory, `node` on a generated file, `python` on an uploaded script) ' +
      'gives those secrets to that code: one `console.log(process.env)` or outbound request leaks them (seed 004: the sandbox ' +
      'starts generated apps with `{ ...process.env }`). Reported when the names around the call say whose code runs: the ' +
      'target, the function, the class or the file mention an app, project, workspace, job, plugin, user, sandbox, upload or ' +
      'generated code (Medium), High when they say sandbox/user/generated/upload/tenant, the file is a sandbox/generated/' +
      'submission module, or the target comes from the request. Only the explicit pass-through is reported: omitting `env` also inherits the ' +
      'environment, but that is the default everywhere and would be noise. Not reported: fixed tools (`git`, `docker`, `ffmpeg`) ' +
      'and interpreters run on constant paths or on paths nothing names as foreign (a package installing its own helper), allow-listed environments (`env: { PATH: ' +
      'process.env.PATH }`), copies filtered with `delete env.X` / `env.pop("X")`, CLI scripts and tests.',
    recommendation:
      'Build the child\'s environment from an allow-list: `env: { PATH: process.env.PATH, NODE_ENV: "production", PORT: String(port) }` ' +
      '/ `env={"PATH": os.environ["PATH"], "HOME": workdir}`. Pass each secret the child really needs by name, and run untrusted ' +
      'code in a container without the host\'s environment.',
    examples: [
      {
        language: 'ts',
        bad: "import { spawn } from 'node:child_process';\n\nexport function startApp(appDir: string, port: number) {\n  return spawn('npm', ['start'], { cwd: appDir, env: { ...process.env, PORT: String(port) } });\n}\n",
        good: "import { spawn } from 'node:child_process';\n\nexport function startApp(appDir: string, port: number) {\n  return spawn('npm', ['start'], { cwd: appDir, env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port) } });\n}\n",
      },
      {
        language: 'py',
        bad: 'import os\nimport subprocess\n\ndef run_submission(script_path):\n    return subprocess.run(["python3", script_path], env=os.environ.copy(), timeout=30)\n',
        good: 'import os\nimport subprocess\n\ndef run_submission(script_path):\n    return subprocess.run(["python3", script_path], env={"PATH": os.environ["PATH"]}, timeout=30)\n',
      },
    ],
    references: [
      'seed 004 (sandbox spawns generated apps with { ...process.env })',
      'CWE-526 Exposure of Sensitive Information Through Environmental Variables',
      'Node.js child_process documentation (options.env)',
    ],
    cwe: ['CWE-526', 'CWE-200'],
    appliesTo: { tests: false, scripts: false },
  },
  // A process-spawning module and the parent environment, both in the file.
  fileFilter: /^(?=[\s\S]*?(subprocess|child_process|execa|cross-spawn))(?=[\s\S]*?(process\.env|environ))/,
  visitors: {
    py: { call: pythonCall },
    ts: { call_expression: typescriptCall },
  },
});
