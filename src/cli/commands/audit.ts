// `probity audit [path]`: run the audit, render one format, exit by the --fail-on policy.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { findConfig, loadConfigFile } from '../../config/load.js';
import { FAIL_ON, type FailOn } from '../../config/schema.js';
import { runAudit, shouldFail } from '../../engine/audit.js';
import { FORMATS, reporters, type Format } from '../../report/index.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../errors.js';
import { createProgress, writeReport } from '../output.js';

export interface AuditCommandOptions {
  format: string;
  output?: string;
  failOn?: string;
  include?: string[];
  exclude?: string[];
  enable?: string[];
  disable?: string[];
  only?: string[];
  config?: string;
  jobs?: string;
  color?: boolean;
  progress?: boolean;
  cache?: boolean;
  timing?: boolean;
  /** `--history` alone is true; `--history 500` the number of commits. */
  history?: boolean | string;
  offline?: boolean;
  advisories?: string;
}

const DEFAULT_HISTORY_COMMITS = 100;

function historyCommits(value: boolean | string | undefined): number | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return DEFAULT_HISTORY_COMMITS;
  const commits = Number(value);
  if (!Number.isInteger(commits) || commits < 1) throw new UsageError(`--history must be a positive number of commits, got "${value}"`);
  return commits;
}

function splitList(values: string[] | undefined): string[] | undefined {
  return values?.flatMap((value) => value.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** ESLint's TIMING table: where the time went, slowest first. */
function formatTimings(timings: Record<string, number>): string {
  const total = Object.values(timings).reduce((sum, ms) => sum + ms, 0) || 1;
  const rows = Object.entries(timings).map(([id, ms]) => `${id.padEnd(40)} ${ms.toFixed(1).padStart(9)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%`);
  return `\n${'rule'.padEnd(40)} ${'time'.padStart(12)} ${'share'.padStart(6)}\n${rows.join('\n')}\n`;
}

export async function auditCommand(path: string | undefined, options: AuditCommandOptions): Promise<number> {
  if (!FORMATS.includes(options.format as Format)) {
    throw new UsageError(`unknown format "${options.format}"; use one of ${FORMATS.join(', ')}`);
  }
  if (options.failOn && !FAIL_ON.includes(options.failOn as FailOn)) {
    throw new UsageError(`unknown --fail-on "${options.failOn}"; use one of ${FAIL_ON.join(', ')}`);
  }
  const jobs = options.jobs === undefined ? undefined : Number(options.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new UsageError(`--jobs must be a positive integer, got "${options.jobs}"`);
  if (options.advisories && !existsSync(options.advisories)) throw new UsageError(`--advisories: no such folder "${options.advisories}"`);
  const root = path ?? '.';
  const loaded = options.config ? loadConfigFile(options.config) : findConfig(resolve(root));
  const progress = createProgress(options.progress !== false && process.stderr.isTTY === true);
  const result = await runAudit({
    root,
    config: loaded.config,
    configDir: loaded.source ? dirname(loaded.source) : undefined,
    include: splitList(options.include),
    exclude: splitList(options.exclude),
    enable: splitList(options.enable),
    disable: splitList(options.disable),
    only: splitList(options.only),
    failOn: options.failOn as FailOn | undefined,
    jobs,
    cache: options.cache !== false,
    timing: options.timing === true,
    history: historyCommits(options.history),
    ...(options.offline ? { offline: true } : {}),
    ...(options.advisories ? { advisories: resolve(options.advisories) } : {}),
    onProgress: progress.update,
  });
  progress.clear();
  const format = options.format as Format;
  const color = format === 'terminal' && !options.output && options.color !== false && process.stdout.isTTY === true && !process.env.NO_COLOR;
  writeReport(reporters[format](result, { color }), options.output);
  if (result.timings) process.stderr.write(formatTimings(result.timings));
  if (options.output && process.stderr.isTTY) {
    process.stderr.write(`wrote ${format} report to ${options.output} (${result.summary.total} findings)\n`);
  }
  return shouldFail(result) ? EXIT_FINDINGS : EXIT_OK;
}
