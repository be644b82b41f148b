import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import type { Severity } from '../../../core/types.js';
import { blockOf, boundExceptionName, DIRECTIVE_COMMENT, hasComment, isBroadExcept, statementsOf } from '../../_shared/python.js';
import { blockStatements, hasComment as tsHasComment } from '../../_shared/typescript.js';
import { dropsError, guardsOnlySingleFailureCalls, isFileSystemProbe, keepsDefaultOnFailure, pythonGuardsOnlySingleFailureCalls, tryBlockOf } from '../../_shared/error-handling.js';

/** Work whose failure must never pass silently (seed 002: backup, wipe, migration, payment). */
const CRITICAL_WORK = /\b(pg_dump|backups?|restores?|delete|drop|truncate|wipe|purge|migrat\w*|payments?|charges?|refunds?|transfers?|withdraw\w*)\b|\bDELETE\s+FROM\b/i;

/** Releasing a resource: failing to close what is being thrown away rarely matters. */
const CLEANUP_CALL = /(^|\.)(a?close|closer|cleanup|clean_up|shutdown|dispose|release|unlink(Sync)?|remove|rmdir|rm(Sync|tree)?|kill|terminate|disconnect|stop|destroy|unsubscribe|cancel|abort)$/;

/** Whether every statement of the guarded block only releases something (`f.close()`, `await conn.disconnect()`). */
function guardsOnlyCleanup(tryBlock: SgNode | undefined): boolean {
  const statements = tryBlock?.children().filter((c) => c.isNamed() && c.kind() !== 'comment') ?? [];
  return statements.length > 0 && statements.every((statement) => {
    let expression = statement.kind() === 'expression_statement' ? statement.children().find((c) => c.isNamed()) : undefined;
    if (expression && (expression.kind() === 'await' || expression.kind() === 'await_expression')) expression = expression.children().find((c) => c.isNamed());
    if (!expression || (expression.kind() !== 'call' && expression.kind() !== 'call_expression')) return false;
    return CLEANUP_CALL.test(expression.field('function')?.text() ?? '');
  });
}

/**
 * Critical around destructive or financial work; Low where ignoring is a common, visible choice:
 * cleanup (`close()` failing while discarding a resource), CLI scripts and benchmarks.
 */
function severityFor(handler: SgNode, context: RuleContext): Severity | undefined {
  const tryBlock = tryBlockOf(handler);
  if (CRITICAL_WORK.test(tryBlock?.text() ?? '')) return 'critical';
  if (context.file.isScript || guardsOnlyCleanup(tryBlock)) return 'low';
  return undefined;
}

/**
 * An error bound to `_`/`_err` is named unused on purpose, the convention linters honour
 * (`caughtErrorsIgnorePattern: "^_"`): a written intent, like a comment, unless the work is critical.
 */
function ignoredOnPurpose(handler: SgNode, errorName: string | undefined): boolean {
  return !!errorName?.startsWith('_') && !CRITICAL_WORK.test(tryBlockOf(handler)?.text() ?? '');
}

const COMMENT_KINDS = new Set(['comment']);

/**
 * A comment right above the `try` or right after the whole statement usually says why errors are
 * ignored there (`// shape can throw: treat "can't tell" as recursive`): that is a written intent.
 */
function explainedNextToTry(handler: SgNode): boolean {
  const tryStatement = handler.parent();
  if (!tryStatement) return false;
  const { start, end } = tryStatement.range();
  const before = tryStatement.prev();
  const explains = (node: SgNode | null) => !!node && COMMENT_KINDS.has(String(node.kind())) && !DIRECTIVE_COMMENT.test(node.text());
  if (explains(before) && before!.range().end.line >= start.line - 1) return true;
  const after = tryStatement.next();
  return explains(after) && after!.range().start.line <= end.line + 1;
}

/**
 * Django template filters and tags must not raise ("filter functions should fail silently", Django's
 * custom template filter docs): returning '' on a failure is the framework's contract there.
 */
function isTemplateFilter(handler: SgNode): boolean {
  const fn = handler.ancestors().find((a) => a.kind() === 'function_definition');
  const decorated = fn?.parent();
  return decorated?.kind() === 'decorated_definition' && decorated.children().some((d) => d.kind() === 'decorator' && /@(register\.(filter|simple_tag|inclusion_tag|tag)|stringfilter)\b/.test(d.text()));
}

export default defineRule({
  meta: {
    id: 'reliability/silent-exception',
    title: 'Exception swallowed silently',
    area: 'reliability',
    severity: 'high',
    type: 'bug',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'An exception handler that drops the error: no logging, no re-raise, no comment saying why.',
    why:
      'A swallowed error turns a failure into wrong data later: a backup that never ran, a table that was never wiped, ' +
      'a query that returned nothing. Nobody is told, so nobody fixes it. Around destructive or financial work ' +
      '(backup, DELETE, DROP, migration, payment) the finding is Critical. It is Low where ignoring is a visible, common ' +
      'choice: cleanup (a `close()` failing on a resource being discarded), CLI scripts and benchmarks. Not reported: a handler ' +
      'for a specific exception (`except KeyError: pass`), a comment in the handler or right next to the `try` saying why, an ' +
      'error bound to `_`/`_err` (named unused on purpose, the convention linters honour) unless the work is critical, a `try` ' +
      'that only assigns a name which holds a real default before it or is checked right after it (`let recursive = true` ' +
      'before, or `if cls is None:` after: the fallback is the handling), file-system probes (`fs.statSync` failing means ' +
      '"not there"), parse-or-nothing (`try { return parseUrl(req).pathname } catch { return undefined }`, `try: return ' +
      'json.loads(raw)` / `except Exception: return None`: every failure means "not valid", and the caller must handle the ' +
      'empty answer), handlers inside `__del__` (exceptions cannot leave it), predicates answering `false` on a failure, Django template filters and tags (which must fail silently by contract), and validity checks that answer success and failure ' +
      'with different values (`try { new URL(s); return true } catch { return false }`).',
    recommendation:
      'Log the error with its context and either re-raise it or return a value the caller must check. If ignoring it is ' +
      'really right, say why in a comment or with `probity-ignore[reliability/silent-exception]: <reason>` ' +
      '(Bandit\'s `# nosec B110` is honoured too).',
    examples: [
      {
        language: 'py',
        bad: 'try:\n    rows = await db.fetch_all(query)\nexcept Exception:\n    return None\n',
        good: 'try:\n    rows = await db.fetch_all(query)\nexcept Exception as error:\n    logger.warning("leaderboard query failed: %s", error)\n    raise\n',
      },
      {
        language: 'ts',
        bad: 'try {\n  await cleanup(appId);\n} catch (error) {}\n',
        good: 'try {\n  await cleanup(appId);\n} catch (error) {\n  logger.error({ appId, error }, "cleanup failed");\n  throw error;\n}\n',
      },
    ],
    references: ['seed 002 (silent failures)', 'Bandit B110 try_except_pass, B112 try_except_continue', 'ESLint no-empty'],
    cwe: ['CWE-390'],
    nosec: ['B110', 'B112'],
  },
  visitors: {
    py: {
      except_clause(node, context) {
        if (!isBroadExcept(node) || hasComment(node) || explainedNextToTry(node)) return;
        const statements = statementsOf(blockOf(node));
        if (!dropsError(node, statements, 'py') || ignoredOnPurpose(node, boundExceptionName(node)) || keepsDefaultOnFailure(node)) return;
        if (isTemplateFilter(node)) return;
        // `try: user, pw = b64decode(value).split(b":")` / `except Exception: return None`: parse or nothing.
        if (pythonGuardsOnlySingleFailureCalls(tryBlockOf(node))) return;
        // Exceptions cannot leave `__del__` (Python prints and drops them): swallowing there is the norm.
        if (node.ancestors().find((a) => a.kind() === 'function_definition')?.field('name')?.text() === '__del__') return;
        const what = statements.map((s) => s.text()).join('; ');
        context.report({
          node,
          message: `Exception swallowed: the handler only does \`${what}\`, with no logging or re-raise.`,
          severity: severityFor(node, context),
        });
      },
    },
    ts: {
      catch_clause(node, context) {
        const body = node.field('body');
        if (!body || tsHasComment(body) || explainedNextToTry(node)) return;
        const statements = blockStatements(body);
        if (!dropsError(node, statements, 'ts') || ignoredOnPurpose(node, node.field('parameter')?.text()) || keepsDefaultOnFailure(node)) return;
        // `try { return fs.statSync(p) } catch { return undefined }`: the failure is the answer "not there";
        // `try { return parseUrl(req).pathname } catch { return undefined }`: parse or nothing, the JS idiom
        // (a catch cannot be typed), and the caller has to handle the empty answer.
        if (guardsOnlySingleFailureCalls(tryBlockOf(node)) && statements.length > 0) return;
        if (guardsOnlySingleFailureCalls(tryBlockOf(node), isFileSystemProbe)) return;
        const what = statements.length ? statements.map((s) => s.text()).join(' ') : 'nothing';
        context.report({
          node,
          message: `Error swallowed: the catch block does ${statements.length ? `only \`${what}\`` : 'nothing'}, with no logging or rethrow.`,
          severity: severityFor(node, context),
        });
      },
      call_expression(node, context) {
        // promise.catch(() => {}) / .catch(() => null): the rejection disappears.
        const callee = node.field('function');
        if (callee?.kind() !== 'member_expression' || callee.field('property')?.text() !== 'catch') return;
        const args = node.field('arguments')?.children().filter((c) => c.isNamed()) ?? [];
        const handler = args[0];
        if (args.length !== 1 || !handler || (handler.kind() !== 'arrow_function' && handler.kind() !== 'function_expression')) return;
        const body = handler.field('body');
        if (!body || tsHasComment(handler)) return;
        const silent = body.kind() === 'statement_block'
          ? dropsError(handler, blockStatements(body), 'ts')
          : /^(null|undefined|false|true|0|''|""|\[\]|\{\}|\(\{\}\))$/.test(body.text());
        if (!silent) return;
        context.report({
          node: callee.field('property') ?? node,
          message: 'Promise rejection swallowed: `.catch()` handler discards the error without logging it.',
          severity: CRITICAL_WORK.test(callee.field('object')?.text() ?? '') ? 'critical' : context.file.isScript ? 'low' : undefined,
        });
      },
    },
  },
});
