import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import {
  descendantsInScope,
  endsProcess,
  fallsBackToAlternative,
  returnsOutcomeAsValue,
  guardsOnlySingleFailureCalls,
  forwardsError,
  pythonNarrowsError,
  typescriptNarrowsError,
  dropsError,
  retriesTryBody,
  tryBlockOf,
} from '../../_shared/error-handling.js';
import { blockOf, boundExceptionName, caughtExceptionNames, DIRECTIVE_COMMENT, isBroadExcept, statementsOf } from '../../_shared/python.js';
import { blockStatements } from '../../_shared/typescript.js';

/** `traceback.print_exc()`, `self.showtraceback()`, `yield f"# The error was: {e}"`: the user sees the whole error (REPLs, CLIs). */
function reportsToTheUser(block: SgNode): boolean {
  return descendantsInScope(block, 'py').some(
    (n) => n.kind() === 'yield' || (n.kind() === 'call' && /(^|\.)(print_exc|print_exception|showtraceback|showsyntaxerror)$/.test(n.field('function')?.text() ?? '')),
  );
}

/** A comment in the handler saying why it catches everything (`// Permanent fallback for unsupported schemas`); a TODO is no reason. */
function explainsWhy(handlerBody: SgNode): boolean {
  return handlerBody.findAll({ rule: { kind: 'comment' } }).some((c) => !DIRECTIVE_COMMENT.test(c.text()) && !/\b(TODO|FIXME|XXX|HACK)\b/.test(c.text()));
}

/** Linter markers that already accept this broad handler: Ruff/flake8 BLE001 and E722, pylint broad-except. */
const ACCEPTED_MARKER = /#\s*noqa(?!:)|#\s*noqa:[^#]*\b(BLE001|BLE|E722|B902)\b|pylint:\s*disable=[^#]*\b(broad-except|broad-exception-caught|bare-except|W0703|W0718|W0702)\b/;

function pythonTryBlock(handler: SgNode): SgNode | undefined {
  return handler.parent()?.children().find((c) => c.kind() === 'block');
}

/** `try: import ujson as json` / `except Exception: json = None`: an optional dependency, any failure means "absent". */
function guardsOnlyImports(tryBlock: SgNode | undefined, family: 'py' | 'ts'): boolean {
  if (!tryBlock) return false;
  if (family === 'py') {
    const statements = statementsOf(tryBlock);
    return statements.length > 0 && statements.every((s) => /^(import_statement|import_from_statement|future_import_statement)$/.test(String(s.kind())));
  }
  // `const sharp = require('sharp')`, `mod = (await import('sharp')).default`: every call is a module load.
  const calls = descendantsInScope(tryBlock, 'ts').filter((n) => n.kind() === 'call_expression');
  return calls.length > 0 && calls.every((c) => /^(require|import)$/.test(c.field('function')?.text() ?? ''));
}

/**
 * `while True:` / `while (running)`: the handler keeps a long-running service loop alive, where catching
 * everything is the point. Per-item `for` loops are not exempt: there a broad catch hides which items failed.
 */
function isServiceLoopBoundary(tryStatement: SgNode | null): boolean {
  const loop = tryStatement?.parent()?.parent();
  if (!loop || loop.kind() !== 'while_statement') return false;
  const condition = loop.field('condition')?.text().replace(/^\(|\)$/g, '').trim() ?? '';
  return /^(True|true|1)$/.test(condition) || /\b(running|alive|stop\w*|shutdown\w*|closed|is_set|isRunning|active)\b/i.test(condition);
}

/** The first call the try block makes, to name what is guarded: `self.bot.db_adapter.fetch_all()`. */
function firstGuardedCall(tryBlock: SgNode | undefined, family: 'py' | 'ts'): string {
  if (!tryBlock) return 'this block';
  const callKind = family === 'py' ? 'call' : 'call_expression';
  const isLogging = (call: SgNode) => /^(print|(self\.|this\.)?(logger|log|logging|console)\.\w+)$/.test(call.field('function')?.text() ?? '');
  const call = descendantsInScope(tryBlock, family)
    .filter((n) => n.kind() === callKind && !isLogging(n))
    .sort((a, b) => a.range().start.index - b.range().start.index)[0];
  // tree-sitter-typescript can fold `await` into the callee of a generic call (`await api.get<User>(...)`).
  const text = call ? `${(call.field('function')?.text() ?? '').replace(/^await\s+/, '')}()` : statementsOf(tryBlock)[0]?.text() ?? 'this block';
  const oneLine = text.replace(/\s+/g, ' ');
  return `\`${oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine}\``;
}

/** `main()` returning an exit status: `except Exception as e: print(e); return 1` ends the program too. */
function returnsExitStatusFromMain(handler: SgNode, block: SgNode): boolean {
  const fn = handler.ancestors().find((a) => a.kind() === 'function_definition');
  if (!fn || !/^(main|cli|run_cli)$/.test(fn.field('name')?.text() ?? '')) return false;
  return descendantsInScope(block, 'py').some((n) => n.kind() === 'return_statement' && /^return\s+[1-9]\d*$/.test(n.text()));
}

function checkPythonHandler(node: SgNode, context: RuleContext): void {
  if (!isBroadExcept(node)) return;
  const block = blockOf(node);
  const statements = statementsOf(block);
  // Handlers that drop the error are reliability/silent-exception's (High); not reported twice.
  if (!block || statements.length === 0 || dropsError(node, statements, 'py')) return;
  if (fallsBackToAlternative(statements) || explainsWhy(node) || reportsToTheUser(block)) return;
  if (ACCEPTED_MARKER.test(context.lines[node.range().start.line] ?? '')) return;
  const tryBlock = pythonTryBlock(node);
  if (guardsOnlyImports(tryBlock, 'py')) return;
  const errorName = boundExceptionName(node);
  const handlerNodes = descendantsInScope(block, 'py');
  if (handlerNodes.some((n) => n.kind() === 'raise_statement')) return;
  if (pythonNarrowsError(block, errorName) || forwardsError(block, errorName, 'py')) return;
  if (endsProcess(block, 'py') || returnsExitStatusFromMain(node, block) || retriesTryBody(block, tryBlockOf(node), 'py')) return;
  if (isServiceLoopBoundary(node.parent())) return;

  const names = caughtExceptionNames(node);
  const header = node.text().split('\n')[0].replace(/:\s*(#.*)?$/, '').trim();
  const extra = names.length === 0 || names.some((n) => /BaseException$/.test(n)) ? ', including KeyboardInterrupt and SystemExit,' : '';
  context.report({
    node,
    message: `Broad \`${header}\` around ${firstGuardedCall(tryBlock, 'py')} handles every error${extra} the same way: it neither re-raises nor checks which exception it got.`,
  });
}

function checkTsCatch(node: SgNode, context: RuleContext): void {
  const body = node.field('body');
  if (!body) return;
  const statements = blockStatements(body);
  if (statements.length === 0 || dropsError(node, statements, 'ts')) return;
  // A predicate answering false on any failure (`isJWT`): JavaScript cannot catch by type, so this is the idiom.
  if (fallsBackToAlternative(statements) || explainsWhy(body) || returnsOutcomeAsValue(node, statements)) return;
  const tryStatement = node.parent();
  const tryBlock = tryStatement?.field('body');
  if (guardsOnlyImports(tryBlock ?? undefined, 'ts') || guardsOnlySingleFailureCalls(tryBlock)) return;
  const parameter = node.field('parameter');
  const errorName = parameter?.kind() === 'identifier' ? parameter.text() : undefined;
  if (descendantsInScope(body, 'ts').some((n) => n.kind() === 'throw_statement')) return;
  if (typescriptNarrowsError(body, errorName) || forwardsError(body, errorName, 'ts')) return;
  if (endsProcess(body, 'ts') || isServiceLoopBoundary(tryStatement) || retriesTryBody(body, tryBlockOf(node), 'ts')) return;

  const header = parameter ? `catch (${parameter.text()})` : 'catch';
  context.report({
    node,
    message: `\`${header}\` around ${firstGuardedCall(tryBlock ?? undefined, 'ts')} handles every error the same way: it neither rethrows nor checks which error it got (instanceof, code, status).`,
  });
}

export default defineRule({
  meta: {
    id: 'reliability/broad-exception',
    title: 'Exception handler catches every error',
    area: 'reliability',
    severity: 'low',
    type: 'consistency',
    effort: 'small',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A catch-all handler (`except Exception`, bare `except`, untyped `catch`) that treats every error alike and neither re-raises nor narrows.',
    why:
      'A handler that catches everything decides that a typo, a lost connection, a full disk and a bad input all mean the same ' +
      'thing, usually "log it and carry on" or "answer 500". Programming errors then look like transient failures and nobody ' +
      'fixes them; a bare `except:` or `except BaseException` even swallows Ctrl-C and `sys.exit()`. Each one is minor, so the ' +
      'rule is Low and the count is tracked as a metric (seed 002 counted 45). Not reported: handlers that re-raise, rethrow or ' +
      'wrap the error; handlers that tell errors apart (`isinstance`, `instanceof` a specific class, `.code`, `.status`, type ' +
      'guards); handlers that pass the error object itself on to code that can still tell errors apart (`next(err)`, ' +
      '`reject(err)`, `stream.destroy(err)`, `errors.append(e)`, a central `handle_error(e)`, returning it, keeping it for a ' +
      'later raise), where handing it to a logger or `str()` does not count; ' +
      'last-resort guards that end the program (`sys.exit`, `process.exit`, `main()` returning an exit status); the loop ' +
      'boundary of a `while True` service loop; optional imports; TS/JS catches around calls that fail only one way ' +
      '(`JSON.parse`, `schema.parse`, `new URL`, `jwt.verify`), since JavaScript cannot catch by type; handlers whose one ' +
      'statement takes the alternative (`return parser`, `encoding = "ascii"`), since there every failure means "use the ' +
      'fallback"; Python handlers that hand the whole error to the person at the terminal (`traceback.print_exc()`, a console\'s ' +
      '`showtraceback()`, or yielding it into generated output, as REPLs and `inspectdb` do); handlers with a comment saying why (a TODO is not a reason); and silent handlers, ' +
      'which reliability/silent-exception reports. Logging the traceback does not exempt a handler here (unlike Ruff BLE001): ' +
      'the handler still answers every failure the same way.',
    recommendation:
      'Catch the exceptions the guarded call is documented to raise (`except (httpx.TimeoutException, httpx.HTTPStatusError)`, ' +
      '`if (err instanceof ZodError)` / `err.code === "ENOENT"`) and let the rest propagate to one top-level handler. Where a ' +
      'catch-all really is the boundary, say so with `# noqa: BLE001` / `probity-ignore[reliability/broad-exception]: <reason>` ' +
      '(Bandit\'s `# nosec B110`/`B112` on the `except` line is honoured too, as seed 002 counts those handlers as accepted).',
    examples: [
      {
        language: 'py',
        bad: 'try:\n    results = await self.bot.db_adapter.fetch_all(query)\nexcept Exception as e:\n    logger.warning(f"leaderboard query failed: {e}")\n    return []\n',
        good: 'try:\n    results = await self.bot.db_adapter.fetch_all(query)\nexcept asyncpg.PostgresConnectionError as e:\n    logger.warning(f"leaderboard query failed: {e}")\n    return []\n',
      },
      {
        language: 'ts',
        bad: 'try {\n  const app = await controller.generateApp(prompt);\n  res.status(201).json(app);\n} catch (error) {\n  console.error("Error:", error);\n  res.status(500).json({ error: "Failed" });\n}\n',
        good: 'try {\n  const app = await controller.generateApp(prompt);\n  res.status(201).json(app);\n} catch (error) {\n  next(error);\n}\n',
      },
    ],
    references: [
      'seed 001 (generic `except Exception` blocks), seed 002 (45 broad exception handlers)',
      'Ruff BLE001 blind-except (flake8-blind-except), pycodestyle E722 bare-except',
      'pylint W0718 broad-exception-caught',
    ],
    cwe: ['CWE-396'],
    nosec: ['B110', 'B112'],
  },
  visitors: {
    py: { except_clause: checkPythonHandler },
    ts: { catch_clause: checkTsCatch },
  },
});
