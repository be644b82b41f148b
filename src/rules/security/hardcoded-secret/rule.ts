import type { SgNode } from '@ast-grep/napi';
import { defineRule } from '../../../core/rule.js';
import { containsPosition, deepestNodeAt } from '../../_shared/position-lookup.js';
import { findSecrets } from '../../_shared/secret-scan.js';
import { positionsOf } from '../../_shared/text-positions.js';

/** Nodes whose text is prose or data rather than code. */
const TEXT_NODE = new Set(['string', 'template_string', 'comment']);

/** The string literal or comment around an offset, if any. */
function textNodeAt(root: SgNode, position: { line: number; column: number }): SgNode | undefined {
  for (let node: SgNode | null = deepestNodeAt(root, position.line - 1, position.column - 1); node; node = node.parent()) {
    if (TEXT_NODE.has(String(node.kind()))) return node;
  }
  return undefined;
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
    const position = positionsOf(context.source);
    const { root } = context;
    const isProse = root
      ? (start: number, end: number) => {
          const node = textNodeAt(root, position(start));
          // The whole assignment, up to the end of its value, lies inside that one node.
          return node !== undefined && containsPosition(node, position(end - 1).line - 1, position(end - 1).column - 1);
        }
      : undefined;
    const hits = findSecrets(context.source, { ...file, ...(isProse ? { isProse } : {}) });
    if (hits.length === 0) return;
    for (const candidate of hits) {
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
