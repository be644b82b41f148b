// The benchmark behind `npm run bench`: audits real code nobody here wrote (Debian's Django sources
// and the TypeScript sources of an npm package), times probity against bandit on the same Python
// tree and against eslint with eslint-plugin-security on the same TypeScript tree, and writes
// bench/results.md. Plain Node; the only packages it needs are eslint's, devDependencies of probity.
//
// Usage: node bench/run.mjs [--runs N]   (the npm script builds dist/ first)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR, CORPUS_DIR, DJANGO, ZOD, ensureDebCorpus, ensureNpmCorpus, run } from './corpora.mjs';

const REPO_ROOT = join(BENCH_DIR, '..');
const RESULTS_FILE = join(BENCH_DIR, 'results.md');
const GNU_TIME = '/usr/bin/time';
// eslint-plugin-security's recommended rules and nothing else, .ts parsed by @typescript-eslint/parser.
const ESLINT_CONFIG = join(BENCH_DIR, 'eslint-security.config.mjs');

// ---------------------------------------------------------------------------------------------
// Small process helpers

/** True when the command starts and exits 0; used to probe for installed tools. */
function succeeds(command, args) {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return !result.error && result.status === 0;
}

/** apt-get install, refreshing the package lists only when the first attempt fails (it is slow). */
function aptInstall(pkg) {
  console.log(`installing Debian package ${pkg}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    run('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env });
  } catch {
    run('apt-get', ['update'], { env });
    run('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env });
  }
}

function ensureTool(probe, probeArgs, aptPackage) {
  if (!succeeds(probe, probeArgs)) aptInstall(aptPackage);
  if (!succeeds(probe, probeArgs)) throw new Error(`${probe} is still unavailable after installing ${aptPackage}`);
}

// ---------------------------------------------------------------------------------------------
// Measuring one child process

/**
 * Runs a command under GNU time for its peak resident set (node cannot see a child's maxRSS) and CPU
 * time, and process.hrtime for wall time. CPU time (user + system, all threads) is reported beside
 * wall time because it barely moves when other work shares the machine, while wall time does.
 * Exit codes in `okCodes` are success: audit tools exit 1 on findings. `cwd` is the child's folder.
 */
function measure(command, args, okCodes = [0], { cwd } = {}) {
  const scratch = mkdtempSync(join(os.tmpdir(), 'probity-bench-'));
  const timeFile = join(scratch, 'time');
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, command, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      // GNU time prefixes "Command exited with non-zero status N" to its file; the figures are the last line.
      const [peakKb, userSeconds, systemSeconds] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
      rmSync(scratch, { recursive: true, force: true });
      if (!okCodes.includes(code)) {
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${Buffer.concat(stderr).toString().slice(-4000)}`));
        return;
      }
      resolvePromise({ wallSeconds, cpuSeconds: userSeconds + systemSeconds, peakMb: peakKb / 1024, stdout: Buffer.concat(stdout).toString('utf8') });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The tools under test

/**
 * Copies the build (bin, dist, package.json) to a private folder and times that copy: a rebuild in the
 * work tree during the run (tests, a developer's `npm run build`) deletes dist/ and would otherwise
 * kill a run halfway. node_modules is linked, not copied, so the copy resolves the same dependencies.
 */
function snapshotBuild() {
  const copy = mkdtempSync(join(os.tmpdir(), 'probity-bench-build-'));
  const cleanup = () => rmSync(copy, { recursive: true, force: true });
  try {
    for (const entry of ['bin', 'dist', 'package.json']) cpSync(join(REPO_ROOT, entry), join(copy, entry), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  } catch (error) {
    cleanup();
    throw error;
  }
  return { bin: join(copy, 'bin', 'probity.js'), cleanup };
}

/** The copy can catch dist/ mid-rebuild (missing, or half written): retry until the CLI answers. */
async function snapshotWorkingBuild(attempts = 10) {
  for (let attempt = 1; ; attempt++) {
    let build;
    try {
      build = snapshotBuild();
      return { ...build, cli: probeProbityCli(build.bin) };
    } catch (error) {
      build?.cleanup();
      if (attempt === attempts) throw error;
      console.log(`dist/ is being rebuilt, retrying the copy (${attempt}/${attempts - 1})…`);
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
}

/** Reads `audit --help` once so the harness passes --fail-on, --jobs, --no-progress, --no-cache only to a CLI that has them. */
function probeProbityCli(bin) {
  const help = spawnSync(process.execPath, [bin, 'audit', '--help'], { encoding: 'utf8' });
  if (help.status !== 0) throw new Error(`probity audit --help failed (is dist/ built, or was it being rebuilt?)\n${help.stdout}${help.stderr}`);
  return {
    bin,
    hasFailOn: help.stdout.includes('--fail-on'),
    hasJobs: help.stdout.includes('--jobs'),
    hasNoProgress: help.stdout.includes('--no-progress'),
    hasCache: help.stdout.includes('--no-cache'),
    hasOffline: help.stdout.includes('--offline'),
    version: run(process.execPath, [bin, '--version']).trim(),
  };
}

/**
 * A case is one command measured `runs` times. `linesOf` gives the code lines its rate is computed
 * on (none for the startup case), so every rate in the table uses a count chosen on purpose.
 */
function probityCase(id, name, corpus, cli, { jobs, cached = false, linesOf = (data) => data.codeLines } = {}) {
  const args = [cli.bin, 'audit', corpus.root, '--format', 'json'];
  if (cli.hasFailOn) args.push('--fail-on', 'none');
  if (jobs !== undefined) args.push('--jobs', String(jobs));
  // The progress line goes to a pipe nobody reads here; skip drawing it.
  if (cli.hasNoProgress) args.push('--no-progress');
  // A run that reuses the per-file result cache parses nothing: only the cached case may use it.
  if (cli.hasCache && !cached) args.push('--no-cache');
  // Registry and advisory lookups would time the network, not the audit.
  if (cli.hasOffline) args.push('--offline');
  return {
    id,
    name,
    tool: 'probity',
    // Without --fail-on none, exit 1 only means "findings at or above the threshold".
    exec: () => measure(process.execPath, args, cli.hasFailOn ? [0] : [0, 1]),
    read: readProbityJson,
    linesOf,
  };
}

function readProbityJson(stdout) {
  const result = JSON.parse(stdout);
  return {
    files: result.inventory.files,
    codeLines: result.inventory.codeLines,
    pythonFiles: result.inventory.languages?.python?.files ?? 0,
    pythonCodeLines: result.inventory.languages?.python?.codeLines ?? 0,
    // What eslint lints: TypeScript and JavaScript files.
    scriptCodeLines: (result.inventory.languages?.typescript?.codeLines ?? 0) + (result.inventory.languages?.javascript?.codeLines ?? 0),
    findings: result.findings.length,
    diagnostics: result.diagnostics.length,
    diagnosticKinds: countBy(result.diagnostics.map((d) => d.kind)),
  };
}

function banditCase(corpus, linesOf) {
  return {
    id: 'bandit-django',
    name: 'bandit · Django',
    tool: 'bandit',
    // -q still prints a progress bar on stderr; the JSON report alone goes to stdout.
    exec: () => measure('bandit', ['-r', corpus.root, '-f', 'json', '-q'], [0, 1]),
    read: readBanditJson,
    linesOf,
  };
}

function readBanditJson(stdout) {
  const report = JSON.parse(stdout);
  return {
    files: Object.keys(report.metrics).filter((key) => key !== '_totals').length,
    banditLoc: report.metrics._totals.loc,
    findings: report.results.length,
    diagnostics: report.errors.length,
  };
}

/**
 * eslint 9 from probity's devDependencies, run as a plain child process like bandit. Resolved from
 * this file so it does not depend on a global install; the versions go into results.md.
 */
function findEslint() {
  const require = createRequire(import.meta.url);
  const versionOf = (pkg) => JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
  let packageJson;
  try {
    packageJson = require.resolve('eslint/package.json');
  } catch {
    throw new Error('eslint is not installed: run `npm install` (eslint, eslint-plugin-security and @typescript-eslint/parser are devDependencies)');
  }
  return {
    bin: join(dirname(packageJson), 'bin', 'eslint.js'),
    version: `eslint ${versionOf('eslint')} with eslint-plugin-security ${versionOf('eslint-plugin-security')} (recommended rules only), @typescript-eslint/parser ${versionOf('@typescript-eslint/parser')}`,
  };
}

/**
 * eslint with ONLY eslint-plugin-security's recommended rules (bench/eslint-security.config.mjs),
 * .ts parsed by @typescript-eslint/parser without type information. `--config` replaces any
 * eslint.config.* lookup in the audited tree; no `--cache`, so every run lints every file. It runs in
 * the corpus folder and lints `.`: eslint 9 ignores files outside its base path (the cwd).
 */
function eslintCase(id, name, corpus, eslint, linesOf) {
  const args = [eslint.bin, '--config', ESLINT_CONFIG, '--no-config-lookup', '--format', 'json', '.'];
  return {
    id,
    name,
    tool: 'eslint',
    // Exit 1 means at least one error-level message: the audited code's inline comments that name
    // rules not loaded here count as errors (see readEslintJson). 2 is a crash or a config error.
    exec: () => measure(process.execPath, args, [0, 1], { cwd: corpus.root }),
    read: readEslintJson,
    linesOf,
  };
}

/**
 * Findings are messages from the security/ rules. Everything else is a diagnostic: parse errors
 * (fatal), and "Definition for rule … was not found" for the audited code's own eslint-disable
 * comments naming rules of its own setup (ban/ban, @typescript-eslint/…), which are not loaded here.
 */
function readEslintJson(stdout) {
  const report = JSON.parse(stdout);
  const messages = report.flatMap((file) => file.messages);
  const findings = messages.filter((m) => m.ruleId?.startsWith('security/'));
  const others = messages.filter((m) => !m.ruleId?.startsWith('security/'));
  const kindOf = (m) => (m.fatal ? 'parse error' : /^Definition for rule .* was not found/.test(m.message) ? 'unknown rule in an inline comment' : (m.ruleId ?? 'other'));
  return {
    files: report.length,
    findings: findings.length,
    findingsByRule: countBy(findings.map((m) => m.ruleId)),
    diagnostics: others.length,
    diagnosticKinds: countBy(others.map(kindOf)),
  };
}

function countBy(values) {
  const counts = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/**
 * The cases of one run. Django's rate, for probity and bandit alike, uses ONE line count: probity's
 * Python code lines (blank and comment-only lines excluded). bandit's own `loc` counts differently and
 * would skew the ratio; probity also audits Django's templates and JS, which bandit skips, and those
 * stay in its wall time but out of the line count: the fair side to err on.
 * The same goes for zod: probity's and eslint's rates both use probity's TypeScript + JavaScript code
 * lines (zod's src/ is all TypeScript, so that is every code line probity counts there).
 */
function buildCases({ django, typescript, empty, cli, eslint, djangoLines, tsLines }) {
  const ts = ZOD.label;
  const cases = [
    probityCase('probity-django', 'probity · Django', django, cli, { linesOf: djangoLines }),
    probityCase('probity-ts', `probity · ${ts}`, typescript, cli, { linesOf: tsLines }),
    banditCase(django, djangoLines),
    eslintCase('eslint-ts', `eslint-plugin-security · ${ts}`, typescript, eslint, tsLines),
    // Fixed cost of a run (node start, rule catalog, worker pool), to read the rates above against.
    probityCase('probity-empty', 'probity · empty folder (startup)', empty, cli, { linesOf: () => undefined }),
  ];
  if (cli.hasCache) {
    // Re-auditing an unchanged tree, the common case in CI and editors; the cache is primed untimed first.
    cases.push(probityCase('probity-django-cached', 'probity · Django, cache warm', django, cli, { cached: true, linesOf: djangoLines }));
  }
  if (cli.hasJobs) {
    cases.push(
      probityCase('probity-django-j1', 'probity · Django --jobs 1', django, cli, { jobs: 1, linesOf: djangoLines }),
      probityCase('probity-ts-j1', `probity · ${ts} --jobs 1`, typescript, cli, { jobs: 1, linesOf: tsLines }),
    );
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Running and summarising

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs every case `runs` times, round-robin rather than case after case, so a slow patch on the
 * machine (another build, a cold disk) spreads over all tools instead of landing on one.
 */
async function measureAll(cases, runs) {
  const samples = new Map(cases.map((c) => [c.id, []]));
  for (let round = 1; round <= runs; round++) {
    for (const c of cases) {
      process.stdout.write(`round ${round}/${runs}: ${c.name}… `);
      const sample = await c.exec();
      samples.get(c.id).push({ wallSeconds: sample.wallSeconds, cpuSeconds: sample.cpuSeconds, peakMb: sample.peakMb, data: c.read(sample.stdout) });
      console.log(`${sample.wallSeconds.toFixed(2)} s`);
    }
  }
  return new Map(cases.map((c) => [c.id, summarise(c, samples.get(c.id))]));
}

function summarise(c, samples) {
  const walls = samples.map((s) => s.wallSeconds);
  const data = samples[0].data;
  const wallSeconds = median(walls);
  const lines = c.linesOf(data);
  // An audit is meant to be deterministic: a finding count that moves between runs is a bug worth seeing.
  const findingCounts = [...new Set(samples.map((s) => s.data.findings))];
  return {
    ...c,
    data,
    wallSeconds,
    wallRange: [Math.min(...walls), Math.max(...walls)],
    cpuSeconds: median(samples.map((s) => s.cpuSeconds)),
    peakMb: median(samples.map((s) => s.peakMb)),
    totalCpuSeconds: samples.reduce((sum, s) => sum + s.cpuSeconds, 0),
    lines,
    linesPerSecond: lines === undefined ? undefined : lines / wallSeconds,
    unstableFindings: findingCounts.length > 1 ? findingCounts : undefined,
  };
}

/** CPU seconds every core of the machine has spent busy since boot, whoever used them. */
function machineBusySeconds() {
  return os.cpus().reduce((sum, { times }) => sum + (times.user + times.nice + times.sys + times.irq) / 1000, 0);
}

/**
 * How much CPU other processes took while the cases ran: the machine's busy time less the children's
 * own. It tells a reader whether a build or tests running alongside inflated the wall times, which
 * the load average cannot (it counts the benchmark too, and lags by a minute).
 */
function otherWork(before, results) {
  const elapsed = Number(process.hrtime.bigint() - before.at) / 1e9;
  const own = [...results.values()].reduce((sum, r) => sum + r.totalCpuSeconds, 0);
  const cpuSeconds = Math.max(0, machineBusySeconds() - before.busy - own);
  return { cpuSeconds, share: cpuSeconds / (elapsed * os.cpus().length) };
}

function comparisons(results) {
  const probity = results.get('probity-django');
  const bandit = results.get('bandit-django');
  const probityTs = results.get('probity-ts');
  const eslint = results.get('eslint-ts');
  const jobsGains = [
    ['Django', 'probity-django-j1', 'probity-django'],
    [ZOD.label, 'probity-ts-j1', 'probity-ts'],
  ]
    .filter(([, single]) => results.has(single))
    .map(([corpus, single, multi]) => {
      const singleSeconds = results.get(single).wallSeconds;
      const multiSeconds = results.get(multi).wallSeconds;
      return { corpus, singleSeconds, multiSeconds, speedup: singleSeconds / multiSeconds };
    });
  return {
    probity,
    bandit,
    ratio: probity.linesPerSecond / bandit.linesPerSecond,
    // Same line count on both sides, so the CPU-time ratio is simply bandit's CPU over probity's.
    cpuRatio: bandit.cpuSeconds / probity.cpuSeconds,
    // The same on zod, one line count for probity and eslint.
    eslint: { probity: probityTs, eslint, ratio: probityTs.linesPerSecond / eslint.linesPerSecond, cpuRatio: eslint.cpuSeconds / probityTs.cpuSeconds },
    jobsGains,
  };
}

// ---------------------------------------------------------------------------------------------
// Reporting

const fmtInt = (n) => (n === undefined ? '–' : Math.round(n).toLocaleString('en-US'));
const fmtSeconds = (s) => s.toFixed(2);

function tableRow(r) {
  return {
    case: r.name,
    files: fmtInt(r.data.files),
    'code lines (rated)': fmtInt(r.lines),
    'wall s (median)': fmtSeconds(r.wallSeconds),
    'lines/s': fmtInt(r.linesPerSecond),
    'CPU s (median)': fmtSeconds(r.cpuSeconds),
    'peak RSS MB': fmtInt(r.peakMb),
    findings: fmtInt(r.data.findings),
    diagnostics: fmtInt(r.data.diagnostics),
  };
}

function markdownTable(results) {
  const rows = [...results.values()].map(tableRow);
  const columns = Object.keys(rows[0]);
  return [
    `| ${columns.join(' | ')} |`,
    `| --- |${' ---: |'.repeat(columns.length - 1)}`,
    ...rows.map((row) => `| ${columns.map((c) => row[c]).join(' | ')} |`),
  ].join('\n');
}

function machineDescription() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${fmtInt(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()} (${os.arch()}), Node ${process.version}`;
}

function describeCounts(counts = {}) {
  const parts = Object.entries(counts).sort(([, a], [, b]) => b - a).map(([kind, n]) => `${n} ${kind}`);
  return parts.length ? parts.join(', ') : 'none';
}

function describeDiagnostics(result) {
  return describeCounts(result.data.diagnosticKinds);
}

function printSummary(results, { probity, bandit, ratio, cpuRatio, eslint, jobsGains }) {
  console.log('');
  console.table([...results.values()].map(tableRow));
  console.log(`Django rates use probity's Python code lines for both tools: ${fmtInt(probity.lines)} (bandit's own loc: ${fmtInt(bandit.data.banditLoc)})`);
  console.log(`probity / bandit lines per second on Django: ${ratio.toFixed(1)}× (on CPU time: ${cpuRatio.toFixed(1)}×)`);
  console.log(`${ZOD.label} rates use probity's TypeScript/JavaScript code lines for both tools: ${fmtInt(eslint.probity.lines)}`);
  console.log(`probity / eslint-plugin-security lines per second on ${ZOD.label}: ${eslint.ratio.toFixed(1)}× (on CPU time: ${eslint.cpuRatio.toFixed(1)}×)`);
  for (const g of jobsGains) {
    console.log(`${g.corpus}: --jobs 1 ${fmtSeconds(g.singleSeconds)} s vs default ${fmtSeconds(g.multiSeconds)} s (${g.speedup.toFixed(2)}×)`);
  }
}

function writeResultsMarkdown(results, { probity, bandit, ratio, cpuRatio, eslint, jobsGains }, { runs, cli, banditVersion, eslintVersion, corpora, load }) {
  const out = [
    '# Probity benchmark results',
    '',
    'Written by `npm run bench` (bench/run.mjs); bench/README.md says how to read it.',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${machineDescription()}`,
    `- Tools: probity ${cli.version}${cli.hasJobs ? '' : ' (this CLI has no --jobs: no single-core run)'}; ${banditVersion}; ${eslintVersion}`,
    `- Corpora: ${corpora.map((c) => c.version).join('; ')}`,
    `- Runs: ${runs} per case, round-robin; medians shown`,
    `- Other work on the machine while measuring: ${(load.share * 100).toFixed(0)}% of its CPU (${load.cpuSeconds.toFixed(0)} CPU s)` +
      (load.share > 0.1 ? ': wall times are inflated, CPU s much less so' : ''),
    '',
    markdownTable(results),
    '',
    '## Probity vs bandit on Django',
    '',
    `Both rates use ONE line count, probity's Python code lines: ${fmtInt(probity.lines)} in ${fmtInt(probity.data.pythonFiles)} files. ` +
      `For the same files bandit counts ${fmtInt(bandit.data.banditLoc)} \`loc\` in ${fmtInt(bandit.data.files)} files; ` +
      `probity also audits Django's templates and JS (${fmtInt(probity.data.files)} files, ${fmtInt(probity.data.codeLines)} code lines in all), which stay in its wall time.`,
    '',
    `**probity / bandit lines per second: ${ratio.toFixed(1)}×** (on CPU time rather than wall time: ${cpuRatio.toFixed(1)}×)`,
    '',
    'The tools check different things (probity its rule catalog, bandit its security plugins): this compares the cost of one full run of each, not the work per rule.',
    '',
    `## Probity vs eslint-plugin-security on ${ZOD.label}`,
    '',
    `Both rates use ONE line count, probity's TypeScript/JavaScript code lines: ${fmtInt(eslint.probity.lines)} in ${fmtInt(eslint.probity.data.files)} files ` +
      `(eslint linted ${fmtInt(eslint.eslint.data.files)} files). eslint runs eslint-plugin-security's recommended rules only, ` +
      'with @typescript-eslint/parser and no type information (bench/eslint-security.config.mjs), no cache, on one thread (its default).',
    '',
    `**probity / eslint-plugin-security lines per second: ${eslint.ratio.toFixed(1)}×** (on CPU time rather than wall time: ${eslint.cpuRatio.toFixed(1)}×)`,
    '',
    `eslint-plugin-security findings by rule: ${describeCounts(eslint.eslint.data.findingsByRule)}. ` +
      `Other eslint messages (diagnostics): ${describeCounts(eslint.eslint.data.diagnosticKinds)}.`,
    '',
  ];
  if (jobsGains.length) {
    out.push('## Gain from the worker pool', '');
    for (const g of jobsGains) {
      out.push(`- ${g.corpus}: --jobs 1 ${fmtSeconds(g.singleSeconds)} s → default ${fmtSeconds(g.multiSeconds)} s, ${g.speedup.toFixed(2)}× on ${os.availableParallelism()} cores`);
    }
    out.push('');
  }
  out.push('## Probity diagnostics', '');
  for (const id of ['probity-django', 'probity-ts']) out.push(`- ${results.get(id).name}: ${describeDiagnostics(results.get(id))}`);
  const unstable = [...results.values()].filter((r) => r.unstableFindings);
  if (unstable.length) {
    out.push('', '## Warning: finding counts varied between runs', '');
    for (const r of unstable) out.push(`- ${r.name}: ${r.unstableFindings.join(', ')}`);
  }
  out.push('', '## Wall-time spread (min–max over runs)', '');
  for (const r of results.values()) out.push(`- ${r.name}: ${fmtSeconds(r.wallRange[0])}–${fmtSeconds(r.wallRange[1])} s`);
  writeFileSync(RESULTS_FILE, out.join('\n') + '\n');
}

// ---------------------------------------------------------------------------------------------

function readOptions() {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
  return { runs };
}

/** Drops result caches earlier runs left in the corpora, so every run starts from the bytes downloaded. */
function removeProbityCaches(corpora) {
  for (const corpus of corpora) rmSync(join(corpus.root, '.probity'), { recursive: true, force: true });
}

function ensureEmptyCorpus() {
  const root = join(CORPUS_DIR, 'empty');
  mkdirSync(root, { recursive: true });
  return { label: 'empty folder', root, version: 'empty folder' };
}

async function main() {
  const { runs } = readOptions();
  mkdirSync(CORPUS_DIR, { recursive: true });
  ensureTool(GNU_TIME, ['--version'], 'time');
  ensureTool('bandit', ['--version'], 'bandit');
  const banditVersion = run('bandit', ['--version']).split('\n')[0].trim();
  const eslint = findEslint();
  const django = ensureDebCorpus(DJANGO);
  const typescript = ensureNpmCorpus(ZOD);
  const empty = ensureEmptyCorpus();
  removeProbityCaches([django, typescript, empty]);
  // PROBITY_BENCH_BIN times another build as it is (an older checkout, say); otherwise a frozen copy of this one.
  const bin = process.env.PROBITY_BENCH_BIN;
  const build = bin ? { cli: probeProbityCli(bin), cleanup: () => {} } : await snapshotWorkingBuild();
  try {
    await benchmark(build.cli, { runs, banditVersion, eslint, django, typescript, empty });
  } finally {
    build.cleanup();
  }
}

async function benchmark(cli, { runs, banditVersion, eslint, django, typescript, empty }) {
  // The rated line counts come from probity itself, so they are read once before timing anything
  // (which also warms the file cache for the first timed round).
  const djangoPythonLines = readProbityJson((await probityCase('line-count', 'line count', django, cli).exec()).stdout).pythonCodeLines;
  const djangoLines = () => djangoPythonLines;
  const tsScriptLines = readProbityJson((await probityCase('line-count', 'line count', typescript, cli).exec()).stdout).scriptCodeLines;
  const tsLines = () => tsScriptLines;

  const cases = buildCases({ django, typescript, empty, cli, eslint, djangoLines, tsLines });
  // Prime the result cache so the first timed round of the cache-warm case is warm too.
  for (const c of cases.filter((c) => c.id.endsWith('-cached'))) await c.exec();
  const machineBefore = { busy: machineBusySeconds(), at: process.hrtime.bigint() };
  const results = await measureAll(cases, runs);
  const load = otherWork(machineBefore, results);
  const summary = comparisons(results);
  printSummary(results, summary);
  writeResultsMarkdown(results, summary, { runs, cli, banditVersion, eslintVersion: eslint.version, corpora: [django, typescript], load });
  console.log(`wrote ${RESULTS_FILE}`);
}

main().catch((error) => {
  console.error(`bench: ${error.stack ?? error}`);
  process.exit(1);
});
