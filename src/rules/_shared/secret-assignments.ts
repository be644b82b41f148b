// Secrets without a recognisable format: a random-looking value assigned to a name that says it
// is a secret (`API_SECRET = "f3K9..."`, `"password": "Xk2!..."`, `DB_PASSWORD=...` in a .env).
import { namesALocation, secretKindOfName, type SecretKind } from './secret-names.js';
import { isTrivialPassword } from './default-passwords.js';
import { characterClasses, isPlaceholderValue, shannonEntropy } from './secret-values.js';

export interface AssignedSecret {
  name: string;
  kind: SecretKind;
  value: string;
  /** Offset of the value in the text. */
  start: number;
  /** Offset where the assignment begins (the name), to tell code from prose quoting code. */
  statementStart: number;
}

/**
 * `name = "value"`, `name: str = "value"`, `"name": "value"`, `name => 'value'`, `name := "value"`,
 * keyword arguments (`api_key="..."`) and object properties (`apiKey: '...'`).
 */
const QUOTED = /(?<![\w$.-])(["']?)([A-Za-z_$][\w$.-]*)\1\]?\s*(?::\s*[\w.[\]|, ]+?\s*(?==))?(=>|:=|[:=])\s*[rRbBuU]{0,2}(["'`])([^"'`\n\\]{1,400})\4/g;
/** `NAME=value`, `export NAME=value`, `name: value` in env, YAML, INI and shell files. */
const UNQUOTED = /^[ \t]*(?:export[ \t]+|-[ \t]+)?([A-Za-z_][\w.-]*)[ \t]*[:=][ \t]*([^\s"'#`]\S*?)(?:[ \t]+#.*)?[ \t]*$/;
/** Kubernetes-style `- name: API_KEY` followed by `value: ...` on the next line. */
const NAME_THEN_VALUE = /^[ \t]*-?[ \t]*name:[ \t]*["']?([A-Za-z_][\w.-]*)["']?[ \t]*\r?\n(?:[ \t]*#.*\r?\n)*[ \t]*value:[ \t]*(["']?)([^\s"'#]+)\2/gm;
/** Header names whose value is a credential. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|x-api-key|x-auth-token|x-access-token|api-key|private-token)$/i;
/** Prefixes of formats the provider scan knows: what it did not accept is malformed, not generic. */
const PROVIDER_PREFIX = /^(sk-ant-|sk-proj-|gh[pousr]_|github_pat_|xox[a-z]-|glpat-|AKIA|[sr]k_(live|test)_|SG\.|npm_|hf_|dop_v1_|AIza|GOCSPX-)/;
/** Authentication schemes in front of the credential itself. */
const AUTH_SCHEME = /^(Bearer|Token|Basic|Bot|ApiKey)\s+/i;

function kindOf(name: string): SecretKind | undefined {
  if (CREDENTIAL_HEADER.test(name)) return 'credential';
  const last = name.split('.').pop() ?? name;
  // A salt namespaces a signature (`key_salt = "django.contrib.auth..."`); it is not the key.
  // A CSRF token is a per-session nonce; `...Secrets` names a store of secrets, not one.
  if (namesALocation(last) || /salt|pepper$/i.test(last) || /csrf|xsrf/i.test(last) || /secrets$/i.test(last)) return undefined;
  return secretKindOfName(last);
}

/**
 * Random enough to be a real secret. Signing material and passwords may be shorter than API
 * tokens, but must mix character kinds: `password_hash` or `auth.login.title` are names, not
 * passwords.
 */
export function looksLikeSecretValue(value: string, kind: SecretKind): boolean {
  if (/\s/.test(value) || value.includes('://') || /^(\.{1,2}\/|\/|~\/)/.test(value)) return false;
  if (PROVIDER_PREFIX.test(value)) return false; // a provider's key that failed its own format is not one
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(value)) return false; // the name of an env variable
  if (/^\d+$/.test(value) || /^(true|false|null|none|yes|no|on|off)$/i.test(value)) return false;
  // A dotted name: module, setting, message key, or an entry point (`pkg.module:function`).
  if (/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+(:[A-Za-z_][\w.]*)?$/.test(value)) return false;
  if (isPlaceholderValue(value) || isTrivialPassword(value)) return false;
  const entropy = shannonEntropy(value);
  const classes = characterClasses(value);
  // Generated secrets almost always hold a digit (a 32-character random alphanumeric value lacks
  // one 0.4% of the time); letters-only values are names (`?NoLineTerminatorHere`), unless long and very random.
  if (!/\d/.test(value) && !(value.length >= 24 && entropy >= 4)) return false;
  if (kind === 'credential') return value.length >= 16 && classes >= 2 && entropy >= 3.2;
  return classes >= 2 && value.length >= 8 && entropy >= 2.8;
}

function accept(name: string, rawValue: string, start: number, statementStart: number, found: AssignedSecret[]): void {
  const kind = kindOf(name);
  if (!kind) return;
  const scheme = AUTH_SCHEME.exec(rawValue);
  const value = scheme ? rawValue.slice(scheme[0].length) : rawValue;
  if (!looksLikeSecretValue(value, kind)) return;
  found.push({ name, kind, value, start: start + (scheme ? scheme[0].length : 0), statementStart });
}

/** Words every secret-like name contains: lines without one are not read further. */
const NAME_HINT = /secret|passw|pwd|pass\b|token|key|auth|credential|creds|bearer|jwt|private/i;

/** The lines worth matching, with their offsets: the full assignment patterns are costly. */
function* hintedLines(text: string): Generator<{ line: string; offset: number }> {
  let offset = 0;
  while (offset <= text.length) {
    let end = text.indexOf('\n', offset);
    if (end === -1) end = text.length;
    const line = text.slice(offset, end);
    if (NAME_HINT.test(line)) yield { line, offset };
    offset = end + 1;
  }
}

/** Values in quotes, in any language. */
export function findQuotedAssignments(text: string): AssignedSecret[] {
  const found: AssignedSecret[] = [];
  for (const { line, offset } of hintedLines(text)) {
    for (const match of line.matchAll(QUOTED)) {
      const value = match[5];
      accept(match[2], value, offset + match.index + match[0].length - value.length - 1, offset + match.index, found);
    }
  }
  return found;
}

/** YAML lists of `name:` / `value:` pairs (Kubernetes env, Helm values). */
export function findNameValuePairs(text: string): AssignedSecret[] {
  const found: AssignedSecret[] = [];
  if (!text.includes('value:')) return found;
  for (const match of text.matchAll(NAME_THEN_VALUE)) {
    const value = match[3];
    accept(match[1], value, match.index + match[0].lastIndexOf(value), match.index, found);
  }
  return found;
}

/** Bare values of configuration formats (not code: `password = get_password()` is a call there). */
export function findUnquotedSettings(text: string): AssignedSecret[] {
  const found: AssignedSecret[] = [];
  for (const { line, offset } of hintedLines(text)) {
    const match = UNQUOTED.exec(line);
    if (!match) continue;
    const value = match[2];
    if (/[()[\]]/.test(value)) continue; // `foo(bar)` or `request.json['x']`: an expression
    accept(match[1], value, offset + match[0].lastIndexOf(value), offset, found);
  }
  return found;
}
