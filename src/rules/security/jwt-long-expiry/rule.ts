import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { keywordArgument, positionalArguments } from '../../_shared/python.js';
import { callArguments } from '../../_shared/typescript.js';
import {
  pyBindingsFor,
  pyNameValues,
  pyStaticString,
  tsBindingsFor,
  tsDeclaredValue,
  tsExpressionBinding,
  tsStaticString,
  unwrapTsExpression,
} from '../../_shared/static-values.js';
import { describeSeconds, isTokenLifetimeName, isTooLong, mentionsOtherToken, parseDurationString, unitOfName } from './duration.js';

/** A lifetime found in code: how long, where it is written, and whether it is only a fallback. */
interface Lifetime {
  seconds: number;
  /** The node that states it (`timedelta(days=7)`, `'7d'`). */
  node: SgNode;
  /** Read from the environment, this is the value used when the variable is missing. */
  isDefault?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Python

/** `60 * 24 * 7`, `10_080`, a same-file constant; undefined when not static. */
function pyNumber(node: SgNode | null | undefined, depth = 0): number | undefined {
  if (!node || depth > 4) return undefined;
  const kind = node.kind();
  if (kind === 'integer' || kind === 'float') {
    const value = Number(node.text().replace(/_/g, ''));
    return Number.isFinite(value) ? value : undefined;
  }
  if (kind === 'parenthesized_expression') return pyNumber(node.children().find((c) => c.isNamed()), depth);
  if (kind === 'binary_operator') {
    const left = pyNumber(node.field('left'), depth + 1);
    const right = pyNumber(node.field('right'), depth + 1);
    if (left === undefined || right === undefined) return undefined;
    switch (node.field('operator')?.text()) {
      case '*': return left * right;
      case '+': return left + right;
      case '-': return left - right;
      case '/': case '//': return right === 0 ? undefined : left / right;
      default: return undefined;
    }
  }
  if (kind === 'identifier') {
    // A constant named as a lifetime is reported where it is defined, not again where it is used.
    if (isTokenLifetimeName(node.text())) return undefined;
    const values = pyNameValues(node);
    return values?.length === 1 ? pyNumber(values[0], depth + 1) : undefined;
  }
  return undefined;
}

const TIMEDELTA_POSITIONAL = [86_400, 1, 0.000_001, 0.001, 60, 3600, 604_800];
const TIMEDELTA_KEYWORD: Record<string, number> = { days: 86_400, seconds: 1, microseconds: 0.000_001, milliseconds: 0.001, minutes: 60, hours: 3600, weeks: 604_800 };

function pyTimedelta(call: SgNode): number | undefined {
  const callee = call.field('function')?.text() ?? '';
  if (!/(^|\.)timedelta$/.test(callee)) return undefined;
  let total = 0;
  const positional = positionalArguments(call);
  for (const [index, arg] of positional.entries()) {
    const value = pyNumber(arg);
    if (value === undefined || index >= TIMEDELTA_POSITIONAL.length) return undefined;
    total += value * TIMEDELTA_POSITIONAL[index];
  }
  for (const arg of call.field('arguments')?.children().filter((c) => c.kind() === 'keyword_argument') ?? []) {
    const unit = TIMEDELTA_KEYWORD[arg.field('name')?.text() ?? ''];
    const value = pyNumber(arg.field('value'));
    if (unit === undefined || value === undefined) return undefined;
    total += value * unit;
  }
  return total;
}

/** `datetime.utcnow()`, `datetime.now(tz=UTC)`, `timezone.now()`, `time.time()`, `int(time.time())`. */
function isPyNow(node: SgNode | null | undefined): boolean {
  return !!node && /^(int\()?\s*([\w.]*\b(utcnow|now)\([^)]*\)|time\.time\(\)|time\(\))\s*\)?$/.test(node.text());
}

const PY_ENV_READER = /(^|\.)(getenv|get|config|env|int|float|Field)$/;

/** A lifetime written as `value` of a setting whose bare numbers count in `unit` seconds. */
function pyLifetime(value: SgNode | null | undefined, unit: number | undefined, depth = 0): Lifetime | undefined {
  if (!value || depth > 3) return undefined;
  const kind = value.kind();
  if (kind === 'call') {
    const timedelta = pyTimedelta(value);
    if (timedelta !== undefined) return { seconds: timedelta, node: value };
    const callee = value.field('function')?.text() ?? '';
    // `int(os.getenv("ACCESS_TOKEN_EXPIRE_MINUTES", "10080"))`
    if (/^(int|float)$/.test(callee)) return pyLifetime(positionalArguments(value)[0], unit, depth + 1);
    if (PY_ENV_READER.test(callee)) {
      const fallback = keywordArgument(value, 'default') ?? positionalArguments(value)[callee === 'Field' ? 0 : 1];
      if (!fallback) return undefined;
      const text = pyStaticString(fallback);
      const seconds = text !== undefined ? parseDurationString(text, unit) : undefined;
      const found = seconds !== undefined ? { seconds, node: fallback } : pyLifetime(fallback, unit, depth + 1);
      return found && { ...found, isDefault: callee !== 'Field' };
    }
    return undefined;
  }
  if (kind === 'binary_operator' && value.field('operator')?.text() === '+') {
    // `datetime.utcnow() + timedelta(days=30)`, `int(time.time()) + 60 * 60 * 24 * 30`
    const left = value.field('left');
    const right = value.field('right');
    if (isPyNow(left)) return pyLifetime(right, /time\(\)/.test(left!.text()) ? 1 : undefined, depth + 1);
    if (isPyNow(right)) return pyLifetime(left, /time\(\)/.test(right!.text()) ? 1 : undefined, depth + 1);
    // a plain sum of numbers is a number, below
  }
  if (kind === 'identifier' && !isTokenLifetimeName(value.text())) {
    const values = pyNameValues(value);
    if (values?.length === 1 && values[0].kind() !== 'integer') return pyLifetime(values[0], unit, depth + 1);
  }
  if (unit === undefined) return undefined;
  const number = pyNumber(value);
  return number === undefined ? undefined : { seconds: number * unit, node: value };
}

/** What a function, the variable a call is stored in, or the dict around a claim says about the token. */
function pyIsOtherToken(node: SgNode): boolean {
  const fn = node.ancestors().find((a) => a.kind() === 'function_definition');
  if (fn && mentionsOtherToken(fn.field('name')?.text() ?? '')) return true;
  const dict = node.kind() === 'dictionary' ? node : node.ancestors().find((a) => a.kind() === 'dictionary');
  if (dict && /['"](type|token_type|typ|purpose|scope)['"]\s*:\s*['"][\w-]*(refresh|reset|invite|verif|unsubscribe|magic)/i.test(dict.text())) return true;
  const assignment = node.ancestors().find((a) => a.kind() === 'assignment');
  return !!assignment && mentionsOtherToken(assignment.field('left')?.text() ?? '');
}

function reportLifetime(context: RuleContext, setting: string, lifetime: Lifetime, at?: SgNode): void {
  if (!isTooLong(lifetime.seconds)) return;
  const how = describeSeconds(lifetime.seconds);
  context.report({
    node: at ?? lifetime.node,
    message: lifetime.isDefault
      ? `\`${setting}\` defaults to ${how} (\`${lifetime.node.text()}\`): access tokens live over 24 h wherever the variable is not set.`
      : `\`${setting}\` is ${how} (\`${lifetime.node.text()}\`): a stolen access token stays valid that long.`,
  });
}

/** Keyword arguments that carry a lifetime into token helpers: `create_access_token(..., expires_delta=...)`. */
const PY_LIFETIME_KEYWORD = /^(expires_delta|expires_in|expires|expiry|expiration|lifetime|ttl|exp)$/;

function pyKeyword(node: SgNode, context: RuleContext): void {
  const name = node.field('name')?.text() ?? '';
  const call = node.parent()?.parent();
  const callee = call?.kind() === 'call' ? call.field('function')?.text() ?? '' : '';
  // `create_access_token(data, expires_delta=timedelta(days=7))`, `Settings(ACCESS_TOKEN_EXPIRE_MINUTES=...)`
  const named = isTokenLifetimeName(name) || (PY_LIFETIME_KEYWORD.test(name) && /(token|jwt)/i.test(callee) && !mentionsOtherToken(callee) && isTokenLifetimeName(`${callee}_${name}`));
  if (!named || pyIsOtherToken(node)) return;
  const lifetime = pyLifetime(node.field('value'), unitOfName(name) ?? 1);
  if (lifetime) reportLifetime(context, `${callee}(${name}=...)`, lifetime, node);
}

/** flask-jwt-extended: `JWT_ACCESS_TOKEN_EXPIRES = False` turns expiry off. */
function pyNeverExpires(name: string, value: SgNode): boolean {
  return /ACCESS_TOKEN_EXPIRES$/.test(name) && value.kind() === 'false';
}

function pySetting(name: string, value: SgNode | null | undefined, report: SgNode, context: RuleContext): void {
  if (!value || !isTokenLifetimeName(name) || pyIsOtherToken(report)) return;
  if (pyNeverExpires(name, value)) {
    context.report({ node: report, message: `\`${name} = False\`: access tokens never expire.` });
    return;
  }
  const lifetime = pyLifetime(value, unitOfName(name) ?? 1);
  if (lifetime) reportLifetime(context, name, lifetime, report);
}

function pyAssignment(node: SgNode, context: RuleContext): void {
  const left = node.field('left');
  const right = node.field('right');
  if (!left || !right) return;
  if (left.kind() === 'identifier') return pySetting(left.text(), right, node, context);
  if (left.kind() === 'attribute') return pySetting(left.field('attribute')?.text() ?? '', right, node, context);
  if (left.kind() === 'subscript') {
    const key = pyStaticString(left.field('subscript'));
    if (key === undefined) return;
    // `payload["exp"] = datetime.utcnow() + timedelta(days=30)`
    if (key === 'exp') return pyExpClaim(right, node, context);
    pySetting(key, right, node, context);
  }
}

function pyPair(node: SgNode, context: RuleContext): void {
  const key = pyStaticString(node.field('key'));
  if (key === undefined) return;
  if (key === 'exp') return pyExpClaim(node.field('value'), node, context);
  // `return {"access_token": token, "access_token_expires_in": ...}` describes a token issued elsewhere.
  const dict = node.parent();
  if (dict?.kind() === 'dictionary' && /['"](access_token|token)['"]\s*:/.test(dict.text())) return;
  // `SIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": timedelta(days=7)}`
  pySetting(key, node.field('value'), node, context);
}

/** The `exp` claim: `now + timedelta(...)`, directly or through a local variable. */
function pyExpClaim(value: SgNode | null | undefined, at: SgNode, context: RuleContext): void {
  if (!value || !/\b(jwt|jose)\b/.test(context.source) || pyIsOtherToken(at)) return;
  const candidates = value.kind() === 'identifier' ? pyNameValues(value) ?? [] : [value];
  for (const candidate of candidates) {
    if (!isPyNow(candidate.field('left')) && !isPyNow(candidate.field('right'))) continue;
    const lifetime = pyLifetime(candidate, undefined);
    if (lifetime && isTooLong(lifetime.seconds)) {
      reportLifetime(context, 'exp', lifetime, candidate === value ? at : candidate.parent() ?? candidate);
      return;
    }
  }
}

/** PyJWT / python-jose `jwt.encode(payload, key)` where the payload has no `exp` and nothing adds one. */
function pyEncode(node: SgNode, context: RuleContext): void {
  const callee = node.field('function');
  if (callee?.text() !== 'jwt.encode') return;
  const origin = pyBindingsFor(context.file, node, context.source).get('jwt');
  if (origin !== 'jwt' && origin !== 'jose.jwt') return;
  const argument = keywordArgument(node, 'payload') ?? keywordArgument(node, 'claims') ?? positionalArguments(node)[0];
  if (!argument) return;
  const payload = argument.kind() === 'identifier' ? (pyNameValues(argument) ?? []) : [argument];
  if (payload.length !== 1 || payload[0].kind() !== 'dictionary') return;
  const dict = payload[0];
  if (dict.children().some((c) => c.kind() === 'dictionary_splat')) return;
  const keys = dict.children().filter((c) => c.kind() === 'pair').map((p) => pyStaticString(p.field('key')));
  // `iat`/`iss`: a client assertion for another service (APNs provider tokens carry only `iss` and
  // `iat`), whose verifier ages tokens by their issue time.
  if (keys.some((k) => k === undefined || k === 'exp' || k === 'iat' || k === 'iss')) return;
  // Anything in the function that could add the claim later (`payload["exp"] = ...`, `payload.update(...)`).
  const scope = node.ancestors().find((a) => a.kind() === 'function_definition') ?? node.getRoot().root();
  const name = argument.kind() === 'identifier' ? argument.text() : undefined;
  if (/['"]exp['"]|\bexp\s*=/.test(scope.text()) || (name && new RegExp(`\\b${name}\\s*(\\.update\\(|\\[|\\|=)`).test(scope.text()))) return;
  if (pyIsOtherToken(node) || pyIsOtherToken(dict)) return;
  context.report({ node, message: `\`${callee.text()}(...)\` signs a payload with no \`exp\` claim: the token never expires.` });
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript

const JWT_MODULE = /^(jsonwebtoken|jose|@nestjs\/jwt|@fastify\/jwt|fast-jwt|hono\/jwt|@hapi\/jwt|jwt-simple|next-auth(\/.*)?|@auth\/core)$/;

function tsNumber(node: SgNode | null | undefined, depth = 0): number | undefined {
  if (!node || depth > 4) return undefined;
  const current = unwrapTsExpression(node);
  const kind = current.kind();
  if (kind === 'number') {
    const value = Number(current.text().replace(/_/g, ''));
    return Number.isFinite(value) ? value : undefined;
  }
  if (kind === 'binary_expression') {
    const left = tsNumber(current.field('left'), depth + 1);
    const right = tsNumber(current.field('right'), depth + 1);
    if (left === undefined || right === undefined) return undefined;
    switch (current.field('operator')?.text()) {
      case '*': return left * right;
      case '+': return left + right;
      case '-': return left - right;
      case '/': return right === 0 ? undefined : left / right;
      default: return undefined;
    }
  }
  if (kind === 'identifier' && !isTokenLifetimeName(current.text())) {
    return tsNumber(tsDeclaredValue(current), depth + 1);
  }
  return undefined;
}

/** `Date.now() / 1000`, `Math.floor(Date.now() / 1000)`, `dayjs().unix()`: seconds since the epoch. */
function isTsNowSeconds(node: SgNode | null | undefined): boolean {
  return !!node && /Date\.now\(\)\s*\/\s*1000|new Date\(\)\.getTime\(\)\s*\/\s*1000|\.unix\(\)|getUnixTime\(/.test(node.text());
}

/**
 * A lifetime as jsonwebtoken/jose read it: strings with a unit ('7d'), numbers in `unit` seconds,
 * `process.env.JWT_EXPIRES_IN || '7d'` (a default), a same-file constant.
 */
function tsLifetime(value: SgNode | null | undefined, unit: number | undefined, depth = 0): Lifetime | undefined {
  if (!value || depth > 3) return undefined;
  const current = unwrapTsExpression(value);
  const text = tsStaticString(current);
  if (text !== undefined) {
    const seconds = parseDurationString(text, undefined);
    return seconds === undefined ? undefined : { seconds, node: current };
  }
  if (current.kind() === 'binary_expression') {
    const operator = current.field('operator')?.text();
    if ((operator === '||' || operator === '??') && /process\.env|import\.meta\.env|config|env\b/i.test(current.field('left')?.text() ?? '')) {
      const found = tsLifetime(current.field('right'), unit, depth + 1);
      return found && { ...found, isDefault: true };
    }
    if (operator === '+' && (isTsNowSeconds(current.field('left')) || isTsNowSeconds(current.field('right')))) {
      const other = isTsNowSeconds(current.field('left')) ? current.field('right') : current.field('left');
      const seconds = tsNumber(other);
      return seconds === undefined ? undefined : { seconds, node: other! };
    }
  }
  if (current.kind() === 'identifier' && !isTokenLifetimeName(current.text())) {
    const declared = tsDeclaredValue(current);
    if (declared) return tsLifetime(declared, unit, depth + 1);
    return undefined;
  }
  if (unit === undefined) return undefined;
  const number = tsNumber(current);
  return number === undefined ? undefined : { seconds: number * unit, node: current };
}

const OTHER_TOKEN_IN_CALL = /['"`](refresh|reset|invite|verify|verification|unsubscribe|magic)[\w-]*['"`]|\w*(REFRESH|Refresh|refresh)\w*/;
const TS_FUNCTION = new Set(['arrow_function', 'function_expression', 'function', 'function_declaration', 'method_definition']);

/** Whether the nearest call, the names the value is stored under, or the enclosing function speak of another token. */
function tsIsOtherToken(node: SgNode): boolean {
  let seenCall = false;
  for (const ancestor of [node, ...node.ancestors()]) {
    const kind = String(ancestor.kind());
    if (kind === 'pair' && mentionsOtherToken(ancestor.field('key')?.text() ?? '')) return true;
    if (kind === 'variable_declarator' && mentionsOtherToken(ancestor.field('name')?.text() ?? '')) return true;
    if (kind === 'assignment_expression' && mentionsOtherToken(ancestor.field('left')?.text() ?? '')) return true;
    if (kind === 'call_expression' && !seenCall) {
      seenCall = true;
      if (OTHER_TOKEN_IN_CALL.test(ancestor.text())) return true;
    }
    if (TS_FUNCTION.has(kind)) {
      if (mentionsOtherToken(ancestor.field('name')?.text() ?? '')) return true;
      // `const createRefreshToken = (user) => jwt.sign(...)`: the name sits just above the function.
      const holder = ancestor.parent();
      const holderName = holder?.kind() === 'variable_declarator' ? holder.field('name')?.text() : holder?.kind() === 'pair' ? holder.field('key')?.text() : undefined;
      return mentionsOtherToken(holderName ?? '');
    }
  }
  return false;
}

function isJwtFile(context: RuleContext, node: SgNode): boolean {
  for (const binding of tsBindingsFor(context.file, node, context.source).values()) if (JWT_MODULE.test(binding.module)) return true;
  return /\bjwt\b|SignJWT/i.test(context.source);
}

function tsSetting(name: string, value: SgNode | null | undefined, at: SgNode, context: RuleContext): void {
  if (!value) return;
  // jsonwebtoken/@nestjs/jwt `expiresIn`: a number counts seconds (fast-jwt: milliseconds).
  const isOptionKey = /^(expiresIn|expires_in)$/.test(name);
  if (isOptionKey ? !isJwtFile(context, at) : !isTokenLifetimeName(name)) return;
  // `res.json({ accessToken, expiresIn })` describes a token issued elsewhere: that is where it is reported.
  const object = at.parent();
  if (object?.kind() === 'object' && /\b(access_?token|accessToken|token)\b\s*[:,}]/.test(object.text())) return;
  if (tsIsOtherToken(at)) return;
  const fastJwt = [...tsBindingsFor(context.file, at, context.source).values()].some((b) => b.module === 'fast-jwt');
  const unit = isOptionKey ? (fastJwt ? 0.001 : 1) : unitOfName(name);
  const lifetime = tsLifetime(value, unit);
  if (lifetime) reportLifetime(context, name, lifetime, at);
}

function tsPair(node: SgNode, context: RuleContext): void {
  const rawKey = node.field('key')?.text() ?? '';
  if (!/exp|ttl|life|valid|duration|age/i.test(rawKey)) return;
  const key = rawKey.replace(/^['"`]|['"`]$/g, '');
  if (key === 'exp') {
    // `{ sub, exp: Math.floor(Date.now() / 1000) + 60 * 60 * 24 * 30 }`
    if (!isJwtFile(context, node) || tsIsOtherToken(node)) return;
    const lifetime = tsLifetime(node.field('value'), undefined);
    if (lifetime) reportLifetime(context, 'exp', lifetime, node);
    return;
  }
  tsSetting(key, node.field('value'), node, context);
}

function tsDeclarator(node: SgNode, context: RuleContext): void {
  const name = node.field('name');
  if (name?.kind() !== 'identifier') return;
  tsSetting(name.text(), node.field('value'), node, context);
}

function tsObjectHasKey(object: SgNode, key: string): boolean {
  return object.children().some((c) => (c.kind() === 'pair' && c.field('key')?.text().replace(/^['"`]|['"`]$/g, '') === key) || (c.kind() === 'shorthand_property_identifier' && c.text() === key));
}

function tsResolvedObject(node: SgNode | undefined): SgNode | undefined {
  if (!node) return undefined;
  const current = unwrapTsExpression(node);
  const resolved = current.kind() === 'identifier' ? tsDeclaredValue(current) : current;
  if (resolved?.kind() !== 'object' || resolved.children().some((c) => c.kind() === 'spread_element')) return undefined;
  return resolved;
}

function tsCall(node: SgNode, context: RuleContext): void {
  const callee = node.field('function');
  if (!callee) return;
  // jose: `new SignJWT(claims).setExpirationTime('30d')`
  if (callee.kind() === 'member_expression' && callee.field('property')?.text() === 'setExpirationTime') {
    if (!/SignJWT|EncryptJWT/.test(context.source) || tsIsOtherToken(node)) return;
    const lifetime = tsLifetime(callArguments(node)[0], undefined);
    if (lifetime) reportLifetime(context, 'setExpirationTime', lifetime, callee.field('property') ?? node);
    return;
  }
  // jsonwebtoken: `jwt.sign({ sub: user.id }, secret)` with no `expiresIn` and no `exp` claim.
  if (!/(^|\.)sign$/.test(callee.text())) return;
  const binding = tsExpressionBinding(callee, tsBindingsFor(context.file, node, context.source));
  if (binding?.module !== 'jsonwebtoken' || binding.imported !== 'sign') return;
  const [payloadArg, , third] = callArguments(node);
  const payload = tsResolvedObject(payloadArg);
  if (!payload || ['exp', 'iat', 'iss'].some((key) => tsObjectHasKey(payload, key))) return;
  const optionsGiven = third && !['arrow_function', 'function_expression', 'function'].includes(String(third.kind()));
  if (optionsGiven) {
    const options = tsResolvedObject(third);
    if (!options || tsObjectHasKey(options, 'expiresIn')) return;
  }
  if (tsIsOtherToken(node)) return;
  context.report({ node, message: `\`${callee.text()}(...)\` signs a token with neither \`expiresIn\` nor an \`exp\` claim: it never expires.` });
}

/** jose: `new SignJWT({...}).setProtectedHeader(...).sign(key)` with no `setExpirationTime` in the chain. */
function tsNew(node: SgNode, context: RuleContext): void {
  if (node.field('constructor')?.text() !== 'SignJWT') return;
  let top = node;
  for (let parent = top.parent(); parent && (parent.kind() === 'member_expression' || parent.kind() === 'call_expression' || parent.kind() === 'await_expression'); parent = parent.parent()) {
    top = parent;
  }
  if (!/\.sign\s*\(/.test(top.text()) || /setExpirationTime/.test(top.text())) return;
  const payload = tsResolvedObject(callArguments(node)[0]);
  if (!payload || tsObjectHasKey(payload, 'exp') || tsIsOtherToken(node)) return;
  context.report({ node, message: '`new SignJWT(...)` is signed without `setExpirationTime` or an `exp` claim: the token never expires.' });
}

export default defineRule({
  meta: {
    id: 'security/jwt-long-expiry',
    title: 'Access token lives longer than a day, or forever',
    area: 'security',
    severity: 'medium',
    type: 'security',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'JWT access tokens valid for more than 24 hours (`ACCESS_TOKEN_EXPIRE_MINUTES = 10080`, `expiresIn: \'7d\'`) or with no expiry at all.',
    why:
      'A JWT cannot be taken back: whoever holds it is the user until it expires. Seed 001 found a 10,080-minute (7-day) ' +
      'access token; a token lifted from a log, a browser extension or `localStorage` then works for a week, and a token with ' +
      'no `exp` works forever. Access tokens should live minutes to hours, with a refresh token (which can be revoked) to stay ' +
      'logged in. Flagged: lifetime settings (`ACCESS_TOKEN_EXPIRE_MINUTES`, `JWT_ACCESS_TOKEN_EXPIRES`, `SIMPLE_JWT` ' +
      '`ACCESS_TOKEN_LIFETIME`, `JWT_EXPIRATION_DELTA`, `expiresIn`, `JWT_EXPIRES_IN`) and their environment defaults, `exp` ' +
      'claims built as now + duration, `expires_delta=` passed to token helpers, jose `setExpirationTime`, and PyJWT ' +
      '`jwt.encode`/jsonwebtoken `jwt.sign`/jose `SignJWT` on a literal payload with no expiry anywhere. Not flagged: refresh, ' +
      'remember-me, reset, invite, verification and other single-purpose tokens, lifetimes read from configuration without a ' +
      'default, payloads built elsewhere (they may carry `exp`), tests.',
    recommendation:
      'Keep access tokens short (15-60 minutes, `ACCESS_TOKEN_EXPIRE_MINUTES = 30`, `expiresIn: \'15m\'`) and issue a ' +
      'refresh token stored server-side (or in an httpOnly cookie) that can be rotated and revoked. Always set `exp`.',
    examples: [
      {
        language: 'py',
        bad: 'SECRET_KEY = settings.SECRET_KEY\nALGORITHM = "HS256"\nACCESS_TOKEN_EXPIRE_MINUTES = 10080  # 7 days\n',
        good: 'SECRET_KEY = settings.SECRET_KEY\nALGORITHM = "HS256"\nACCESS_TOKEN_EXPIRE_MINUTES = 30\n',
      },
      {
        language: 'ts',
        bad: "import jwt from 'jsonwebtoken';\n\nexport const issue = (user: User) => jwt.sign({ sub: user.id }, process.env.JWT_SECRET!, { expiresIn: '7d' });\n",
        good: "import jwt from 'jsonwebtoken';\n\nexport const issue = (user: User) => jwt.sign({ sub: user.id }, process.env.JWT_SECRET!, { expiresIn: '15m' });\n",
      },
    ],
    references: [
      'seed 001 (JWT 7-day expiration: ACCESS_TOKEN_EXPIRE_MINUTES 10,080)',
      'OWASP JSON Web Token Cheat Sheet (token lifetime)',
      'RFC 8725 JWT Best Current Practices',
      'Semgrep javascript.jsonwebtoken.security.audit.jwt-exposed-data / python.jwt.security.audit.jwt-python-exposed-data (related)',
    ],
    cwe: ['CWE-613'],
  },
  fileFilter: /jsonwebtoken|SignJWT|expires_?in\b|expires_?delta|jwt\.encode|(jwt|token)\w*(exp|lifetime|ttl|validity|duration|life)|['"]exp['"]\s*[:\]]|\bexp\s*:/i,
  visitors: {
    py: {
      assignment: pyAssignment,
      pair: pyPair,
      keyword_argument: pyKeyword,
      call: pyEncode,
    },
    ts: {
      pair: tsPair,
      variable_declarator: tsDeclarator,
      call_expression: tsCall,
      new_expression: tsNew,
    },
  },
});
