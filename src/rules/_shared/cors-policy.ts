// One reading of a CORS configuration, shared by security/cors-credentials-wildcard (High) and
// security/cors-permissive (Medium): each configuration gets exactly one verdict, so the two
// rules can never report the same place twice.
//
// What "any origin" means depends on the library, and the verdicts follow the libraries:
// - Starlette/FastAPI, Flask-CORS and django-cors-headers answer a credentialed request to a
//   `*` configuration by echoing the caller's Origin: `*` + credentials is exploitable (High).
// - Express `cors`, `@fastify/cors`, Hono and hand-written headers send a literal `*`, which
//   browsers refuse for credentialed requests: `*` + credentials is any-origin without working
//   credentials (Medium). Reflecting the origin (`origin: true`, `req.headers.origin`) + credentials is High.
import type { SgNode } from '@ast-grep/napi';
import type { RuleContext } from '../../core/rule.js';
import { keywordArgument, positionalArguments } from './python.js';
import {
  pyBindingsFor,
  pyNameValues,
  pyQualifiedName,
  pyStaticBool,
  pyStaticString,
  tsBindingsFor,
  tsExpressionBinding,
  tsRequiredModule,
  tsResolved,
  tsStaticString,
  unwrapTsExpression,
} from './static-values.js';
import { callArguments, enclosingFunction, objectProperty } from './typescript.js';

export type CorsVerdictKind = 'credentials-wildcard' | 'permissive';

export interface CorsVerdict {
  kind: CorsVerdictKind;
  node: SgNode;
  message: string;
  /** Set for default configurations (`cors()`), which a file often installs twice for one app. */
  dedupeKey?: string;
}

const CREDENTIALED_RISK = 'any website can make authenticated requests with the visitor\'s cookies and read the answers';
const ANY_ORIGIN_RISK = 'every website can call this API from a visitor\'s browser and read the answers';

/** `.*`, `^https?://.*$`, `https://.+`: a regex any origin matches. */
export function isAnyOriginRegex(pattern: string | undefined): boolean {
  if (pattern === undefined) return false;
  let rest = pattern.trim().replace(/^\^/, '').replace(/\$$/, '');
  rest = rest.replace(/^(\(https\?:\/\/\)\?|\(https?\|https?\):\/\/|https\?:\/\/|https?:\/\/|https\?:\\\/\\\/|https?:\\\/\\\/)/, '');
  return /^(\.\*\??|\.\+\??|\[\^\/\][*+]|\\S[*+]|\(\.\*\)|\(\.\+\)|\*)$/.test(rest);
}

function short(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

// ---------------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------------

type ListState = 'wildcard' | 'specific' | 'unknown';

function pyKeyword(call: SgNode, name: string): { arg: SgNode; value: SgNode } | undefined {
  const value = keywordArgument(call, name);
  return value ? { arg: value.parent() ?? value, value } : undefined;
}

function hasDictionarySplat(call: SgNode): boolean {
  return call.field('arguments')?.children().some((c) => c.kind() === 'dictionary_splat') ?? false;
}

/** Whether an origins/headers value holds `"*"` (or, with `regexes`, a match-anything regex). */
function pyWildcardState(node: SgNode | null | undefined, regexes: boolean, depth = 0): ListState {
  if (!node || depth > 4) return 'unknown';
  const isWild = (s: string) => s === '*' || (regexes && isAnyOriginRegex(s));
  if (node.kind() === 'identifier') {
    const values = pyNameValues(node);
    if (!values) return 'unknown';
    // A name reassigned under a condition (`if not DEBUG: ORIGINS = [...]`) is not a wildcard for sure.
    const states = values.map((v) => pyWildcardState(v, regexes, depth + 1));
    return states.every((s) => s === states[0]) ? states[0] : 'unknown';
  }
  const single = pyStaticString(node);
  if (single !== undefined) return isWild(single) ? 'wildcard' : 'specific';
  if (node.kind() === 'list' || node.kind() === 'tuple' || node.kind() === 'set') {
    const items = node.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
    const states = items.map((item) => pyWildcardState(item, regexes, depth + 1));
    if (states.includes('wildcard')) return 'wildcard';
    return states.every((s) => s === 'specific') ? 'specific' : 'unknown';
  }
  return 'unknown';
}

/** `allow_origins=CORS_ORIGINS` → `allow_origins=CORS_ORIGINS` (CORS_ORIGINS = ["*"]). */
function pyDescribe(arg: SgNode, value: SgNode): string {
  let text = `\`${short(arg.text())}\``;
  if (value.kind() === 'identifier') {
    const values = pyNameValues(value);
    if (values?.length === 1) text += ` (\`${value.text()} = ${short(values[0].text(), 50)}\`)`;
  }
  return text;
}

/** Starlette's middleware (also re-exported by FastAPI); a project's own `CORSMiddleware` class may behave differently. */
function isStarletteCors(name: string | undefined): boolean {
  return name === 'CORSMiddleware' || /^(starlette|fastapi)(\.middleware(\.cors)?)?\.CORSMiddleware$/.test(name ?? '');
}

function starletteVerdict(call: SgNode): CorsVerdict | undefined {
  if (hasDictionarySplat(call)) return undefined;
  const origins = pyKeyword(call, 'allow_origins');
  const regex = pyKeyword(call, 'allow_origin_regex');
  const credentials = pyKeyword(call, 'allow_credentials');
  const headers = pyKeyword(call, 'allow_headers');
  const methods = pyKeyword(call, 'allow_methods');
  const regexValue = regex ? (regex.value.kind() === 'identifier' ? pyNameValues(regex.value) : [regex.value]) : undefined;
  const anyOrigin =
    origins && pyWildcardState(origins.value, false) === 'wildcard'
      ? origins
      : regex && regexValue?.length === 1 && isAnyOriginRegex(pyStaticString(regexValue[0]))
        ? regex
        : undefined;
  const headersAny = headers !== undefined && pyWildcardState(headers.value, false) === 'wildcard';
  const methodsAny = methods !== undefined && pyWildcardState(methods.value, false) === 'wildcard';
  const extras = [headersAny ? 'any request header' : '', methodsAny ? 'any method' : ''].filter(Boolean).join(' and ');
  if (anyOrigin) {
    const what = pyDescribe(anyOrigin.arg, anyOrigin.value);
    if (credentials && pyStaticBool(credentials.value) === true) {
      return {
        kind: 'credentials-wildcard',
        node: anyOrigin.arg,
        message: `CORSMiddleware allows any origin (${what}) with \`allow_credentials=True\`: Starlette echoes the caller's origin to requests that carry cookies, so ${CREDENTIALED_RISK}.`,
      };
    }
    return {
      kind: 'permissive',
      node: anyOrigin.arg,
      message: `CORSMiddleware allows any origin (${what})${extras ? ` and ${extras}` : ''}: ${ANY_ORIGIN_RISK}.`,
    };
  }
  if (headers && headersAny) {
    return {
      kind: 'permissive',
      node: headers.arg,
      message: `CORSMiddleware allows any request header (${pyDescribe(headers.arg, headers.value)})${methodsAny ? ' and any method' : ''}: list the headers the frontend actually sends.`,
    };
  }
  return undefined;
}

/** Flask-CORS reads its defaults from `app.config["CORS_*"]`; when the file sets them, defaults are unknown. */
const FLASK_CORS_CONFIG = /\bCORS_(ORIGINS|RESOURCES|SUPPORTS_CREDENTIALS|SEND_WILDCARD)\b/;

function pyDictEntry(dictionary: SgNode, key: string): { arg: SgNode; value: SgNode } | undefined {
  for (const pair of dictionary.children()) {
    if (pair.kind() !== 'pair') continue;
    if (pyStaticString(pair.field('key')) === key) {
      const value = pair.field('value');
      if (value) return { arg: pair, value };
    }
  }
  return undefined;
}

interface FlaskPolicy {
  origins?: { arg: SgNode; value: SgNode };
  credentials?: { arg: SgNode; value: SgNode };
  sendWildcard?: { arg: SgNode; value: SgNode };
}

function flaskVerdict(call: SgNode, callee: string, source: string): CorsVerdict | undefined {
  const isExtension = callee.endsWith('.CORS');
  // `cors = CORS()` is configured later through `init_app(app, ...)`.
  if (isExtension && positionalArguments(call).length === 0 && !keywordArgument(call, 'app')) return undefined;
  if (hasDictionarySplat(call)) return undefined;
  const configured = FLASK_CORS_CONFIG.test(source);
  const top: FlaskPolicy = {
    origins: pyKeyword(call, 'origins'),
    credentials: pyKeyword(call, 'supports_credentials'),
    sendWildcard: pyKeyword(call, 'send_wildcard'),
  };
  const policies: FlaskPolicy[] = [];
  const resources = keywordArgument(call, 'resources');
  const perResource = resources?.kind() === 'dictionary' ? resources.children().filter((c) => c.kind() === 'pair') : [];
  if (perResource.length) {
    for (const pair of perResource) {
      const options = pair.field('value');
      if (options?.kind() !== 'dictionary') {
        policies.push(top);
        continue;
      }
      policies.push({
        origins: pyDictEntry(options, 'origins') ?? top.origins,
        credentials: pyDictEntry(options, 'supports_credentials') ?? top.credentials,
        sendWildcard: pyDictEntry(options, 'send_wildcard') ?? top.sendWildcard,
      });
    }
  } else policies.push(top);

  let permissive: CorsVerdict | undefined;
  for (const policy of policies) {
    const originsState = policy.origins ? pyWildcardState(policy.origins.value, true) : configured ? 'unknown' : 'wildcard';
    if (originsState !== 'wildcard') continue;
    const credentials = policy.credentials ? pyStaticBool(policy.credentials.value) : configured ? undefined : false;
    const sendsStar = policy.sendWildcard ? pyStaticBool(policy.sendWildcard.value) === true : false;
    const where = policy.origins?.arg ?? call;
    const subject = policy.origins
      ? `Flask-CORS allows any origin (\`${short(policy.origins.arg.text())}\`)`
      : `\`${short(call.text())}\` allows any origin (Flask-CORS defaults to \`origins='*'\`)`;
    if (credentials === true && !sendsStar) {
      return {
        kind: 'credentials-wildcard',
        node: where,
        message: `${subject} with credentials (\`supports_credentials=True\`): Flask-CORS echoes the caller's origin, so ${CREDENTIALED_RISK}.`,
      };
    }
    permissive ??= { kind: 'permissive', node: where, message: `${subject}: ${ANY_ORIGIN_RISK}.` };
  }
  return permissive;
}

/** A module-level `NAME = value` of the file (the last one), for Django settings. */
function moduleSetting(root: SgNode, name: string): SgNode | undefined {
  let found: SgNode | undefined;
  for (const statement of root.children()) {
    const assignment = statement.kind() === 'expression_statement' ? statement.children()[0] : undefined;
    if (assignment?.kind() === 'assignment' && assignment.field('left')?.text() === name) found = assignment.field('right') ?? undefined;
  }
  return found;
}

const DJANGO_ALLOW_ALL = new Set(['CORS_ALLOW_ALL_ORIGINS', 'CORS_ORIGIN_ALLOW_ALL']);
const DJANGO_REGEXES = new Set(['CORS_ALLOWED_ORIGIN_REGEXES', 'CORS_ORIGIN_REGEX_WHITELIST']);
/** Development-only settings modules, where allowing every origin is the point. */
const DEV_SETTINGS = /(^|\/)(settings[_/.])?(dev|develop|development|local)(_settings)?\.py$/;

function djangoAllowsAll(root: SgNode): boolean {
  return [...DJANGO_ALLOW_ALL].some((name) => moduleSetting(root, name)?.kind() === 'true');
}

function djangoVerdict(assignment: SgNode, path: string): CorsVerdict | undefined {
  const statement = assignment.parent();
  if (statement?.kind() !== 'expression_statement' || statement.parent()?.kind() !== 'module') return undefined;
  if (DEV_SETTINGS.test(path)) return undefined;
  const name = assignment.field('left')?.text() ?? '';
  const value = assignment.field('right');
  if (!value) return undefined;
  const root = statement.parent()!;
  const credentials = moduleSetting(root, 'CORS_ALLOW_CREDENTIALS')?.kind() === 'true';
  let anyOrigin = false;
  if (DJANGO_ALLOW_ALL.has(name)) {
    // Only the literal: `CORS_ALLOW_ALL_ORIGINS = DEBUG` is the usual development guard.
    anyOrigin = value.kind() === 'true';
  } else if (DJANGO_REGEXES.has(name)) {
    anyOrigin = !djangoAllowsAll(root) && pyWildcardState(value, true) === 'wildcard';
  } else if (name === 'CORS_ALLOW_HEADERS') {
    const regexesAny = [...DJANGO_REGEXES].some((n) => pyWildcardState(moduleSetting(root, n), true) === 'wildcard');
    if (djangoAllowsAll(root) || regexesAny || pyWildcardState(value, false) !== 'wildcard') return undefined;
    return {
      kind: 'permissive',
      node: assignment,
      message: `django-cors-headers allows any request header (\`${short(assignment.text())}\`): list the headers the frontend actually sends.`,
    };
  }
  if (!anyOrigin) return undefined;
  if (credentials) {
    return {
      kind: 'credentials-wildcard',
      node: assignment,
      message: `django-cors-headers allows any origin (\`${short(assignment.text())}\`) with \`CORS_ALLOW_CREDENTIALS = True\`: it echoes the caller's origin, so ${CREDENTIALED_RISK}.`,
    };
  }
  return { kind: 'permissive', node: assignment, message: `django-cors-headers allows any origin (\`${short(assignment.text())}\`): ${ANY_ORIGIN_RISK}.` };
}

/** The verdict for a Python `call` or `assignment` node, if it configures CORS too widely. */
export function pythonCorsVerdict(node: SgNode, context: RuleContext): CorsVerdict | undefined {
  if (node.kind() === 'assignment') {
    const name = node.field('left')?.text() ?? '';
    if (!DJANGO_ALLOW_ALL.has(name) && !DJANGO_REGEXES.has(name) && name !== 'CORS_ALLOW_HEADERS') return undefined;
    return djangoVerdict(node, context.file.path);
  }
  if (node.kind() !== 'call') return undefined;
  const calleeText = node.field('function')?.text() ?? '';
  if (!/(add_middleware|Middleware|CORS|cross_origin)$/.test(calleeText)) return undefined;
  const bindings = pyBindingsFor(context.file, node, context.source);
  const callee = pyQualifiedName(node.field('function'), bindings);
  if (!callee) return undefined;
  const last = callee.split('.').pop();
  if (last === 'add_middleware' || callee === 'Middleware' || callee.endsWith('.Middleware')) {
    const first = positionalArguments(node)[0] ?? keywordArgument(node, 'middleware_class') ?? keywordArgument(node, 'cls');
    return isStarletteCors(pyQualifiedName(first, bindings)) ? starletteVerdict(node) : undefined;
  }
  if (isStarletteCors(callee)) return starletteVerdict(node);
  if (callee === 'flask_cors.CORS' || callee === 'flask_cors.cross_origin') return flaskVerdict(node, callee, context.source);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript
// ---------------------------------------------------------------------------------------------

type OriginKind = 'reflect' | 'star' | 'none' | 'unknown';

const FASTIFY_CORS = new Set(['@fastify/cors', 'fastify-cors']);

function parameterNames(fn: SgNode): string[] {
  const parameters = fn.field('parameters') ?? fn.field('parameter');
  if (!parameters) return [];
  if (parameters.kind() === 'identifier') return [parameters.text()];
  return parameters
    .children()
    .filter((c) => c.isNamed())
    .map((p) => (p.kind() === 'identifier' ? p : p.find({ rule: { kind: 'identifier' } })))
    .filter((p): p is SgNode => Boolean(p))
    .map((p) => p.text());
}

/** `(origin, cb) => cb(null, true)`, `cb(null, origin)`, `(origin) => origin`: accepts every origin unconditionally. */
function acceptsEveryOrigin(fn: SgNode): boolean {
  const [originParam, callbackParam] = parameterNames(fn);
  let body = fn.field('body');
  if (!body) return false;
  if (body.kind() === 'statement_block') {
    const statements = body.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
    if (statements.length !== 1) return false;
    const only = statements[0];
    if (only.kind() === 'return_statement' || only.kind() === 'expression_statement') {
      const inner = only.children().find((c) => c.isNamed());
      if (!inner) return false;
      body = inner;
    } else return false;
  }
  body = unwrapTsExpression(body);
  const accepting = (value: SgNode | undefined) => value !== undefined && (value.kind() === 'true' || (originParam !== undefined && value.text() === originParam));
  if (accepting(body)) return true;
  if (body.kind() === 'call_expression' && callbackParam && body.field('function')?.text() === callbackParam) {
    const args = callArguments(body);
    return args.length === 2 && args[0].kind() === 'null' && accepting(args[1]);
  }
  return false;
}

function originKind(value: SgNode | undefined, depth = 0): OriginKind {
  if (!value || depth > 4) return 'unknown';
  const node = tsResolved(value);
  if (!node) return 'unknown';
  switch (node.kind()) {
    case 'true':
      return 'reflect';
    case 'false':
      return 'none';
    case 'regex':
      return isAnyOriginRegex(node.field('pattern')?.text()) ? 'reflect' : 'none';
    case 'arrow_function':
    case 'function_expression':
    case 'function':
      return acceptsEveryOrigin(node) ? 'reflect' : 'unknown';
    case 'array': {
      // The libraries compare array entries exactly: '*' inside an array matches nothing.
      const kinds = node.children().filter((c) => c.isNamed() && c.kind() !== 'comment').map((item) =>
        tsResolved(item)?.kind() === 'regex' ? originKind(item, depth + 1) : tsStaticString(tsResolved(item)) !== undefined ? 'none' : 'unknown',
      );
      if (kinds.includes('reflect')) return 'reflect';
      return kinds.every((k) => k === 'none') ? 'none' : 'unknown';
    }
    default: {
      const text = tsStaticString(node);
      if (text === undefined) return 'unknown';
      return text === '*' ? 'star' : 'none';
    }
  }
}

function optionsObject(node: SgNode | undefined): SgNode | 'absent' | undefined {
  if (!node) return 'absent';
  const resolved = tsResolved(node);
  return resolved?.kind() === 'object' ? resolved : undefined;
}

function hasSpread(object: SgNode): boolean {
  return object.children().some((c) => c.kind() === 'spread_element');
}

/** The `key: value` pair node of an object property (for reporting where it is). */
function pairOf(object: SgNode, key: string): SgNode | undefined {
  const value = objectProperty(object, key);
  if (!value) return undefined;
  return value.kind() === 'shorthand_property_identifier' ? value : (value.parent() ?? value);
}

/** Verdict for the options of `cors()`, `@fastify/cors`, Hono `cors()` or Nest `enableCors()`. */
function corsOptionsVerdict(call: SgNode, options: SgNode | undefined, library: string): CorsVerdict | undefined {
  const object = optionsObject(options);
  if (object === undefined) return undefined;
  let origin: OriginKind = 'star';
  let originPair: SgNode | undefined;
  let credentials: boolean | undefined = false;
  if (object !== 'absent') {
    const originValue = objectProperty(object, 'origin');
    const credentialsValue = objectProperty(object, 'credentials');
    if (hasSpread(object) && (!originValue || !credentialsValue)) return undefined;
    if (originValue) {
      origin = originValue.kind() === 'shorthand_property_identifier' ? originKind(tsResolvedShorthand(originValue)) : originKind(originValue);
      originPair = pairOf(object, 'origin');
    }
    if (credentialsValue) credentials = tsResolved(credentialsValue)?.kind() === 'true' ? true : tsResolved(credentialsValue)?.kind() === 'false' ? false : undefined;
  }
  if (origin === 'none' || origin === 'unknown') return undefined;
  const where = originPair ?? call;
  const what = originPair ? `\`${short(originPair.text())}\`` : `\`${short(call.text())}\` has no \`origin\` option, so the default is \`*\``;
  if (origin === 'reflect') {
    if (credentials === true) {
      return {
        kind: 'credentials-wildcard',
        node: where,
        message: `${library} reflects every request origin (${what}) with \`credentials: true\`: ${CREDENTIALED_RISK}.`,
      };
    }
    return { kind: 'permissive', node: where, message: `${library} reflects every request origin (${what}): ${ANY_ORIGIN_RISK}.` };
  }
  const credentialsNote = credentials === true
    ? ' (`credentials: true` has no effect with `*`: browsers refuse credentialed answers to a wildcard; `origin: true` would make it exploitable)'
    : '';
  return {
    kind: 'permissive',
    node: where,
    message: `${library} allows any origin (${what}): ${ANY_ORIGIN_RISK}${credentialsNote}.`,
    dedupeKey: object === 'absent' ? call.text() : undefined,
  };
}

/** `{ origin }` shorthand: the value is the variable of that name. */
function tsResolvedShorthand(shorthand: SgNode): SgNode | undefined {
  const root = shorthand.getRoot().root();
  const declarator = root
    .findAll({ rule: { kind: 'variable_declarator' } })
    .filter((d) => d.field('name')?.kind() === 'identifier' && d.field('name')?.text() === shorthand.text());
  return declarator.length === 1 ? (declarator[0].field('value') ?? undefined) : undefined;
}

const ACAO = 'access-control-allow-origin';
const ACAC = /['"`]Access-Control-Allow-Credentials['"`]\s*[,:]\s*(?:['"`]true['"`]|true\b)|key\s*:\s*['"`]Access-Control-Allow-Credentials['"`]\s*,\s*value\s*:\s*['"`]true['"`]/i;
const RESPONSE_RECEIVER = /^(res|resp|response|reply|rep|ctx|context|c|event|httpResponse|serverResponse|this\.res|this\.response)(\.(raw|res|response|node\.res|headers))*$/;
const HEADER_SETTERS = new Set(['setHeader', 'header', 'set', 'append']);
/** `req.headers.origin`, `req.header('Origin')`, `request.headers.get('origin')`, `ctx.get('Origin')` (whole expression). */
const REQUEST_ORIGIN = /^[\w$.]+\.(headers?\.origin|headers?\[\s*['"`]origin['"`]\s*\]|headers\.get\(\s*['"`]origin['"`]\s*\)|header\(\s*['"`]origin['"`]\s*\)|get\(\s*['"`]origin['"`]\s*\))$/i;

function headerValueKind(value: SgNode, depth = 0): OriginKind {
  if (depth > 3) return 'unknown';
  const node = unwrapTsExpression(value);
  const text = tsStaticString(node);
  if (text !== undefined) return text.trim() === '*' ? 'star' : 'none';
  if (REQUEST_ORIGIN.test(node.text().replace(/\?\./g, '.'))) return 'reflect';
  if (node.kind() === 'binary_expression' && /^(\|\||\?\?)$/.test(node.field('operator')?.text() ?? '')) {
    const left = node.field('left');
    return left ? headerValueKind(left, depth + 1) : 'unknown';
  }
  if (node.kind() === 'identifier') {
    if (isDestructuredRequestOrigin(node)) return 'reflect';
    const declared = tsResolved(node);
    return declared && declared.kind() !== 'identifier' ? headerValueKind(declared, depth + 1) : 'unknown';
  }
  return 'unknown';
}

/** `const { origin } = req.headers` in the same function. */
function isDestructuredRequestOrigin(identifier: SgNode): boolean {
  if (identifier.text() !== 'origin') return false;
  const scope = enclosingFunction(identifier) ?? identifier.getRoot().root();
  return scope.findAll({ rule: { kind: 'variable_declarator' } }).some((declarator) => {
    const pattern = declarator.field('name');
    const value = declarator.field('value');
    return (
      pattern?.kind() === 'object_pattern' &&
      value !== null &&
      /\.headers$/.test(value.text()) &&
      pattern.children().some((p) => p.kind() === 'shorthand_property_identifier_pattern' && p.text() === 'origin')
    );
  });
}

/** An `if`, ternary, `switch` or membership test in the handler that looks at the origin: a hand-written allow-list. */
function originIsChecked(scope: SgNode): boolean {
  const conditions = scope.findAll({
    rule: { any: [{ kind: 'if_statement' }, { kind: 'ternary_expression' }, { kind: 'switch_statement' }, { kind: 'call_expression' }] },
  });
  return conditions.some((node) => {
    if (node.kind() === 'call_expression') {
      const callee = node.field('function');
      const method = callee?.kind() === 'member_expression' ? callee.field('property')?.text() : undefined;
      return /^(includes|has|test|indexOf|some|find|match|startsWith|endsWith)$/.test(method ?? '') && /origin/i.test(node.text());
    }
    const condition = node.field('condition') ?? node.field('value');
    return condition !== null && condition !== undefined && /origin/i.test(condition.text());
  });
}

function manualHeaderVerdict(reportAt: SgNode, value: SgNode): CorsVerdict | undefined {
  const kind = headerValueKind(value);
  if (kind !== 'reflect' && kind !== 'star') return undefined;
  const scope = enclosingFunction(reportAt) ?? reportAt.getRoot().root();
  if (kind === 'reflect' && originIsChecked(scope)) return undefined;
  const credentials = ACAC.test(scope.text());
  const what = `\`${short(reportAt.text())}\``;
  if (kind === 'reflect') {
    if (credentials) {
      return {
        kind: 'credentials-wildcard',
        node: reportAt,
        message: `Access-Control-Allow-Origin echoes the request's Origin unchecked (${what}) together with \`Access-Control-Allow-Credentials: true\`: ${CREDENTIALED_RISK}.`,
      };
    }
    return { kind: 'permissive', node: reportAt, message: `Access-Control-Allow-Origin echoes the request's Origin unchecked (${what}): ${ANY_ORIGIN_RISK}.` };
  }
  const credentialsNote = credentials
    ? ' (the `Access-Control-Allow-Credentials: true` beside it has no effect with `*`; echoing the origin instead would make it exploitable)'
    : '';
  return { kind: 'permissive', node: reportAt, message: `Access-Control-Allow-Origin is \`*\` (${what}): ${ANY_ORIGIN_RISK}${credentialsNote}.` };
}

/** The Access-Control-Allow-Origin pair of a headers object literal. */
function acaoPair(object: SgNode | undefined): SgNode | undefined {
  if (!object || object.kind() !== 'object') return undefined;
  return object.children().find((pair) => {
    if (pair.kind() !== 'pair') return false;
    const key = pair.field('key');
    const name = key?.kind() === 'property_identifier' ? key.text() : tsStaticString(key);
    return name?.toLowerCase() === ACAO;
  });
}

function headersObjectVerdict(object: SgNode | undefined): CorsVerdict | undefined {
  const pair = acaoPair(object ? tsResolved(object) : undefined);
  const value = pair?.field('value');
  return pair && value ? manualHeaderVerdict(pair, value) : undefined;
}

function responseInitVerdict(init: SgNode | undefined): CorsVerdict | undefined {
  const object = init ? tsResolved(init) : undefined;
  if (object?.kind() !== 'object') return undefined;
  const headers = objectProperty(object, 'headers');
  return headers ? headersObjectVerdict(headers) : undefined;
}

const RESPONSE_FACTORIES = /^(NextResponse|Response)\.(json|redirect|next|rewrite)$/;

function tsCallVerdict(call: SgNode, context: RuleContext): CorsVerdict | undefined {
  const callee = call.field('function');
  if (!callee) return undefined;
  const args = callArguments(call);
  const bindings = tsBindingsFor(context.file, call, context.source);
  const binding = tsExpressionBinding(callee, bindings);
  if (binding) {
    if (binding.module === 'cors' && (binding.imported === 'default' || binding.imported === '*')) return corsOptionsVerdict(call, args[0], 'cors()');
    if (binding.module === 'hono/cors' && binding.imported === 'cors') return corsOptionsVerdict(call, args[0], 'Hono cors()');
  }
  if (callee.kind() !== 'member_expression') return undefined;
  const method = callee.field('property')?.text() ?? '';
  const receiver = callee.field('object')?.text() ?? '';
  if (method === 'register' && args[0]) {
    const plugin = tsExpressionBinding(args[0], bindings)?.module ?? tsRequiredModule(args[0]);
    if (plugin && FASTIFY_CORS.has(plugin)) return corsOptionsVerdict(call, args[1], `${plugin} (fastify.register)`);
    return undefined;
  }
  if (method === 'enableCors' && [...bindings.values()].some((b) => b.module.startsWith('@nestjs/'))) {
    return corsOptionsVerdict(call, args[0], 'NestJS enableCors()');
  }
  if (method === 'create' && /(^|\.)NestFactory$/.test(receiver) && args[1]) {
    const options = tsResolved(args[1]);
    const cors = options?.kind() === 'object' ? objectProperty(options, 'cors') : undefined;
    if (!cors) return undefined;
    if (cors.kind() === 'true') {
      const pair = cors.parent() ?? cors;
      return { kind: 'permissive', node: pair, message: `NestFactory.create(..., { cors: true }) allows any origin (the cors defaults send \`*\`): ${ANY_ORIGIN_RISK}.` };
    }
    return corsOptionsVerdict(call, cors, 'NestJS cors option');
  }
  if (RESPONSE_FACTORIES.test(callee.text())) return responseInitVerdict(args[1] ?? (method === 'next' ? args[0] : undefined));
  if (!RESPONSE_RECEIVER.test(receiver)) return undefined;
  if (HEADER_SETTERS.has(method) && args.length >= 2 && tsStaticString(args[0])?.toLowerCase() === ACAO) {
    return manualHeaderVerdict(call, args[1]);
  }
  if ((method === 'set' || method === 'header') && args.length === 1) return headersObjectVerdict(args[0]);
  if (method === 'writeHead') return headersObjectVerdict(args.find((a) => tsResolved(a)?.kind() === 'object'));
  return undefined;
}

/** The verdict for a TS/JS `call_expression`, `new_expression` or `object` node. */
export function tsCorsVerdict(node: SgNode, context: RuleContext): CorsVerdict | undefined {
  const kind = node.kind();
  if (kind === 'call_expression') return tsCallVerdict(node, context);
  if (kind === 'new_expression') {
    const constructor = node.field('constructor')?.text();
    if (constructor !== 'Response' && constructor !== 'NextResponse') return undefined;
    const args = node.field('arguments')?.children().filter((c) => c.isNamed() && c.kind() !== 'comment') ?? [];
    return responseInitVerdict(args[1]);
  }
  if (kind === 'object') {
    // Next.js `headers()` entries: `{ key: 'Access-Control-Allow-Origin', value: '*' }`.
    const key = objectProperty(node, 'key');
    const value = objectProperty(node, 'value');
    if (!key || !value || tsStaticString(key)?.toLowerCase() !== ACAO) return undefined;
    return manualHeaderVerdict(node, value);
  }
  return undefined;
}

/** Bare `cors()` set up twice for one app (`app.use(cors())`, `app.options('*', cors())`) is one policy. */
const reportedConfigs = new WeakMap<object, { source: string; seen: Set<string> }>();

export function isRepeatedConfig(context: RuleContext, verdict: CorsVerdict): boolean {
  let entry = reportedConfigs.get(context);
  if (!entry || entry.source !== context.source) {
    entry = { source: context.source, seen: new Set() };
    reportedConfigs.set(context, entry);
  }
  if (!verdict.dedupeKey) return false;
  const key = `${verdict.kind}\u0000${verdict.dedupeKey}`;
  if (entry.seen.has(key)) return true;
  entry.seen.add(key);
  return false;
}

