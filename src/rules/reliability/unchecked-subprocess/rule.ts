import type { SgNode } from '@ast-grep/napi';
import { defineRule } from '../../../core/rule.js';
import { keywordArgument } from '../../_shared/python.js';
import { pyBindingsFor, pyQualifiedName, pyStaticBool, pyStaticString, tsBindingsFor, tsExpressionBinding } from '../../_shared/static-values.js';

/** Clearing the terminal: nobody checks it, nobody should. */
const HARMLESS_SHELL = /^\s*(clear|cls)\s*$/;

/** Killing a process that may already be gone is best-effort cleanup: failure is expected and harmless. */
const KILL_COMMAND = /^\W*(taskkill|kill|pkill|killall)\b/i;

function sameNode(a: SgNode, b: SgNode): boolean {
  return a.id() === b.id();
}

function startsAfter(node: SgNode, anchor: SgNode): boolean {
  const a = node.range().start;
  const b = anchor.range().end;
  return a.line > b.line || (a.line === b.line && a.column >= b.column);
}

/**
 * Whether `name` is never mentioned again in `scope` after `after`: the result was stored and
 * forgotten. A result whose output is read is left alone: a command run for its output usually
 * fails into an empty output that the caller validates (`int(out)` in a `try`), so the status is
 * not the only signal.
 */
function neverUsedAgain(scope: SgNode, name: string, after: SgNode): boolean {
  return !scope.findAll({ rule: { kind: 'identifier', regex: `^${name}$` } }).some((identifier) => startsAfter(identifier, after));
}

function pyScope(node: SgNode): SgNode {
  return node.ancestors().find((a) => a.kind() === 'function_definition') ?? node.getRoot().root();
}

function tsScope(node: SgNode): SgNode {
  const fn = node.ancestors().find((a) =>
    ['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration'].includes(String(a.kind())),
  );
  return fn ?? node.getRoot().root();
}

/** `check=True` (or a non-static value that may be True, or `**kwargs` that may carry it). */
function mayCheck(call: SgNode): boolean {
  const check = keywordArgument(call, 'check');
  if (check) return pyStaticBool(check) !== false;
  return call.field('arguments')?.children().some((c) => c.kind() === 'dictionary_splat') ?? false;
}

function firstArgumentText(args: SgNode | null | undefined): string {
  const named = args?.children().filter((c) => c.isNamed() && c.kind() !== 'comment') ?? [];
  const text = named[0]?.text().replace(/\s+/g, ' ') ?? '';
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return named.length > 1 ? `${shown}, ...` : shown;
}

export default defineRule({
  meta: {
    id: 'reliability/unchecked-subprocess',
    title: 'Subprocess exit status never checked',
    area: 'reliability',
    severity: 'medium',
    type: 'bug',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A subprocess is run and its exit status is thrown away: a failing command goes unnoticed.',
    why:
      '`subprocess.run()` without `check=True`, `subprocess.call()`, `os.system()` and Node\'s `spawnSync()` do not raise when ' +
      'the command fails: they return a status. When nobody reads it, a `pg_dump` that failed writes an empty backup and the job ' +
      'still reports success (seed 002). Not reported: `check=True`, `check_call`/`check_output`, `execSync`/`execFileSync` ' +
      '(they throw), `Popen`/`spawn` (their lifecycle is handled elsewhere), results that are returned, passed on, or whose ' +
      '`returncode`/`status` is read, best-effort `kill`/`taskkill` of a process, and results whose output is read (a command run for its output usually fails into an ' +
      'empty output that the caller validates).',
    recommendation:
      'Pass `check=True` (or use `check_call`), or compare `result.returncode` and handle failure; in Node read `result.status` ' +
      'and `result.error`, or use `execFileSync`, which throws on a non-zero exit.',
    examples: [
      {
        language: 'py',
        bad: 'import subprocess\n\n\ndef backup(path):\n    subprocess.run(["pg_dump", "-f", path, "app"])\n',
        good: 'import subprocess\n\n\ndef backup(path):\n    subprocess.run(["pg_dump", "-f", path, "app"], check=True)\n',
      },
      {
        language: 'ts',
        bad: "import { spawnSync } from 'node:child_process';\n\nexport function backup(path: string) {\n  spawnSync('pg_dump', ['-f', path, 'app']);\n}\n",
        good:
          "import { spawnSync } from 'node:child_process';\n\nexport function backup(path: string) {\n  const result = spawnSync('pg_dump', ['-f', path, 'app']);\n" +
          "  if (result.status !== 0) throw new Error(`pg_dump failed: ${result.status}`);\n}\n",
      },
    ],
    references: ['seed 002 (pg_dump failing silently)', 'Pylint W1510 subprocess-run-check', 'Ruff PLW1510'],
    cwe: ['CWE-252'],
  },
  fileFilter: /subprocess|\bsystem\s*\(|spawnSync/,
  visitors: {
    py: {
      call(node, context) {
        const name = pyQualifiedName(node.field('function'), pyBindingsFor(context, node, context.source));
        if (name !== 'subprocess.run' && name !== 'subprocess.call' && name !== 'os.system') return;
        if (name === 'subprocess.run' && mayCheck(node)) return;
        if (name === 'os.system' && HARMLESS_SHELL.test(pyStaticString(node.field('arguments')?.children().find((c) => c.isNamed())) ?? '')) return;
        const command = firstArgumentText(node.field('arguments'));
        if (KILL_COMMAND.test(command)) return;
        const parent = node.parent();
        if (parent?.kind() === 'expression_statement') {
          context.report({ node, message: `\`${name}(${command})\` discards its exit status: a failing command goes unnoticed.` });
          return;
        }
        // `result = subprocess.run(...)` and `result` never used again: stored and forgotten.
        if (name !== 'subprocess.run' || parent?.kind() !== 'assignment' || !sameNode(parent.field('right') ?? parent, node)) return;
        const target = parent.field('left');
        if (target?.kind() !== 'identifier' || !parent.parent() || parent.parent()!.kind() !== 'expression_statement') return;
        if (!neverUsedAgain(pyScope(node), target.text(), node)) return;
        context.report({ node, message: `\`${target.text()} = subprocess.run(${command})\` is never used again: its return code is never checked and there is no \`check=True\`.` });
      },
    },
    ts: {
      call_expression(node, context) {
        const callee = node.field('function');
        if (!callee || !/spawnSync$/.test(callee.text())) return;
        const binding = tsExpressionBinding(callee, tsBindingsFor(context, node, context.source));
        if (binding?.module !== 'child_process' || binding.imported !== 'spawnSync') return;
        const command = firstArgumentText(node.field('arguments'));
        if (KILL_COMMAND.test(command)) return;
        const parent = node.parent();
        if (parent?.kind() === 'expression_statement') {
          context.report({ node, message: `\`spawnSync(${command})\` discards its result: a failing command (non-zero status, spawn error) goes unnoticed.` });
          return;
        }
        if (parent?.kind() !== 'variable_declarator' || !sameNode(parent.field('value') ?? parent, node)) return;
        const target = parent.field('name');
        if (target?.kind() !== 'identifier') return;
        if (!neverUsedAgain(tsScope(node), target.text(), node)) return;
        context.report({ node, message: `\`${target.text()} = spawnSync(${command})\` is never used again: its \`status\` and \`error\` are never checked.` });
      },
    },
  },
});
