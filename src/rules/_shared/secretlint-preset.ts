// Runs secretlint's recommended preset (maintained provider key formats) synchronously over one
// text. The preset's rules only need a `report` callback and a message translator, so a small
// context stands in for @secretlint/core's async runner and its per-file setup.
import { rules as presetRules } from '@secretlint/secretlint-rule-preset-recommend';

/** One provider-format match: the secretlint message id names what it is. */
export interface ProviderMatch {
  messageId: string;
  start: number;
  end: number;
}

type Messages = Record<string, unknown>;

interface PresetRule {
  meta: { id: string; supportedContentTypes: string[] };
  messages?: Messages;
  create(context: unknown, options: Record<string, unknown>): { file?(source: unknown): void };
}

/**
 * Left out: the comment filter (Probity has its own suppressions), the GCP rule (binary .p12
 * files, never read here), and the connection-string rule, whose URLs Probity reads itself so
 * that `postgresql+asyncpg://` and broker URLs count too.
 */
const SKIPPED_RULES = new Set(['filter-comments', 'gcp', 'database-connection-string']);
/** Not secrets: an account number says whose, not how to get in. */
const SKIPPED_MESSAGES = new Set(['AWSAccountID']);

const scanners = (presetRules as unknown as PresetRule[]).filter(
  (rule) => rule.meta.supportedContentTypes.includes('text') && !SKIPPED_RULES.has(rule.meta.id.replace('@secretlint/secretlint-rule-', '')),
);

/** Options per rule: AWS access key ids are off by default in secretlint, but name a live key pair. */
const OPTIONS: Record<string, Record<string, unknown>> = {
  '@secretlint/secretlint-rule-aws': { enableIDScanRule: true },
};

/**
 * Text each rule's patterns cannot match without: a file lacking it skips the rule (most files
 * lack all of them). A rule missing here (a newer preset) always runs, so nothing is lost.
 */
const REQUIRED_TEXT: Record<string, RegExp> = {
  aws: /A3T|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA|secret_?access_?key/i,
  privatekey: /PRIVATE KEY/,
  npm: /x-oauth-basic|_authToken|npm_/,
  basicauth: /:\/\/[-\w]+:[-\w]+@/,
  slack: /xox|xapp-|hooks\.slack\.com/i,
  sendgrid: /SG\./,
  shopify: /shp(?:pa|ca|at|ss)_/,
  stripe: /(?:sk|rk)_(?:live|test)_/,
  github: /gh[pousr]_|github_pat_/,
  gitlab: /glpat-/,
  grafana: /gl(?:c|sa)_/,
  openai: /T3BlbkFJ/,
  anthropic: /sk-ant-/,
  groq: /gsk_/,
  huggingface: /hf_/,
  linear: /lin_api_/,
  notion: /ntn_/,
  '1password': /ops_ey/,
  'hashicorp-vault': /hv[sbr]\./,
  vercel: /vc[piark]_/,
  databricks: /dapi/,
  docker: /dckr_pat_/,
  figma: /figd_/,
  cloudflare: /cf(?:k|ut|at)_/,
  tailscale: /tskey-/,
};

/** Rules with no required text (a newer preset): they run on every file. */
const UNFILTERED = scanners.filter((rule) => !REQUIRED_TEXT[rule.meta.id.replace('@secretlint/secretlint-rule-', '')]);
/**
 * One pass that tells whether any filtered rule can match: most files contain none of the texts.
 * Case-insensitive for all, so it admits a superset of what the rules' own texts admit.
 */
const ANY_REQUIRED = new RegExp(Object.values(REQUIRED_TEXT).map((pattern) => pattern.source).join('|'), 'i');

export function scanProviderFormats(content: string, filePath: string): ProviderMatch[] {
  const matches: ProviderMatch[] = [];
  const candidates = ANY_REQUIRED.test(content) ? scanners : UNFILTERED;
  const ext = filePath.includes('.') ? filePath.slice(filePath.lastIndexOf('.')) : '';
  const source = { content, filePath, ext, contentType: 'text' };
  for (const rule of candidates) {
    const required = REQUIRED_TEXT[rule.meta.id.replace('@secretlint/secretlint-rule-', '')];
    if (required && !required.test(content)) continue;
    const context = {
      sharedOptions: {},
      // The message is never shown (it contains the secret): only its id is kept.
      createTranslator: () => (messageId: string, data: unknown) => ({ message: messageId, messageId, data }),
      report(descriptor: { message: { messageId: string }; range: [number, number] }) {
        const { messageId } = descriptor.message;
        if (!SKIPPED_MESSAGES.has(messageId)) matches.push({ messageId, start: descriptor.range[0], end: descriptor.range[1] });
      },
      ignore() {},
    };
    rule.create(context, OPTIONS[rule.meta.id] ?? {}).file?.(source);
  }
  return matches;
}
