import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import type { Severity } from '../../../core/types.js';
import { blockOf, hasComment, isBroadExcept, statementsOf } from '../../_shared/python.js';
import { blockStatements, hasComment as tsHasComment } from '../../_shared/typescript.js';
import { dropsError, tryBlockOf } from '../../_shared/error-handling.js';

/** Work whose failure must never pass silently (seed 002: backup, wipe, migration, payment). */
const CRITICAL_WORK = /\b(pg_dump|backup|restore|delete|drop|truncate|wipe|purge|migrat\w*|payment|charge|refund|transfer|withdraw)\b|\bDELETE\s+FROM\b/i;

function severityFor(guarded: string, context: RuleContext): Severity | undefined {
  if (CRITICAL_WORK.test(guarded)) return 'critical';
  if (context.file.isScript) return 'low';
  return undefined;
}

function tryBodyText(handler: SgNode): string {
  return tryBlockOf(handler)?.text() ?? '';
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
      '(backup, DELETE, DROP, migration, payment) the finding is Critical; in CLI scripts it is Low. A handler that catches ' +
      'a specific exception (`except KeyError: pass`) or carries a comment explaining itself is deliberate and not reported.',
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
        if (!isBroadExcept(node) || hasComment(node)) return;
        const statements = statementsOf(blockOf(node));
        if (!dropsError(node, statements, 'py')) return;
        const what = statements.map((s) => s.text()).join('; ');
        context.report({
          node,
          message: `Exception swallowed: the handler only does \`${what}\`, with no logging or re-raise.`,
          severity: severityFor(tryBodyText(node), context),
        });
      },
    },
    ts: {
      catch_clause(node, context) {
        const body = node.field('body');
        if (!body || tsHasComment(body)) return;
        const statements = blockStatements(body);
        if (!dropsError(node, statements, 'ts')) return;
        const what = statements.length ? statements.map((s) => s.text()).join(' ') : 'nothing';
        context.report({
          node,
          message: `Error swallowed: the catch block does ${statements.length ? `only \`${what}\`` : 'nothing'}, with no logging or rethrow.`,
          severity: severityFor(tryBodyText(node), context),
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
          severity: severityFor(callee.field('object')?.text() ?? '', context),
        });
      },
    },
  },
});
