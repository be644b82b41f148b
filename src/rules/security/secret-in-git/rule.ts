import { defineRule, type ProjectContext } from '../../../core/rule.js';
import type { AddedLines } from '../../../discover/git-facts.js';
import { familyOf, isTestPath, languageFromPath } from '../../../discover/language.js';
import { findSecrets, type ScannedFile, type SecretHit } from '../../_shared/secret-scan.js';
import { positionsOf } from '../../_shared/text-positions.js';

/** Private keys and key stores: never meant to be in a repository. */
const KEY_FILE = /(^|\/)(id_(rsa|dsa|ecdsa|ed25519)|[^/]+\.(pem|key|ppk))$/i;
const KEY_STORE = /(^|\/)[^/]+\.(p12|pfx|jks|keystore)$/i;
/** Files whose whole purpose is to hold credentials. */
const SECRET_FILE =
  /(^|\/)(\.env(\.[\w.-]+)?|[^/]+\.env|credentials(\.[\w-]+)?\.json|[^/]*service[-_]?account[^/]*\.json|client_secret[^/]*\.json|secrets?\.(ya?ml|json|toml)|\.npmrc|\.pypirc|\.netrc|\.git-credentials|[^/]+\.tfvars)$/i;
/** Templates that document the variables with placeholder values: meant to be committed. */
const TEMPLATE = /\.(example|sample|template|dist|defaults?|schema|tmpl|tpl)(\.[\w]+)?$/i;
/** Test data: keys generated for tests (TLS fixtures) are sample input, not credentials. */
const TEST_DATA = /(^|\/)(tests?|__tests__|spec|fixtures?|testdata|test-data|__generated__)\//i;

function scanned(path: string): ScannedFile {
  const language = languageFromPath(path);
  const family = language && language !== 'binary' ? familyOf(language) : 'text';
  return { path, family, isTest: isTestPath(path) };
}

/** Secret files git tracks: a `.env` with keys, a private key, a credentials JSON. */
function reportTrackedSecretFiles(context: ProjectContext, tracked: readonly string[]): void {
  for (const path of tracked) {
    if (TEST_DATA.test(path)) continue;
    if (KEY_STORE.test(path)) {
      context.report({ path, message: `\`${path}\` is a key store tracked by git: the private keys in it are in every clone; remove it from the repository and rotate the keys.` });
      continue;
    }
    const isKeyFile = KEY_FILE.test(path);
    if (!isKeyFile && (!SECRET_FILE.test(path) || TEMPLATE.test(path))) continue;
    const content = context.read(path);
    if (content === undefined) continue;
    if (isKeyFile) {
      const at = content.search(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
      if (at === -1) continue; // a certificate or public key: nothing secret
      const line = content.slice(0, at).split('\n').length;
      const body = content.slice(at).split(/\r?\n/).slice(1, 4).filter((l) => l.length >= 16);
      context.report({ path, line, secrets: body, message: `\`${path}\` holds a private key and is tracked by git: anyone with a clone has the key; remove it (\`git rm --cached\`), ignore it, and issue a new key.` });
      continue;
    }
    const hits = findSecrets(content, scanned(path));
    if (hits.length === 0) continue;
    const line = positionsOf(content)(hits[0].start).line;
    const count = hits.length === 1 ? 'a secret' : `${hits.length} secrets`;
    context.report({
      path,
      line,
      secrets: hits.flatMap((hit) => hit.masked),
      message: `\`${path}\` is tracked by git and holds ${count} (first: ${hits[0].format.label} on line ${line}): remove it from the index (\`git rm --cached ${path}\`), add it to .gitignore, and rotate every key in it.`,
    });
  }
}

interface HistoricSecret {
  addition: AddedLines;
  hit: SecretHit;
  line: number;
  text: string;
}

/** Secrets that commits added, read from the added lines only; the oldest commit wins. */
function findHistoricSecrets(context: ProjectContext, additions: readonly AddedLines[]): Map<string, HistoricSecret> {
  const byValue = new Map<string, HistoricSecret>();
  // `git log` lists the newest commit first: later entries are older and replace earlier ones.
  for (const addition of additions) {
    if (TEST_DATA.test(addition.path) || isTestPath(addition.path) || TEMPLATE.test(addition.path)) continue;
    const text = addition.lines.map((l) => l.text).join('\n');
    const hits = findSecrets(text, scanned(addition.path));
    if (hits.length === 0) continue;
    const position = positionsOf(text);
    for (const hit of hits) {
      const index = position(hit.start).line - 1;
      byValue.set(`${addition.path}\u0000${hit.value}`, { addition, hit, line: addition.lines[index].line, text: addition.lines[index].text });
    }
  }
  return byValue;
}

export default defineRule({
  meta: {
    id: 'security/secret-in-git',
    title: 'Secret committed to git',
    area: 'security',
    severity: 'critical',
    type: 'security',
    effort: 'medium',
    confidence: 'high',
    languages: ['repo'],
    since: '0.1.0',
    description:
      'A file holding real secrets (`.env`, private keys, credentials JSON, `.npmrc` with a token) tracked by git, or, with `--history`, a secret an earlier commit added even if a later one deleted it.',
    why:
      'Whatever git tracks is in every clone, fork and backup, and deleting a file or a line later does not remove it from ' +
      'the history: `git log -p` shows it to anyone with read access, and leaked-key scanners read public histories within ' +
      'minutes. Seed 001 found API keys in a committed `.env`. Tracked files are read through `git ls-files` (a `.env` a ' +
      '`.gitignore` lists but that was added before still counts); `probity audit --history [N]` also reads the lines the ' +
      'last N commits added (100 by default) with the same secret detection as security/hardcoded-secret, and reports the ' +
      'commit, file and line where each secret that is no longer in the tree first appeared. Not reported: templates ' +
      '(`.env.example`), certificates and public keys, test data and generated test keys, secrets still in the working ' +
      'tree (security/hardcoded-secret reports those where they are). Values are masked in every output.',
    recommendation:
      'Rotate the secret first: once pushed, assume it is known. Then stop tracking the file (`git rm --cached .env`, add it ' +
      'to `.gitignore`), keep secrets in the environment or a secret manager, and only rewrite history (git filter-repo) ' +
      'when the repository is public, since every existing clone keeps the old commits.',
    examples: [
      {
        language: 'text',
        bad: '$ git ls-files\n.env\napp/main.py\n\n# .env\nSTRIPE_API_KEY=sk_live_...\n',
        good: '$ git ls-files\n.env.example\n.gitignore\napp/main.py\n\n# .gitignore\n.env\n',
      },
    ],
    references: ['seed 001 (API keys in a committed .env)', 'RULES.md security/secret-in-git', 'gitleaks (git history scanning)', 'CWE-540', 'CWE-798'],
    cwe: ['CWE-540', 'CWE-798'],
  },
  onProject(context) {
    const tracked = context.git?.trackedFiles();
    if (tracked) reportTrackedSecretFiles(context, tracked);
    const history = context.git?.history;
    if (!history) return;
    for (const { addition, hit, line, text } of findHistoricSecrets(context, history.additions).values()) {
      // Still in the file: security/hardcoded-secret reports it where it is now.
      if (context.read(addition.path)?.includes(hit.value)) continue;
      const when = `${addition.commit.slice(0, 12)} (${addition.date.slice(0, 10)})`;
      context.report({
        path: addition.path,
        line,
        snippet: text.trim(),
        secrets: hit.masked,
        severity: hit.format.severity,
        message: `${hit.format.label[0].toUpperCase()}${hit.format.label.slice(1)} \`${hit.value}\` was committed to ${addition.path}:${line} in commit ${when} and is still in the git history although the tree no longer has it: rotate it.`,
      });
    }
  },
});
