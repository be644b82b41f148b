// The benchmark behind `npm run bench`: audits real code nobody here wrote (Debian's Django sources
// and the TypeScript sources of an npm package), times probity against bandit on the same Python
// tree, and writes bench/results.md. Plain Node, no dependencies, so it runs wherever probity builds.
//
// Usage: node bench/run.mjs [--runs N]   (the npm script builds dist/ first)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(BENCH_DIR, '..');
const CORPUS_DIR = join(BENCH_DIR, '.corpus');
const RESULTS_FILE = join(BENCH_DIR, 'results.md');
const GNU_TIME = '/usr/bin/time';

// Debian serves only the current stable build, so its version cannot be pinned: it is recorded instead.
const DJANGO_DEB = 'python3-django';
const DJANGO_TREE = join('usr', 'lib', 'python3', 'dist-packages', 'django');
// zod ships its whole src/ (≈330 .ts files, ≈88k lines, tests included), written by people outside
// this project. Pinned so that numbers from different days audit the same bytes.
const TS_PACKAGE = { name: 'zod', version: '4.6.7', tree: join('package', 'src') };

// ---------------------------------------------------------------------------------------------
// Small process helpers

/** Runs a command to completion and throws with its output when it fails: setup steps must not fail quietly. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
  return result.stdout;
}

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
// Corpus: downloaded once, then reused from bench/.corpus (git-ignored)

/** Extracts the Django .deb; the version comes from the package itself because it is not pinned. */
function ensureDjangoCorpus() {
  const target = join(CORPUS_DIR, 'django');
  const marker = join(target, 'VERSION');
  if (!existsSync(marker)) {
    const downloads = join(CORPUS_DIR, 'downloads');
    rmSync(target, { recursive: true, force: true });
    mkdirSync(downloads, { recursive: true });
    console.log(`downloading ${DJANGO_DEB}…`);
    try {
      run('apt-get', ['download', DJANGO_DEB], { cwd: downloads });
    } catch {
      run('apt-get', ['update']);
      run('apt-get', ['download', DJANGO_DEB], { cwd: downloads });
    }
    const deb = readdirSync(downloads).filter((name) => name.startsWith(`${DJANGO_DEB}_`) && name.endsWith('.deb')).sort().at(-1);
    const debPath = join(downloads, deb);
    run('dpkg', ['-x', debPath, target]);
    writeFileSync(marker, run('dpkg-deb', ['-f', debPath, 'Version']).trim() + '\n');
  }
  return { label: 'Django (Python)', root: join(target, DJANGO_TREE), version: `${DJANGO_DEB} ${readFileSync(marker, 'utf8').trim()} (Debian)` };
}

function ensureTypeScriptCorpus() {
  const spec = `${TS_PACKAGE.name}@${TS_PACKAGE.version}`;
  const target = join(CORPUS_DIR, spec.replace('/', '__'));
  const root = join(target, TS_PACKAGE.tree);
  if (!existsSync(root)) {
    const downloads = join(CORPUS_DIR, 'downloads');
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    mkdirSync(downloads, { recursive: true });
    console.log(`downloading ${spec}…`);
    const tarball = JSON.parse(run('npm', ['pack', spec, '--json', '--pack-destination', downloads], { stdio: ['ignore', 'pipe', 'pipe'] }))[0].filename;
    run('tar', ['-xzf', join(downloads, tarball), '-C', target]);
  }
  return { label: `${TS_PACKAGE.name} (TypeScript)`, root, version: `${spec} (npm)` };
}

// ---------------------------------------------------------------------------------------------
// Measuring one child process

/**
 * Runs a command under GNU time for its peak resident set (node cannot see a child's maxRSS) and CPU
 * time, and process.hrtime for wall time. CPU time (user + system, all threads) is reported beside
 * wall time because it barely moves when other work shares the machine, while wall time does.
 * Exit codes in `okCodes` are success: audit tools exit 1 on findings.
 */
function measure(command, args, okCodes = [0]) {
  const scratch = mkdtempSync(join(os.tmpdir(), 'probity-bench-'));
  const timeFile = join(scratch, 'time');
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
 */
function buildCases({ django, typescript, empty, cli, djangoLines }) {
  const ts = TS_PACKAGE.name;
  const cases = [
    probityCase('probity-django', 'probity · Django', django, cli, { linesOf: djangoLines }),
    probityCase('probity-ts', `probity · ${ts}`, typescript, cli),
    banditCase(django, djangoLines),
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
      probityCase('probity-ts-j1', `probity · ${ts} --jobs 1`, typescript, cli, { jobs: 1 }),
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
  const jobsGains = [
    ['Django', 'probity-django-j1', 'probity-django'],
    [TS_PACKAGE.name, 'probity-ts-j1', 'probity-ts'],
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

function describeDiagnostics(result) {
  const parts = Object.entries(result.data.diagnosticKinds ?? {}).map(([kind, n]) => `${n} ${kind}`);
  return parts.length ? parts.join(', ') : 'none';
}

function printSummary(results, { probity, bandit, ratio, cpuRatio, jobsGains }) {
  console.log('');
  console.table([...results.values()].map(tableRow));
  console.log(`Django rates use probity's Python code lines for both tools: ${fmtInt(probity.lines)} (bandit's own loc: ${fmtInt(bandit.data.banditLoc)})`);
  console.log(`probity / bandit lines per second on Django: ${ratio.toFixed(1)}× (on CPU time: ${cpuRatio.toFixed(1)}×)`);
  for (const g of jobsGains) {
    console.log(`${g.corpus}: --jobs 1 ${fmtSeconds(g.singleSeconds)} s vs default ${fmtSeconds(g.multiSeconds)} s (${g.speedup.toFixed(2)}×)`);
  }
}

function writeResultsMarkdown(results, { probity, bandit, ratio, cpuRatio, jobsGains }, { runs, cli, banditVersion, corpora, load }) {
  const out = [
    '# Probity benchmark results',
    '',
    'Written by `npm run bench` (bench/run.mjs); bench/README.md says how to read it.',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${machineDescription()}`,
    `- Tools: probity ${cli.version}${cli.hasJobs ? '' : ' (this CLI has no --jobs: no single-core run)'}; ${banditVersion}`,
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
  const django = ensureDjangoCorpus();
  const typescript = ensureTypeScriptCorpus();
  const empty = ensureEmptyCorpus();
  removeProbityCaches([django, typescript, empty]);
  // PROBITY_BENCH_BIN times another build as it is (an older checkout, say); otherwise a frozen copy of this one.
  const bin = process.env.PROBITY_BENCH_BIN;
  const build = bin ? { cli: probeProbityCli(bin), cleanup: () => {} } : await snapshotWorkingBuild();
  try {
    await benchmark(build.cli, { runs, banditVersion, django, typescript, empty });
  } finally {
    build.cleanup();
  }
}

async function benchmark(cli, { runs, banditVersion, django, typescript, empty }) {
  // Django's rated line count comes from probity itself, so it is read once before timing anything
  // (which also warms the file cache for the first timed round).
  const { stdout } = await probityCase('line-count', 'line count', django, cli).exec();
  const djangoPythonLines = readProbityJson(stdout).pythonCodeLines;
  const djangoLines = () => djangoPythonLines;

  const cases = buildCases({ django, typescript, empty, cli, djangoLines });
  // Prime the result cache so the first timed round of the cache-warm case is warm too.
  for (const c of cases.filter((c) => c.id.endsWith('-cached'))) await c.exec();
  const machineBefore = { busy: machineBusySeconds(), at: process.hrtime.bigint() };
  const results = await measureAll(cases, runs);
  const load = otherWork(machineBefore, results);
  const summary = comparisons(results);
  printSummary(results, summary);
  writeResultsMarkdown(results, summary, { runs, cli, banditVersion, corpora: [django, typescript], load });
  console.log(`wrote ${RESULTS_FILE}`);
}

main().catch((error) => {
  console.error(`bench: ${error.stack ?? error}`);
  process.exit(1);
});
