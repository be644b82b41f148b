// Finds the secrets in one text: provider formats (secretlint's preset and the formats Probity
// adds), then random-looking values assigned to secret names. Used for files of the tree
// (security/hardcoded-secret) and for lines added in git history (security/secret-in-git).
import type { Severity } from '../../core/types.js';
import { textKindOf } from '../../discover/language.js';
import { looksLikePlaceholder } from './secret-names.js';
import { findNameValuePairs, findQuotedAssignments, findUnquotedSettings } from './secret-assignments.js';
import { EXTRA_FORMATS, SECRETLINT_FORMATS, type SecretFormat } from './secret-formats.js';
import { scanProviderFormats } from './secretlint-preset.js';
import { isTrivialPassword } from './default-passwords.js';
import { isPlaceholderValue, looksLikeRealToken } from './secret-values.js';

/** What a scan needs to know about the text. */
export interface ScannedFile {
  /** Relative POSIX path (decides the format: `.env`, YAML, code...). */
  path: string;
  /** `py`, `ts` or `text`. */
  family: 'py' | 'ts' | 'text';
  isTest: boolean;
  /**
   * Whether the text between two offsets lies inside one string literal or comment of the code
   * (a docstring quoting an RFC's `access_token="..."`): an assignment there is prose, not code.
   */
  isProse?: (start: number, end: number) => boolean;
}

/** A secret found in the text: where its value is, what it is, and the text to mask. */
export interface SecretHit {
  start: number;
  end: number;
  value: string;
  format: SecretFormat;
  /** Everything to mask (a private key is masked line by line). */
  masked: string[];
}

/** Env files that document the variables with placeholder values: meant to be committed. */
const TEMPLATE_FILE = /(^|\/)\.env\.(example|sample|template|dist|tmpl|tpl|defaults?)$|\.(example|sample|template|dist)(\.[a-z]+)?$/i;
/** Lock files hold integrity hashes, never secrets; they are large and all high entropy. */
const LOCK_FILE = /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Pipfile\.lock|uv\.lock|composer\.lock|Cargo\.lock)$/;
/** Formats whose bare settings (`KEY=value`) are configuration rather than code. */
const CONFIG_KINDS = new Set(['dotenv', 'yaml', 'ini', 'toml', 'shell', 'text', 'dockerfile', 'make']);

/** `://user:password@` of a URL secretlint matched, or the token of `https://TOKEN:x-oauth-basic@`. */
function urlCredential(url: string, part: 'password' | 'user'): string | undefined {
  const match = /:\/\/([^:@/\s]*):([^@/\s]*)@/.exec(url);
  return match ? (part === 'password' ? match[2] : match[1]) : undefined;
}

/** The secret itself inside what secretlint matched (some of its ranges cover the name too). */
function valueOf(messageId: string, content: string, start: number, end: number): { value: string; start: number } | undefined {
  const text = content.slice(start, end);
  const at = (value: string | undefined, from = text) => (value ? { value, start: start + from.indexOf(value) } : undefined);
  switch (messageId) {
    case 'AWSSecretAccessKey': {
      const tail = content.slice(start, start + 200);
      const match = /(?:=>|[:=])\s*["']?([A-Za-z0-9/+=]{40})/.exec(tail);
      return match ? { value: match[1], start: start + match.index + match[0].length - 40 } : undefined;
    }
    case 'BasicAuth':
      return at(urlCredential(text, 'password'));
    case 'PackageJSON_xOauthToken':
      return at(urlCredential(text, 'user'));
    case 'Npmrc_authToken':
      return at(/_authToken=["']?([^"'\s]+)/.exec(text)?.[1]);
    default:
      return { value: text, start };
  }
}

/** A JWT worth reporting: not the jwt.io sample, not a public "anon" key (Supabase publishes those). */
function isSensitiveJwt(token: string): boolean {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    if (payload.role === 'anon' || payload.sub === '1234567890' || payload.name === 'John Doe') return false;
    return true;
  } catch {
    return false; // not a JWT after all
  }
}

function providerHits(content: string, file: ScannedFile): SecretHit[] {
  const candidates: SecretHit[] = [];
  for (const match of scanProviderFormats(content, file.path)) {
    const format = SECRETLINT_FORMATS[match.messageId];
    if (!format) continue;
    if (match.messageId === 'PrivateKey') {
      const block = content.slice(match.start, match.end);
      // Real line breaks, or `\n` escapes when the key sits in a JSON string (service-account files).
      const body = block.split(/\r?\n|\\n/).slice(1, -1).map((line) => line.trim()).filter((line) => line.length >= 16 && !line.includes(':'));
      // Runs like `AAAAAAAA` are normal in DER; only text a person typed marks a placeholder.
      if (body.length === 0 || body.every((line) => looksLikePlaceholder(line) || /\.\.\.|x{6,}/i.test(line))) continue;
      const firstBreak = block.search(/\r?\n|\\n/);
      candidates.push({ start: match.start, end: match.start + (firstBreak === -1 ? block.length : firstBreak), value: body[0], format, masked: body });
      continue;
    }
    const found = valueOf(match.messageId, content, match.start, match.end);
    if (!found) continue;
    // Real Slack tokens carry numeric team and user ids: `xoxb-12345-abcd` is a sample.
    if (match.messageId === 'SLACK_TOKEN' && !/^xox[a-z]-(?:\d-)?\d{8,}-/.test(content.slice(match.start, match.end))) continue;
    if (content.startsWith('##', match.end) || content.startsWith('-##', match.end)) continue; // `xoxp-…-####`: a template
    const isPassword = match.messageId === 'BasicAuth';
    // URLs with a user and password in tests are sample input, not credentials.
    if (isPassword && file.isTest) continue;
    if (isPassword ? isPlaceholderValue(found.value) || isTrivialPassword(found.value) : !looksLikeRealToken(found.value)) continue;
    candidates.push({ start: found.start, end: found.start + found.value.length, value: found.value, format, masked: [found.value] });
  }
  for (const extra of EXTRA_FORMATS) {
    if ((extra.requires && !content.includes(extra.requires)) || (extra.context && !extra.context.test(content))) continue;
    for (const match of content.matchAll(extra.pattern)) {
      const value = match[extra.group ?? 0];
      const start = match.index + match[0].lastIndexOf(value);
      if (extra.isUrlPassword) {
        if (file.isTest) continue;
        // A password in a URL: placeholders, variables and well-known defaults (reported by
        // infrastructure/default-credentials) are not leaked secrets.
        const user = /:\/\/([^:@/\s]*):/.exec(match[0])?.[1];
        if (isPlaceholderValue(value) || isTrivialPassword(decodeURIComponentSafe(value), user)) continue;
      } else if (!looksLikeRealToken(value)) continue;
      if (extra.label === 'JSON Web Token' && (file.isTest || !isSensitiveJwt(value))) continue;
      if (extra.label === 'Google API key' && /firebase|authDomain/i.test(content)) continue; // Firebase web keys are public by design
      candidates.push({ start, end: start + value.length, value, format: extra, masked: [value] });
    }
  }
  return candidates;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * A field default of a pydantic `BaseSettings` class is a fallback for an environment variable:
 * security/insecure-default-secret reports it, with the fix that fits.
 */
function isSettingsFieldDefault(source: string, offset: number): boolean {
  if (!source.includes('BaseSettings')) return false;
  const lineStart = source.lastIndexOf('\n', offset) + 1;
  return /^[ \t]+\w+[ \t]*:[^=\n]+=[ \t]*(?:Field\()?[rRbBuU]{0,2}["']$/.test(source.slice(lineStart, offset));
}

function assignedHits(source: string, kind: string, file: ScannedFile): SecretHit[] {
  const assigned = [
    ...findQuotedAssignments(source),
    ...(CONFIG_KINDS.has(kind) ? findUnquotedSettings(source) : []),
    ...(kind === 'yaml' ? findNameValuePairs(source) : []),
  ].filter(
    (secret) =>
      !(kind === 'py' && isSettingsFieldDefault(source, secret.start)) && !file.isProse?.(secret.statementStart, secret.start + secret.value.length),
  );
  return assigned.map((secret) => ({
    start: secret.start,
    end: secret.start + secret.value.length,
    value: secret.value,
    format: { label: secret.kind === 'signing' ? `secret assigned to \`${secret.name}\`` : `credential assigned to \`${secret.name}\``, severity: 'high' as Severity },
    masked: [secret.value],
  }));
}

/** Every secret in the text, in order, one per value (overlapping formats give one hit). */
export function findSecrets(content: string, file: ScannedFile): SecretHit[] {
  if (LOCK_FILE.test(file.path)) return [];
  const kind = file.family === 'text' ? textKindOf(file.path) : file.family;
  const hits = providerHits(content, file);
  if (!file.isTest && !TEMPLATE_FILE.test(file.path)) {
    // A value a provider format already explains is not reported twice.
    for (const hit of assignedHits(content, kind, file)) {
      if (!hits.some((other) => hit.start < other.end && other.start < hit.end)) hits.push(hit);
    }
  }
  const kept: SecretHit[] = [];
  let reportedUntil = -1;
  // Formats overlap (a Slack token inside an assignment, two patterns for one key): one hit each.
  for (const hit of hits.sort((a, b) => a.start - b.start || b.end - a.end)) {
    if (hit.start < reportedUntil) continue;
    reportedUntil = hit.end;
    kept.push(hit);
  }
  return kept;
}
