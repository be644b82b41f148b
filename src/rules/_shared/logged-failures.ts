// Shared by reliability/failure-logged-and-ignored, generic-error-response and partial-failure:
// what a statement does (only logs? answers?), and what kind of work a call is, judged from the
// words in its callee (`db.createApp` → create on a database, `stripe.Refund.create` → payment).
import type { SgNode } from '@ast-grep/napi';

/** `logger.warning`, `self.log.error`, `console.error`, `print`, `traceback.print_exc`, `Sentry.captureException`. */
const LOGGING_CALLEE = new RegExp(
  '^(print|pprint|warnings\\.warn|traceback\\.print_exc|traceback\\.print_exception|sys\\.stderr\\.write|process\\.stderr\\.write|' +
    'console\\.(log|error|warn|info|debug|trace)|capture_exception|captureException|(Sentry|sentry_sdk)\\.\\w+|' +
    '([\\w$]+\\.)*_?(logger|log|logging|LOG|LOGGER|Logger|_log|_logger)\\.(debug|info|warn|warning|error|exception|critical|fatal|trace|log|verbose|notice|msg))$',
);

/** The call an expression statement makes, through `await`: `await logger.error(...)` → the call. */
export function statementCall(statement: SgNode): SgNode | undefined {
  if (statement.kind() !== 'expression_statement') return undefined;
  let expression = statement.children().find((c) => c.isNamed());
  if (expression && (expression.kind() === 'await' || expression.kind() === 'await_expression')) expression = expression.children().find((c) => c.isNamed());
  return expression && (expression.kind() === 'call' || expression.kind() === 'call_expression') ? expression : undefined;
}

export function isLoggingCall(call: SgNode): boolean {
  const callee = (call.field('function')?.text() ?? '').replace(/\s+/g, '');
  return LOGGING_CALLEE.test(callee);
}

/** A statement that only writes a log line (or prints). */
export function isLoggingStatement(statement: SgNode): boolean {
  const call = statementCall(statement);
  return !!call && isLoggingCall(call);
}

/** Identifier words, lower case: `createAppRecord` → create, app, record; `pg_dump` → pg, dump. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** The callee of a call, whitespace removed (`self.bot.db.execute`). */
export function calleeOf(call: SgNode): string {
  return (call.field('function')?.text() ?? '').replace(/\s+/g, '');
}

/** `a.b.c(...)` → `c`; `fn(...)` → `fn`. */
export function lastName(callee: string): string {
  const match = /([A-Za-z_$][\w$]*)$/.exec(callee);
  return match ? match[1] : callee;
}

/** `a.b.c` → `a.b`; `fn` → ''. */
export function receiverOf(callee: string): string {
  const index = callee.lastIndexOf('.');
  return index < 0 ? '' : callee.slice(0, index);
}

/** Whether `node` starts after `anchor` ends. */
export function startsAfter(node: SgNode, anchor: SgNode): boolean {
  const a = node.range().start;
  const b = anchor.range().end;
  return a.line > b.line || (a.line === b.line && a.column >= b.column);
}

/** Short, one-line text of a node for messages. */
export function shortText(node: SgNode, max = 60): string {
  const text = node.text().replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** `db.createApp(...)`: the callee with its arguments elided, as messages name calls. */
export function callLabel(call: SgNode): string {
  const callee = calleeOf(call);
  return `${callee.length > 50 ? `...${callee.slice(-47)}` : callee}(...)`;
}
