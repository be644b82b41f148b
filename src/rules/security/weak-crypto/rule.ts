import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { keywordArgument, positionalArguments } from '../../_shared/python.js';
import {
  pyBindingsFor,
  pyNameValues,
  pyQualifiedName,
  pyStaticString,
  tsBindingsFor,
  tsExpressionBinding,
  tsResolved,
  tsStaticString,
} from '../../_shared/static-values.js';
import { callArguments, FUNCTION_KINDS } from '../../_shared/typescript.js';

// ---------------------------------------------------------------------------------------------
// What counts as a secret, by name
// ---------------------------------------------------------------------------------------------

const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'pw', 'passphrase', 'secret', 'otp', 'totp', 'hotp', 'salt', 'nonce', 'pin', 'csrf', 'xsrf', 'credential', 'credentials', 'apikey', 'sessionid']);
/**
 * A bare `token` is as often a lexer token or a placeholder as a credential: it counts only next
 * to a word that makes it one (`reset_token`, `accessToken`, `generate_token`).
 */
const TOKEN_QUALIFIERS = new Set([
  'access', 'refresh', 'reset', 'auth', 'api', 'session', 'csrf', 'xsrf', 'invite', 'invitation', 'verification', 'verify',
  'confirm', 'confirmation', 'bearer', 'jwt', 'login', 'email', 'magic', 'unsubscribe', 'activation', 'secret', 'password',
  'generate', 'create', 'make', 'issue', 'gen', 'mint', 'random', 'secure', 'onetime', 'recovery', 'device', 'share',
  'download', 'signup', 'registration', 'remember', 'user', 'account', 'client',
]);
/** `key`, `code` and `id` are secrets only with these words in front (`api_key`, `reset_code`, `sessionId`). */
const SECRET_BEFORE: Record<string, Set<string>> = {
  key: new Set(['api', 'secret', 'private', 'signing', 'session', 'encryption', 'access', 'auth', 'hmac', 'jwt', 'license', 'activation']),
  code: new Set(['verification', 'verify', 'reset', 'confirmation', 'confirm', 'invite', 'invitation', 'activation', 'otp', 'auth', 'login', 'sms', 'recovery', 'backup', 'security', 'mfa', 'access', 'magic']),
  id: new Set(['session']),
};

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** `reset_token`, `generateOtp`, `user.password`, `SECRET_KEY` → true; `cache_key`, `country_code`, `max_tokens`, `TOKEN` → false. */
function isSecretName(name: string): boolean {
  const words = nameWords(name);
  return words.some(
    (word, i) =>
      SECRET_WORDS.has(word) ||
      (i > 0 && SECRET_BEFORE[word]?.has(words[i - 1]) === true) ||
      (word === 'token' && words.some((other) => TOKEN_QUALIFIERS.has(other))),
  );
}

/** Identifiers and attribute names inside an expression, string contents left out. */
function namesIn(node: SgNode, family: 'py' | 'ts'): string[] {
  const kinds = family === 'py' ? ['identifier'] : ['identifier', 'property_identifier', 'shorthand_property_identifier'];
  const names = node.findAll({ rule: { any: kinds.map((kind) => ({ kind })) } }).map((n) => n.text());
  return node.kind() === 'identifier' ? [node.text(), ...names] : names;
}

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'pin', 'pw']);

/** A low-entropy secret a person chooses: a fast hash of it is brute-forced offline. */
function isPasswordName(name: string): boolean {
  return nameWords(name).some((word) => PASSWORD_WORDS.has(word));
}

/** The secret name to blame among those hashed: a password first (`salt + password` is about the password). */
function pickSecretName(names: string[]): string | undefined {
  const secrets = names.filter(isSecretName);
  return secrets.find(isPasswordName) ?? secrets[0];
}

function passwordHashMessage(node: SgNode, where: string, label: string): string {
  return `\`${shortText(node)}\` makes \`${where}\` with ${label}: a fast hash of a password is cracked offline at billions of guesses per second; use bcrypt, scrypt or argon2.`;
}

/** Functions whose randomness serves no secret even when a variable is called `token` (MIME boundaries, jitter, test data). */
const NON_SECRET_PURPOSE = /boundary|jitter|backoff|delay|retry|shuffle|sample|colou?r|mock|fake|dummy|demo/i;

/** Input that already carries real randomness: hashing it does not make a guessable token. */
const SECURE_RANDOM_INPUT = /\b(urandom|secrets\.|token_bytes|token_hex|uuid4|randomBytes|randomUUID|getRandomValues|SystemRandom)\b/;

// ---------------------------------------------------------------------------------------------
// Where a value goes: the name it is stored under, or the function that returns it
// ---------------------------------------------------------------------------------------------

const PY_STOP = new Set(['class_definition', 'module']);
const TS_STOP = new Set(['class_declaration', 'class', 'program', 'jsx_attribute', 'jsx_expression', 'jsx_element', 'jsx_self_closing_element']);

/**
 * The name the value of `node` is bound to: the innermost assignment target, keyword argument, dict
 * key or field; failing that, the name of the function that returns it. Undefined when none.
 */
function pyDestinationName(node: SgNode): string | undefined {
  let inReturn = false;
  for (const ancestor of node.ancestors()) {
    const kind = ancestor.kind();
    if (PY_STOP.has(String(kind))) return undefined;
    if (kind === 'assignment' || kind === 'augmented_assignment') return ancestor.field('left')?.text();
    if (kind === 'keyword_argument') return ancestor.field('name')?.text();
    if (kind === 'pair') return pyStaticString(ancestor.field('key')) ?? ancestor.field('key')?.text();
    if (kind === 'return_statement') inReturn = true;
    if (kind === 'function_definition') return inReturn ? ancestor.field('name')?.text() : undefined;
  }
  return undefined;
}

function tsDestinationName(node: SgNode): string | undefined {
  let returned = false;
  for (const ancestor of node.ancestors()) {
    const kind = String(ancestor.kind());
    if (TS_STOP.has(kind)) return undefined;
    if (kind === 'variable_declarator') return ancestor.field('name')?.text();
    if (kind === 'assignment_expression' || kind === 'augmented_assignment_expression') return ancestor.field('left')?.text();
    if (kind === 'pair') return tsStaticString(ancestor.field('key')) ?? ancestor.field('key')?.text();
    if (kind === 'public_field_definition') return ancestor.field('name')?.text();
    if (kind === 'return_statement') returned = true;
    if (kind === 'arrow_function') {
      // `() => expr` returns its body; a named arrow is named by its declarator (next ancestor).
      if (ancestor.field('body')?.kind() !== 'statement_block') returned = true;
      if (!returned) return undefined;
      continue;
    }
    if (FUNCTION_KINDS.has(kind)) return returned ? ancestor.field('name')?.text() : undefined;
  }
  return undefined;
}

function pyFunctionName(node: SgNode): string {
  return node.ancestors().find((a) => a.kind() === 'function_definition')?.field('name')?.text() ?? '';
}

function tsFunctionName(node: SgNode): string {
  for (const ancestor of node.ancestors()) {
    if (!FUNCTION_KINDS.has(String(ancestor.kind()))) continue;
    const name = ancestor.field('name')?.text() ?? (ancestor.parent()?.kind() === 'variable_declarator' ? ancestor.parent()?.field('name')?.text() : undefined);
    if (name) return name;
  }
  return '';
}

/** AES key wrap (RFC 3394/5649) is built on single-block ECB on purpose. */
function isKeyWrap(path: string, functionName: string): boolean {
  return /wrap/i.test(functionName) || /wrap/i.test(path.split('/').pop() ?? '');
}

function shortText(node: SgNode, max = 60): string {
  const flat = node.text().replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

// ---------------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------------

const PY_WEAK_HASHES = new Set(['hashlib.md5', 'hashlib.sha1', 'hashlib.md4']);
const PY_RANDOM = new Set(
  ['random', 'randint', 'choice', 'choices', 'sample', 'randrange', 'getrandbits', 'uniform', 'shuffle', 'randbytes'].map((f) => `random.${f}`),
);
const PY_WEAK_CIPHERS = new Set([
  ...['Crypto', 'Cryptodome'].flatMap((root) => ['DES', 'ARC2', 'ARC4', 'Blowfish', 'XOR', 'CAST'].map((c) => `${root}.Cipher.${c}.new`)),
  ...['ARC4', 'Blowfish', 'IDEA', 'CAST5', 'SEED', 'TripleDES'].map((c) => `cryptography.hazmat.primitives.ciphers.algorithms.${c}`),
]);
const PY_ECB_MODE = /^(Crypto|Cryptodome)\.Cipher\.\w+\.MODE_ECB$/;
const PY_MIN_BCRYPT_ROUNDS = 10;

/** An integer literal, also through a same-file constant; undefined when it cannot be told. */
function pyStaticInt(node: SgNode | undefined): number | undefined {
  if (!node) return undefined;
  if (node.kind() === 'integer') return Number(node.text().replace(/_/g, ''));
  if (node.kind() === 'identifier') {
    const values = pyNameValues(node);
    if (!values || values.length !== 1) return undefined;
    return values[0].kind() === 'integer' ? Number(values[0].text().replace(/_/g, '')) : undefined;
  }
  return undefined;
}

function pyWeakHash(node: SgNode, name: string, context: RuleContext): void {
  if (keywordArgument(node, 'usedforsecurity')?.kind() === 'false') return;
  let algorithm = name.slice('hashlib.'.length);
  let data = positionalArguments(node)[0] ?? keywordArgument(node, 'data') ?? keywordArgument(node, 'string');
  if (name === 'hashlib.new') {
    const [first, second] = positionalArguments(node);
    algorithm = (pyStaticString(first) ?? '').toLowerCase();
    if (!['md5', 'sha1', 'md4'].includes(algorithm)) return;
    data = second ?? keywordArgument(node, 'data');
  }
  const label = algorithm.toUpperCase();
  const secretInput = data ? pickSecretName(namesIn(data, 'py')) : undefined;
  if (secretInput) {
    reportHashedSecret(node, label, secretInput, context);
    return;
  }
  const destination = pyDestinationName(node);
  if (!destination || !isSecretName(destination) || SECURE_RANDOM_INPUT.test(data?.text() ?? '')) return;
  if (isPasswordName(destination)) {
    context.report({ node, message: passwordHashMessage(node, destination, label), severity: 'high' });
    return;
  }
  context.report({
    node,
    message: `\`${destination}\` is derived with ${label} from \`${data ? shortText(data, 40) : 'nothing'}\`: guessable input and a broken hash; use \`secrets.token_urlsafe()\` or a password hash.`,
  });
}

/** Last names of the Python callees this rule knows. */
const PY_CALLEE_TAIL = '(md5|sha1|md4|new|random|randint|choices?|sample|randrange|getrandbits|uniform|shuffle|randbytes|gensalt|using|CryptContext|ARC4|Blowfish|IDEA|CAST5|SEED|TripleDES|ECB)$';

function pyCheck(node: SgNode, context: RuleContext): void {
  const callee = node.field('function');
  if (callee?.kind() !== 'attribute' && callee?.kind() !== 'identifier') return;
  const bindings = pyBindingsFor(context.file, node, context.source);
  const name = pyQualifiedName(callee, bindings);
  if (!name) return;

  if (PY_WEAK_HASHES.has(name) || name === 'hashlib.new') {
    pyWeakHash(node, name, context);
    return;
  }
  if (PY_RANDOM.has(name)) {
    const destination = pyDestinationName(node);
    if (!destination || !isSecretName(destination) || NON_SECRET_PURPOSE.test(pyFunctionName(node))) return;
    context.report({
      node,
      message: `\`${destination}\` comes from \`${callee.text()}()\`: the \`random\` module is predictable (Mersenne Twister); use \`secrets\` (\`secrets.token_urlsafe()\`, \`secrets.choice()\`).`,
    });
    return;
  }
  if (name === 'bcrypt.gensalt') {
    const rounds = pyStaticInt(keywordArgument(node, 'rounds') ?? positionalArguments(node)[0]);
    if (rounds === undefined || rounds >= PY_MIN_BCRYPT_ROUNDS) return;
    context.report({ node, message: `\`${shortText(node)}\` uses bcrypt cost ${rounds}: below ${PY_MIN_BCRYPT_ROUNDS} makes password hashes cheap to brute-force (the default is 12).` });
    return;
  }
  if (name === 'passlib.hash.bcrypt.using' || name === 'passlib.context.CryptContext') {
    const roundsArg = name.endsWith('using') ? keywordArgument(node, 'rounds') : (keywordArgument(node, 'bcrypt__rounds') ?? keywordArgument(node, 'bcrypt__default_rounds'));
    const rounds = pyStaticInt(roundsArg);
    if (rounds === undefined || rounds >= PY_MIN_BCRYPT_ROUNDS) return;
    context.report({ node, message: `bcrypt cost ${rounds} in \`${shortText(node)}\`: below ${PY_MIN_BCRYPT_ROUNDS} makes password hashes cheap to brute-force.` });
    return;
  }
  if (PY_WEAK_CIPHERS.has(name)) {
    context.report({ node, message: `\`${shortText(node)}\` uses a broken cipher (${name.split('.').slice(-2, -1)[0] === 'algorithms' ? name.split('.').pop() : name.split('.').slice(-2)[0]}); use AES-GCM or ChaCha20-Poly1305.` });
    return;
  }
  if (name === 'cryptography.hazmat.primitives.ciphers.modes.ECB') {
    if (isKeyWrap(context.file.path, pyFunctionName(node))) return;
    context.report({ node, message: '`modes.ECB()` encrypts equal blocks to equal ciphertext and leaks patterns; use GCM (or CBC with a MAC).' });
    return;
  }
  if (/^(Crypto|Cryptodome)\.Cipher\.\w+\.new$/.test(name)) {
    const ecb = node.field('arguments')?.children().find((arg) => PY_ECB_MODE.test(pyQualifiedName(arg.kind() === 'keyword_argument' ? arg.field('value') : arg, bindings) ?? ''));
    if (!ecb || isKeyWrap(context.file.path, pyFunctionName(node))) return;
    context.report({ node, message: `\`${shortText(node)}\` uses ECB mode: equal blocks encrypt to equal ciphertext and leak patterns; use \`MODE_GCM\`.` });
  }
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript
// ---------------------------------------------------------------------------------------------

const TS_WEAK_HASH_ALGORITHMS = new Set(['md5', 'sha1', 'md4', 'rsa-md5', 'rsa-sha1']);
/** Hash libraries whose call hashes its argument directly: module → export names. */
const TS_HASH_FUNCTIONS: Record<string, Record<string, string>> = {
  md5: { default: 'MD5', '*': 'MD5' },
  'blueimp-md5': { default: 'MD5', '*': 'MD5' },
  'js-md5': { default: 'MD5', '*': 'MD5', md5: 'MD5' },
  sha1: { default: 'SHA1', '*': 'SHA1' },
  'crypto-js': { MD5: 'MD5', SHA1: 'SHA1' },
  'crypto-js/md5': { default: 'MD5', '*': 'MD5' },
  'crypto-js/sha1': { default: 'SHA1', '*': 'SHA1' },
};
const BCRYPT_MODULES = new Set(['bcrypt', 'bcryptjs']);
/** OpenSSL cipher names that are broken or leak patterns: DES/3DES, RC2/RC4, Blowfish, CAST, IDEA, SEED, and any ECB mode. */
const TS_WEAK_CIPHER = /^(des|des3|des-ede\S*|des-\S+|rc2\S*|rc4\S*|bf|bf-\S+|blowfish|cast\S*|idea\S*|seed\S*)$|-ecb$/i;

function tsStaticInt(node: SgNode | undefined): number | undefined {
  const value = tsResolved(node);
  return value?.kind() === 'number' && /^\d[\d_]*$/.test(value.text()) ? Number(value.text().replace(/_/g, '')) : undefined;
}

/** `createHash('md5').update(x)`: the `update` arguments chained onto the hash. */
function chainedUpdateArguments(hashCall: SgNode): SgNode[] {
  const member = hashCall.parent();
  if (member?.kind() !== 'member_expression' || member.field('property')?.text() !== 'update') return [];
  const call = member.parent();
  return call?.kind() === 'call_expression' ? callArguments(call) : [];
}

/** MD5/SHA-1 over a secret-named value; a password hashed that way is High (offline cracking). */
function reportHashedSecret(node: SgNode, label: string, secretInput: string, context: RuleContext): void {
  const password = isPasswordName(secretInput);
  const advice = password
    ? 'a fast hash is cracked offline at billions of guesses per second; use bcrypt, scrypt or argon2'
    : `${label} is broken for security use; use SHA-256/HMAC or a password hash`;
  context.report({ node, message: `\`${shortText(node)}\` hashes \`${secretInput}\` with ${label}: ${advice}.`, severity: password ? 'high' : undefined });
}

function tsReportWeakHash(node: SgNode, label: string, data: SgNode[], context: RuleContext): void {
  const secretInput = pickSecretName(data.flatMap((d) => namesIn(d, 'ts')));
  if (secretInput) {
    reportHashedSecret(node, label, secretInput, context);
    return;
  }
  const destination = tsDestinationName(node);
  if (!destination || !isSecretName(destination) || data.some((d) => SECURE_RANDOM_INPUT.test(d.text()))) return;
  if (isPasswordName(destination)) {
    context.report({ node, message: passwordHashMessage(node, destination, label), severity: 'high' });
    return;
  }
  context.report({
    node,
    message: `\`${destination}\` is derived with ${label}${data.length ? ` from \`${shortText(data[0], 40)}\`` : ''}: guessable input and a broken hash; use \`crypto.randomBytes()\` or a password hash.`,
  });
}

/** Last names of the JavaScript callees this rule knows. */
const TS_CALLEE_TAIL = '(createHash|createCipheriv|createCipher|createDecipher|hash|hashSync|genSalt|genSaltSync|md5|MD5|sha1|SHA1|Math\\.random)$';

function tsCheck(node: SgNode, context: RuleContext): void {
  const callee = node.field('function');
  if (!callee) return;
  if (callee.kind() === 'member_expression' && callee.text() === 'Math.random') {
    const destination = tsDestinationName(node);
    if (!destination || !isSecretName(destination) || NON_SECRET_PURPOSE.test(tsFunctionName(node))) return;
    context.report({
      node,
      message: `\`${destination}\` comes from \`Math.random()\`: it is predictable; use \`crypto.randomBytes()\` / \`crypto.randomUUID()\` (or \`crypto.getRandomValues()\` in browsers).`,
    });
    return;
  }
  if (callee.kind() !== 'identifier' && callee.kind() !== 'member_expression') return;
  const binding = tsExpressionBinding(callee, tsBindingsFor(context.file, node, context.source));
  if (!binding) return;
  const args = callArguments(node);

  if (binding.module === 'crypto') {
    if (binding.imported === 'createHash') {
      const algorithm = tsStaticString(tsResolved(args[0]))?.toLowerCase();
      if (!algorithm || !TS_WEAK_HASH_ALGORITHMS.has(algorithm)) return;
      tsReportWeakHash(node, algorithm.toUpperCase(), chainedUpdateArguments(node), context);
      return;
    }
    if (binding.imported === 'createCipheriv') {
      const algorithm = tsStaticString(tsResolved(args[0]));
      if (!algorithm || !TS_WEAK_CIPHER.test(algorithm)) return;
      const ecb = /-ecb$/i.test(algorithm);
      if (ecb && isKeyWrap(context.file.path, tsFunctionName(node))) return;
      context.report({
        node,
        message: `\`${callee.text()}('${algorithm}', ...)\` ${ecb ? 'uses ECB mode: equal blocks encrypt to equal ciphertext' : 'uses a broken cipher'}; use \`aes-256-gcm\`.`,
      });
      return;
    }
    if (binding.imported === 'createCipher' || binding.imported === 'createDecipher') {
      context.report({
        node,
        message: `\`${callee.text()}(...)\` derives the key with one MD5 round and uses no IV (deprecated, removed in Node 22); use \`createCipheriv\` with a random IV and a KDF.`,
      });
    }
    return;
  }
  const hashLabel = TS_HASH_FUNCTIONS[binding.module]?.[binding.imported];
  if (hashLabel) {
    tsReportWeakHash(node, hashLabel, args.slice(0, 1), context);
    return;
  }
  if (BCRYPT_MODULES.has(binding.module)) {
    const roundsAt: Record<string, number> = { hash: 1, hashSync: 1, genSalt: 0, genSaltSync: 0 };
    const at = roundsAt[binding.imported];
    if (at === undefined) return;
    const rounds = tsStaticInt(args[at]);
    if (rounds === undefined || rounds >= 10) return;
    context.report({ node, message: `\`${shortText(node)}\` uses bcrypt cost ${rounds}: below 10 makes password hashes cheap to brute-force (use 12).` });
  }
}

export default defineRule({
  meta: {
    id: 'security/weak-crypto',
    title: 'Weak cryptography for secrets',
    area: 'security',
    severity: 'medium',
    type: 'security',
    effort: 'small',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'MD5/SHA-1 on passwords or tokens, `random`/`Math.random()` for secrets, bcrypt cost below 10, DES/RC4/ECB ciphers.',
    why:
      'MD5 and SHA-1 are fast and broken: a leaked table of MD5 password hashes is cracked in minutes (High when a ' +
      'password is hashed). Python\'s `random` and JavaScript\'s `Math.random()` are predictable from a few outputs, so ' +
      'tokens, OTPs, salts and reset codes built from them can be guessed. A bcrypt cost below 10 makes brute force ' +
      'hundreds of times cheaper than the default. DES, RC4 and Blowfish are broken, and ECB mode leaks patterns. ' +
      'Not reported: MD5/SHA-1 for cache keys, ETags and checksums (nothing in the input or the destination names a ' +
      'secret, or `usedforsecurity=False`), hashing of `os.urandom`/`uuid4`/`randomBytes` output, `random` for jitter, ' +
      'sampling, MIME boundaries or UI keys, ECB inside AES key wrap (RFC 3394), `secrets`/`crypto.randomBytes`, and tests.',
    recommendation:
      'Hash passwords with bcrypt (cost 12), scrypt or argon2; make tokens with `secrets.token_urlsafe()` / ' +
      '`crypto.randomBytes(32).toString("base64url")`; use SHA-256 or HMAC-SHA-256 for integrity; encrypt with ' +
      'AES-GCM or ChaCha20-Poly1305 (`createCipheriv("aes-256-gcm", key, iv)`).',
    examples: [
      {
        language: 'py',
        bad: 'import hashlib\n\ndef store_user(db, email, password):\n    db.insert(email=email, password_hash=hashlib.md5(password.encode()).hexdigest())\n',
        good: 'import bcrypt\n\ndef store_user(db, email, password):\n    db.insert(email=email, password_hash=bcrypt.hashpw(password.encode(), bcrypt.gensalt()))\n',
      },
      {
        language: 'ts',
        bad: 'export function createResetToken(): string {\n  return Math.random().toString(36).slice(2);\n}\n',
        good: 'import { randomBytes } from "node:crypto";\n\nexport function createResetToken(): string {\n  return randomBytes(32).toString("base64url");\n}\n',
      },
    ],
    references: [
      'Bandit B303/B324 (md5/sha1), B311 (random), B304/B305 (ciphers and modes)',
      'Semgrep javascript.lang.security.audit.md5-used-as-password, insecure-random',
      'OWASP Password Storage Cheat Sheet',
    ],
    cwe: ['CWE-327', 'CWE-328', 'CWE-330', 'CWE-916'],
    nosec: ['B303', 'B304', 'B305', 'B311', 'B324'],
  },
  // What each check needs in the file: the hashing/random/cipher module imported, or the JS call.
  fileFilter:
    /\bhashlib\b|\b(import|from)\s+(random|bcrypt|passlib|Crypto|Cryptodome)\b|\bmodes\.ECB\b|\balgorithms\.(ARC4|Blowfish|IDEA|CAST5|SEED|TripleDES)\b|\b(ARC4|Blowfish|IDEA|CAST5|SEED|TripleDES|ECB)\(|Math\.random|createHash|createCipher|createDecipher|['"](bcrypt|bcryptjs|md5|blueimp-md5|js-md5|sha1|crypto-js[\w/]*)['"]/,
  onFile(context) {
    // One search in the parser's own code for the few callees that matter, instead of a visit per call.
    if (!context.root) return;
    const py = context.file.family === 'py';
    const calls = context.root.findAll({ rule: { kind: py ? 'call' : 'call_expression', has: { field: 'function', regex: py ? PY_CALLEE_TAIL : TS_CALLEE_TAIL } } });
    for (const call of calls) (py ? pyCheck : tsCheck)(call, context);
  },
});
