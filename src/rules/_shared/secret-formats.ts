// What each provider-format match is, how bad it is, and the formats secretlint's preset lacks
// (payment, chat bots, Google, Azure, broker and database URLs, JWTs).
import type { Severity } from '../../core/types.js';

export interface SecretFormat {
  /** What the value is, for the message: "GitHub token". */
  label: string;
  severity: Severity;
}

/** secretlint message ids → what they found. */
export const SECRETLINT_FORMATS: Record<string, SecretFormat> = {
  AWSAccessKeyID: { label: 'AWS access key ID', severity: 'high' },
  AWSSecretAccessKey: { label: 'AWS secret access key', severity: 'critical' },
  PrivateKey: { label: 'private key', severity: 'critical' },
  PackageJSON_xOauthToken: { label: 'GitHub OAuth token in a package URL', severity: 'critical' },
  Npmrc_authToken: { label: 'npm registry auth token', severity: 'critical' },
  NPM_ACCESS_TOKEN: { label: 'npm access token', severity: 'critical' },
  BasicAuth: { label: 'password in a URL', severity: 'high' },
  SLACK_TOKEN: { label: 'Slack token', severity: 'critical' },
  IncomingWebhook: { label: 'Slack incoming webhook URL', severity: 'high' },
  SENDGRID_KEY: { label: 'SendGrid API key', severity: 'critical' },
  SHOPIFY_KEY: { label: 'Shopify access token', severity: 'critical' },
  GITHUB_TOKEN: { label: 'GitHub token', severity: 'critical' },
  GITLAB_PERSONAL_ACCESS_TOKEN: { label: 'GitLab personal access token', severity: 'critical' },
  GRAFANA_CLOUD_API_TOKEN: { label: 'Grafana Cloud API token', severity: 'critical' },
  GRAFANA_SERVICE_ACCOUNT_TOKEN: { label: 'Grafana service account token', severity: 'critical' },
  OPENAI_TOKEN: { label: 'OpenAI API key', severity: 'critical' },
  ANTHROPIC_API_KEY: { label: 'Anthropic API key', severity: 'critical' },
  GROQ_API_KEY: { label: 'Groq API key', severity: 'critical' },
  HUGGINGFACE_USER_ACCESS_TOKEN: { label: 'Hugging Face access token', severity: 'critical' },
  LINEAR_API_TOKEN: { label: 'Linear API key', severity: 'critical' },
  NOTION_INTEGRATION_TOKEN: { label: 'Notion integration token', severity: 'critical' },
  OPS_TOKEN: { label: '1Password service account token', severity: 'critical' },
  HASHICORP_VAULT_SERVICE_TOKEN: { label: 'HashiCorp Vault token', severity: 'critical' },
  HASHICORP_VAULT_BATCH_TOKEN: { label: 'HashiCorp Vault batch token', severity: 'critical' },
  HASHICORP_VAULT_RECOVERY_TOKEN: { label: 'HashiCorp Vault recovery token', severity: 'critical' },
  VERCEL_PERSONAL_ACCESS_TOKEN: { label: 'Vercel access token', severity: 'critical' },
  VERCEL_INTEGRATION_TOKEN: { label: 'Vercel integration token', severity: 'critical' },
  VERCEL_APP_ACCESS_TOKEN: { label: 'Vercel app access token', severity: 'critical' },
  VERCEL_APP_REFRESH_TOKEN: { label: 'Vercel app refresh token', severity: 'critical' },
  VERCEL_AI_GATEWAY_API_KEY: { label: 'Vercel AI Gateway key', severity: 'critical' },
  DATABRICKS_PERSONAL_ACCESS_TOKEN: { label: 'Databricks access token', severity: 'critical' },
  DOCKER_PERSONAL_ACCESS_TOKEN: { label: 'Docker Hub access token', severity: 'critical' },
  FIGMA_PERSONAL_ACCESS_TOKEN: { label: 'Figma access token', severity: 'critical' },
  // Test-mode Stripe keys are left out: they move no money and Stripe's docs publish some.
  STRIPE_SECRET_KEY_LIVE: { label: 'Stripe live secret key', severity: 'critical' },
  STRIPE_RESTRICTED_KEY_LIVE: { label: 'Stripe live restricted key', severity: 'critical' },
  CLOUDFLARE_GLOBAL_API_KEY: { label: 'Cloudflare global API key', severity: 'critical' },
  CLOUDFLARE_USER_API_TOKEN: { label: 'Cloudflare API token', severity: 'critical' },
  CLOUDFLARE_ACCOUNT_API_TOKEN: { label: 'Cloudflare account API token', severity: 'critical' },
  TAILSCALE_API_KEY: { label: 'Tailscale API key', severity: 'critical' },
  TAILSCALE_AUTH_KEY: { label: 'Tailscale auth key', severity: 'critical' },
  TAILSCALE_CLIENT_KEY: { label: 'Tailscale OAuth client secret', severity: 'critical' },
  TAILSCALE_SCIM_KEY: { label: 'Tailscale SCIM key', severity: 'critical' },
  TAILSCALE_WEBHOOK_KEY: { label: 'Tailscale webhook secret', severity: 'critical' },
  TAILSCALE_KEY: { label: 'Tailscale key', severity: 'critical' },
};

export interface ExtraFormat extends SecretFormat {
  pattern: RegExp;
  /** The capture group holding the secret (0: the whole match). */
  group?: number;
  /** Text the file must contain for a match to count (formats too generic on their own). */
  context?: RegExp;
  /** Text every match contains: a file without it skips the pattern (a fast substring check). */
  requires?: string;
  /** A password a person chose (in a URL): judged as a password, not as a random token. */
  isUrlPassword?: boolean;
}

/** Formats secretlint's preset does not cover. Every pattern is global and bounded on both sides. */
export const EXTRA_FORMATS: ExtraFormat[] = [
  // secretlint's SendGrid pattern misses keys with `-` in them.
  { label: 'SendGrid API key', severity: 'critical', requires: 'SG.', pattern: /(?<![0-9A-Za-z_.-])SG\.[\w-]{22}\.[\w-]{43}(?![\w-])/g },
  { label: 'Stripe webhook signing secret', severity: 'critical', requires: 'whsec_', pattern: /(?<![A-Za-z0-9_])whsec_[0-9A-Za-z]{32,64}(?![0-9A-Za-z])/g },
  { label: 'Telegram bot token', severity: 'critical', requires: ':A', pattern: /(?<![0-9A-Za-z_:])[0-9]{8,10}:A[0-9A-Za-z_-]{34}(?![0-9A-Za-z_-])/g },
  { label: 'Azure AD client secret', severity: 'critical', requires: 'Q~', pattern: /(?<![\w~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![\w~.-])/g },
  { label: 'Slack configuration or refresh token', severity: 'critical', requires: 'xoxe', pattern: /(?<![\w.-])xoxe(?:\.xox[bp])?-\d-[A-Za-z0-9]{140,170}(?![\w-])/g },
  { label: 'Slack legacy token', severity: 'critical', requires: 'xox', pattern: /(?<![\w-])xox[eos]-\d+-\d+-\d+-[a-fA-F\d]{8,}(?![\w-])/g },
  { label: 'Slack webhook URL', severity: 'high', requires: 'hooks.slack.com', pattern: /(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{43,80}(?![A-Za-z0-9+/])/g },
  { label: 'Square access token', severity: 'critical', pattern: /(?<![\w-])(?:EAAA|sq0atp-)[\w-]{22,60}(?![\w-])/g },
  { label: 'Square OAuth secret', severity: 'critical', requires: 'sq0csp-', pattern: /(?<![\w-])sq0csp-[\w-]{43}(?![\w-])/g },
  { label: 'Anthropic admin or OAuth token', severity: 'critical', requires: 'sk-ant-', pattern: /(?<![\w-])sk-ant-(?:admin01|oat01|ort01)-[\w-]{80,120}(?![\w-])/g },
  { label: 'Heroku API key', severity: 'critical', requires: 'HRKU-AA', pattern: /(?<![\w-])HRKU-AA[0-9A-Za-z_-]{58}(?![\w-])/g },
  { label: 'Hugging Face organisation token', severity: 'critical', requires: 'api_org_', pattern: /(?<![\w-])api_org_[A-Za-z]{34}(?![A-Za-z])/g },
  { label: 'Discord bot token', severity: 'critical', pattern: /(?<![0-9A-Za-z_.-])[MNO][0-9A-Za-z_-]{23,25}\.[0-9A-Za-z_-]{6}\.[0-9A-Za-z_-]{27,38}(?![0-9A-Za-z_.-])/g },
  { label: 'Google OAuth client secret', severity: 'critical', requires: 'GOCSPX-', pattern: /(?<![0-9A-Za-z_-])GOCSPX-[0-9A-Za-z_-]{28}(?![0-9A-Za-z_-])/g },
  { label: 'Google API key', severity: 'high', requires: 'AIza', pattern: /(?<![0-9A-Za-z_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  { label: 'DigitalOcean token', severity: 'critical', requires: '_v1_', pattern: /(?<![0-9A-Za-z_])do[opr]_v1_[0-9a-f]{64}(?![0-9a-f])/g },
  { label: 'PyPI upload token', severity: 'critical', requires: 'pypi-', pattern: /(?<![0-9A-Za-z_-])pypi-AgEIcHlwaS5vcmc[0-9A-Za-z_-]{50,}/g },
  { label: 'GitHub app or refresh token', severity: 'critical', requires: 'gh', pattern: /(?<![0-9A-Za-z_])gh[sr]_[0-9A-Za-z]{36}(?![0-9A-Za-z_])/g },
  { label: 'Twilio API key', severity: 'critical', requires: 'SK', pattern: /(?<![0-9A-Za-z_])SK[0-9a-f]{32}(?![0-9A-Za-z])/g, context: /twilio/i },
  { label: 'Mailgun API key', severity: 'critical', requires: 'key-', pattern: /(?<![0-9A-Za-z_-])key-[0-9a-f]{32}(?![0-9A-Za-z])/g, context: /mailgun/i },
  { label: 'Azure storage account key', severity: 'critical', requires: 'AccountKey=', pattern: /AccountKey=([A-Za-z0-9+/]{86}==)/g, group: 1 },
  {
    label: 'password in a connection URL',
    severity: 'critical',
    isUrlPassword: true,
    requires: '://', pattern: /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse|couchdb)(?:\+\w+)?:\/\/[^:@/\s'"`]*:([^@/\s'"`]+)@/gi,
    group: 1,
  },
  { label: 'JSON Web Token', severity: 'high', requires: 'eyJ', pattern: /(?<![0-9A-Za-z_.-])eyJ[0-9A-Za-z_-]{10,}\.eyJ[0-9A-Za-z_-]{10,}\.[0-9A-Za-z_-]{20,}(?![0-9A-Za-z_.-])/g },
];
