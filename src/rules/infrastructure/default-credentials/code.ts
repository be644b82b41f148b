// Default or trivial credentials written into Python and TypeScript/JavaScript code: connection
// URLs (`postgresql://postgres:postgres@db/app`), password arguments of database clients
// (`psycopg2.connect(password="postgres")`, `new Pool({ password: 'postgres' })`), database
// settings dictionaries, and admin accounts created with `admin`/`admin`.
//
// Deliberately not reported: values read from the environment (no literal), a fallback of an
// environment read or a settings-class default pointing at localhost (a developer's machine; the
// deployment sets the variable), code under a development-only guard or in a development-only
// file, docstrings and comments, URLs inside longer text (documentation, messages, snippets), and
// tests (the rule does not run on them).
import type { SgNode } from '@ast-grep/napi';
import type { RuleContext, Visitors } from '../../../core/rule.js';
import type { Severity } from '../../../core/types.js';
import { isDevelopmentOnlyFile, isEnvironmentGuarded } from '../../_shared/environment-guard.js';
import { isLocalHost, isTrivial, TRIVIAL } from './credentials.js';

/** A connection URL with its parts, host included (the severity depends on it). */
const URL_WITH_HOST =
  /\b((?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver|cockroachdb|clickhouse)(?:\+\w+)?):\/\/([^:@/\s'"`]*):([^@/\s'"`]+)@(\[[^\]]+\]|[^:/?\s'"`,]+)/i;
/** Cheap text tests before looking at a node's structure. */
const CREDENTIAL_HINT = /:\/\/[^@\s]*:[^@\s]*@/;
const PASSWORD_HINT = /pass|pwd/i;
const CALL_HINT = /pass|pwd|superuser|create_user|Credentials/i;
const PASSWORD_KEY = /^(password|passwd|pwd|pass|db_?password|database_?password)$/i;
const USER_KEY = /^(user|username|user_?name|login|db_?user)$/i;
const HOST_KEY = /^(host|hostname|server|address)$/i;
/** Keys that make a dictionary or object a database connection's settings. */
const DATABASE_SETTING_KEY = /^(host|hostname|port|engine|database|db|dbname|name|dialect|client|server|connectionString|connection_string)$/i;
/** Calls that open a database, cache or broker connection or create an account. */
const PY_CREDENTIAL_CALL =
  /(^|\.)(connect|create_engine|create_async_engine|create_pool|Redis|StrictRedis|MongoClient|AsyncIOMotorClient|Connection|ConnectionPool|Pool|Database|Elasticsearch|PlainCredentials|URL\.create|create_superuser|create_user)$/;
const TS_CREDENTIAL_CALL =
  /(^|\.)(createConnection|createPool|createClient|connect|Pool|Client|Sequelize|DataSource|MongoClient|Redis|knex|Knex|postgres|mysql|createSuperuser|createUser|createAdmin)$/;
/** Python reads of the environment whose second argument is a fallback. */
const PY_ENV_READ = /(^|\.)(getenv|environ\.get|environ\.setdefault|config|env|env\.str|env\.db_url|env\.url)$/;
const TS_ENV_READ = /\b(process\.env|import\.meta\.env|Deno\.env)\b/;

interface Credential {
  node: SgNode;
  /** Where to look for an environment guard (the fallback expression: its own `process.env.X ||` is not one). */
  guardFrom?: SgNode;
  what: string;
  user?: string;
  password: string;
  host?: string;
}

function pyString(node: SgNode | null | undefined): string | undefined {
  if (!node || node.kind() !== 'string') return undefined;
  if (node.children().some((child) => child.kind() === 'interpolation')) return undefined;
  return node.children().filter((child) => child.kind() === 'string_content' || child.kind() === 'escape_sequence').map((child) => child.text()).join('');
}

function tsString(node: SgNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind() === 'string') return node.children().filter((child) => child.isNamed()).map((child) => child.text()).join('');
  if (node.kind() === 'template_string' && !node.children().some((child) => child.kind() === 'template_substitution')) {
    return node.children().filter((child) => child.kind() === 'string_fragment' || child.kind() === 'escape_sequence').map((child) => child.text()).join('');
  }
  return undefined;
}

/** A docstring or a bare string statement documents; it connects to nothing. */
function isPyDocstring(node: SgNode): boolean {
  const parent = node.parent();
  return parent?.kind() === 'expression_statement' && parent.children().filter((child) => child.isNamed()).length === 1;
}

/** The literal is what the code falls back to when the environment does not say (a default, not the value used). */
function isPyFallback(node: SgNode): boolean {
  for (const ancestor of node.ancestors()) {
    const kind = ancestor.kind();
    if (kind === 'call' && PY_ENV_READ.test(ancestor.field('function')?.text() ?? '')) return true;
    if (kind === 'boolean_operator' && /getenv|environ/.test(ancestor.field('left')?.text() ?? '')) return true;
    // A pydantic-settings field default: the environment variable of the same name wins.
    if (kind === 'class_definition') return /Settings/.test(ancestor.field('superclasses')?.text() ?? '');
    if (kind === 'function_definition' || kind === 'module') return false;
  }
  return false;
}

/** The `process.env.X || '…'` expression a literal is the fallback of, if any. */
function tsFallbackOf(node: SgNode): SgNode | undefined {
  for (const ancestor of node.ancestors()) {
    const kind = ancestor.kind();
    if (kind === 'binary_expression' && /^(\|\||\?\?)$/.test(ancestor.field('operator')?.text() ?? '') && TS_ENV_READ.test(ancestor.field('left')?.text() ?? '')) return ancestor;
    if (kind === 'assignment_expression' || kind === 'augmented_assignment_expression') return TS_ENV_READ.test(ancestor.field('left')?.text() ?? '') ? ancestor : undefined;
    if (kind === 'expression_statement' || kind === 'lexical_declaration' || kind === 'program' || kind === 'statement_block') return undefined;
  }
  return undefined;
}

function fromUrl(node: SgNode, text: string): Credential | undefined {
  // A connection string is the whole literal; a URL inside prose or an example snippet (rule
  // documentation, an error message, a README string) connects to nothing.
  const match = URL_WITH_HOST.exec(text.trimStart());
  if (match?.index !== 0) return undefined;
  if (!match) return undefined;
  const [, scheme, user, rawPassword, host] = match;
  let password = rawPassword;
  try {
    password = decodeURIComponent(rawPassword);
  } catch {
    // keep the raw text
  }
  if (!isTrivial(password, user)) return undefined;
  return { node, what: `the ${scheme.split('+')[0]} URL`, user: user || undefined, password, host };
}

function severityOf(credential: Credential, fallback: boolean): Severity | undefined | 'skip' {
  const local = credential.host !== undefined && isLocalHost(credential.host.replace(/^\[|\]$/g, ''));
  if (fallback) return local || credential.host === undefined ? 'skip' : 'medium';
  return local ? 'medium' : undefined;
}

function report(context: RuleContext, credential: Credential, fallback: boolean, family: 'py' | 'ts'): void {
  if (isDevelopmentOnlyFile(context.file.path) || isEnvironmentGuarded(credential.guardFrom ?? credential.node, family)) return;
  const severity = severityOf(credential, fallback);
  if (severity === 'skip') return;
  const { password, user } = credential;
  const who = user ? ` for "${user}"` : '';
  const why = TRIVIAL.has(password.toLowerCase()) ? 'a well-known default or trivial value' : 'the user name repeated';
  const where = credential.host ? ` on ${credential.host}` : '';
  const role = fallback ? ' (the fallback when the environment does not set it)' : '';
  context.report({
    node: credential.node,
    message: `Default credentials in ${credential.what}${role}: password "${password}"${who}${where} is ${why}; anyone who reaches the service can log in`,
    secrets: TRIVIAL.has(password.toLowerCase()) ? [] : [password],
    ...(severity ? { severity } : {}),
  });
}

/** `name=value` keyword arguments of a call, as static strings. */
function pyKeywords(call: SgNode): Map<string, string> {
  const values = new Map<string, string>();
  for (const argument of call.field('arguments')?.children() ?? []) {
    if (argument.kind() !== 'keyword_argument') continue;
    const value = pyString(argument.field('value'));
    if (value !== undefined) values.set(argument.field('name')?.text() ?? '', value);
  }
  return values;
}

function pyPositionalStrings(call: SgNode): (string | undefined)[] {
  return (call.field('arguments')?.children() ?? []).filter((child) => child.isNamed() && child.kind() !== 'keyword_argument' && child.kind() !== 'comment').map((child) => pyString(child));
}

function findKey(values: Map<string, string>, key: RegExp): string | undefined {
  for (const [name, value] of values) if (key.test(name)) return value;
  return undefined;
}

export const pythonCredentialVisitors: Visitors = {
  string(node, context) {
    // Most strings hold no `user:password@`: a text test is far cheaper than walking the node.
    if (!CREDENTIAL_HINT.test(node.text()) || isPyDocstring(node)) return;
    const text = pyString(node);
    const credential = text === undefined ? undefined : fromUrl(node, text);
    if (credential) report(context, credential, isPyFallback(node), 'py');
  },
  call(node, context) {
    if (!CALL_HINT.test(node.text())) return;
    const callee = node.field('function')?.text() ?? '';
    if (!PY_CREDENTIAL_CALL.test(callee)) return;
    const name = callee.split('.').pop() ?? callee;
    const keywords = pyKeywords(node);
    const positional = pyPositionalStrings(node);
    let user = findKey(keywords, USER_KEY);
    let password = findKey(keywords, PASSWORD_KEY);
    // `create_superuser("admin", "admin@example.com", "admin")`, `PlainCredentials("guest", "guest")`.
    if (password === undefined && /^create_(super)?user$/.test(name)) [user, , password] = [user ?? positional[0], positional[1], positional[2]];
    if (password === undefined && name === 'PlainCredentials') [user, password] = [positional[0], positional[1]];
    if (password === undefined || password === '' || !isTrivial(password, user)) return;
    const host = findKey(keywords, HOST_KEY);
    report(context, { node, what: `\`${callee}()\``, user, password, host }, false, 'py');
  },
  dictionary(node, context) {
    if (!PASSWORD_HINT.test(node.text())) return;
    const values = new Map<string, string>();
    let keys = 0;
    let passwordPair: SgNode | undefined;
    for (const pair of node.children()) {
      if (pair.kind() !== 'pair') continue;
      const key = pyString(pair.field('key'));
      if (key === undefined) continue;
      keys++;
      const value = pyString(pair.field('value'));
      values.set(key, value ?? '\u0000');
      if (PASSWORD_KEY.test(key)) passwordPair = pair;
    }
    const password = findKey(values, PASSWORD_KEY);
    if (password === undefined || password === '\u0000' || password === '' || keys < 2) return;
    if (![...values.keys()].some((key) => DATABASE_SETTING_KEY.test(key))) return;
    const user = findKey(values, USER_KEY);
    if (!isTrivial(password, user)) return;
    const host = findKey(values, HOST_KEY);
    report(context, { node: passwordPair ?? node, what: 'database settings', user, password, host: host === '\u0000' ? undefined : host }, false, 'py');
  },
};

function tsKeyName(pair: SgNode): string | undefined {
  const key = pair.field('key');
  if (!key) return undefined;
  return key.kind() === 'property_identifier' || key.kind() === 'identifier' ? key.text() : tsString(key);
}

/** The call or `new` an object literal is passed to (directly, or nested in another object). */
function enclosingCall(object: SgNode): string | undefined {
  let current: SgNode | null = object.parent();
  while (current && (current.kind() === 'pair' || current.kind() === 'object' || current.kind() === 'arguments')) {
    if (current.kind() === 'arguments') {
      const call = current.parent();
      return call?.field(call.kind() === 'new_expression' ? 'constructor' : 'function')?.text();
    }
    current = current.parent();
  }
  return undefined;
}

function checkTsLiteral(node: SgNode, context: RuleContext): void {
  if (!CREDENTIAL_HINT.test(node.text())) return;
  const text = tsString(node);
  const credential = text === undefined ? undefined : fromUrl(node, text);
  if (!credential) return;
  const fallback = tsFallbackOf(node);
  report(context, { ...credential, ...(fallback ? { guardFrom: fallback } : {}) }, fallback !== undefined, 'ts');
}

export const typescriptCredentialVisitors: Visitors = {
  string: checkTsLiteral,
  template_string: checkTsLiteral,
  object(node, context) {
    if (!PASSWORD_HINT.test(node.text())) return;
    const values = new Map<string, string>();
    let passwordNode: SgNode | undefined;
    for (const pair of node.children()) {
      if (pair.kind() !== 'pair') continue;
      const key = tsKeyName(pair);
      if (key === undefined) continue;
      const value = tsString(pair.field('value'));
      values.set(key, value ?? '\u0000');
      if (PASSWORD_KEY.test(key)) passwordNode = pair;
    }
    const password = findKey(values, PASSWORD_KEY);
    if (!passwordNode || password === undefined || password === '\u0000' || password === '') return;
    const callee = enclosingCall(node);
    const databaseCall = callee !== undefined && TS_CREDENTIAL_CALL.test(callee.replace(/^new\s+/, ''));
    if (!databaseCall && ![...values.keys()].some((key) => DATABASE_SETTING_KEY.test(key))) return;
    const user = findKey(values, USER_KEY);
    if (!isTrivial(password, user === '\u0000' ? undefined : user)) return;
    const host = findKey(values, HOST_KEY);
    const what = databaseCall ? `the \`${callee}()\` options` : 'database settings';
    report(context, { node: passwordNode, what, user: user === '\u0000' ? undefined : user, password, host: host === '\u0000' ? undefined : host }, false, 'ts');
  },
};
