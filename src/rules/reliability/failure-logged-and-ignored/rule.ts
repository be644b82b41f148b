import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import type { Severity } from '../../../core/types.js';
import { descendantsInScope, pythonNarrowsError, retriesTryBody, tryBlockOf, typescriptNarrowsError } from '../../_shared/error-handling.js';
import { blockOf, boundExceptionName, caughtExceptionNames, hasComment, statementsOf } from '../../_shared/python.js';
import { blockStatements, FUNCTION_KINDS, hasComment as tsHasComment } from '../../_shared/typescript.js';
import { calleeOf, isLoggingCall, isLoggingStatement, lastName, receiverOf, shortText, statementCall, words } from '../../_shared/logged-failures.js';

const RULE_ID = 'reliability/failure-logged-and-ignored';

/** Dumps and restores of databases: seed 002's `pg_dump` backup. */
const BACKUP_COMMAND = /\b(pg_dump|pg_dumpall|pg_basebackup|pg_restore|mysqldump|mongodump|mongorestore|dumpdata|loaddata)\b/;
/** SQL that destroys data. */
const DESTRUCTIVE_SQL = /\b(DELETE\s+FROM|DROP\s+(TABLE|DATABASE|SCHEMA|INDEX|VIEW|COLUMN)|TRUNCATE\s+(TABLE\s+)?["`\w])/i;

/** Words naming work whose failure must never pass as success (seed 002: backup, wipe, migration, payment). */
const CRITICAL_WORDS = new Set([
  'backup', 'backups', 'delete', 'drop', 'truncate', 'wipe', 'purge', 'migrate', 'migration', 'migrations',
  'payment', 'payments', 'pay', 'charge', 'charges', 'refund', 'refunds', 'transfer', 'transfers', 'payout', 'payouts',
  'withdraw', 'withdrawal', 'rmtree',
]);
/** Words naming side work (notifications, caches, metrics): its failure being logged is fine. */
const SIDE_WORDS = new Set([
  'email', 'emails', 'mail', 'mailer', 'notify', 'notification', 'notifications', 'message', 'messages', 'sms', 'slack', 'alert',
  'alerts', 'webhook', 'webhooks', 'cache', 'cached', 'caches', 'redis', 'memcache', 'metric', 'metrics', 'analytics', 'track',
  'tracking', 'event', 'events', 'emit', 'log', 'logs', 'logger', 'preview', 'thumbnail', 'thumbnails', 'temp', 'tmp', 'cookie',
  'cookies', 'listener', 'listeners', 'timer', 'timeout', 'interval', 'reaction', 'reactions', 'header', 'headers', 'draft',
  'lock', 'pid', 'sock', 'socket', 'subscription', 'handler', 'callback', 'key', 'keys', 'param', 'params',
]);
/** Calls that do the real work of a function named for critical work (`refund_payment` posting to the provider). */
const WORK_CALL = /^(post|put|patch|delete|request|execute|executemany|execute_many|commit|run|check_call|check_output|create|save|send|fetch|query|call|destroy|remove|apply|upgrade|downgrade|capture|confirm)$/;
/** Exceptions that mean "already gone / nothing to do": logging them and going on is right. */
const EXPECTED_EXCEPTIONS = /^(FileNotFoundError|ProcessLookupError|KeyError|LookupError|ImportError|ModuleNotFoundError|AttributeError|StopIteration|ObjectDoesNotExist|NotFound\w*|\w+\.DoesNotExist|DoesNotExist|\w*NotFound(Error|Exception)?)$/;

interface Work {
  /** What failing, named for the message (`DELETE FROM {table}`, `shutil.rmtree(...)`). */
  what: string;
  severity: Severity;
}

function wordSet(text: string): Set<string> {
  return new Set(words(text));
}

/** `drop()`/`truncate()` alone are pandas frames and file objects; `drop_table`, `dropDatabase` name their target. */
const NEEDS_TARGET = new Set(['drop', 'truncate']);

function hasCriticalWord(text: string): boolean {
  const found = wordSet(text);
  if (found.size === 1 && NEEDS_TARGET.has([...found][0])) return false;
  return [...found].some((w) => CRITICAL_WORDS.has(w)) && ![...found].some((w) => SIDE_WORDS.has(w));
}

function insideLoggingCall(node: SgNode, scope: SgNode): boolean {
  for (const ancestor of node.ancestors()) {
    if (ancestor.id() === scope.id()) return false;
    if ((ancestor.kind() === 'call' || ancestor.kind() === 'call_expression') && isLoggingCall(ancestor)) return true;
  }
  return false;
}

function isAwaited(call: SgNode): boolean {
  const parent = call.parent();
  return parent?.kind() === 'await' || parent?.kind() === 'await_expression';
}

/** `shutil.rmtree(dir)`, `fs.rm(dir, { recursive: true })`: a whole tree removed. Temp and cache paths are cleanup. */
function removesTree(call: SgNode, family: 'py' | 'ts'): boolean {
  const callee = calleeOf(call);
  const name = lastName(callee);
  const args = call.field('arguments')?.text() ?? '';
  if ([...wordSet(args)].some((w) => SIDE_WORDS.has(w) || w === 'tmpdir' || w === 'tempdir' || w === 'mkdtemp')) return false;
  if (family === 'py') return name === 'rmtree';
  return /^(rm|rmSync|rimraf|rmdir|remove|removeSync)$/.test(name) && /^(|fs|fsp|fse|fs\.promises|fsPromises|fsExtra)$/.test(receiverOf(callee)) && (name !== 'rm' && name !== 'rmSync' && name !== 'rmdir' || /recursive\s*:\s*true/.test(args));
}

/**
 * The critical work a `try` block does, if any: destructive SQL, a database dump, a delete/drop/
 * payment/migration call, or a directory tree removal. Calls inside logging calls do not count.
 */
function criticalWorkIn(block: SgNode, family: 'py' | 'ts', functionName: string): Work | undefined {
  const nodes = descendantsInScope(block, family);
  let tree: Work | undefined;
  let workCall: SgNode | undefined;
  for (const node of nodes) {
    const kind = node.kind();
    if (kind === 'string' || kind === 'template_string') {
      const text = node.text();
      if ((DESTRUCTIVE_SQL.test(text) || BACKUP_COMMAND.test(text)) && !insideLoggingCall(node, block)) {
        return { what: shortText(node, 50), severity: 'critical' };
      }
      continue;
    }
    if (kind !== 'call' && kind !== 'call_expression') continue;
    if (isLoggingCall(node) || insideLoggingCall(node, block)) continue;
    const callee = calleeOf(node);
    const name = lastName(callee);
    // Map.delete / Set.delete in JS are never awaited; a database or API delete is.
    const plainDelete = /^(delete|destroy|remove)$/.test(name);
    if (hasCriticalWord(name) && !wordSet(receiverOf(callee)).has('cache') && ![...wordSet(receiverOf(callee))].some((w) => SIDE_WORDS.has(w))) {
      if (!(family === 'ts' && plainDelete && !isAwaited(node))) return { what: `${callee}(...)`, severity: name === 'rmtree' ? 'high' : 'critical' };
    }
    // migration.apply(db), stripe.refunds.create(...): the work named by what the call is made on.
    if (WORK_CALL.test(name) && !plainDelete && hasCriticalWord(receiverOf(callee))) return { what: `${callee}(...)`, severity: 'critical' };
    if (!tree && removesTree(node, family)) tree = { what: `${callee}(...)`, severity: 'high' };
    const sideWork = [...wordSet(callee)].some((w) => SIDE_WORDS.has(w));
    if (!workCall && !sideWork && WORK_CALL.test(name) && !(family === 'ts' && plainDelete && !isAwaited(node))) workCall = node;
  }
  if (tree) return tree;
  // `refund_payment()`: the function is the critical step, its try block the call that does it.
  if (workCall && hasCriticalWord(functionName)) return { what: `${calleeOf(workCall)}(...)\` in \`${functionName}()`, severity: 'critical' };
  return undefined;
}

function functionNode(node: SgNode, family: 'py' | 'ts'): SgNode | undefined {
  return family === 'py'
    ? node.ancestors().find((a) => a.kind() === 'function_definition')
    : node.ancestors().find((a) => FUNCTION_KINDS.has(String(a.kind())));
}

function functionName(fn: SgNode | undefined): string {
  if (!fn) return '';
  const own = fn.field('name')?.text();
  if (own) return own;
  // const refundPayment = async () => {...}
  const declarator = fn.parent();
  return declarator?.kind() === 'variable_declarator' ? declarator.field('name')?.text() ?? '' : '';
}

/** Whether the function returns a value somewhere (then a bare `return` in the handler is an answer the caller checks). */
function returnsValues(fn: SgNode | undefined, family: 'py' | 'ts'): boolean {
  if (!fn) return false;
  return descendantsInScope(fn, family).some((n) => {
    if (n.kind() !== 'return_statement') return false;
    const value = n.children().find((c) => c.isNamed());
    return !!value && !/^(None|undefined)$/.test(value.text());
  });
}

/**
 * Handler statements that only log and then go on: log calls, plus `pass`/`continue`/a bare
 * `return` (in a function that returns nothing anyway). Returns the first log call, or undefined
 * when the handler does anything else (raise, return a value, set a flag, count, re-queue, roll back).
 */
function onlyLogs(statements: SgNode[], fn: SgNode | undefined, family: 'py' | 'ts'): SgNode | undefined {
  let logged: SgNode | undefined;
  for (const statement of statements) {
    const kind = statement.kind();
    if (isLoggingStatement(statement)) {
      logged ??= statementCall(statement);
      continue;
    }
    if (kind === 'pass_statement' || kind === 'continue_statement' || kind === 'empty_statement') continue;
    if (kind === 'return_statement') {
      const value = statement.children().find((c) => c.isNamed());
      if ((!value || /^(None|undefined)$/.test(value.text())) && !returnsValues(fn, family)) continue;
    }
    return undefined;
  }
  return logged;
}

/** Cleanup while already handling another error or in `finally`: best effort by nature. */
function isCleanupContext(tryStatement: SgNode, fn: SgNode | undefined): boolean {
  for (const ancestor of tryStatement.ancestors()) {
    if (fn && ancestor.id() === fn.id()) return false;
    const kind = ancestor.kind();
    if (kind === 'finally_clause' || kind === 'except_clause' || kind === 'catch_clause') return true;
  }
  return false;
}

function inLoop(node: SgNode, fn: SgNode | undefined): boolean {
  for (const ancestor of node.ancestors()) {
    if (fn && ancestor.id() === fn.id()) return false;
    if (/^(for_statement|while_statement|for_in_statement|do_statement)$/.test(String(ancestor.kind()))) return true;
  }
  return false;
}

function reportHandler(handler: SgNode, statements: SgNode[], errorName: string | undefined, family: 'py' | 'ts', context: RuleContext): void {
  const tryStatement = handler.parent();
  const tryBlock = tryBlockOf(handler);
  if (!tryStatement || !tryBlock) return;
  const fn = functionNode(handler, family);
  const logCall = onlyLogs(statements, fn, family);
  if (!logCall || isCleanupContext(tryStatement, fn) || retriesTryBody(handler, tryBlock, family)) return;
  const body = family === 'py' ? blockOf(handler) : handler.field('body');
  if (!body) return;
  if (family === 'py' ? pythonNarrowsError(body, errorName) : typescriptNarrowsError(body, errorName)) return;
  const work = criticalWorkIn(tryBlock, family, functionName(fn));
  if (!work || (work.severity !== 'critical' && context.file.isScript)) return;
  const log = `${calleeOf(logCall)}(...)`;
  const goesOn = inLoop(tryStatement, fn) ? 'and the loop goes on to the next item' : 'and the function carries on as if it succeeded';
  context.report({
    node: handler,
    message: `Failure of \`${work.what}\` is only logged with \`${log}\` ${goesOn}: the caller is never told.`,
    severity: work.severity,
  });
}

/** `result.returncode != 0`, `proc.returncode`, `result.returncode > 0`: the name of the result. */
const PY_FAILED_STATUS = /^\(?\s*([\w.]+)\.returncode\s*(?:!=\s*0|>\s*0|not\s+in\s*[([{][^)\]}]*[)\]}])?\s*\)?$/;
/** `r.status !== 0`, `status !== 0`, `result.exitCode > 0`. */
const TS_FAILED_STATUS = /^\(\s*([\w$]+)(?:\.(status|exitCode))?\s*(?:!==?\s*0|>\s*0)?\s*\)$/;
const TS_SUBPROCESS = /^(spawnSync|execa|execaSync|execaCommand|execaCommandSync|execFileSync|spawnAsync)$/;

/** Statements that run after `node` in its block: execution goes on after the failure. */
function followingStatements(node: SgNode): SgNode[] {
  const siblings: SgNode[] = [];
  for (let next = node.next(); next; next = next.next()) {
    if (next.isNamed() && next.kind() !== 'comment') siblings.push(next);
  }
  return siblings;
}

function returnsResult(statements: SgNode[], name: string): boolean {
  return statements.some((s) => s.findAll({ rule: { kind: 'return_statement' } }).some((r) => new RegExp(`\\b${name.replace(/[.$]/g, '\\$&')}\\b`).test(r.text())));
}

/** The statement that ran the subprocess whose status is `name` (`result = subprocess.run(...)`), searched before `before`. */
function pyProducer(fn: SgNode, name: string, before: SgNode): SgNode | undefined {
  return fn
    .findAll({ rule: { kind: 'assignment' } })
    .filter((a) => a.field('left')?.text() === name && a.range().start.line < before.range().start.line)
    .pop();
}

function tsProducer(fn: SgNode, name: string, property: string | undefined, before: SgNode): SgNode | undefined {
  for (const declarator of fn.findAll({ rule: { kind: 'variable_declarator' } })) {
    if (declarator.range().start.line >= before.range().start.line) continue;
    const target = declarator.field('name');
    const matchesName = property
      ? target?.kind() === 'identifier' && target.text() === name
      : target?.kind() === 'object_pattern' && /^(status|exitCode)$/.test(name) && target.children().some((c) => c.text() === name);
    if (!matchesName) continue;
    let value = declarator.field('value');
    if (value?.kind() === 'await_expression') value = value.children().find((c) => c.isNamed()) ?? null;
    if (value?.kind() === 'call_expression' && TS_SUBPROCESS.test(lastName(calleeOf(value)))) return value;
  }
  return undefined;
}

function reportStatusOnlyLogged(ifStatement: SgNode, condition: string, producer: SgNode, consequence: SgNode[], context: RuleContext): void {
  const logCall = consequence.map(statementCall).find(Boolean)!;
  const evidence = `${producer.text()} ${logCall.text()}`;
  const critical = BACKUP_COMMAND.test(evidence) || DESTRUCTIVE_SQL.test(evidence) || hasCriticalWord(producer.text().replace(/\bsubprocess\b/g, ''));
  // A CLI script that warns and goes on after a routine command is a visible choice; a backup is not.
  if (!critical && context.file.isScript) return;
  const command = BACKUP_COMMAND.exec(evidence)?.[1];
  context.report({
    node: ifStatement,
    message: `${command ? `\`${command}\`` : 'Subprocess'} failure (\`${condition}\`) is only logged with \`${calleeOf(logCall)}(...)\` and the function carries on as if it succeeded.`,
    severity: critical ? 'critical' : 'high',
  });
}

export default defineRule({
  meta: {
    id: RULE_ID,
    title: 'Failed critical step only logged',
    area: 'reliability',
    severity: 'critical',
    type: 'bug',
    effort: 'small',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A failed backup, delete, migration, payment or subprocess is only logged, and execution goes on as if it had succeeded.',
    why:
      'Seed 002: `_backup_database()` logged `pg_dump failed` as a warning and the migration went ahead without a backup; ' +
      '`_wipe_all_tables()` logged each failed `DELETE FROM` and went on, leaving the database half-wiped. A log line is ' +
      'not an error signal: nobody reads it before the next step runs, and the caller reports success. Reported: a ' +
      'subprocess whose non-zero return code (`returncode`, `spawnSync(...).status`) is only logged before the function ' +
      'goes on; an `except`/`catch` around destructive or financial work (DELETE/DROP/TRUNCATE SQL, `.delete()`, ' +
      '`pg_dump`, a migration, a payment, charge, refund or transfer, a recursive directory removal, or the body of a ' +
      'function named for such work) whose handler only logs and falls through, including loops that log a failed ' +
      'item and `continue`. Critical for backups, deletes, migrations and payments; High for other subprocesses and ' +
      'for directory removals (not reported in CLI scripts, where warning and going on is a visible choice). Not reported: handlers that raise, return a value, set a flag, count or collect the ' +
      'failure, roll back or retry; handlers for "already gone" errors (`FileNotFoundError`, `DoesNotExist`); cleanup ' +
      'in `finally` or inside another handler; temp/cache paths; side work such as notifications or cache warm-up ' +
      '(reliability/broad-exception covers those); handlers that do not log at all (reliability/silent-exception).',
    recommendation:
      'Make the failure stop the operation: raise (or rethrow) after logging, or collect the failed items and raise ' +
      'once after the loop, as seed 002 does for table wipes. For subprocesses, raise on a non-zero return code ' +
      '(or use `check=True`) and validate the output (the backup file exists and is not empty).',
    examples: [
      {
        language: 'py',
        bad: 'def backup(db):\n    result = subprocess.run(["pg_dump", db], capture_output=True)\n    if result.returncode != 0:\n        logger.warning("pg_dump failed: %s", result.stderr)\n    run_migrations()\n',
        good: 'def backup(db):\n    result = subprocess.run(["pg_dump", db], capture_output=True)\n    if result.returncode != 0:\n        logger.error("pg_dump failed: %s", result.stderr)\n        raise RuntimeError("pg_dump failed")\n    run_migrations()\n',
      },
      {
        language: 'ts',
        bad: 'async function wipe(db: Db, tables: string[]) {\n  for (const table of tables) {\n    try {\n      await db.query(`DELETE FROM ${table}`);\n    } catch (error) {\n      logger.warn({ table, error }, "could not wipe table");\n    }\n  }\n}\n',
        good: 'async function wipe(db: Db, tables: string[]) {\n  const failed: string[] = [];\n  for (const table of tables) {\n    try {\n      await db.query(`DELETE FROM ${table}`);\n    } catch (error) {\n      logger.error({ table, error }, "could not wipe table");\n      failed.push(table);\n    }\n  }\n  if (failed.length) throw new Error(`wipe failed for ${failed.join(", ")}`);\n}\n',
      },
    ],
    references: [
      'seed 002 (database backup failure handling; database wipe error handling)',
      'CWE-390: Detection of Error Condition Without Action; CWE-754: Improper Check for Unusual or Exceptional Conditions',
      'Bandit B110/B112 (the silent variants, left to reliability/silent-exception)',
    ],
  },
  // Something logged, and a status check or critical work, somewhere in the file.
  fileFilter: /^(?=[\s\S]*(log|console|print|Sentry|capture))(?=[\s\S]*(returncode|\.status|exitCode|delete|drop|truncate|wipe|purge|backup|dump|migrat|pay|charge|refund|transfer|withdraw|rmtree|\brm\(|rmSync|rimraf|remove))/i,
  visitors: {
    py: {
      except_clause(node, context) {
        if (hasComment(node)) return;
        const caught = caughtExceptionNames(node);
        if (caught.length > 0 && caught.every((name) => EXPECTED_EXCEPTIONS.test(name))) return;
        reportHandler(node, statementsOf(blockOf(node)), boundExceptionName(node), 'py', context);
      },
      if_statement(node, context) {
        const condition = node.field('condition');
        const match = condition ? PY_FAILED_STATUS.exec(condition.text()) : null;
        if (!condition || !match || node.field('alternative') || node.children().some((c) => c.kind() === 'elif_clause' || c.kind() === 'else_clause')) return;
        const consequence = statementsOf(node.field('consequence') ?? undefined);
        if (consequence.length === 0 || !consequence.every(isLoggingStatement) || hasComment(node)) return;
        const after = followingStatements(node);
        const fn = functionNode(node, 'py');
        if (!fn || after.length === 0 || returnsResult(after, match[1])) return;
        const producer = pyProducer(fn, match[1], node);
        if (!producer) return;
        reportStatusOnlyLogged(node, condition.text(), producer, consequence, context);
      },
    },
    ts: {
      catch_clause(node, context) {
        const body = node.field('body');
        if (!body || tsHasComment(body)) return;
        reportHandler(node, blockStatements(body), node.field('parameter')?.text(), 'ts', context);
      },
      if_statement(node, context) {
        const condition = node.field('condition');
        const match = condition ? TS_FAILED_STATUS.exec(condition.text()) : null;
        if (!condition || !match || node.field('alternative')) return;
        const consequenceNode = node.field('consequence');
        const consequence = consequenceNode?.kind() === 'statement_block' ? blockStatements(consequenceNode) : consequenceNode ? [consequenceNode] : [];
        if (consequence.length === 0 || !consequence.every(isLoggingStatement) || tsHasComment(node)) return;
        const after = followingStatements(node);
        const fn = functionNode(node, 'ts');
        if (!fn || after.length === 0 || returnsResult(after, match[1])) return;
        const producer = tsProducer(fn, match[1], match[2], node);
        if (!producer) return;
        reportStatusOnlyLogged(node, condition.text().replace(/^\(\s*|\s*\)$/g, ''), producer, consequence, context);
      },
    },
  },
});
