import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import type { Severity } from '../../../core/types.js';
import { keywordArgument, positionalArguments } from '../../_shared/python.js';
import {
  pyBindingsFor,
  pyNameValues,
  pyQualifiedName,
  pyStaticBool,
  tsBindingsFor,
  tsDeclaredValue,
  tsExpressionBinding,
  tsResolved,
  tsStaticString,
  unwrapTsExpression,
  type PyBindings,
} from '../../_shared/static-values.js';
import { callArguments, enclosingFunction, objectProperty } from '../../_shared/typescript.js';

// ---------------------------------------------------------------------------------------------
// Which calls reach a shell
// ---------------------------------------------------------------------------------------------

/** Python calls that always hand their command to `/bin/sh -c` (Bandit B605). */
const PY_SHELL_ALWAYS = new Set([
  'os.system',
  'os.popen',
  'subprocess.getoutput',
  'subprocess.getstatusoutput',
  'asyncio.create_subprocess_shell',
]);
/** Python calls that reach a shell with `shell=True` (Bandit B602). */
const PY_SHELL_OPTION = new Set(['subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output', 'subprocess.Popen']);

/** Node functions that always run their command through a shell. */
const TS_SHELL_ALWAYS: Record<string, Set<string>> = {
  child_process: new Set(['exec', 'execSync']),
  shelljs: new Set(['exec']),
};
/** Node functions that run through a shell with `{ shell: true }`. */
const TS_SHELL_OPTION = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync']);

/** Untrusted request input in the command: the finding becomes Critical. */
const PY_REQUEST_INPUT = /\brequest\.(args|form|json|values|data|files|GET|POST|query_params|path_params|headers|cookies|get_json)\b/;
const TS_REQUEST_INPUT = /\b(req|request|ctx\.request)\.(body|query|params|headers|cookies)\b/;

function severityFor(parts: string[], requestInput: RegExp, context: RuleContext): Severity | undefined {
  if (parts.some((part) => requestInput.test(part))) return 'critical';
  if (context.file.isScript) return 'medium';
  return undefined;
}

function injectionNote(count: number): string {
  return `shell syntax in ${count > 1 ? 'these values' : 'that value'} (\`;\`, \`$()\`, quotes) runs as commands`;
}

function listParts(parts: SgNode[]): string {
  const texts = [...new Set(parts.map((p) => p.text().replace(/\s+/g, ' ')))];
  const shown = texts.slice(0, 3).map((t) => `\`${t.length > 40 ? `${t.slice(0, 39)}…` : t}\``);
  return texts.length > 3 ? `${shown.join(', ')} and ${texts.length - 3} more` : shown.join(', ');
}

function short(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

// ---------------------------------------------------------------------------------------------
// Python: which parts of a command string are not constant
// ---------------------------------------------------------------------------------------------

/** Values that cannot carry shell syntax: quoted, numeric, or the interpreter's own paths. */
const PY_SAFE_CALLS = new Set(['shlex.quote', 'pipes.quote', 'shlex.join', 'int', 'float', 'len', 'round', 'abs']);
const PY_TRUSTED_VALUES = new Set(['sys.executable', 'os.devnull', 'os.sep', 'os.pathsep', 'os.linesep']);
/** Deployment configuration (`os.getenv`, `os.environ[...]`) is the operator's, not an attacker's. */
const PY_ENVIRONMENT = new Set(['os.getenv', 'os.environ.get']);

/** `" ".join(shlex.quote(a) for a in args)` / `" ".join(map(shlex.quote, args))`. */
function pyJoinsQuoted(call: SgNode, bindings: PyBindings): boolean {
  // `f(x for x in y)`: the generator is the whole argument list.
  const args = call.field('arguments');
  const iterable = args?.kind() === 'generator_expression' ? args : positionalArguments(call)[0];
  if (!iterable) return false;
  if (iterable.kind() === 'generator_expression' || iterable.kind() === 'list_comprehension') {
    const body = iterable.field('body');
    return body?.kind() === 'call' && PY_SAFE_CALLS.has(pyQualifiedName(body.field('function'), bindings) ?? '');
  }
  if (iterable.kind() === 'call' && iterable.field('function')?.text() === 'map') {
    const [fn] = positionalArguments(iterable);
    return PY_SAFE_CALLS.has(pyQualifiedName(fn, bindings) ?? '');
  }
  return false;
}

/** The parts of a command expression that are neither literal nor quoted; empty when it is constant. */
function pyUnsafeParts(node: SgNode | null | undefined, bindings: PyBindings, depth = 0): SgNode[] {
  if (!node) return [];
  if (depth > 6) return [node];
  switch (node.kind()) {
    case 'string': {
      const parts: SgNode[] = [];
      for (const field of node.children().filter((c) => c.kind() === 'interpolation')) {
        const expression = field.field('expression');
        // `{x!r}` adds quotes Python-style, which a shell does not honour.
        const spec = field.children().find((c) => c.kind() === 'format_specifier')?.text() ?? '';
        if (field.field('type_conversion')?.text() === '!r') parts.push(expression ?? field);
        // `{port:d}`, `{ratio:.2f}`: a numeric format fails on anything but a number.
        else if (/[bcdoxXeEfFgGn%]$/.test(spec)) continue;
        else parts.push(...pyUnsafeParts(expression, bindings, depth + 1));
      }
      return parts;
    }
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
      return [];
    case 'concatenated_string':
    case 'parenthesized_expression':
      return node.children().filter((c) => c.isNamed()).flatMap((c) => pyUnsafeParts(c, bindings, depth + 1));
    case 'binary_operator': {
      const operator = node.field('operator')?.text();
      if (operator !== '+' && operator !== '%') return [node];
      const right = node.field('right');
      const rightParts = operator === '%' && right && ['tuple', 'dictionary'].includes(String(right.kind()))
        ? right.children().filter((c) => c.isNamed()).flatMap((c) => pyUnsafeParts(c.kind() === 'pair' ? c.field('value') : c, bindings, depth + 1))
        : pyUnsafeParts(right, bindings, depth + 1);
      return [...pyUnsafeParts(node.field('left'), bindings, depth + 1), ...rightParts];
    }
    case 'identifier': {
      const values = pyNameValues(node);
      if (!values) return [node];
      return values.flatMap((value) => pyUnsafeParts(value, bindings, depth + 1));
    }
    case 'attribute':
      return PY_TRUSTED_VALUES.has(pyQualifiedName(node, bindings) ?? '') ? [] : [node];
    case 'subscript':
      return pyQualifiedName(node.field('value'), bindings) === 'os.environ' ? [] : [node];
    case 'call': {
      const callee = node.field('function');
      const name = pyQualifiedName(callee, bindings);
      if (name && (PY_SAFE_CALLS.has(name) || PY_ENVIRONMENT.has(name))) return [];
      if (callee?.kind() === 'attribute') {
        const method = callee.field('attribute')?.text();
        const receiver = callee.field('object');
        if (method === 'format' && receiver && (receiver.kind() === 'string' || receiver.kind() === 'concatenated_string')) {
          const args = node.field('arguments')?.children().filter((c) => c.isNamed()) ?? [];
          return [
            ...pyUnsafeParts(receiver, bindings, depth + 1),
            ...args.flatMap((a) => pyUnsafeParts(a.kind() === 'keyword_argument' ? a.field('value') : a, bindings, depth + 1)),
          ];
        }
        if (method === 'join' && receiver && (receiver.kind() === 'string' || receiver.kind() === 'concatenated_string')) {
          if (pyJoinsQuoted(node, bindings)) return [];
          const [items] = positionalArguments(node);
          if (items && (items.kind() === 'list' || items.kind() === 'tuple')) {
            return items.children().filter((c) => c.isNamed()).flatMap((c) => pyUnsafeParts(c, bindings, depth + 1));
          }
        }
      }
      return [node];
    }
    default:
      return [node];
  }
}

function pythonCall(node: SgNode, context: RuleContext): void {
  const calleeText = node.field('function')?.text() ?? '';
  if (!/(system|popen|getoutput|getstatusoutput|create_subprocess_shell|run|call|check_call|check_output|Popen)$/.test(calleeText)) return;
  const bindings = pyBindingsFor(context.file, node, context.source);
  const callee = pyQualifiedName(node.field('function'), bindings);
  if (!callee) return;
  let command: SgNode | undefined;
  let how: string;
  if (PY_SHELL_ALWAYS.has(callee)) {
    command = positionalArguments(node)[0] ?? keywordArgument(node, 'cmd') ?? keywordArgument(node, 'command');
    how = `\`${callee}()\``;
  } else if (PY_SHELL_OPTION.has(callee)) {
    const shell = keywordArgument(node, 'shell');
    if (!shell || !(pyStaticBool(shell) === true || shell.text() === '1')) return;
    command = positionalArguments(node)[0] ?? keywordArgument(node, 'args');
    // With shell=True only the first item of a sequence is the command line.
    if (command && (command.kind() === 'list' || command.kind() === 'tuple')) command = command.children().find((c) => c.isNamed());
    how = `\`${callee}(..., shell=True)\``;
  } else return;
  if (!command) return;
  const parts = pyUnsafeParts(command, bindings);
  if (parts.length === 0) return;
  context.report({
    node,
    message: `${how} runs a shell command built from ${listParts(parts)}: ${injectionNote(parts.length)}.`,
    severity: severityFor(parts.map((p) => p.text()), PY_REQUEST_INPUT, context),
  });
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript
// ---------------------------------------------------------------------------------------------

const TS_QUOTE_CALL = /(^|\.)(quote|escape|shellEscape|shellescape|escapeShellArg|escapeshellarg|shellQuote|quoteShellArg)$/i;
const TS_NUMERIC_CALL = /^(Number|parseInt|parseFloat|Math\.\w+)$|\.toFixed$/;
const TS_TRUSTED_VALUES = new Set([
  '__dirname',
  '__filename',
  'process.execPath',
  'process.pid',
  'process.platform',
  'process.arch',
  'import.meta.dirname',
  'import.meta.filename',
  'process.cwd()',
  'os.tmpdir()',
]);

/** The parts of a command or argument expression that are neither literal nor quoted. */
function tsUnsafeParts(input: SgNode | null | undefined, depth = 0): SgNode[] {
  if (!input) return [];
  const node = unwrapTsExpression(input);
  if (depth > 6) return [node];
  if (TS_TRUSTED_VALUES.has(node.text()) || /^process\.env\.[A-Z0-9_]+$/.test(node.text())) return [];
  switch (node.kind()) {
    case 'string':
    case 'number':
    case 'true':
    case 'false':
    case 'null':
    case 'undefined':
      return [];
    case 'template_string':
      return node
        .children()
        .filter((c) => c.kind() === 'template_substitution')
        .flatMap((s) => tsUnsafeParts(s.children().find((c) => c.isNamed()), depth + 1));
    case 'binary_expression':
      // `a + b` builds the string; `a ?? b` / `a || b` picks one of two values.
      if (!['+', '??', '||'].includes(node.field('operator')?.text() ?? '')) return [node];
      return [...tsUnsafeParts(node.field('left'), depth + 1), ...tsUnsafeParts(node.field('right'), depth + 1)];
    case 'ternary_expression':
      return [...tsUnsafeParts(node.field('consequence'), depth + 1), ...tsUnsafeParts(node.field('alternative'), depth + 1)];
    case 'array':
      return node.children().filter((c) => c.isNamed() && c.kind() !== 'comment').flatMap((c) => tsUnsafeParts(c, depth + 1));
    case 'identifier': {
      const value = tsDeclaredValue(node);
      return value ? tsUnsafeParts(value, depth + 1) : [node];
    }
    case 'spread_element':
      return tsUnsafeParts(node.children().find((c) => c.isNamed()), depth + 1);
    case 'call_expression': {
      const callee = node.field('function');
      const name = callee?.text() ?? '';
      if (TS_QUOTE_CALL.test(name) || TS_NUMERIC_CALL.test(name)) return [];
      // `['git', 'log'].join(' ')` and `path.join(ROOT, 'bin')` are as constant as their parts.
      if (callee?.kind() === 'member_expression') {
        const method = callee.field('property')?.text();
        const receiver = callee.field('object');
        if (method === 'join' && receiver && tsResolved(receiver)?.kind() === 'array') return tsUnsafeParts(tsResolved(receiver), depth + 1);
        if (/^path\.(join|resolve)$/.test(name)) return callArguments(node).flatMap((a) => tsUnsafeParts(a, depth + 1));
      }
      return [node];
    }
    default:
      return [node];
  }
}

/** Where a part comes from, for severity: `input` from `const { input } = req.body` reads as `req.body.input`. */
function tsPartSource(part: SgNode): string {
  if (part.kind() !== 'identifier') return part.text();
  const scope = enclosingFunction(part) ?? part.getRoot().root();
  for (const declarator of scope.findAll({ rule: { kind: 'variable_declarator' } })) {
    const pattern = declarator.field('name');
    const value = declarator.field('value');
    if (pattern?.kind() !== 'object_pattern' || !value) continue;
    const binds = pattern.children().some((p) =>
      p.kind() === 'shorthand_property_identifier_pattern' ? p.text() === part.text() : p.kind() === 'pair_pattern' && p.field('value')?.text() === part.text(),
    );
    if (binds) return `${value.text()}.${part.text()}`;
  }
  return part.text();
}

function shellOption(options: SgNode | undefined): 'on' | 'off' | 'unknown' {
  if (!options) return 'off';
  const object = tsResolved(options);
  if (object?.kind() !== 'object') return 'unknown';
  const shell = objectProperty(object, 'shell');
  if (!shell) return object.children().some((c) => c.kind() === 'spread_element') ? 'unknown' : 'off';
  const value = tsResolved(shell);
  if (value?.kind() === 'true') return 'on';
  const path = tsStaticString(value);
  // `shell: '/bin/bash'` is a shell too; `shell: process.platform === 'win32'` is a deliberate Windows switch.
  return path !== undefined && path !== '' ? 'on' : 'off';
}

function typescriptCall(node: SgNode, context: RuleContext): void {
  const callee = node.field('function');
  if (!callee) return;
  const bindings = tsBindingsFor(context.file, node, context.source);
  const binding = tsExpressionBinding(callee, bindings);
  if (!binding) return;
  const args = callArguments(node);
  const name = binding.imported;
  const display = `${callee.text()}()`;
  if (TS_SHELL_ALWAYS[binding.module]?.has(name)) {
    const parts = tsUnsafeParts(args[0]);
    if (parts.length === 0) return;
    context.report({
      node,
      message: `\`${display}\` runs a shell command built from ${listParts(parts)}: ${injectionNote(parts.length)}.`,
      severity: severityFor(parts.map(tsPartSource), TS_REQUEST_INPUT, context),
    });
    return;
  }
  if (binding.module !== 'child_process' || !TS_SHELL_OPTION.has(name) || !args[0]) return;
  const second = args[1] ? tsResolved(args[1]) : undefined;
  const argv = second && second.kind() !== 'object' ? args[1] : undefined;
  const options = argv ? args[2] : args[1];
  if (shellOption(options) !== 'on') return;
  const argvNode = argv ? tsResolved(argv) : undefined;
  const argvParts = argv ? (argvNode?.kind() === 'array' ? tsUnsafeParts(argvNode) : [argv]) : [];
  const parts = [...tsUnsafeParts(args[0]), ...argvParts];
  if (parts.length) {
    context.report({
      node,
      message: argv
        ? `\`${display}\` with \`shell: true\` runs a shell command line built from ${listParts(parts)}: the arguments are joined without escaping, so ${injectionNote(parts.length)}.`
        : `\`${display}\` with \`shell: true\` runs a shell command built from ${listParts(parts)}: ${injectionNote(parts.length)}.`,
      severity: severityFor(parts.map(tsPartSource), TS_REQUEST_INPUT, context),
    });
    return;
  }
  const argCount = argvNode?.kind() === 'array' ? argvNode.children().filter((c) => c.isNamed() && c.kind() !== 'comment').length : 0;
  if (argCount === 0) return;
  context.report({
    node,
    message: `\`${callee.text()}(${short(args[0].text(), 30)}, ${short(argv!.text(), 40)}, { shell: true })\` passes its argument list to a shell: Node joins it into one command line without escaping (deprecated, DEP0190). Only literals today; drop \`shell: true\` before any argument becomes a variable.`,
    severity: context.file.isScript ? 'low' : 'medium',
  });
}

export default defineRule({
  meta: {
    id: 'security/shell-injection',
    title: 'Shell command built from variable input',
    area: 'security',
    severity: 'high',
    type: 'security',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A command that runs through a shell (`shell=True`, `os.system`, `exec`, `spawn` with `shell: true`) is built from non-constant values.',
    why:
      'A shell reads its command line as a program: a value containing `;`, `&&`, `|`, `$(...)`, backticks or a quote ends the ' +
      'intended command and starts another. When any part of the line comes from a variable (a file name, a branch, an app id, ' +
      'a request field), whoever controls that value can run commands as the service, with its environment and secrets. ' +
      'Critical when the value visibly comes from the request; Medium in CLI scripts, whose input is the operator\'s own. ' +
      '`spawn(cmd, args, { shell: true })` is reported even with literal arguments (Medium): Node joins the arguments with ' +
      'spaces and does not escape them (DEP0190), so the call becomes an injection the day one argument is a variable ' +
      '(seed 004). Constant commands (`os.system("clear")`, `exec("git rev-parse HEAD")`) and values wrapped in ' +
      '`shlex.quote()` / a shell-quoting helper are not reported.',
    recommendation:
      'Run the program directly with an argument list and no shell: `subprocess.run(["pg_dump", "--dbname", url], check=True)`, ' +
      '`execFile("git", ["checkout", branch])`, `spawn("npm", ["start"], { cwd })`. If a shell feature is really needed (a pipe, ' +
      'a glob), quote every variable with `shlex.quote()` (Python) or a shell-quoting library (Node), and validate values ' +
      'against an allow-list first.',
    examples: [
      {
        language: 'py',
        bad: 'import subprocess\n\ndef backup(path):\n    subprocess.run(f"pg_dump mydb > {path}", shell=True, check=True)\n',
        good: 'import subprocess\n\ndef backup(path):\n    with open(path, "wb") as out:\n        subprocess.run(["pg_dump", "mydb"], stdout=out, check=True)\n',
      },
      {
        language: 'ts',
        bad: "import { exec } from 'node:child_process';\n\nexport function checkout(branch: string) {\n  exec(`git checkout ${branch}`);\n}\n",
        good: "import { execFile } from 'node:child_process';\n\nexport function checkout(branch: string) {\n  execFile('git', ['checkout', branch]);\n}\n",
      },
    ],
    references: [
      'seed 004 (spawn with shell: true in the sandbox service)',
      'Bandit B602 subprocess_popen_with_shell_equals_true, B605 start_process_with_a_shell',
      'Semgrep python.lang.security.audit.subprocess-shell-true, python.lang.security.audit.dangerous-system-call',
      'Semgrep javascript.lang.security.detect-child-process, javascript.lang.security.audit.spawn-shell-true',
      'Node.js DEP0190 (args passed to spawn/execFile with shell: true)',
      'OWASP OS Command Injection Defense Cheat Sheet',
    ],
    cwe: ['CWE-78'],
    nosec: ['B602', 'B605'],
  },
  // Shell-running calls are resolved through imports of these modules.
  fileFilter: /subprocess|\bos\b|asyncio|child_process|shelljs/,
  visitors: {
    py: { call: pythonCall },
    ts: { call_expression: typescriptCall },
  },
});
