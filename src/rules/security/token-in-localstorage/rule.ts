import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { secretKindOfName, toUpperSnake } from '../../_shared/secret-names.js';
import { tsResolved, tsStaticString, unwrapTsExpression } from '../../_shared/static-values.js';
import { callArguments } from '../../_shared/typescript.js';

/** `localStorage`, `window.localStorage`, `globalThis.sessionStorage`. */
const WEB_STORAGE = /^((window|globalThis|self)\.)?(localStorage|sessionStorage)$/;

/**
 * Tokens that do not log anyone in: CSRF tokens (useless without the session cookie), push
 * notification and device registration tokens, pagination cursors.
 */
const NOT_AUTH_TOKEN = /(^|_)(CSRF|XSRF|PUSH|FCM|APNS|DEVICE|NOTIFICATION|CAPTCHA|RECAPTCHA|TURNSTILE|NEXT|PAGE|CURSOR|CONTINUATION)_TOKEN$/;

/** Whether a storage key (or the name of the value stored) names a credential: `token`, `access_token`, `jwt`, `apiKey`. */
function namesCredential(name: string | undefined): boolean {
  if (!name) return false;
  // Keys are often namespaced: `app:token`, `sb-abc-auth-token`, `supabase.auth.token`.
  const last = name.split(/[:/]/).pop() ?? name;
  if (NOT_AUTH_TOKEN.test(toUpperSnake(last))) return false;
  return secretKindOfName(last) !== undefined;
}

/** `TOKEN_KEY`, `tokenStorageKey`, `STORAGE_KEYS.accessToken`: the name a key constant gives its key. */
function keyConstantName(node: SgNode): string | undefined {
  const name = node.kind() === 'identifier' ? node.text() : node.kind() === 'member_expression' ? node.field('property')?.text() : undefined;
  return name?.replace(/_?(STORAGE_?)?KEY$/i, '').replace(/(Storage)?Key$/, '');
}

/** What the storage key is, as text a name check can read; undefined when it cannot be told. */
function storageKeyName(key: SgNode | undefined): string | undefined {
  if (!key) return undefined;
  const literal = tsStaticString(key);
  if (literal !== undefined) return literal;
  const resolved = tsResolved(key);
  const resolvedLiteral = tsStaticString(resolved);
  if (resolvedLiteral !== undefined) return resolvedLiteral;
  return keyConstantName(unwrapTsExpression(key));
}

/** The name the stored value goes by: `accessToken`, `data.access_token`, `res.data['token']`. */
function valueName(value: SgNode): string | undefined {
  const node = unwrapTsExpression(value);
  if (node.kind() === 'identifier') return node.text();
  if (node.kind() === 'member_expression') return node.field('property')?.text();
  if (node.kind() === 'subscript_expression') return tsStaticString(node.field('index'));
  return undefined;
}

/** A literal stored value (`'1'`, `''`, `true`) is a flag or a reset, not a token. */
function isLiteralValue(value: SgNode | undefined): boolean {
  if (!value) return true;
  const node = unwrapTsExpression(value);
  return tsStaticString(node) !== undefined || ['number', 'true', 'false', 'null', 'undefined'].includes(String(node.kind()));
}

function report(context: RuleContext, node: SgNode, storage: string, what: string): void {
  context.report({
    node,
    message: `${what} is written to \`${storage}\`, where any script running on the page (one XSS) can read and exfiltrate it.`,
  });
}

function check(context: RuleContext, node: SgNode, storage: string, key: SgNode | undefined, keyText: string | undefined, value: SgNode | undefined): void {
  if (isLiteralValue(value)) return;
  const keyName = keyText ?? storageKeyName(key);
  // `const TOKEN_KEY = 'app.session'`: the constant's name says what the key holds.
  const constantName = key ? keyConstantName(unwrapTsExpression(key)) : undefined;
  if (namesCredential(keyName) || namesCredential(constantName)) {
    report(context, node, storage, `Auth token under key \`${keyName}\``);
    return;
  }
  const stored = value ? valueName(value) : undefined;
  if (namesCredential(stored)) report(context, node, storage, `\`${unwrapTsExpression(value!).text()}\``);
}

export default defineRule({
  meta: {
    id: 'security/token-in-localstorage',
    title: 'Auth token stored in localStorage/sessionStorage',
    area: 'security',
    severity: 'medium',
    type: 'security',
    effort: 'medium',
    confidence: 'high',
    languages: ['ts'],
    since: '0.1.0',
    description: 'An access token, JWT, API key or password is written to localStorage or sessionStorage, readable by any script on the page.',
    why:
      'Web Storage has no HttpOnly equivalent: every script on the origin can read it, so a single XSS (a compromised ' +
      'dependency, an unsanitised `innerHTML`) turns into a stolen session the attacker can replay from anywhere until the ' +
      'token expires. `sessionStorage` is reported at the same severity: it only shortens how long the token stays on the ' +
      'device, not who can read it while the tab is open. Not reported: UI keys (theme, locale), reads and `removeItem`, ' +
      'literal values (`setItem("tokenRefreshed", "1")`), and tokens that authenticate nothing on their own (CSRF, push ' +
      'notification and device tokens, pagination cursors). Seed 001 found the JWT of a React dashboard stored this way.',
    recommendation:
      'Keep the session in an `HttpOnly; Secure; SameSite` cookie set by the server, or keep the access token in memory only ' +
      'and refresh it through an HttpOnly refresh cookie. Pair this with a strict Content-Security-Policy.',
    examples: [
      {
        language: 'ts',
        bad: "export function saveSession(accessToken: string) {\n  localStorage.setItem('access_token', accessToken);\n}\n",
        good: "export function saveTheme(theme: string) {\n  localStorage.setItem('theme', theme);\n}\n",
      },
    ],
    references: [
      'seed 001 (frontend stores the JWT in localStorage: XSS risk)',
      'CodeQL js/clear-text-storage-of-sensitive-data; eslint-plugin-browser-security no-jwt-in-storage',
      'OWASP HTML5 Security Cheat Sheet: Local Storage',
    ],
    cwe: ['CWE-922'],
  },
  fileFilter: /localStorage|sessionStorage/,
  visitors: {
    ts: {
      call_expression(node, context) {
        const callee = node.field('function');
        if (callee?.kind() !== 'member_expression' || callee.field('property')?.text() !== 'setItem') return;
        const storage = callee.field('object')?.text() ?? '';
        if (!WEB_STORAGE.test(storage)) return;
        const [key, value] = callArguments(node);
        check(context, node, storage.replace(/^\w+\./, ''), key, undefined, value);
      },
      assignment_expression(node, context) {
        // `localStorage.token = t`, `localStorage['jwt'] = t`
        const left = node.field('left');
        if (!left || (left.kind() !== 'member_expression' && left.kind() !== 'subscript_expression')) return;
        const storage = left.field('object')?.text() ?? '';
        if (!WEB_STORAGE.test(storage)) return;
        const value = node.field('right') ?? undefined;
        if (left.kind() === 'member_expression') check(context, node, storage.replace(/^\w+\./, ''), undefined, left.field('property')?.text(), value);
        else check(context, node, storage.replace(/^\w+\./, ''), left.field('index') ?? undefined, undefined, value);
      },
    },
  },
});
