import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import type { Severity } from '../../../core/types.js';
import { positionalArguments } from '../../_shared/python.js';
import { pyBindingsFor, pyQualifiedName, pyStaticBool, pyStaticString, tsResolved, tsStaticString } from '../../_shared/static-values.js';
import { environmentGuard } from '../../_shared/environment-guard.js';

/**
 * Off only in development or behind an explicit switch named for it (`INSECURE_TLS`,
 * `allowSelfSigned`, `not settings.VERIFY_SSL`). A production-only branch, or one chosen by
 * whether TLS is on at all (`DB_SSL === "true" ? { rejectUnauthorized: false } : false`), is not a guard.
 */
function isEnvironmentGuarded(node: SgNode, family: 'py' | 'ts'): boolean {
  const guard = environmentGuard(node, family);
  return guard === 'development' || guard === 'opt-out';
}

// ---------------------------------------------------------------------------------------------
// Python

/** Client calls that take `verify=` for the server certificate (requests, httpx, boto3, hvac...). */
const PY_HTTP_CALL = /^(get|post|put|patch|delete|head|options|request|send|stream|\w*Client|\w*Session|client|resource|urlopen|ws_connect|build_opener)$/;
const PY_HTTP_MODULE = /^(requests|httpx|aiohttp|boto3|botocore|urllib3|hvac|pip\._vendor\.requests)(\.|$)/;
/** Keywords that only ever mean "check the server certificate". */
const PY_STRONG_VERIFY_KEYWORD = new Set(['verify_ssl', 'ssl_verify', 'verify_certs', 'verify_tls', 'tls_verify']);

/** `https://localhost...`: nobody can sit in the middle of a loopback connection. */
const LOOPBACK_URL = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])([:/]|$)/;

function pyCallSeverity(call: SgNode | undefined): Severity | undefined {
  const url = call ? pyStaticString(positionalArguments(call)[0]) : undefined;
  return url !== undefined && LOOPBACK_URL.test(url) ? 'low' : undefined;
}

function isPyCertNone(value: SgNode | null | undefined, context: RuleContext): boolean {
  if (!value) return false;
  if (value.kind() === 'attribute' || value.kind() === 'identifier') {
    const name = pyQualifiedName(value, pyBindingsFor(context.file, value, context.source));
    return name === 'ssl.CERT_NONE' || name === 'CERT_NONE';
  }
  const text = pyStaticString(value);
  return text !== undefined && /^(CERT_NONE|none)$/i.test(text);
}

function pyKeyword(node: SgNode, context: RuleContext): void {
  const name = node.field('name')?.text() ?? '';
  const value = node.field('value');
  const call = node.parent()?.parent();
  if (!value || call?.kind() !== 'call') return;
  const callee = call.field('function');
  const qualified = pyQualifiedName(callee, pyBindingsFor(context.file, node, context.source)) ?? callee?.text() ?? '';
  const lastName = qualified.split('.').pop() ?? '';
  if (name === 'cert_reqs') {
    if (isPyCertNone(value, context) && !isEnvironmentGuarded(node, 'py')) {
      context.report({ node, message: `\`${callee?.text()}(cert_reqs=${value.text()})\` accepts any server certificate.` });
    }
    return;
  }
  const strong = PY_STRONG_VERIFY_KEYWORD.has(name);
  // aiohttp's `ssl=False` turns verification off; elsewhere (asyncpg, redis) it means plain TCP, another matter.
  const aiohttpSsl = name === 'ssl' && /\baiohttp\b/.test(context.source) && (lastName === 'TCPConnector' || PY_HTTP_CALL.test(lastName));
  const verify = name === 'verify' && lastName !== 'decode' && (PY_HTTP_MODULE.test(qualified) || PY_HTTP_CALL.test(lastName));
  if (!strong && !aiohttpSsl && !verify) return;
  if (pyStaticBool(value) !== false || isEnvironmentGuarded(node, 'py')) return;
  context.report({
    node,
    message: `\`${callee?.text()}(..., ${name}=${value.text()})\` turns off TLS certificate verification: anyone on the network path can read and alter the traffic.`,
    severity: pyCallSeverity(call),
  });
}

function pyAssignment(node: SgNode, context: RuleContext): void {
  const left = node.field('left');
  const right = node.field('right');
  if (!left || !right || left.kind() !== 'attribute') return;
  const attribute = left.field('attribute')?.text();
  const qualified = pyQualifiedName(left, pyBindingsFor(context.file, node, context.source));
  if (qualified === 'ssl._create_default_https_context') {
    if (/_create_unverified_context/.test(right.text())) {
      context.report({ node, message: '`ssl._create_default_https_context` is replaced by the unverified context: every HTTPS connection of the process skips certificate checks.' });
    }
    return;
  }
  // `self.verify_mode = CERT_NONE` in a class is an SSLContext shim's initial state (urllib3, pip), not a connection.
  if (isEnvironmentGuarded(node, 'py') || left.field('object')?.text() === 'self') return;
  if (attribute === 'verify_mode' && isPyCertNone(right, context)) {
    context.report({ node, message: `\`${left.text()} = ${right.text()}\` accepts any server certificate.` });
  } else if (attribute === 'verify' && pyStaticBool(right) === false && /\b(requests|httpx)\b/.test(context.source)) {
    context.report({ node, message: `\`${left.text()} = False\` turns off TLS certificate verification for every request of this session.` });
  } else if (attribute === 'check_hostname' && pyStaticBool(right) === false && !/verify_mode\s*=\s*[\w.]*CERT_NONE/.test(context.source)) {
    // With CERT_NONE next to it, the verify_mode line is the finding; alone it still lets any valid certificate impersonate the host.
    context.report({ node, message: `\`${left.text()} = False\` skips the host-name check: any valid certificate for another site is accepted.` });
  }
}

function pyCall(node: SgNode, context: RuleContext): void {
  const callee = node.field('function');
  const qualified = pyQualifiedName(callee, pyBindingsFor(context.file, node, context.source));
  if (qualified === 'ssl._create_unverified_context' || qualified === 'ssl._create_stdlib_context') {
    if (isEnvironmentGuarded(node, 'py')) return;
    context.report({ node, message: `\`${callee?.text()}()\` builds an SSL context that accepts any certificate.` });
    return;
  }
  // pyOpenSSL: `ctx.set_verify(SSL.VERIFY_NONE, ...)`
  if (callee?.kind() === 'attribute' && callee.field('attribute')?.text() === 'set_verify') {
    const mode = positionalArguments(node)[0];
    if (mode && /(^|\.)VERIFY_NONE$/.test(mode.text()) && !isEnvironmentGuarded(node, 'py')) {
      context.report({ node, message: `\`${callee.text()}(${mode.text()})\` accepts any peer certificate.` });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript

function tsStaticFalse(node: SgNode | null | undefined): boolean {
  const resolved = tsResolved(node);
  return resolved?.kind() === 'false';
}

function isTsZero(node: SgNode | null | undefined): boolean {
  const resolved = tsResolved(node);
  if (!resolved) return false;
  return resolved.kind() === 'number' ? resolved.text() === '0' : tsStaticString(resolved) === '0';
}

/** `() => undefined`, `() => {}`, `function () { return null; }`: a host-name check that accepts everything. */
function acceptsEverything(fn: SgNode | null | undefined): boolean {
  if (!fn || (fn.kind() !== 'arrow_function' && fn.kind() !== 'function_expression' && fn.kind() !== 'function')) return false;
  const body = fn.field('body');
  if (!body) return false;
  if (body.kind() !== 'statement_block') return /^(undefined|null|void 0)$/.test(body.text());
  const statements = body.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
  return statements.length === 0 || (statements.length === 1 && /^return\s*(undefined|null|void 0)?\s*;?$/.test(statements[0].text()));
}

function tsPair(node: SgNode, context: RuleContext): void {
  const key = node.field('key')?.text().replace(/^['"]|['"]$/g, '');
  const value = node.field('value');
  let message: string | undefined;
  if ((key === 'rejectUnauthorized' || key === 'strictSSL') && tsStaticFalse(value)) {
    message = `\`${key}: false\` accepts any server certificate: anyone on the network path can read and alter the traffic.`;
  } else if (key === 'checkServerIdentity' && acceptsEverything(value)) {
    message = '`checkServerIdentity` accepts every host: a valid certificate for any other site is trusted for this one.';
  } else if (key === 'NODE_TLS_REJECT_UNAUTHORIZED' && isTsZero(value)) {
    message = '`NODE_TLS_REJECT_UNAUTHORIZED: "0"` in the child environment turns off certificate checks for every HTTPS call it makes.';
  }
  if (!message || isEnvironmentGuarded(node, 'ts')) return;
  context.report({ node, message });
}

const TLS_ENV_TARGET = /^process\.env(\.NODE_TLS_REJECT_UNAUTHORIZED|\[\s*['"`]NODE_TLS_REJECT_UNAUTHORIZED['"`]\s*\])$/;

function tsAssignment(node: SgNode, context: RuleContext): void {
  const left = node.field('left');
  const right = node.field('right');
  if (!left || !right) return;
  const target = left.text().replace(/\s+/g, '');
  let message: string | undefined;
  if (TLS_ENV_TARGET.test(target) && isTsZero(right)) {
    message = `\`${left.text()} = ${right.text()}\` turns off certificate checks for every HTTPS call of the process.`;
  } else if (left.kind() === 'member_expression' && left.field('property')?.text() === 'rejectUnauthorized' && tsStaticFalse(right)) {
    message = `\`${left.text()} = false\` accepts any server certificate.`;
  }
  if (!message || isEnvironmentGuarded(node, 'ts')) return;
  context.report({ node, message });
}

/** `exec('NODE_TLS_REJECT_UNAUTHORIZED=0 node sync.js')`: a command line that turns the checks off for a child. */
function tsString(node: SgNode, context: RuleContext): void {
  if (!/^['"`]\s*NODE_TLS_REJECT_UNAUTHORIZED=['"]?0['"]?\s/.test(node.text())) return;
  if (node.parent()?.kind() !== 'arguments' || isEnvironmentGuarded(node, 'ts')) return;
  context.report({ node, message: 'The command runs with `NODE_TLS_REJECT_UNAUTHORIZED=0`: the child process accepts any certificate.' });
}

export default defineRule({
  meta: {
    id: 'security/tls-verify-disabled',
    title: 'TLS certificate verification disabled',
    area: 'security',
    severity: 'high',
    type: 'security',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'HTTPS/TLS connections that accept any certificate: `verify=False`, `CERT_NONE`, `rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED=0`.',
    why:
      'Without certificate verification, TLS still encrypts but no longer proves who is on the other end: anyone on the ' +
      'network path (a café Wi-Fi, a compromised router, a cloud neighbour) can present their own certificate, read the ' +
      'credentials and data, and change the answers. It usually starts as a workaround for a self-signed certificate and ' +
      'then ships. Flagged: `requests`/`httpx`/`boto3` calls and sessions with `verify=False`, aiohttp `ssl=False`/' +
      '`verify_ssl=False`, `ssl._create_unverified_context()`, `verify_mode = CERT_NONE`, `check_hostname = False`, ' +
      '`cert_reqs=CERT_NONE`, pyOpenSSL `VERIFY_NONE`; `rejectUnauthorized: false` (https/tls agents, axios, pg, undici), ' +
      '`strictSSL: false`, a `checkServerIdentity` that accepts everything, `NODE_TLS_REJECT_UNAUTHORIZED=0`. Low for a ' +
      'literal loopback URL. Not flagged: a CA bundle path or an SSL context as `verify=`, values chosen by environment or an ' +
      'explicit opt-in setting (`verify=settings.VERIFY_SSL`, `rejectUnauthorized: process.env.NODE_ENV === "production"`, ' +
      'code inside `if settings.DEBUG:`), `urllib3.disable_warnings()` alone (it hides the warning; the call that disables ' +
      'verification is the finding), tests.',
    recommendation:
      'Keep verification on. For a private or self-signed certificate, trust that CA explicitly: `verify="/etc/ssl/internal-ca.pem"`, ' +
      '`ssl.create_default_context(cafile=...)`, `new https.Agent({ ca: fs.readFileSync("internal-ca.pem") })`, ' +
      '`NODE_EXTRA_CA_CERTS`. If an environment really needs it off, make it an explicit, default-off setting.',
    examples: [
      {
        language: 'py',
        bad: 'import requests\n\nresp = requests.get(f"{BASE_URL}/orders", headers=headers, verify=False, timeout=10)\n',
        good: 'import requests\n\nresp = requests.get(f"{BASE_URL}/orders", headers=headers, verify=settings.CA_BUNDLE, timeout=10)\n',
      },
      {
        language: 'ts',
        bad: "import https from 'node:https';\n\nconst agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });\n",
        good: "import https from 'node:https';\n\nconst agent = new https.Agent({ keepAlive: true, ca: fs.readFileSync(caPath) });\n",
      },
    ],
    references: [
      'Bandit B501 request_with_no_cert_validation, B323 unverified_context',
      'Semgrep problem-based-packs.insecure-transport.js-node.bypass-tls-verification',
      'Semgrep python.requests.security.disabled-cert-validation',
      'OWASP ASVS V9.2.1',
    ],
    cwe: ['CWE-295'],
    nosec: ['B501', 'B323'],
  },
  fileFilter: /\b(verify|verify_ssl|ssl_verify|verify_certs|verify_tls|tls_verify|ssl|check_hostname)\s*=|cert_reqs|CERT_NONE|_create_unverified_context|_create_stdlib_context|VERIFY_NONE|rejectUnauthorized|strictSSL|checkServerIdentity|NODE_TLS_REJECT_UNAUTHORIZED/,
  visitors: {
    py: {
      keyword_argument: pyKeyword,
      assignment: pyAssignment,
      call: pyCall,
    },
    ts: {
      pair: tsPair,
      assignment_expression: tsAssignment,
      string: tsString,
      template_string: tsString,
    },
  },
});
