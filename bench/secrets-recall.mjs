// Secret detection measured on a labelled corpus nobody here wrote (bench/secrets-corpus: gitleaks' own
// rule test cases): recall = labelled secrets reported / labelled secrets; false positives = findings on
// look-alikes (placeholders, documented example keys, identifiers, code) or on lines no label covers.
// For comparison the same files go through secretlint's recommended preset alone (the patterns
// security/hardcoded-secret builds on), to show what Probity adds over its base.
//
//   npm run build && node bench/secrets-recall.mjs            # prints the tables, writes bench/secrets-recall.md
//   node bench/secrets-recall.mjs --no-secretlint             # Probity only
//   node bench/secrets-recall.mjs --json                      # the raw per-case outcome on stdout
//
// secretlint's core is not a dependency of Probity: the first run installs @secretlint/core (and the
// preset at the version Probity uses) with npm into bench/.corpus/secretlint (git-ignored).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR, CORPUS_DIR, run } from './corpora.mjs';
import { buildCorpus, CORPUS_FILES, LABELS_PATH } from './secrets-corpus/build.mjs';

const ROOT = join(BENCH_DIR, '..');
const RULE_ID = 'security/hardcoded-secret';
const REPORT_PATH = join(BENCH_DIR, 'secrets-recall.md');
/** Why each miss or false positive happens, by corpus file:line (written by hand after reading the rule). */
const NOTES_PATH = join(BENCH_DIR, 'secrets-corpus', 'recall-notes.json');
const SECRETLINT_DIR = join(CORPUS_DIR, 'secretlint');
const SECRETLINT_CORE_VERSION = '13.0.7';

/** The labels, after checking that files/ and labels.json are what build.mjs makes from the cases. */
function loadCorpus() {
  const { files, labels } = buildCorpus();
  const stale = Object.entries(files).filter(([path, content]) => !existsSync(join(CORPUS_FILES, path)) || readFileSync(join(CORPUS_FILES, path), 'utf8') !== content);
  if (stale.length > 0 || readFileSync(LABELS_PATH, 'utf8') !== JSON.stringify(labels, null, 2) + '\n') {
    throw new Error('bench/secrets-corpus is stale: run node bench/secrets-corpus/build.mjs');
  }
  return labels;
}

/** Probity's findings of the secret rule on the corpus, as { tool, file, line, endLine, message }. */
function probityFindings() {
  const bin = join(ROOT, 'bin', 'probity.js');
  if (!existsSync(join(ROOT, 'dist'))) throw new Error('dist/ is missing: run npm run build first');
  const result = spawnSync(process.execPath, [bin, 'audit', CORPUS_FILES, '--only', RULE_ID, '--format', 'json', '--no-cache', '--no-progress', '--fail-on', 'none'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`probity exited with ${result.status}\n${result.stderr}`);
  const audit = JSON.parse(result.stdout);
  const findings = audit.findings.filter((finding) => finding.ruleId === RULE_ID);
  return {
    findings: findings.map((finding) => ({ file: finding.file, line: finding.line, endLine: finding.endLine, message: finding.message })),
    suppressed: (audit.suppressed ?? []).filter((finding) => finding.ruleId === RULE_ID).length,
    diagnostics: audit.diagnostics ?? [],
  };
}

/** Installs secretlint's core next to the corpora once; returns a require() rooted there. */
function secretlintRequire() {
  const presetVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@secretlint', 'secretlint-rule-preset-recommend', 'package.json'), 'utf8')).version;
  const marker = join(SECRETLINT_DIR, 'node_modules', '@secretlint', 'core', 'package.json');
  const presetMarker = join(SECRETLINT_DIR, 'node_modules', '@secretlint', 'secretlint-rule-preset-recommend', 'package.json');
  if (!existsSync(marker) || !existsSync(presetMarker) || JSON.parse(readFileSync(presetMarker, 'utf8')).version !== presetVersion) {
    console.error(`installing @secretlint/core@${SECRETLINT_CORE_VERSION} into ${SECRETLINT_DIR}…`);
    run('npm', ['install', '--prefix', SECRETLINT_DIR, '--no-audit', '--no-fund', '--no-save', `@secretlint/core@${SECRETLINT_CORE_VERSION}`, `@secretlint/secretlint-rule-preset-recommend@${presetVersion}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  }
  return { require: createRequire(join(SECRETLINT_DIR, 'package.json')), presetVersion };
}

/** secretlint's recommended preset alone on the same files: what Probity starts from. */
async function secretlintFindings(labels) {
  const { require, presetVersion } = secretlintRequire();
  const { lintSource } = await import(pathToFileURL(require.resolve('@secretlint/core')).href);
  const { creator: preset } = await import(pathToFileURL(require.resolve('@secretlint/secretlint-rule-preset-recommend')).href);
  const findings = [];
  for (const file of Object.keys(labels.files)) {
    const filePath = join(CORPUS_FILES, file);
    const result = await lintSource({
      source: { filePath, content: readFileSync(filePath, 'utf8'), contentType: 'text' },
      options: { config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: preset }] }, maskSecrets: true },
    });
    for (const message of result.messages) {
      if (message.type !== 'message') continue;
      findings.push({ file, line: message.loc.start.line, endLine: message.loc.end.line, message: `${message.ruleId}: ${message.message}` });
    }
  }
  return { findings, version: `@secretlint/core ${SECRETLINT_CORE_VERSION} + preset-recommend ${presetVersion}` };
}

/**
 * Matches findings to labelled cases by file and line: a finding whose first line falls in a case's
 * lines belongs to that case. A secret is found when at least one finding belongs to it; every
 * finding on a look-alike, and every finding on a line no case covers, is a false positive.
 */
export function score(labels, findings) {
  const outcomes = [];
  const byFile = new Map();
  for (const finding of findings) {
    if (!byFile.has(finding.file)) byFile.set(finding.file, []);
    byFile.get(finding.file).push(finding);
  }
  const unlabelled = [];
  for (const [file, entry] of Object.entries(labels.files)) {
    const fileFindings = byFile.get(file) ?? [];
    const claimed = new Set();
    for (const labelled of entry.cases) {
      const hits = fileFindings.filter((finding) => finding.line >= labelled.line && finding.line <= labelled.endLine);
      hits.forEach((hit) => claimed.add(hit));
      outcomes.push({ file, provider: entry.provider, category: entry.category, ...labelled, hits });
    }
    unlabelled.push(...fileFindings.filter((finding) => !claimed.has(finding)));
  }
  for (const [file, fileFindings] of byFile) if (!labels.files[file]) unlabelled.push(...fileFindings);
  const secrets = outcomes.filter((outcome) => outcome.label === 'secret');
  const lookalikes = outcomes.filter((outcome) => outcome.label === 'lookalike');
  return {
    outcomes,
    unlabelled,
    secrets: secrets.length,
    found: secrets.filter((outcome) => outcome.hits.length > 0).length,
    lookalikes: lookalikes.length,
    flaggedLookalikes: lookalikes.filter((outcome) => outcome.hits.length > 0).length,
    falsePositives: lookalikes.reduce((sum, outcome) => sum + outcome.hits.length, 0) + unlabelled.length,
    findingsOnSecrets: secrets.reduce((sum, outcome) => sum + outcome.hits.length, 0),
  };
}

const percent = (part, whole) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`);

/**
 * Secret-looking runs shown as Probity masks secrets (first 4 characters and the length): 16+
 * characters with a digit or mixed case, so that names such as AUTH_CLIENTSECRET stay readable.
 */
function maskLine(text) {
  const masked = text.replace(/[A-Za-z0-9_\-+/=.~]{16,}/g, (token) =>
    /[0-9]/.test(token) || (/[a-z]/.test(token) && /[A-Z]/.test(token)) ? `${token.slice(0, 4)}****(${token.length} chars)` : token,
  );
  return masked.length > 140 ? `${masked.slice(0, 137)}…` : masked;
}

/** Text safe inside a Markdown table cell. */
const cell = (text) => text.replace(/\t+/g, ' ').replaceAll('|', '\\|').replaceAll('`', "'");

function caseText(outcome) {
  const content = readFileSync(join(CORPUS_FILES, outcome.file), 'utf8').split('\n');
  return content.slice(outcome.line - 1, outcome.endLine).join(' ⏎ ');
}

/** Per value of `key` (category, provider, kind) and per tool: secrets found and look-alikes flagged. */
function groupRows(key, tools, keep = () => true) {
  const groups = new Map();
  for (const [tool, scored] of tools) {
    for (const outcome of scored.outcomes.filter(keep)) {
      const name = outcome[key];
      if (!groups.has(name)) groups.set(name, {});
      const row = groups.get(name);
      row[tool] ??= { secrets: 0, found: 0, lookalikes: 0, flagged: 0 };
      if (outcome.label === 'secret') {
        row[tool].secrets += 1;
        if (outcome.hits.length > 0) row[tool].found += 1;
      } else {
        row[tool].lookalikes += 1;
        if (outcome.hits.length > 0) row[tool].flagged += 1;
      }
    }
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function markdown({ labels, probity, secretlint, probityRun, secretlintVersion, notes }) {
  const tools = [['Probity', probity], ...(secretlint ? [['secretlint preset', secretlint]] : [])];
  const files = Object.values(labels.files);
  const sources = Object.entries(labels.sources);
  const out = [];
  out.push('# Secret detection: recall and false positives', '');
  out.push(`Written by \`node bench/secrets-recall.mjs\`: \`probity audit bench/secrets-corpus/files --only ${RULE_ID}\` on a labelled corpus`);
  out.push('nobody here wrote: the test cases of two secret scanners, transcribed with the commit each came from');
  out.push(`(${sources.map(([name, source]) => `${name}, ${source.licence}`).join('; ')}; bench/secrets-corpus/README.md). A *secret* is a case the scanner's`);
  out.push('tests say must be reported; a *look-alike* one they say must not (a placeholder, a published example key, a');
  out.push('format that is not the provider\'s, an identifier or plain code). Findings are matched to cases by file and line;');
  out.push('a finding on a look-alike or on a line no case covers is a false positive.');
  if (secretlint) out.push(`The secretlint column runs secretlint's recommended preset alone with its default options (${secretlintVersion}; AWS access key ids are off by default there, Probity turns them on): the provider patterns Probity builds on.`);
  out.push('');
  out.push(`Corpus: ${files.length} files, ${probity.secrets} labelled secrets, ${probity.lookalikes} look-alikes. Precision over findings`);
  out.push('depends on that mix (a corpus of mostly look-alikes would lower it); the share of look-alikes flagged does not.', '');
  out.push('| Tool | Source | Secrets found | Recall | Look-alikes flagged | False-positive findings | Precision (findings on secrets / all) |');
  out.push('|---|---|---:|---:|---:|---:|---:|');
  for (const [tool, scored] of tools) {
    for (const [name] of sources) {
      const part = scored.outcomes.filter((o) => o.file.startsWith(`${name}/`));
      const secrets = part.filter((o) => o.label === 'secret');
      const found = secrets.filter((o) => o.hits.length > 0).length;
      const lookalikes = part.filter((o) => o.label === 'lookalike');
      const flagged = lookalikes.filter((o) => o.hits.length > 0);
      const unlabelled = scored.unlabelled.filter((f) => f.file.startsWith(`${name}/`)).length;
      const falsePositives = flagged.reduce((n, o) => n + o.hits.length, 0) + unlabelled;
      const onSecrets = secrets.reduce((n, o) => n + o.hits.length, 0);
      out.push(`| ${tool} | ${name} | ${found} / ${secrets.length} | ${percent(found, secrets.length)} | ${flagged.length} / ${lookalikes.length} | ${falsePositives} | ${percent(onSecrets, onSecrets + falsePositives)} |`);
    }
    out.push(`| **${tool}** | **all** | **${scored.found} / ${scored.secrets}** | **${percent(scored.found, scored.secrets)}** | **${scored.flaggedLookalikes} / ${scored.lookalikes}** | **${scored.falsePositives}** | **${percent(scored.findingsOnSecrets, scored.findingsOnSecrets + scored.falsePositives)}** |`);
  }
  out.push('');
  if (probityRun.diagnostics.length > 0) out.push(`Probity diagnostics on the corpus: ${probityRun.diagnostics.map((d) => `${d.file} (${d.kind})`).join(', ')}.`, '');
  if (probityRun.suppressed > 0) out.push(`Suppressed Probity findings (not counted): ${probityRun.suppressed}.`, '');

  const misses = probity.outcomes.filter((o) => o.label === 'secret' && o.hits.length === 0);
  const falsePositives = [
    ...probity.outcomes.filter((o) => o.label === 'lookalike' && o.hits.length > 0).flatMap((o) => o.hits.map((hit) => ({ outcome: o, hit }))),
    ...probity.unlabelled.map((hit) => ({ outcome: undefined, hit })),
  ];
  const noteOf = (file, line) => notes[`${file}:${line}`];
  const byVerdict = (items) => {
    const counts = {};
    for (const note of items) counts[note?.verdict ?? 'no note yet'] = (counts[note?.verdict ?? 'no note yet'] ?? 0) + 1;
    return Object.entries(counts).map(([verdict, count]) => `${count} ${verdict}`).join(', ');
  };
  const fixable = misses.filter((m) => noteOf(m.file, m.line)?.verdict === 'fix').length;
  out.push(`Why (bench/secrets-corpus/recall-notes.json, a verdict per case): misses — ${byVerdict(misses.map((m) => noteOf(m.file, m.line)))};`);
  out.push(`false positives — ${byVerdict(falsePositives.map(({ hit }) => noteOf(hit.file, hit.line)))}. *fix*: the rule should change; *by-design*: a deliberate`);
  out.push('choice a reviewer would accept; *artefact*: the case is a shape gitleaks\' test generator makes, not a realistic secret.');
  const artefacts = misses.filter((m) => noteOf(m.file, m.line)?.verdict === 'artefact').length;
  out.push(`Recall on the realistic secrets (artefacts left out): ${percent(probity.found, probity.secrets - artefacts)}; with every *fix* miss found it would be ${percent(probity.found + fixable, probity.secrets - artefacts)}.`, '');

  const table = (title, key) => {
    out.push(`## By ${title}`, '');
    out.push(`| ${title} | Secrets | ${tools.map(([tool]) => `${tool} recall`).join(' | ')} | Look-alikes | ${tools.map(([tool]) => `${tool} flagged`).join(' | ')} |`);
    out.push(`|---|---:|${tools.map(() => '---:').join('|')}|---:|${tools.map(() => '---:').join('|')}|`);
    for (const [name, row] of groupRows(key, tools)) {
      const first = row.Probity;
      out.push(`| ${name} | ${first.secrets} | ${tools.map(([tool]) => (row[tool].secrets ? `${row[tool].found} (${percent(row[tool].found, row[tool].secrets)})` : '–')).join(' | ')} | ${first.lookalikes} | ${tools.map(([tool]) => (row[tool].lookalikes ? String(row[tool].flagged) : '–')).join(' | ')} |`);
    }
    out.push('');
  };
  table('category', 'category');
  table('provider', 'provider');

  out.push('## Look-alikes by kind', '');
  out.push(`| Kind | Look-alikes | ${tools.map(([tool]) => `${tool} flagged`).join(' | ')} |`);
  out.push(`|---|---:|${tools.map(() => '---:').join('|')}|`);
  for (const [name, row] of groupRows('kind', tools, (o) => o.label === 'lookalike')) {
    out.push(`| ${name} | ${row.Probity.lookalikes} | ${tools.map(([tool]) => String(row[tool].flagged)).join(' | ')} |`);
  }
  out.push('');

  const secretlintHit = (outcome) => {
    if (!secretlint) return '–';
    const twin = secretlint.outcomes.find((o) => o.file === outcome.file && o.line === outcome.line);
    return twin && twin.hits.length > 0 ? 'found' : 'missed';
  };
  out.push(`## Probity's misses (${misses.length})`, '');
  out.push('Values masked as in Probity\'s own output (first 4 characters and the length).', '');
  out.push('| File:line | Provider | Source rule | secretlint | Case | Verdict | Why |');
  out.push('|---|---|---|---|---|---|---|');
  for (const miss of misses) {
    const note = noteOf(miss.file, miss.line);
    out.push(`| ${miss.file}:${miss.line} | ${miss.provider} | ${miss.rule} | ${secretlintHit(miss)} | \`${cell(maskLine(caseText(miss)))}\` | ${note?.verdict ?? '?'} | ${cell(note?.reason ?? miss.note ?? '')} |`);
  }
  out.push('');
  out.push(`## Probity's false positives (${falsePositives.length})`, '');
  out.push('| File:line | Kind | Case | Probity said | Verdict | Why |');
  out.push('|---|---|---|---|---|---|');
  for (const { outcome, hit } of falsePositives) {
    const text = outcome ? caseText(outcome) : readFileSync(join(CORPUS_FILES, hit.file), 'utf8').split('\n')[hit.line - 1] ?? '';
    const note = noteOf(hit.file, hit.line);
    out.push(`| ${hit.file}:${hit.line} | ${outcome ? outcome.kind : 'unlabelled line'} | \`${cell(maskLine(text))}\` | ${cell(hit.message.replace(/: anyone who can read.*$/, ''))} | ${note?.verdict ?? '?'} | ${cell(note?.reason ?? '')} |`);
  }
  out.push('');
  const open = new Set([...misses.map((m) => `${m.file}:${m.line}`), ...falsePositives.map(({ hit }) => `${hit.file}:${hit.line}`)]);
  const resolved = Object.keys(notes).filter((key) => !open.has(key));
  if (resolved.length > 0) {
    out.push(`## Resolved since the notes were written (${resolved.length})`, '');
    out.push('These cases have a note but are no longer missed or flagged: drop their notes.', '');
    for (const key of resolved) out.push(`- ${key}: ${notes[key].reason}`);
    out.push('');
  }
  return out.join('\n');
}

async function main() {
  const args = new Set(process.argv.slice(2));
  const labels = loadCorpus();
  const probityRun = probityFindings();
  const probity = score(labels, probityRun.findings);
  let secretlint;
  let secretlintVersion;
  if (!args.has('--no-secretlint')) {
    const result = await secretlintFindings(labels);
    secretlint = score(labels, result.findings);
    secretlintVersion = result.version;
  }
  if (args.has('--json')) {
    console.log(JSON.stringify({ probity, secretlint }, null, 2));
    return;
  }
  const notes = existsSync(NOTES_PATH) ? JSON.parse(readFileSync(NOTES_PATH, 'utf8')).notes : {};
  const report = markdown({ labels, probity, secretlint, probityRun, secretlintVersion, notes });
  writeFileSync(REPORT_PATH, report + '\n');
  const lines = report.split('\n');
  const summary = lines.slice(0, lines.indexOf('## By category'));
  console.log(summary.join('\n'));
  console.log(`full report: ${REPORT_PATH}`);
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
