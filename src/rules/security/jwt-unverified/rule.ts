import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { keywordArgument, positionalArguments } from '../../_shared/python.js';
import { pyBindingsFor, pyNameValues, pyQualifiedName, pyStaticString, tsBindingsFor, tsExpressionBinding, tsResolved, tsStaticString } from '../../_shared/static-values.js';

/** Claims that identify or authorise someone: reading them from an unverified token is trusting the attacker. */
const AUTH_CLAIM =
  /^(sub|user|userId|user_id|uid|id|username|user_name|email|role|roles|permissions|perms|scope|scopes|isAdmin|is_admin|admin|is_staff|isStaff|tenant|tenantId|tenant_id|accountId|account_id|groups|org|orgId|org_id|organizationId|organization_id|customerId|customer_id)$/;
/** Where an application keeps the caller's identity. */
const IDENTITY_TARGET = /(^|\.)(user|currentUser|current_user|auth|claims|identity|principal|session|account)$|^res\.locals\.|^ctx\.state\.|^request\.state\./;
/** Functions whose return value callers take as an authenticated identity. */
const AUTH_FUNCTION =
  /auth|verify|validate|current_?user|get_?user|user_?from|identity|principal|guard|protect|require_?(login|auth|user)|session|claims|decode_?\w*token|parse_?\w*token|token_?payload|middleware/i;
/** A key that can only verify (`PUBLIC_KEY`, `jwks`, a PEM certificate): any HS* token signed with it as a secret passes. */
const PUBLIC_KEY = /public|pub_?key|jwks?\b|jwk_|\.pem|cert/i;

type Use = { field?: string; identity?: boolean; returned?: boolean };

/** Whether what a decoded, unverified token was used for is an authentication decision. */
function isAuthDecision(uses: Use[], fn: SgNode | undefined, fnName: string): string | undefined {
  const field = uses.find((u) => u.field && AUTH_CLAIM.test(u.field))?.field;
  if (field) return `its \`${field}\` claim is used`;
  if (uses.some((u) => u.identity)) return 'it becomes the request\'s identity';
  if (fn && uses.some((u) => u.returned) && AUTH_FUNCTION.test(fnName)) return `\`${fnName}\` returns it as the token's claims`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Python

function pyFunctionOf(node: SgNode): SgNode | undefined {
  return node.ancestors().find((a) => a.kind() === 'function_definition');
}

/** How a Python expression's value is used where it is produced. */
function pyUsesOf(expression: SgNode): Use[] {
  let node = expression;
  while (node.parent()?.kind() === 'await' || node.parent()?.kind() === 'parenthesized_expression') node = node.parent()!;
  const parent = node.parent();
  if (!parent) return [];
  if (parent.kind() === 'subscript' && parent.field('value')?.id() === node.id()) return [{ field: pyStaticString(parent.field('subscript')) }];
  if (parent.kind() === 'attribute' && parent.field('attribute')?.text() === 'get') {
    const call = parent.parent();
    return call?.kind() === 'call' ? [{ field: pyStaticString(positionalArguments(call)[0]) }] : [];
  }
  if (parent.kind() === 'return_statement') return [{ returned: true }];
  if (parent.kind() === 'assignment' && parent.field('right')?.id() === node.id()) {
    const left = parent.field('left');
    if (!left) return [];
    if (left.kind() === 'identifier') {
      const scope = pyFunctionOf(parent) ?? parent.getRoot().root();
      return scope
        .findAll({ rule: { kind: 'identifier', regex: `^${left.text()}$` } })
        .filter((id) => id.id() !== left.id() && id.range().start.index > left.range().start.index)
        .flatMap((id) => pyUsesOf(id));
    }
    return IDENTITY_TARGET.test(left.text()) ? [{ identity: true }] : [];
  }
  return [];
}

function pyVerificationDisabled(call: SgNode): string | undefined {
  const verify = keywordArgument(call, 'verify');
  if (verify?.kind() === 'false') return '`verify=False`';
  const options = keywordArgument(call, 'options');
  if (options && /["']?verify_signature["']?\s*[:=]\s*False/.test(options.text())) return '`verify_signature: False`';
  return undefined;
}

/** Another `jwt.decode` in the same function that does verify: the unverified one only picks the key or issuer. */
function pyVerifiesLater(call: SgNode, context: RuleContext): boolean {
  const fn = pyFunctionOf(call);
  if (!fn) return false;
  const bindings = pyBindingsFor(context.file, call, context.source);
  return fn.findAll({ rule: { kind: 'call' } }).some((other) => {
    if (other.id() === call.id()) return false;
    const name = pyQualifiedName(other.field('function'), bindings) ?? '';
    return /(^|\.)(jwt\.decode|jws\.verify|decode_complete)$/.test(name) && !pyVerificationDisabled(other);
  });
}

function pyNoneAlgorithm(value: SgNode | undefined, depth = 0): boolean {
  if (!value || depth > 2) return false;
  // `ALGORITHMS = ["HS256", "none"]` defined in the same file
  if (value.kind() === 'identifier') return (pyNameValues(value) ?? []).some((v) => pyNoneAlgorithm(v, depth + 1));
  const items = value.kind() === 'list' || value.kind() === 'tuple' || value.kind() === 'set' ? value.children().filter((c) => c.isNamed()) : [value];
  return items.some((item) => pyStaticString(item)?.toLowerCase() === 'none');
}

/** Python code that serves requests (a web framework, or an auth/API module): a client reading its own token decides nothing. */
const PY_SERVER_SIDE = /^\s*(from|import)\s+(fastapi|flask|django|starlette|aiohttp|sanic|tornado|falcon|quart|litestar|rest_framework|ninja)\b/m;
const SERVER_PATH = /(^|\/)(auth\w*|security|middlewares?|deps|dependencies|permissions?|api|views?|routes?|routers?|handlers?|controllers?|server|backend)(\/|\.|_|$)/i;

function pyCall(call: SgNode, context: RuleContext): void {
  if (!/(decode|get_unverified_claims)$/.test(call.field('function')?.text() ?? '')) return;
  if (!PY_SERVER_SIDE.test(context.source) && !SERVER_PATH.test(context.file.path)) return;
  const name = pyQualifiedName(call.field('function'), pyBindingsFor(context.file, call, context.source)) ?? '';
  const isJose = name.startsWith('jose.');
  const fn = pyFunctionOf(call);
  const fnName = fn?.field('name')?.text() ?? '';
  if (name === 'jwt.decode' || name === 'jose.jwt.decode') {
    // `jwt.decode(token, key, ["HS256"])`: algorithms may also come third, positionally.
    const algorithms = keywordArgument(call, 'algorithms') ?? positionalArguments(call)[2];
    if (pyNoneAlgorithm(algorithms)) {
      context.report({ node: call, message: `\`${call.field('function')?.text()}\` accepts \`algorithms=${algorithms!.text()}\`: a token with \`"alg": "none"\` needs no signature at all.` });
      return;
    }
    const disabled = pyVerificationDisabled(call);
    if (disabled) {
      if (pyVerifiesLater(call, context)) return;
      const why = isAuthDecision(pyUsesOf(call), fn, fnName);
      if (why) {
        context.report({
          node: call,
          message: `JWT decoded with ${disabled} and ${why}: anyone can forge the token, signature checking is off.`,
        });
      }
      return;
    }
    // python-jose without `algorithms=` lets the token's header pick the algorithm: with a public key,
    // an HS256 token signed with that (public) key as the HMAC secret verifies (algorithm confusion).
    // PyJWT 2 refuses the call instead, and rejects PEM keys as HMAC secrets.
    const key = positionalArguments(call)[1] ?? keywordArgument(call, 'key');
    if (isJose && !algorithms && key && PUBLIC_KEY.test(key.text())) {
      context.report({
        node: call,
        severity: 'high',
        message: `\`${call.field('function')?.text()}\` verifies with \`${key.text()}\` but does not pin \`algorithms=\`: the token chooses the algorithm, so an HS256 token signed with the public key passes.`,
      });
    }
    return;
  }
  if (/(^|\.)get_unverified_claims$/.test(name) && (isJose || name.startsWith('jwt.'))) {
    if (pyVerifiesLater(call, context)) return;
    const why = isAuthDecision(pyUsesOf(call), fn, fnName);
    if (why) context.report({ node: call, message: `\`${call.field('function')?.text()}\` reads the claims without checking the signature and ${why}.` });
  }
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript

const TS_FUNCTION_KINDS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'function']);

function tsFunctionOf(node: SgNode): SgNode | undefined {
  return node.ancestors().find((a) => TS_FUNCTION_KINDS.has(String(a.kind())));
}

/** The name a function goes by: its own, its variable's, its property's, or the route it handles. */
function tsFunctionName(fn: SgNode | undefined): string {
  if (!fn) return '';
  const own = fn.field('name')?.text();
  if (own) return own;
  const parent = fn.parent();
  if (parent?.kind() === 'variable_declarator' || parent?.kind() === 'pair') return (parent.field('name') ?? parent.field('key'))?.text() ?? '';
  return '';
}

const TS_WRAPPERS = new Set(['await_expression', 'parenthesized_expression', 'as_expression', 'non_null_expression', 'satisfies_expression']);

function tsUsesOf(expression: SgNode): Use[] {
  let node = expression;
  while (node.parent() && TS_WRAPPERS.has(String(node.parent()!.kind()))) node = node.parent()!;
  const parent = node.parent();
  if (!parent) return [];
  const kind = parent.kind();
  if (kind === 'member_expression' && parent.field('object')?.id() === node.id()) return [{ field: parent.field('property')?.text() }];
  if (kind === 'subscript_expression' && parent.field('object')?.id() === node.id()) return [{ field: tsStaticString(parent.field('index')) }];
  if (kind === 'return_statement' || (kind === 'arrow_function' && parent.field('body')?.id() === node.id())) return [{ returned: true }];
  if (kind === 'pair' && parent.field('value')?.id() === node.id()) {
    // `{ user: payload }` handed on as the identity
    return IDENTITY_TARGET.test(parent.field('key')?.text() ?? '') ? [{ identity: true }] : [];
  }
  if (kind === 'variable_declarator' || kind === 'assignment_expression') {
    const target = parent.field(kind === 'variable_declarator' ? 'name' : 'left');
    if (!target || parent.field(kind === 'variable_declarator' ? 'value' : 'right')?.id() !== node.id()) return [];
    if (target.kind() === 'object_pattern') {
      return target.children().flatMap((p) => {
        if (p.kind() === 'shorthand_property_identifier_pattern') return [{ field: p.text() }];
        if (p.kind() === 'pair_pattern') return [{ field: p.field('key')?.text() }];
        return [];
      });
    }
    if (target.kind() === 'identifier') {
      const scope = tsFunctionOf(parent) ?? parent.getRoot().root();
      return scope
        .findAll({ rule: { kind: 'identifier', regex: `^${target.text().replace(/\$/g, '\\$')}$` } })
        .filter((id) => id.id() !== target.id() && id.range().start.index > target.range().start.index)
        .flatMap((id) => tsUsesOf(id));
    }
    return IDENTITY_TARGET.test(target.text()) ? [{ identity: true }] : [];
  }
  return [];
}

/** Code that serves requests: only there is a decoded token an access decision (in a browser it only drives the UI). */
const SERVER_SIDE = /from ['"](express|koa|fastify|hono|next\/server|@nestjs\/[\w-]+|h3|@hapi\/hapi)['"]|require\(['"](express|koa|fastify)['"]\)|\b(req|request)\.headers\b|\bNextRequest\b/;

function tsCall(call: SgNode, context: RuleContext): void {
  const callee = call.field('function');
  if (!callee) return;
  const last = callee.kind() === 'member_expression' ? callee.field('property')?.text() : callee.text();
  if (last !== 'decode' && last !== 'decodeJwt' && last !== 'jwtDecode' && last !== 'jwt_decode') return;
  const binding = tsExpressionBinding(callee, tsBindingsFor(context.file, call, context.source));
  // NestJS `this.jwtService.decode(token)` wraps jsonwebtoken's decode.
  const isNest = last === 'decode' && /jwtService$/i.test(callee.field('object')?.text() ?? '') && context.source.includes('@nestjs/jwt');
  const isJsonwebtoken = isNest || (binding?.module === 'jsonwebtoken' && binding.imported === 'decode');
  const isJose = binding?.module === 'jose' && binding.imported === 'decodeJwt';
  // jwt-decode is a browser helper; on a server it is the same hole.
  const isJwtDecode = binding?.module === 'jwt-decode';
  if (!isJsonwebtoken && !isJose && !isJwtDecode) return;
  // In browser code a decoded token only drives the UI; the server must check it.
  if (/^\s*['"]use client['"]/m.test(context.source)) return;
  const serverSide = SERVER_SIDE.test(context.source) || SERVER_PATH.test(context.file.path) || isNest;
  if ((!isJsonwebtoken || /\.(tsx|jsx)$/.test(context.file.path)) && !serverSide) return;
  const fn = tsFunctionOf(call);
  // decode first to pick the secret/issuer, then verify: fine.
  if (fn && /\.verify\(|\bjwtVerify\(|\bverify\(/.test(fn.text())) return;
  const why = isAuthDecision(tsUsesOf(call), fn, tsFunctionName(fn));
  if (!why) return;
  context.report({
    node: call,
    message: `\`${callee.text()}()\` does not check the signature and ${why}: anyone can forge this token; use \`${isJose ? 'jwtVerify' : isNest ? 'jwtService.verify' : 'jwt.verify'}\`.`,
  });
}

export default defineRule({
  meta: {
    id: 'security/jwt-unverified',
    title: 'JWT trusted without signature verification',
    area: 'security',
    severity: 'critical',
    type: 'security',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A JWT decoded without checking its signature (or allowing alg "none") whose claims then decide who the caller is.',
    why:
      'A JWT is only as trustworthy as its signature. Decoding it without verification (`jwt.decode` in jsonwebtoken, ' +
      'jose `decodeJwt`, PyJWT `options={"verify_signature": False}` or `verify=False`, python-jose ' +
      '`get_unverified_claims`) and then reading `sub`, `role` or `user_id`, or returning the payload from an auth ' +
      'helper, lets anyone write their own token and become any user. `algorithms` containing "none" is the same hole. ' +
      'With a public key and no pinned `algorithms=`, python-jose lets the token pick HS256 and use the public key as the ' +
      'HMAC secret (High). Not reported: decoding only to read `exp`/`iss`/`kid` (refresh scheduling, issuer ' +
      'lookup), `get_unverified_header`/`decodeProtectedHeader` to pick a key, an unverified decode followed by a ' +
      'verifying one in the same function, decoding in browser code (`"use client"`, React components, jose `decodeJwt` ' +
      'outside server code: it only drives the UI) and in Python client code (no web framework, not an auth/API module), ' +
      'PyJWT decode without `algorithms=` (PyJWT 2 refuses the call) and python-jose without it on an HMAC secret ' +
      '(HMAC keys cannot be confused).',
    recommendation:
      'Verify before trusting: `jwt.verify(token, secret, { algorithms: ["HS256"] })`, jose `jwtVerify`, PyJWT ' +
      '`jwt.decode(token, key, algorithms=["HS256"])`; always pin the algorithms and never include "none".',
    examples: [
      {
        language: 'py',
        bad:
          'import jwt\nfrom fastapi import Header\n\n\ndef current_user_id(authorization: str = Header()) -> int:\n    payload = jwt.decode(authorization[7:], options={"verify_signature": False})\n    return payload["user_id"]\n',
        good:
          'import jwt\nfrom fastapi import Header\n\n\ndef current_user_id(authorization: str = Header()) -> int:\n    payload = jwt.decode(authorization[7:], SECRET_KEY, algorithms=["HS256"])\n    return payload["user_id"]\n',
      },
      {
        language: 'ts',
        bad:
          "import jwt from 'jsonwebtoken';\n\nexport function authenticate(req, res, next) {\n  const payload = jwt.decode(req.headers.authorization.slice(7));\n  req.user = payload;\n  next();\n}\n",
        good:
          "import jwt from 'jsonwebtoken';\n\nexport function authenticate(req, res, next) {\n  const payload = jwt.verify(req.headers.authorization.slice(7), process.env.JWT_SECRET, { algorithms: ['HS256'] });\n  req.user = payload;\n  next();\n}\n",
      },
    ],
    references: [
      'Semgrep python.jwt.security.unverified-jwt-decode, javascript.jsonwebtoken.security.audit.jwt-decode-without-verify',
      'CodeQL py/jwt-missing-verification, js/jwt-missing-verification; SonarQube S5659 (JWT must be signed and verified)',
      'CVE-2017-11424 (PyJWT) and CVE-2024-33663 (python-jose): algorithm confusion without pinned algorithms',
      'OWASP JSON Web Token Cheat Sheet',
    ],
    cwe: ['CWE-347'],
  },
  // Files that import a JWT library (PyJWT, python-jose, jsonwebtoken, jose).
  fileFilter: /['"](jsonwebtoken|jose|jwt-decode|@nestjs\/jwt)['"]|^\s*(import\s+jwt\b|from\s+jwt\b|from\s+jose\b|import\s+jose\b)/m,
  visitors: {
    py: {
      call: pyCall,
    },
    ts: {
      call_expression: tsCall,
      pair(node, context) {
        // `jwt.verify(token, key, { algorithms: ['none'] })`
        if (node.field('key')?.text().replace(/['"]/g, '') !== 'algorithms') return;
        const value = node.field('value');
        const array = tsResolved(value);
        if (array?.kind() !== 'array') return;
        if (!array.children().some((c) => tsStaticString(c)?.toLowerCase() === 'none')) return;
        context.report({ node, message: `\`algorithms: ${array.text()}\` accepts tokens with \`"alg": "none"\`, which carry no signature at all.` });
      },
    },
  },
});
