import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import type { Severity } from '../../../core/types.js';
import { secretKindOfName, toUpperSnake } from '../../_shared/secret-names.js';
import { pyNameValues, pyStaticString, tsStaticString } from '../../_shared/static-values.js';

/** What a log call would write that it should not. */
interface Leak {
  node: SgNode;
  /** How the message names it: `a password (`user.password`)`. */
  what: string;
  /** A whole request body or header set: only reported on auth and payment code. */
  wholeRequest?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Names

/** Names that end like a secret but hold something else: flags, counts, message constants, non-auth tokens. */
const NOT_SECRET_PREFIX = /^(HAS|IS|NO|MISSING|USE|USES|REQUIRE|REQUIRES|NEED|NEEDS|SHOW|WITH|VALID|NUM|N|COUNT|LEN|MAX|MIN|TOTAL|REASON|MSG|MESSAGE|ERROR|ERR|WARNING|HELP|TEXT|LABEL|PROMPT|DEFAULT)_/;
const NOT_CREDENTIAL_TOKEN = /(^|_)(CSRF|XSRF|NEXT|PAGE|PAGINATION|CONTINUATION|CURSOR|SYNC|RESUME|CANCEL|CANCELLATION|START|END|STOP|EOS|BOS|PAD|UNK|SEP|CLS|MASK|SPECIAL|PUSH|FCM|APNS|DEVICE|CURRENT|LAST|PREV|PREVIOUS|FIRST|PEEK|LOOKAHEAD|OPEN|CLOSE|EXPECTED|UNEXPECTED|PARSER|LEXER|SYNTAX)_TOKEN$/;
/** Header and cookie names that carry credentials. */
const CREDENTIAL_HEADER = /^(HTTP_)?(AUTHORIZATION|AUTH_HEADER|AUTHORIZATION_HEADER|PROXY_AUTHORIZATION|COOKIE|SET_COOKIE|SESSION_ID|SESSIONID|X_API_KEY|X_AUTH_TOKEN)$/;
/** Links that log a user in or reset a password on their own. */
const ONE_TIME_LINK = /(^|_)(RESET|PASSWORD_RESET|MAGIC|LOGIN|INVITE|INVITATION|VERIFICATION|VERIFY|ACTIVATION|CONFIRM|CONFIRMATION)_(URL|LINK)$/;

function describeSecretName(name: string | undefined): string | undefined {
  if (!name || name.length > 60) return undefined;
  const upper = toUpperSnake(name);
  if (CREDENTIAL_HEADER.test(upper)) return 'a credential header';
  if (ONE_TIME_LINK.test(upper)) return 'a one-time login/reset link (the token is in the URL)';
  if (NOT_SECRET_PREFIX.test(upper) || NOT_CREDENTIAL_TOKEN.test(upper)) return undefined;
  // `PWD` is the working directory as often as a password; salts are not secret.
  if (/(^|_)(PWD|SALT)$/.test(upper)) return undefined;
  const kind = secretKindOfName(name);
  if (!kind) return undefined;
  if (/PASS(WORD|WD|PHRASE)?$/.test(upper)) return 'a password';
  if (/(API_KEY|APIKEY|ACCESS_KEY)$/.test(upper)) return 'an API key';
  if (/(TOKEN|JWT|BEARER)$/.test(upper)) return 'a token';
  return 'a secret';
}

/** Properties that hold the value of the object they belong to: `auth_token.key`, `form.password.data`. */
const OWNED_VALUE = /^(key|raw|plaintext|data|value)$/;
/** `passwordInput`, `password_field`: the form control holding the secret. */
const FORM_CONTROL_SUFFIX = /_?(input|field|box|el|element|ref|control)$/i;

/** Files where `token` is a lexer or NLP token (Django templates, tokenize, a model's tokenizer), not a credential. */
const LEXER_FILE = /\btoken\.(contents|token_type|type|kind|value|string|lineno|split_contents|start|end|pos)\b|\btokeniz(e|er|ers|ed|ing)\b|\bTokenizer\b|convert_ids_to_tokens|\bTokenType\b/;

function isLexerToken(name: string, context: RuleContext): boolean {
  return /^(token|tok|t)$/i.test(name) && LEXER_FILE.test(context.source);
}

/** `for token in stream: print(token, end="")`: a loop over tokens streams text (LLM output, a lexer), not credentials. */
function isLoopVariable(identifier: SgNode): boolean {
  const name = identifier.text();
  return identifier.ancestors().some((a) => {
    const kind = a.kind();
    if (kind !== 'for_statement' && kind !== 'for_in_statement') return false;
    const target = a.field('left') ?? a.children().find((c) => c.kind() === 'identifier');
    return !!target && (target.text() === name || target.findAll({ rule: { kind: 'identifier' } }).some((id) => id.text() === name));
  });
}

// ---------------------------------------------------------------------------------------------
// Python

const PY_LEVEL = /^(debug|info|warning|warn|error|exception|critical|fatal|log|msg|trace|success)$/;
const PY_LOGGER = /(^|\.)_*(log|logger|logging|LOG|LOGGER|\w*_log|\w*_logger|\w*Logger|structlog|loguru)$|getLogger\([^)]*\)$|get_logger\([^)]*\)$/;
const PY_TRANSPARENT_CALL = /^(str|repr|format|dict|vars|list|json\.dumps|dumps|pformat|pprint\.pformat|jsonable_encoder)$|\.(decode|encode|strip|format|model_dump|dict|to_dict|json)$/;
const PY_WHOLE_REQUEST = /^(request|req|self\.request)\.(headers|data|form|POST|body|json|COOKIES|cookies|META|values)$/;
const PY_WHOLE_REQUEST_CALL = /^(request|req|self\.request)\.(json|body|get_json|form|get_data)$/;

function pyLogCall(call: SgNode, context: RuleContext): string | undefined {
  const callee = call.field('function');
  if (!callee) return undefined;
  if (callee.kind() === 'identifier') return callee.text() === 'print' && !context.file.isScript ? 'print' : undefined;
  if (callee.kind() !== 'attribute') return undefined;
  const method = callee.field('attribute')?.text() ?? '';
  const object = callee.field('object')?.text() ?? '';
  return PY_LEVEL.test(method) && PY_LOGGER.test(object) ? method : undefined;
}

/** A name bound only to message strings (`REASON_BAD_TOKEN = "CSRF token incorrect."`). */
function pyHoldsMessage(identifier: SgNode): boolean {
  const values = pyNameValues(identifier);
  return !!values?.length && values.every((v) => /\s/.test(pyStaticString(v) ?? ''));
}

function pyLeaks(node: SgNode | null | undefined, context: RuleContext, out: Leak[], depth = 0): void {
  if (!node || depth > 8) return;
  const kind = node.kind();
  const named = () => node.children().filter((c) => c.isNamed());
  switch (kind) {
    case 'identifier': {
      const what = describeSecretName(node.text());
      if (what && !isLexerToken(node.text(), context) && !isLoopVariable(node) && !pyHoldsMessage(node)) out.push({ node, what });
      return;
    }
    case 'attribute': {
      if (PY_WHOLE_REQUEST.test(node.text())) {
        out.push({ node, what: `the whole \`${node.text()}\``, wholeRequest: true });
        return;
      }
      const name = node.field('attribute')?.text();
      // DRF `user.auth_token.key`, WTForms `form.password.data`: the value of a credential object.
      const owner = OWNED_VALUE.test(name ?? '') ? node.field('object') : undefined;
      const ownerName = owner?.kind() === 'attribute' ? owner.field('attribute')?.text() : owner?.text();
      const what = describeSecretName(name) ?? describeSecretName(ownerName?.replace(FORM_CONTROL_SUFFIX, ''));
      if (what && !isLexerToken(name ?? '', context) && !isLexerToken(ownerName ?? '', context)) out.push({ node, what });
      return;
    }
    case 'subscript': {
      const key = node.field('subscript');
      if (key?.kind() === 'slice') return; // `token[:6]`: a prefix identifies without revealing
      const what = describeSecretName(pyStaticString(key));
      if (what) out.push({ node, what });
      return;
    }
    case 'call': {
      const callee = node.field('function');
      const calleeText = callee?.text() ?? '';
      const args = node.field('arguments')?.children().filter((c) => c.isNamed()) ?? [];
      if (PY_WHOLE_REQUEST_CALL.test(calleeText)) {
        out.push({ node, what: `the whole request body (\`${calleeText}()\`)`, wholeRequest: true });
        return;
      }
      // `data.get("password")`, `os.getenv("API_KEY")`, `config("SECRET_KEY")`
      if (/(^|\.)(get|getenv|env|config)$/.test(calleeText)) {
        const what = describeSecretName(pyStaticString(args[0]));
        if (what) out.push({ node, what });
        return;
      }
      if (!PY_TRANSPARENT_CALL.test(calleeText)) return; // `len(token)`, `mask(token)`, `hash(token)`
      if (callee?.kind() === 'attribute') pyLeaks(callee.field('object'), context, out, depth + 1);
      for (const arg of args) pyLeaks(arg, context, out, depth + 1);
      return;
    }
    case 'string':
      for (const part of named().filter((c) => c.kind() === 'interpolation')) pyLeaks(part.children().find((c) => c.isNamed()), context, out, depth + 1);
      return;
    case 'conditional_expression': {
      const [whenTrue, , whenFalse] = named();
      pyLeaks(whenTrue, context, out, depth + 1);
      pyLeaks(whenFalse, context, out, depth + 1);
      return;
    }
    case 'keyword_argument':
      pyLeaks(node.field('value'), context, out, depth + 1);
      return;
    case 'pair':
      pyLeaks(node.field('value'), context, out, depth + 1);
      return;
    case 'binary_operator':
    case 'concatenated_string':
    case 'tuple':
    case 'list':
    case 'dictionary':
    case 'parenthesized_expression':
    case 'await':
    case 'argument_list':
      for (const child of named()) pyLeaks(child, context, out, depth + 1);
      return;
    default:
      return; // comparisons, `not x`, `x is None`, lambdas: no value of the secret reaches the log
  }
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript

const TS_LEVEL = /^(log|info|warn|warning|error|debug|trace|fatal|verbose|silly|http|dir|table)$/;
const TS_LOGGER = /(^|\.)(console|logger|log|_logger|\w*Logger|logging|pino|winston)$/;
const TS_TRANSPARENT_CALL = /^(JSON\.stringify|String|util\.inspect|inspect)$|\.(toString|trim|toJSON)$/;
const TS_WHOLE_REQUEST = /^(req|request|ctx\.request|ctx|c\.req)\.(body|headers|cookies|rawBody)$/;
const TS_WHOLE_REQUEST_CALL = /^(req|request|c\.req)\.(json|text|formData|parseBody)$/;

function tsLogCall(call: SgNode, context: RuleContext): string | undefined {
  const callee = call.field('function');
  if (callee?.kind() !== 'member_expression') return undefined;
  const method = callee.field('property')?.text() ?? '';
  const object = callee.field('object')?.text() ?? '';
  if (!TS_LEVEL.test(method) || !TS_LOGGER.test(object)) return undefined;
  if (object === 'console' && context.file.isScript) return undefined; // a CLI prints what it was asked for
  return method;
}

function tsLeaks(node: SgNode | null | undefined, context: RuleContext, out: Leak[], depth = 0): void {
  if (!node || depth > 8) return;
  const kind = node.kind();
  const named = () => node.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
  switch (kind) {
    case 'identifier':
    case 'shorthand_property_identifier': {
      const what = describeSecretName(node.text());
      if (what && !isLexerToken(node.text(), context) && !isLoopVariable(node)) out.push({ node, what });
      return;
    }
    case 'member_expression': {
      if (TS_WHOLE_REQUEST.test(node.text().replace(/\?\./g, '.'))) {
        out.push({ node, what: `the whole \`${node.text()}\``, wholeRequest: true });
        return;
      }
      const name = node.field('property')?.text();
      // `passwordInput.value`, `form.password.value`: the value of a credential field.
      const owner = OWNED_VALUE.test(name ?? '') ? node.field('object') : undefined;
      const ownerName = owner?.kind() === 'member_expression' ? owner.field('property')?.text() : owner?.text();
      const what = describeSecretName(name) ?? describeSecretName(ownerName?.replace(FORM_CONTROL_SUFFIX, ''));
      if (what && !isLexerToken(ownerName ?? '', context)) out.push({ node, what });
      return;
    }
    case 'subscript_expression': {
      const what = describeSecretName(tsStaticString(node.field('index')));
      if (what) out.push({ node, what });
      return;
    }
    case 'call_expression': {
      const callee = node.field('function');
      const calleeText = callee?.text() ?? '';
      const args = node.field('arguments')?.children().filter((c) => c.isNamed()) ?? [];
      if (TS_WHOLE_REQUEST_CALL.test(calleeText)) {
        out.push({ node, what: `the whole request body (\`${calleeText}()\`)`, wholeRequest: true });
        return;
      }
      if (/(^|\.)(get|getenv|env|config)$/.test(calleeText)) {
        const what = describeSecretName(tsStaticString(args[0]));
        if (what) out.push({ node, what });
        return;
      }
      if (!TS_TRANSPARENT_CALL.test(calleeText)) return;
      if (callee?.kind() === 'member_expression') tsLeaks(callee.field('object'), context, out, depth + 1);
      for (const arg of args) tsLeaks(arg, context, out, depth + 1);
      return;
    }
    case 'template_string':
      for (const part of named().filter((c) => c.kind() === 'template_substitution')) tsLeaks(part.children().find((c) => c.isNamed()), context, out, depth + 1);
      return;
    case 'ternary_expression':
      tsLeaks(node.field('consequence'), context, out, depth + 1);
      tsLeaks(node.field('alternative'), context, out, depth + 1);
      return;
    case 'binary_expression':
      if (node.field('operator')?.text() !== '+') return;
      tsLeaks(node.field('left'), context, out, depth + 1);
      tsLeaks(node.field('right'), context, out, depth + 1);
      return;
    case 'pair':
      tsLeaks(node.field('value'), context, out, depth + 1);
      return;
    case 'object':
    case 'array':
    case 'spread_element':
    case 'parenthesized_expression':
    case 'await_expression':
    case 'as_expression':
    case 'non_null_expression':
    case 'arguments':
      for (const child of named()) tsLeaks(child, context, out, depth + 1);
      return;
    default:
      return;
  }
}

// ---------------------------------------------------------------------------------------------

/** A log method being called (`.info(`, `.warning(`, `print(`): where log calls may start, found in the raw source. */
const LOG_METHOD_CALL = {
  py: /\.(?:debug|info|warning|warn|error|exception|critical|fatal|log|msg|trace|success)\s*\(|\bprint\s*\(/g,
  ts: /\.(?:log|info|warn|warning|error|debug|trace|fatal|verbose|silly|http|dir|table)\s*\(/g,
} as const;
/** Words any finding needs near the log call (a superset of what the name checks accept). */
const CANDIDATE_WORD =
  /passw|passphrase|passwd|secret|token|(api|access|signing|encryption|private|session|master|hmac|app|cookie|webhook|aes|fernet|crypto|cipher|jwt|auth)_?key|authoriz|jwt|bearer|cookie|credential|creds|pepper|session_?id|request\.(headers|body|json|data|form|POST|COOKIES|cookies|META|get_json|values|text|formData)|req\.(body|headers|cookies|json|rawBody)|ctx\.request|c\.req\.|(reset|magic|login|invite|invitation|verification|verify|activation|confirm|confirmation)_?(url|link)/i;

/**
 * Lines (0-based) where a log method is called with a credential word in the next couple of
 * hundred characters: most files have none, and only calls starting there need a closer look.
 */
function candidateLines(source: string, family: 'py' | 'ts'): Set<number> {
  const lines = new Set<number>();
  const pattern = new RegExp(LOG_METHOD_CALL[family].source, 'g');
  let line = 0;
  let counted = 0;
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    if (!CANDIDATE_WORD.test(source.slice(match.index, match.index + 200))) continue;
    for (let i = source.indexOf('\n', counted); i !== -1 && i < match.index; i = source.indexOf('\n', i + 1)) line++;
    counted = match.index;
    // The call starts on this line, or on the one before for `logger\n    .info(`.
    lines.add(line).add(line - 1);
  }
  return lines;
}

/** Code that handles logins, tokens or payments: where a whole request body or header set carries credentials. */
const SENSITIVE_FLOW = /login|logon|sign_?in|sign_?up|register|auth(?!or)|password|passwd|credential|token|payment|checkout|billing|charge|stripe|webhook/i;

function inSensitiveFlow(node: SgNode, context: RuleContext): boolean {
  if (SENSITIVE_FLOW.test(context.file.path)) return true;
  for (const ancestor of node.ancestors()) {
    const kind = String(ancestor.kind());
    if (kind === 'function_definition') {
      const decorators = ancestor.parent()?.kind() === 'decorated_definition' ? ancestor.parent()!.children().filter((c) => c.kind() === 'decorator').map((d) => d.text()).join(' ') : '';
      if (SENSITIVE_FLOW.test(`${ancestor.field('name')?.text() ?? ''} ${decorators}`)) return true;
    }
    if (['function_declaration', 'method_definition', 'arrow_function', 'function_expression', 'function'].includes(kind)) {
      const own = ancestor.field('name')?.text() ?? (ancestor.parent()?.kind() === 'variable_declarator' ? ancestor.parent()!.field('name')?.text() : '') ?? '';
      if (SENSITIVE_FLOW.test(own)) return true;
      // `router.post('/auth/login', async (req, res) => ...)`
      const call = ancestor.parent()?.parent();
      if (call?.kind() === 'call_expression') {
        const route = tsStaticString(call.field('arguments')?.children().find((c) => c.isNamed()));
        if (route && SENSITIVE_FLOW.test(route)) return true;
      }
    }
  }
  return false;
}

function reportLeaks(call: SgNode, level: string, leaks: Leak[], context: RuleContext): void {
  const leak = leaks.find((l) => !l.wholeRequest) ?? leaks.find((l) => l.wholeRequest && inSensitiveFlow(call, context));
  if (!leak) return;
  const callee = call.field('function')?.text() ?? '';
  // Debug and trace output is normally off in production: the leak needs a second mistake.
  // A browser console is only seen on the user's own machine (and in screenshots and bug reports).
  const browserConsole = /^console\./.test(call.field('function')?.text() ?? '') && (/\.(tsx|jsx)$/.test(context.file.path) || /^['"]use client['"]/m.test(context.source));
  const severity: Severity | undefined = /^(debug|trace|verbose|silly)$/.test(level) || browserConsole ? 'medium' : undefined;
  const what = leak.wholeRequest ? `${leak.what} of an auth/payment request, credentials included,` : `${leak.what} (\`${leak.node.text()}\`)`;
  const where = callee === 'print' ? 'to stdout, which ends up in the service logs' : /^console\./.test(callee) ? 'to the console' : 'to the logs';
  context.report({ node: call, severity, message: `\`${callee}()\` writes ${what} ${where}.` });
}

export default defineRule({
  meta: {
    id: 'security/sensitive-data-in-logs',
    title: 'Password, token or secret written to logs',
    area: 'security',
    severity: 'high',
    type: 'security',
    effort: 'small',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A log or print call whose arguments include a password, token, API key, credential header or a whole auth request body.',
    why:
      'Logs are copied to files, aggregators, support tickets and third-party services, and are readable by far more ' +
      'people than the credential store: a token or password written there is a leaked credential (seed 000 asks for ' +
      '"no sensitive data in logs"). Values are recognised by name (`password`, `api_key`, `access_token`, ' +
      '`Authorization`, `settings.SECRET_KEY`, `data["password"]`) and password-reset/magic-link URLs count too (the token ' +
      'is in the URL); whole request bodies and header sets (`request.json()`, `req.body`, `req.headers`) only on login, ' +
      'token and payment code. Medium at debug/trace level (off in most production setups). Not reported: messages that ' +
      'only mention the word ("invalid password"), `len(token)`, `token[:6]`, `mask(token)` and other calls on the value, ' +
      'comparisons and booleans (`has_token`, `token is None`, `token ? "set" : "missing"`), `token_type`, `max_tokens`, ' +
      'CSRF/pagination/push tokens, lexer tokens in parsers, and `print`/`console.*` in CLI scripts.',
    recommendation:
      'Log an identifier instead of the credential (user id, key id, the last 4 characters), or pass values through a ' +
      'redacting formatter (structlog/pino `redact` paths for `password`, `token`, `authorization`).',
    examples: [
      {
        language: 'py',
        bad: 'import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef login(username, password):\n    logger.info("login attempt user=%s password=%s", username, password)\n',
        good: 'import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef login(username, password):\n    logger.info("login attempt user=%s", username)\n',
      },
      {
        language: 'ts',
        bad: 'export async function refresh(userId: string, refreshToken: string) {\n  logger.info(`refreshing ${userId} with ${refreshToken}`);\n}\n',
        good: 'export async function refresh(userId: string, refreshToken: string) {\n  logger.info(`refreshing ${userId} (token length ${refreshToken.length})`);\n}\n',
      },
    ],
    references: [
      'seed 000 (security: no sensitive data in logs)',
      'Semgrep python.lang.security.audit.logging.logger-credential-leak (python-logger-credential-disclosure)',
      'CodeQL py/clear-text-logging-sensitive-data, js/clear-text-logging',
      'OWASP Logging Cheat Sheet (data to exclude)',
    ],
    cwe: ['CWE-532'],
  },
  // A log call must appear; `candidateLines` then looks for a credential word next to one.
  fileFilter: /\.(?:debug|info|warning|warn|error|exception|critical|fatal|log|msg|trace|success|verbose|silly|http|dir|table)\s*\(|\bprint\s*\(/,
  onFile(context) {
    const root = context.root;
    if (!root || (context.file.family !== 'py' && context.file.family !== 'ts')) return;
    // A text scan first: walking every call of every file costs far more than the few that log.
    const lines = candidateLines(context.source, context.file.family);
    if (lines.size === 0) return;
    for (const call of root.findAll({ rule: { kind: context.file.family === 'py' ? 'call' : 'call_expression' } })) {
      if (!lines.has(call.range().start.line)) continue;
      const level = context.file.family === 'py' ? pyLogCall(call, context) : tsLogCall(call, context);
      if (!level) continue;
      const leaks: Leak[] = [];
      if (context.file.family === 'py') pyLeaks(call.field('arguments'), context, leaks);
      else tsLeaks(call.field('arguments'), context, leaks);
      if (leaks.length) reportLeaks(call, level, leaks, context);
    }
  },
});
