import { defineRule, type RuleContext } from '../../../core/rule.js';
import type { Severity } from '../../../core/types.js';
import { textKindOf } from '../../../discover/language.js';
import { findNameValuePairs, findQuotedAssignments, findUnquotedSettings } from './assigned-secrets.js';
import { EXTRA_FORMATS, SECRETLINT_FORMATS, type SecretFormat } from './providers.js';
import { scanProviderFormats } from './secretlint-scan.js';
import { looksLikePlaceholder } from '../../_shared/secret-names.js';
import { isPlaceholderValue, isTrivialPassword, looksLikeRealToken } from './secret-values.js';

/** A secret found in the file: where its value is, what it is, and the text to mask. */
interface Candidate {
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

function providerCandidates(context: RuleContext): Candidate[] {
  const { source: content, file } = context;
  const candidates: Candidate[] = [];
  for (const match of scanProviderFormats(content, file.path)) {
    const format = SECRETLINT_FORMATS[match.messageId];
    if (!format) continue;
    if (match.messageId === 'PrivateKey') {
      const block = content.slice(match.start, match.end);
      // Real line breaks, or `\n` escapes when the key sits in a JSON string (service-account files).
      const body = block.split(/\r?\n|\\n/).slice(1, -1).map((line) => line.trim()).filter((line) => line.length >= 16 && !line.includes(':'));
      // Runs like `AAAAAAAA` are normal in DER; only text a person typed marks a placeholder.
      if (body.length === 0 || body.every((line) => looksLikePlaceholder(line) || /\.\.\.|x{6,}/i.test(line))) continue;
      candidates.push({ start: match.start, end: match.start + block.indexOf('\n'), value: body[0], format, masked: body });
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
    if (extra.context && !extra.context.test(content)) continue;
    for (const match of content.matchAll(extra.pattern)) {
      const value = match[extra.group ?? 0];
      const start = match.index + match[0].lastIndexOf(value);
      if (extra.group) {
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

function assignedCandidates(context: RuleContext, kind: string): Candidate[] {
  const { source } = context;
  const assigned = [
    ...findQuotedAssignments(source),
    ...(CONFIG_KINDS.has(kind) ? findUnquotedSettings(source) : []),
    ...(kind === 'yaml' ? findNameValuePairs(source) : []),
  ].filter((secret) => !(kind === 'py' && isSettingsFieldDefault(source, secret.start)));
  return assigned.map((secret) => ({
    start: secret.start,
    end: secret.start + secret.value.length,
    value: secret.value,
    format: { label: secret.kind === 'signing' ? `secret assigned to \`${secret.name}\`` : `credential assigned to \`${secret.name}\``, severity: 'high' as Severity },
    masked: [secret.value],
  }));
}

/** Offsets → 1-based line and column. */
function positionsOf(source: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - starts[low] + 1 };
  };
}

export default defineRule({
  meta: {
    id: 'security/hardcoded-secret',
    title: 'Hard-coded secret',
    area: 'security',
    severity: 'critical',
    type: 'security',
    effort: 'small',
    confidence: 'high',
    languages: ['any'],
    since: '0.1.0',
    description:
      'A credential, API key, private key or token written into source or configuration: provider key formats, passwords in connection URLs, and random-looking values assigned to secret names.',
    why:
      'Anyone who can read the repository (every clone, fork, CI log and backup, and the whole history after the line is ' +
      'deleted) can use a committed key: seed 001 found live API keys in a committed `.env`, and attackers scan public ' +
      'repositories for new keys within minutes. Provider formats come from secretlint\'s recommended preset (AWS, GitHub, ' +
      'GitLab, Slack, OpenAI, Anthropic, npm, private keys and more), plus Stripe, Telegram and Discord bot tokens, Google, ' +
      'Azure, DigitalOcean, PyPI, JWTs and passwords in database or broker URLs. Other values count when a secret-like name ' +
      '(`API_SECRET`, `password`, `Authorization`) holds a random-looking value. Not reported: placeholders (`changeme`, ' +
      '`your-key-here`, `xxx`, `${VAR}`, `{{ vault_token }}`), documented example keys, well-known default passwords ' +
      '(infrastructure/default-credentials reports those), public JWTs (Supabase `anon`), Firebase web keys, name-based ' +
      'values in `.env.example`-style templates and in tests. A provider-format key in a test file is reported as Medium. ' +
      'The value is masked in every output: a prefix and the length, never the secret.',
    recommendation:
      'Revoke and rotate the key first (it is compromised once committed), then read it from the environment or a secret ' +
      'manager, keep `.env` out of git, and rewrite history only if the repository is public.',
    examples: [
      {
        language: 'py',
        // The key is assembled so that this file does not hold a token-shaped string itself.
        bad: `import stripe\n\nstripe.api_key = "${'sk_live_'}4eC39HqLyjWDarjtT1zdp7dc"\n`,
        good: 'import os\n\nimport stripe\n\nstripe.api_key = os.environ["STRIPE_API_KEY"]\n',
      },
      {
        language: 'ts',
        bad: `const octokit = new Octokit({ auth: '${'ghp_'}R8xK2mP9vL4qW7nT3yB6cF1hJ5dS0aZ8eG2u' });\n`,
        good: 'const octokit = new Octokit({ auth: process.env.GITHUB_TOKEN });\n',
      },
      {
        language: 'env',
        bad: `SENDGRID_API_KEY=${'SG.'}d-Px_BTHRJJbykE0_E8_5c.lLCZFNV8S2QT6INGDpyOpxyB9JKmyLDUwMbqJfgLq_n\n`,
        good: 'SENDGRID_API_KEY=\n# set it in your shell or your secret manager\n',
      },
    ],
    references: [
      'seed 001 (API keys committed in .env)',
      'seed 002 (tokens in settings)',
      'RULES.md security/hardcoded-secret',
      'secretlint preset-recommend',
      'gitleaks default rules',
      'Bandit B105/B106 (hardcoded_password_*)',
      'CWE-798',
    ],
    cwe: ['CWE-798', 'CWE-259'],
    nosec: ['B105', 'B106', 'B107'],
    appliesTo: { tests: true, scripts: true },
  },
  onFile(context) {
    const { file } = context;
    if (LOCK_FILE.test(file.path)) return;
    const kind = file.family === 'text' ? textKindOf(file.path) : file.family;
    const isTemplate = TEMPLATE_FILE.test(file.path);
    const candidates = providerCandidates(context);
    if (!file.isTest && !isTemplate) {
      // A value a provider format already explains is not reported twice.
      for (const candidate of assignedCandidates(context, kind)) {
        if (!candidates.some((other) => candidate.start < other.end && other.start < candidate.end)) candidates.push(candidate);
      }
    }
    if (candidates.length === 0) return;
    const position = positionsOf(context.source);
    let reportedUntil = -1;
    // Formats overlap (a Slack token inside an assignment, two patterns for one key): one finding each.
    for (const candidate of candidates.sort((a, b) => a.start - b.start || b.end - a.end)) {
      if (candidate.start < reportedUntil) continue;
      reportedUntil = candidate.end;
      const start = position(candidate.start);
      const end = position(candidate.end);
      const inTest = file.isTest ? ' in a test file (use an obviously fake value)' : '';
      context.report({
        range: { line: start.line, column: start.column, endLine: end.line, endColumn: end.column },
        message: `Hard-coded ${candidate.format.label} \`${candidate.value}\`${inTest}: anyone who can read the repository can use it; rotate it and load it from the environment.`,
        severity: file.isTest ? 'medium' : candidate.format.severity,
        secrets: candidate.masked,
      });
    }
  },
});
