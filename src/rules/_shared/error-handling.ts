// What an exception handler does with the error it caught, for Python `except` clauses and
// TS/JS `catch` clauses: does it pass the error on, tell errors apart, or end the process?
// Nested functions and classes are not looked into: code there runs later, not in the handler.
import type { SgNode } from '@ast-grep/napi';

const PY_NESTED_SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);
const TS_NESTED_SCOPES = new Set([
  'function_declaration',
  'function_expression',
  'arrow_function',
  'method_definition',
  'generator_function_declaration',
  'generator_function',
  'function',
  'class_declaration',
  'class',
]);

/** Every descendant of `node` (itself excluded) that runs as part of it, nested scopes left out. */
export function descendantsInScope(node: SgNode, family: 'py' | 'ts'): SgNode[] {
  const nested = family === 'py' ? PY_NESTED_SCOPES : TS_NESTED_SCOPES;
  const found: SgNode[] = [];
  const stack = [...node.children()];
  while (stack.length) {
    const current = stack.pop()!;
    found.push(current);
    if (!nested.has(String(current.kind()))) stack.push(...current.children());
  }
  return found;
}

/** The last segment of a callee: `self.bot.handle_error` → `handle_error`. */
export function calleeLastName(call: SgNode): string {
  const callee = call.field('function') ?? call.field('constructor');
  if (!callee) return '';
  const text = callee.text();
  const match = /([A-Za-z_$][\w$]*)\s*$/.exec(text);
  return match ? match[1] : text;
}

/**
 * Calls that only record or print the error (or turn it into text): the error stops there.
 * Any other call that receives the error object itself (`next(err)`, `reject(err)`, `stream.destroy(err)`,
 * `self.handle_error(ctx, e)`, `errors.append(e)`) passes it on to code that can still tell errors apart.
 */
const RECORDING_CALL = /^(debug|info|warn|warning|error|exception|critical|fatal|trace|verbose|log|notice|silly|print|pprint|str|repr|format|len|type|isinstance|String|stringify|captureException|capture_exception|captureError|notify|alert|toast|showError|show_error)$/;
const RECORDING_OBJECT = /^(console|traceback|logging|(self\.|this\.)?_?(logger|log|LOGGER|LOG))$/;

/** Whether `identifier` is the caught error passed as a value (not its message, not inside a string). */
function isErrorValueUse(identifier: SgNode, family: 'py' | 'ts'): boolean {
  let value = identifier;
  let parent = value.parent();
  // `err as Error`, `(err)`, `err!`: still the error object.
  while (parent && ['as_expression', 'non_null_expression', 'parenthesized_expression', 'satisfies_expression'].includes(String(parent.kind()))) {
    value = parent;
    parent = value.parent();
  }
  identifier = value;
  if (!parent) return false;
  const kind = String(parent.kind());
  if (family === 'py') {
    return ['return_statement', 'argument_list', 'pair', 'tuple', 'expression_list', 'list', 'keyword_argument'].includes(kind)
      && !(kind === 'keyword_argument' && parent.field('name')?.id() === identifier.id());
  }
  return ['return_statement', 'arguments', 'pair', 'array', 'object'].includes(kind)
    && !(kind === 'pair' && parent.field('key')?.id() === identifier.id());
}

/** `return err`, `return { ok: false, error }`, `return None, e`; not `return res.json({ error })` (a response, not the error). */
function isReturnedAsValue(use: SgNode): boolean {
  for (const ancestor of use.ancestors()) {
    const kind = String(ancestor.kind());
    if (kind === 'return_statement') return true;
    if (kind === 'arguments' || kind === 'argument_list' || kind === 'call' || kind === 'call_expression' || kind.endsWith('statement') || kind === 'block' || kind === 'statement_block') return false;
  }
  return false;
}

function usesOfName(handlerBody: SgNode, name: string, family: 'py' | 'ts'): SgNode[] {
  const kinds = family === 'py' ? ['identifier'] : ['identifier', 'shorthand_property_identifier'];
  return descendantsInScope(handlerBody, family).filter((n) => kinds.includes(String(n.kind())) && n.text() === name);
}

/**
 * The handler passes the caught error object on: returns it (`return err`, `return { ok: false, error }`),
 * stores it for later (`last_error = e`), or hands it to a call that is not mere logging (`next(err)`,
 * `reject(err)`, `this.emit('error', err)`, a central `handle_error(e)`).
 */
export function forwardsError(handlerBody: SgNode, errorName: string | undefined, family: 'py' | 'ts'): boolean {
  // handle_uncaught_exception(request, resolver, sys.exc_info()): the error itself goes on, unnamed.
  if (family === 'py') {
    for (const n of descendantsInScope(handlerBody, 'py')) {
      if (n.kind() !== 'call' || !/^(sys\.)?exc_info$/.test(n.field('function')?.text() ?? '')) continue;
      const receiver = n.ancestors().find((a) => a.kind() === 'call');
      if (receiver && !RECORDING_CALL.test(calleeLastName(receiver))) return true;
    }
  }
  if (!errorName) return false;
  for (const use of usesOfName(handlerBody, errorName, family)) {
    if (collectsError(use)) return true;
    // last_error = e / this.lastError = err: kept for a later raise (retry loops).
    const assignment = use.parent();
    if ((assignment?.kind() === 'assignment' || assignment?.kind() === 'assignment_expression') && assignment.field('right')?.id() === use.id()) return true;
    if (!isErrorValueUse(use, family)) continue;
    let holder = use.parent()!;
    while (['as_expression', 'non_null_expression', 'parenthesized_expression', 'satisfies_expression'].includes(String(holder.kind()))) holder = holder.parent()!;
    if (isReturnedAsValue(use)) return true;
    // handleExtensionError({ error, reason }): the error travels inside an options object.
    if (use.kind() === 'shorthand_property_identifier' || holder.kind() === 'pair') holder = (holder.kind() === 'pair' ? holder.parent() : holder) ?? holder;
    if (/^(object|dictionary)$/.test(String(holder.kind()))) holder = holder.parent() ?? holder;
    const call = holder.kind() === 'argument_list' || holder.kind() === 'arguments' ? holder.parent() : undefined;
    if (!call) continue;
    const callee = call.field('function') ?? call.field('constructor');
    const object = callee?.kind() === 'attribute' || callee?.kind() === 'member_expression' ? callee.field('object')?.text() ?? '' : '';
    if (!RECORDING_CALL.test(calleeLastName(call)) && !RECORDING_OBJECT.test(object)) return true;
  }
  return false;
}

/** Calls that add to a collection the caller reads back: the error becomes data, not noise. */
const COLLECTING_CALL = /^(push|append|add|extend|unshift|insert|put|set|setdefault)$/;

/**
 * `diagnostics.push({ file, reason: error.message })`, `failures.append((item, str(e)))`: the error
 * (or its message) is recorded in a result the caller gets, which is handling it.
 */
function collectsError(use: SgNode): boolean {
  for (const ancestor of use.ancestors()) {
    const kind = String(ancestor.kind());
    if (kind === 'call' || kind === 'call_expression') {
      if (COLLECTING_CALL.test(calleeLastName(ancestor))) return true;
      // str(e), String(err), JSON.stringify(...) only turn it into text: look further out.
      if (!/^(str|repr|String|stringify|format)$/.test(calleeLastName(ancestor))) return false;
    }
    if (kind.endsWith('statement') || kind === 'block' || kind === 'statement_block') return false;
  }
  return false;
}

/** Python: `isinstance(e, X)`, `type(e)`, `e.errno`/`.code`/`.status_code`, `getattr(e, ...)`, `"timeout" in str(e)`. */
const PY_ERROR_DETAIL_ATTRIBUTES = new Set(['errno', 'code', 'status', 'status_code', 'response', 'winerror', 'returncode', 'pgcode', 'sqlstate']);

export function pythonNarrowsError(handlerBody: SgNode, errorName: string | undefined): boolean {
  for (const node of descendantsInScope(handlerBody, 'py')) {
    const kind = node.kind();
    if (kind === 'call') {
      const callee = node.field('function')?.text() ?? '';
      if (callee === 'isinstance' || callee === 'issubclass') return true;
      if (!errorName) continue;
      const firstArgument = node.field('arguments')?.children().find((c) => c.isNamed());
      if ((callee === 'type' || callee === 'getattr' || callee === 'hasattr') && firstArgument?.text() === errorName) return true;
    } else if (errorName && kind === 'attribute') {
      if (node.field('object')?.text() === errorName && PY_ERROR_DETAIL_ATTRIBUTES.has(node.field('attribute')?.text() ?? '')) return true;
    } else if (errorName && kind === 'comparison_operator') {
      if (node.find({ rule: { kind: 'identifier', regex: `^${errorName}$` } })) return true;
    }
  }
  return false;
}

/** TS/JS: `instanceof` a specific class, `err.code`/`.name`/`.status`, `isAxiosError(err)`, `err.message.includes(...)`. */
const TS_ERROR_DETAIL_PROPERTIES = new Set(['code', 'name', 'status', 'statusCode', 'errno', 'response', 'syscall', 'type']);
/** `instanceof Error` only makes the message readable; it does not tell one failure from another. */
const BASE_ERROR_CLASSES = new Set(['Error', 'Object']);
const BASE_TYPE_GUARDS = /^(isError|isNativeError|isObject|isString|isRecord|isPlainObject)$/;

function rootIdentifier(expression: SgNode): string | undefined {
  let current: SgNode | null = expression;
  while (current && (current.kind() === 'member_expression' || current.kind() === 'subscript_expression' || current.kind() === 'parenthesized_expression' || current.kind() === 'as_expression' || current.kind() === 'non_null_expression')) {
    current = current.kind() === 'parenthesized_expression' || current.kind() === 'as_expression' || current.kind() === 'non_null_expression'
      ? current.children().find((c) => c.isNamed()) ?? null
      : current.field('object');
  }
  return current?.kind() === 'identifier' ? current.text() : undefined;
}

export function typescriptNarrowsError(handlerBody: SgNode, errorName: string | undefined): boolean {
  for (const node of descendantsInScope(handlerBody, 'ts')) {
    const kind = node.kind();
    if (kind === 'binary_expression' && node.children().some((c) => c.kind() === 'instanceof')) {
      const right = node.field('right');
      if (right && !BASE_ERROR_CLASSES.has(right.text())) return true;
    } else if (errorName && kind === 'member_expression') {
      if (rootIdentifier(node) === errorName && TS_ERROR_DETAIL_PROPERTIES.has(node.field('property')?.text() ?? '')) return true;
      // err.message.includes('ECONNRESET'), /timeout/.test(err.message): matching on the text.
      if (node.field('property')?.text() === 'message' && rootIdentifier(node) === errorName && /^(includes|startsWith|endsWith|match|test)$/.test(node.parent()?.field('property')?.text() ?? '')) return true;
    } else if (errorName && kind === 'call_expression') {
      const name = calleeLastName(node);
      const args = node.field('arguments')?.children().filter((c) => c.isNamed()) ?? [];
      if (/^is[A-Z]\w*$/.test(name) && !BASE_TYPE_GUARDS.test(name) && args.some((a) => rootIdentifier(a) === errorName)) return true;
      if (name === 'test' && args.some((a) => /\.message$/.test(a.text()))) return true;
    } else if (errorName && kind === 'switch_statement') {
      if (node.field('value')?.text().includes(errorName)) return true;
    } else if (errorName && kind === 'if_statement') {
      // `if ((err as Error)?.message?.toLowerCase()?.includes("encountered"))`: casts and optional chains hide the root.
      const condition = node.field('condition')?.text() ?? '';
      if (new RegExp(`\\b${errorName}\\b[^;]*?\\??\\.(message|code|name|status|statusCode|errno)\\b`).test(condition)) return true;
    }
  }
  return false;
}

/**
 * Calls whose every failure means the same thing, so a catch-all is the only catch JavaScript offers:
 * JSON/schema parsing, URL and URI decoding, JWT verification (every error means "invalid token"),
 * and file-system probes (`fs.statSync` failing means "not there").
 */
export function isSingleFailureCall(call: SgNode): boolean {
  const callee = call.field(call.kind() === 'new_expression' ? 'constructor' : 'function')?.text() ?? '';
  if (call.kind() === 'new_expression') return /^(URL|RegExp|Date)$/.test(callee);
  // `parse`, `parseAsync`, `parseJSON`, `parseUrl`, `yaml.parseDocument`, `URL.canParse`.
  return /(^|\.)(parse([A-Z]\w*)?|canParse)$/.test(callee)
    || /^(decodeURIComponent|decodeURI|encodeURIComponent|atob|btoa|BigInt|jwtVerify|jwtDecrypt)$/.test(callee)
    || /(^|\.)jwt\.(verify|decode)$/i.test(callee)
    || /^(verify|decode)$/.test(callee)
    || isFileSystemProbe(call);
}

/** `fs.statSync(p)`, `await fs.promises.access(p)`: failing means "not there (or not readable)". */
export function isFileSystemProbe(call: SgNode): boolean {
  return /^((fs|fsp|fs\.promises)\.)?(statSync|lstatSync|accessSync|realpathSync|readlinkSync|stat|lstat|access)$/.test(call.field('function')?.text() ?? '');
}

/** `sys.exit(1)`, `os._exit`, `process.exit(1)`, `process.exitCode = 1`: the handler ends the program. */
export function endsProcess(handlerBody: SgNode, family: 'py' | 'ts'): boolean {
  for (const node of descendantsInScope(handlerBody, family)) {
    if (family === 'py' && node.kind() === 'call') {
      if (/^(sys\.exit|exit|quit|os\._exit|os\.abort)$/.test(node.field('function')?.text() ?? '')) return true;
    } else if (family === 'ts') {
      if (node.kind() === 'call_expression' && /^process\.(exit|abort)$/.test(node.field('function')?.text() ?? '')) return true;
      if (node.kind() === 'assignment_expression' && node.field('left')?.text() === 'process.exitCode') return true;
    }
  }
  return false;
}

/** `pass`, `...`, `continue`, `break`, `return`, `return None/False/0/""/[]/{}`: nothing done with the error. */
function isSilentStatement(statement: SgNode, family: 'py' | 'ts'): boolean {
  const kind = statement.kind();
  if (kind === 'continue_statement' || kind === 'break_statement') return true;
  if (family === 'py') {
    if (kind === 'pass_statement') return true;
    if (kind === 'expression_statement') return statement.text() === '...';
  } else if (kind === 'empty_statement') {
    return true;
  }
  if (kind !== 'return_statement') return false;
  const value = statement.children().find((c) => c.isNamed());
  const trivial = family === 'py' ? /^(None|False|True|0|""|''|\[\]|\{\}|\(\))$/ : /^(null|undefined|false|true|0|''|""|\[\]|\{\})$/;
  return !value || trivial.test(value.text());
}

/** The literal a `return` statement returns (`true`, `False`, `null`…), if it returns one. */
function returnedLiteral(statement: SgNode | undefined): string | undefined {
  if (statement?.kind() !== 'return_statement') return undefined;
  const value = statement.children().find((c) => c.isNamed());
  return value && /^(None|True|False|null|undefined|true|false|0|1|-1)$/.test(value.text()) ? value.text() : undefined;
}

/** The `try` block a handler belongs to. */
export function tryBlockOf(handler: SgNode): SgNode | undefined {
  return handler.parent()?.children().find((c) => c.kind() === 'block' || c.kind() === 'statement_block');
}

/**
 * `try { new URL(s); return true } catch { return false }`: the function's answer IS the error
 * signal (a validity check), so nothing is swallowed.
 */
export function returnsOutcomeAsValue(handler: SgNode, handlerStatements: SgNode[]): boolean {
  const onFailure = returnedLiteral(handlerStatements[handlerStatements.length - 1]);
  if (onFailure === undefined) return false;
  // `isIpAccessValid(v) { for (…) { try { … } catch { return false } } return true }`: a predicate's boolean is its answer.
  if (/^(True|False|true|false)$/.test(onFailure) && inPredicate(handler)) return true;
  const statements = tryBlockOf(handler)?.children().filter((c) => c.isNamed() && c.kind() !== 'comment') ?? [];
  // `function validateCron(rule) { try { cron.parse(rule) } catch { return false } return true }`: a
  // predicate may answer success after the try.
  const onSuccess = returnedLiteral(statements[statements.length - 1]) ?? (inPredicate(handler) ? returnedLiteral(nextStatement(handler.parent())) : undefined);
  return onSuccess !== undefined && onSuccess !== onFailure;
}

/** Inside a function named as a question (`isValid`, `validate_cron`, `has_access`, `can_connect`). */
function inPredicate(node: SgNode): boolean {
  const fn = node.ancestors().find((a) => /^(function_definition|function_declaration|method_definition|function_expression)$/.test(String(a.kind())));
  return /^(is|has|can|should|validate|check|valid)(_|[A-Z]|$)/.test(fn?.field('name')?.text() ?? '');
}

/** The statement after this one, comments skipped; out of an enclosing `if` when this one ends its block. */
function nextStatement(statement: SgNode | null | undefined): SgNode | undefined {
  let current = statement;
  while (current) {
    let next = current.next();
    while (next && (next.kind() === 'comment' || !next.isNamed())) next = next.next();
    if (next) return next;
    const block = current.parent();
    const owner = block?.parent();
    if (!owner || !/^(if_statement|else_clause)$/.test(String(owner.kind()))) return undefined;
    current = owner.kind() === 'else_clause' ? owner.parent() : owner;
  }
  return undefined;
}

/** The name a `try` block's only statement assigns (`cls = import_string(entry)`), if that is all it does. */
function soleAssignedName(tryBlock: SgNode | undefined): string | undefined {
  const statements = tryBlock?.children().filter((c) => c.isNamed() && c.kind() !== 'comment') ?? [];
  if (statements.length !== 1 || statements[0].kind() !== 'expression_statement') return undefined;
  const assignment = statements[0].children().find((c) => c.isNamed());
  if (assignment?.kind() !== 'assignment' && assignment?.kind() !== 'assignment_expression') return undefined;
  const target = assignment.field('left');
  return target?.kind() === 'identifier' ? target.text() : undefined;
}

/**
 * `let recursive = true; try { recursive = check() } catch {}`, or `try: cls = import_string(entry)`
 * / `except Exception: pass` / `if cls is None: …`: the try only assigns a name that holds a real
 * default before it or is checked right after it, so a failure leaves a state the code handles.
 */
export function keepsDefaultOnFailure(handler: SgNode): boolean {
  const name = soleAssignedName(tryBlockOf(handler));
  if (!name) return false;
  const tryStatement = handler.parent();
  let before = tryStatement?.prev();
  while (before && (before.kind() === 'comment' || !before.isNamed())) before = before.prev();
  const setsDefault = new RegExp(`^(?:(?:const|let|var)\\s+)?${name}\\s*(?::[^=]+)?=\\s*(?!None\\b|null\\b|undefined\\b)\\S`);
  if (before && setsDefault.test(before.text())) return true;
  const after = nextStatement(tryStatement);
  const checks = new RegExp(`\\b${name}\\s+is\\s+(not\\s+)?None\\b|\\bif\\s*\\(?\\s*!?\\s*(not\\s+)?${name}\\s*[:)]|\\b${name}\\s*(===?|!==?)\\s*(null|undefined)\\b|\\b${name}\\s+or\\b|\\b${name}\\s*\\?\\?`);
  return !!after && checks.test(after.text().split('\n')[0]);
}

/**
 * A handler whose one statement picks the alternative (`return parser`, `inst.run = originalRun`,
 * `encoding = 'ascii'`): the failure has one meaning here, "use the fallback", and nothing is hidden.
 */
export function fallsBackToAlternative(statements: SgNode[]): boolean {
  if (statements.length !== 1) return false;
  const [statement] = statements;
  if (statement.kind() === 'return_statement') {
    const value = statement.children().find((c) => c.isNamed());
    if (value && /^(call|call_expression)$/.test(String(value.kind()))) return /fallback|default|legacy/i.test(calleeLastName(value));
    return !!value && /^(identifier|member_expression|attribute)$/.test(String(value.kind()));
  }
  if (statement.kind() !== 'expression_statement') return false;
  const assignment = statement.children().find((c) => c.isNamed());
  return (assignment?.kind() === 'assignment' || assignment?.kind() === 'assignment_expression') && !/\b(log|logger|logging|console|print)\b/.test(assignment.text());
}

/**
 * A handler that drops the error: every statement is `pass`/`continue`/a trivial return (an empty
 * `catch {}` too), unless the function answers success and failure with different literals.
 * reliability/silent-exception reports these; reliability/broad-exception leaves them to it.
 */
export function dropsError(handler: SgNode, statements: SgNode[], family: 'py' | 'ts'): boolean {
  if (family === 'py' && statements.length === 0) return false;
  return statements.every((statement) => isSilentStatement(statement, family)) && !returnsOutcomeAsValue(handler, statements);
}

/** The calls a block makes (nested scopes left out), as `callee(args)` text without whitespace. */
function callsIn(block: SgNode, family: 'py' | 'ts'): Set<string> {
  const callKind = family === 'py' ? 'call' : 'call_expression';
  return new Set(descendantsInScope(block, family).filter((n) => n.kind() === callKind).map((call) => call.text().replace(/\s+/g, '')));
}

/**
 * `try { install() } catch { refresh(); install() }`: the handler retries the same call, so a
 * second failure still surfaces; the error is not handled the same way every time.
 */
export function retriesTryBody(handlerBody: SgNode, tryBlock: SgNode | undefined, family: 'py' | 'ts'): boolean {
  if (!tryBlock) return false;
  const attempted = callsIn(tryBlock, family);
  for (const call of callsIn(handlerBody, family)) if (attempted.has(call)) return true;
  return false;
}

/** Calls that cannot be the failure a catch is written for: the continuation after success. */
function isContinuationCall(call: SgNode): boolean {
  const callee = call.field('function')?.text() ?? '';
  return /^(next|resolve|done)$/.test(callee)
    || /^(res|reply|ctx|console|logger|log|localStorage|sessionStorage)\b/.test(callee)
    || /^(Number|String|Boolean|parseInt|parseFloat|Array\.isArray|Object\.(keys|values|entries))$/.test(callee)
    || /\.(toString|toLowerCase|toUpperCase|trim|valueOf|every|some|includes|startsWith|endsWith)$/.test(callee);
}

/** A TS `try` block whose every call that can fail fails one way only (`predicate` picks which kind). */
export function guardsOnlySingleFailureCalls(tryBlock: SgNode | undefined | null, predicate: (call: SgNode) => boolean = isSingleFailureCall): boolean {
  if (!tryBlock) return false;
  const calls = descendantsInScope(tryBlock, 'ts').filter((n) => n.kind() === 'call_expression' || n.kind() === 'new_expression');
  const risky = calls.filter((c) => !isContinuationCall(c));
  return risky.length > 0 && risky.every(predicate);
}

/** Python calls whose every failure means "not valid input": decoding, parsing, number conversion. */
const PY_SINGLE_FAILURE_CALL = /(^|\.)(loads|b64decode|urlsafe_b64decode|b32decode|unhexlify|literal_eval|strptime|fromisoformat|parse\w*|ip_address|ip_network|UUID|int|float|Decimal|Fraction)$/;
/** Cheap string and bytes methods after such a call: not where the failure comes from. */
const PY_CONTINUATION_CALL = /\.(split|rsplit|strip|lstrip|rstrip|lower|upper|decode|encode|partition|rpartition|get|items|keys|values)$/;

/** A Python `try` block whose calls all fail one way (`base64.b64decode(v).split(b":")`, `json.loads(raw)`). */
export function pythonGuardsOnlySingleFailureCalls(tryBlock: SgNode | undefined): boolean {
  if (!tryBlock) return false;
  const calls = descendantsInScope(tryBlock, 'py').filter((n) => n.kind() === 'call');
  const risky = calls.filter((c) => !PY_CONTINUATION_CALL.test(c.field('function')?.text() ?? ''));
  return risky.length > 0 && risky.every((c) => PY_SINGLE_FAILURE_CALL.test(c.field('function')?.text() ?? ''));
}
