// The precision review behind bench/precision.md: audit real codebases nobody here wrote, draw a
// seeded random sample of findings per language, and compute precision from verdicts a person gave
// by hand (bench/precision-verdicts.json: fingerprint → tp | fp and a note).
//
//   node bench/precision.mjs sample [--per-rule 4] [--min 100] [--seed 2026]
//       audits every corpus, stores all findings, draws the sample (bench/.corpus/precision-sample.json)
//   node bench/precision.mjs show [--all]
//       prints the sampled findings still without a verdict (or all), with their code, for review
//   node bench/precision.mjs verdict <key prefix> tp|fp [note]
//       records a verdict for one finding (by the key prefix `show` prints)
//   node bench/precision.mjs report
//       writes bench/precision.md: per-corpus and per-rule counts, the sample's verdicts and precision
//
// The sample is stratified by rule (up to --per-rule findings of each rule, drawn at random, then
// topped up with further random findings of each rule, largest rules first, to --min per language)
// so that a rule with few findings is reviewed too, and a flood of one cheap rule (long lines)
// cannot carry the precision figure. Each rule's draw has its own seed: adding a rule leaves the
// findings already drawn (and reviewed) for the others in the sample.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR, CORPUS_DIR, PRECISION_CORPORA } from './corpora.mjs';

const REPO_ROOT = join(BENCH_DIR, '..');
const FINDINGS_FILE = join(CORPUS_DIR, 'precision-findings.json');
const SAMPLE_FILE = join(CORPUS_DIR, 'precision-sample.json');
const VERDICTS_FILE = join(BENCH_DIR, 'precision-verdicts.json');
const REPORT_FILE = join(BENCH_DIR, 'precision.md');
const CONTEXT_LINES = 3;

/** Review groups: the issue asks for a sample per language family. */
const familyOf = (language) => (language === 'python' ? 'Python' : 'TypeScript/JavaScript');

function auditCorpus(corpus) {
  const bin = join(REPO_ROOT, 'bin', 'probity.js');
  const result = spawnSync(process.execPath, [bin, 'audit', corpus.root, '--format', 'json', '--fail-on', 'none', '--no-progress', '--no-cache', '--offline'], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`probity failed on ${corpus.label}:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** mulberry32: a small seeded PRNG, so the same seed draws the same sample. */
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(items, random) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function collectFindings() {
  const corpora = [];
  const findings = [];
  for (const ensure of PRECISION_CORPORA) {
    const corpus = ensure();
    console.log(`auditing ${corpus.label}…`);
    const result = auditCorpus(corpus);
    corpora.push({ label: corpus.label, version: corpus.version, family: familyOf(corpus.language), files: result.inventory.files, codeLines: result.inventory.codeLines, findings: result.findings.length });
    for (const f of result.findings) {
      findings.push({ key: f.fingerprint, corpus: corpus.label, family: familyOf(corpus.language), root: corpus.root, ruleId: f.ruleId, severity: f.severity, file: f.file, line: f.line, message: f.message });
    }
  }
  return { corpora, findings };
}

/** A seed per rule, so adding a rule (or findings of another rule) leaves a rule's own draw unchanged. */
function ruleSeed(seed, ruleId) {
  let hash = seed >>> 0;
  for (const char of ruleId) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
}

function drawSample(findings, { perRule, min, seed }) {
  const sample = [];
  for (const family of [...new Set(findings.map((f) => f.family))].sort()) {
    const byRule = new Map();
    for (const finding of findings.filter((f) => f.family === family)) {
      if (!byRule.has(finding.ruleId)) byRule.set(finding.ruleId, []);
      byRule.get(finding.ruleId).push(finding);
    }
    // Each rule's findings in a random order of their own; the draw takes rank 0, 1, 2… of every rule.
    const orders = [...byRule].map(([ruleId, list]) => shuffled(list, prng(ruleSeed(seed, ruleId)))).sort((a, b) => b.length - a.length || a[0].ruleId.localeCompare(b[0].ruleId));
    const taken = [];
    for (let rank = 0; orders.some((list) => rank < list.length); rank++) {
      if (rank >= perRule && taken.length >= min) break;
      for (const list of orders) {
        if (rank < list.length && (rank < perRule || taken.length < min)) taken.push(list[rank]);
      }
    }
    sample.push(...taken);
  }
  return sample.sort((a, b) => a.family.localeCompare(b.family) || a.ruleId.localeCompare(b.ruleId) || a.corpus.localeCompare(b.corpus) || a.file.localeCompare(b.file) || a.line - b.line);
}

function readJson(path, fallback) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : fallback;
}

function codeAround(finding) {
  const lines = readFileSync(join(finding.root, finding.file), 'utf8').split(/\r?\n/);
  const from = Math.max(1, finding.line - CONTEXT_LINES);
  const to = Math.min(lines.length, finding.line + CONTEXT_LINES);
  const out = [];
  for (let n = from; n <= to; n++) out.push(`${n === finding.line ? '>' : ' '}${String(n).padStart(5)} ${lines[n - 1].slice(0, 160)}`);
  return out.join('\n');
}

function show({ all }) {
  const { sample } = readJson(SAMPLE_FILE, { sample: [] });
  const verdicts = readJson(VERDICTS_FILE, {});
  for (const finding of sample) {
    if (!all && verdicts[finding.key]) continue;
    console.log(`\n### ${finding.key.slice(0, 12)} ${finding.ruleId} (${finding.severity}) ${finding.corpus}: ${finding.file}:${finding.line}`);
    console.log(`    ${finding.message}`);
    console.log(codeAround(finding));
  }
}

function recordVerdict([prefix, verdict, ...note]) {
  if (!prefix || !['tp', 'fp'].includes(verdict)) throw new Error('usage: verdict <key prefix> tp|fp [note]');
  // Any finding of the last audit may get a verdict: a later draw (after a rule changed) may pick it.
  const { findings } = readJson(FINDINGS_FILE, { findings: [] });
  const matches = findings.filter((f) => f.key.startsWith(prefix));
  if (matches.length !== 1) throw new Error(`${matches.length} findings start with ${prefix}`);
  const verdicts = readJson(VERDICTS_FILE, {});
  const [finding] = matches;
  verdicts[finding.key] = { verdict, ruleId: finding.ruleId, where: `${finding.corpus}: ${finding.file}:${finding.line}`, ...(note.length ? { note: note.join(' ') } : {}) };
  writeFileSync(VERDICTS_FILE, JSON.stringify(Object.fromEntries(Object.entries(verdicts).sort()), null, 1) + '\n');
}

const pct = (n, d) => (d ? `${((n * 100) / d).toFixed(1)}%` : '—');

/** The summary of bench/secrets-recall.md (written by bench/secrets-recall.mjs), when it exists. */
function secretRecallSection() {
  const file = join(BENCH_DIR, 'secrets-recall.md');
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith('| Tool'));
  if (start === -1) return [];
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('|'));
  return [
    '## Secret detection: recall and false positives',
    '',
    'From `node bench/secrets-recall.mjs` (details, every miss and false positive with its reason: bench/secrets-recall.md):',
    'the labelled test cases of gitleaks and detect-secrets (bench/secrets-corpus), audited with `--only security/hardcoded-secret`.',
    '',
    ...lines.slice(start, end === -1 ? undefined : end),
    '',
  ];
}

function report() {
  const { corpora, findings } = readJson(FINDINGS_FILE, null) ?? (() => { throw new Error('run `sample` first'); })();
  const { sample, options } = readJson(SAMPLE_FILE, null);
  const verdicts = readJson(VERDICTS_FILE, {});
  const judged = sample.map((f) => ({ ...f, verdict: verdicts[f.key]?.verdict, note: verdicts[f.key]?.note }));
  const missing = judged.filter((f) => !f.verdict);
  const out = [
    '# Precision on real code',
    '',
    'Written by `node bench/precision.mjs report` from the findings of one audit of each corpus below, a seeded',
    `random sample of them (up to ${options.perRule} per rule, topped up at random to at least ${options.min} per language; seed ${options.seed}),`,
    'and a verdict given by hand for every sampled finding (bench/precision-verdicts.json): **TP** when a careful reviewer',
    'would accept the finding as stated for that codebase, **FP** when it is noise. Libraries are audited as they are: a',
    'finding about application concerns in library code counts as a TP only when it holds for the code as written.',
    '',
    '## Corpora',
    '',
    '| Corpus | Language | Version | Files | Code lines | Findings |',
    '|---|---|---|---:|---:|---:|',
    ...corpora.map((c) => `| ${c.label} | ${c.family} | ${c.version} | ${c.files} | ${c.codeLines} | ${c.findings} |`),
    '',
  ];
  for (const family of [...new Set(sample.map((f) => f.family))].sort()) {
    const inFamily = judged.filter((f) => f.family === family && f.verdict);
    const tp = inFamily.filter((f) => f.verdict === 'tp').length;
    out.push(`## ${family}: ${tp} of ${inFamily.length} sampled findings are true positives (${pct(tp, inFamily.length)})`, '');
    const familyCorpora = corpora.filter((c) => c.family === family).map((c) => c.label);
    const rules = [...new Set(findings.filter((f) => f.family === family).map((f) => f.ruleId))].sort();
    out.push(`| Rule | ${familyCorpora.join(' | ')} | Sampled | TP | FP | Precision |`, `|---|${familyCorpora.map(() => '---:|').join('')}---:|---:|---:|---:|`);
    for (const ruleId of rules) {
      const counts = familyCorpora.map((label) => findings.filter((f) => f.ruleId === ruleId && f.corpus === label).length);
      const sampled = inFamily.filter((f) => f.ruleId === ruleId);
      const ruleTp = sampled.filter((f) => f.verdict === 'tp').length;
      out.push(`| \`${ruleId}\` | ${counts.join(' | ')} | ${sampled.length} | ${ruleTp} | ${sampled.length - ruleTp} | ${pct(ruleTp, sampled.length)} |`);
    }
    out.push('');
    const fps = inFamily.filter((f) => f.verdict === 'fp');
    if (fps.length) {
      out.push('False positives in the sample (each is a known limitation or a bug to fix):', '');
      for (const f of fps) out.push(`- \`${f.ruleId}\` ${f.corpus} \`${f.file}:${f.line}\`: ${f.note ?? ''}`);
      out.push('');
    }
  }
  if (missing.length) out.push(`**${missing.length} sampled findings have no verdict yet**: the figures above leave them out.`, '');
  out.push(...secretRecallSection());
  writeFileSync(REPORT_FILE, out.join('\n'));
  console.log(`wrote ${REPORT_FILE}${missing.length ? ` (${missing.length} without a verdict)` : ''}`);
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'per-rule': { type: 'string', default: '4' }, min: { type: 'string', default: '100' }, seed: { type: 'string', default: '2026' }, all: { type: 'boolean', default: false } },
  });
  const command = positionals[0] ?? 'report';
  if (command === 'sample') {
    const options = { perRule: Number(values['per-rule']), min: Number(values.min), seed: Number(values.seed) };
    const collected = collectFindings();
    writeFileSync(FINDINGS_FILE, JSON.stringify(collected));
    const sample = drawSample(collected.findings, options);
    writeFileSync(SAMPLE_FILE, JSON.stringify({ options, sample }, null, 1));
    console.log(`${collected.findings.length} findings, ${sample.length} sampled → ${SAMPLE_FILE}`);
  } else if (command === 'show') show(values);
  else if (command === 'verdict') recordVerdict(positionals.slice(1));
  else if (command === 'report') report();
  else throw new Error(`unknown command ${command} (sample | show | report)`);
}

main();
