// `probity plan [path] [--from <audit.json>] [--output <file>]`: AUDIT_PLAN.md after seed 000.
// Without --from it audits the folder first, so automated items are ticked with their counts.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { AuditResult } from '../../core/audit-result.js';
import { findConfig, loadConfigFile } from '../../config/load.js';
import { runAudit } from '../../engine/audit.js';
import { loadCatalog } from '../../engine/catalog.js';
import { buildPlan, planInputFromResult } from '../../plan/build-plan.js';
import { renderPlan } from '../../report/plan-markdown.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { createProgress, writeReport } from '../output.js';

export interface PlanCommandOptions {
  from?: string;
  output?: string;
  config?: string;
  progress?: boolean;
  cache?: boolean;
}

/** A saved `probity audit --format json` result, checked enough to build a plan from. */
export function readSavedResult(file: string): AuditResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--from ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--from ${file}: not JSON (${(error as Error).message}); write one with \`probity audit --format json --output ${file}\``);
  }
  const result = parsed as Partial<AuditResult> | null;
  const version = result && typeof result === 'object' ? result.schemaVersion : undefined;
  if (typeof version !== 'string' || !version.startsWith('1.')) {
    const found = typeof version === 'string' ? `schemaVersion "${version}"` : 'no schemaVersion';
    throw new UsageError(`--from ${file}: ${found}; expected a probity audit JSON result with schemaVersion 1.x (\`probity audit --format json\`)`);
  }
  for (const key of ['project', 'tool', 'inventory', 'rules', 'findings'] as const) {
    if (!result || typeof result[key] !== 'object' || result[key] === null) throw new UsageError(`--from ${file}: missing "${key}"; is it a probity audit JSON result?`);
  }
  return { ...result, suppressed: result!.suppressed ?? [] } as AuditResult;
}

export async function planCommand(path: string | undefined, options: PlanCommandOptions): Promise<number> {
  const catalog = (await loadCatalog()).rules.map((rule) => ({ id: rule.meta.id, languages: rule.meta.languages }));
  let result: AuditResult;
  if (options.from) {
    if (path !== undefined) throw new UsageError('give either a path to audit or --from <audit.json>, not both');
    result = readSavedResult(options.from);
  } else {
    const root = path ?? '.';
    const loaded = options.config ? loadConfigFile(options.config) : findConfig(resolve(root));
    const progress = createProgress(options.progress !== false && process.stderr.isTTY === true);
    result = await runAudit({
      root,
      config: loaded.config,
      configDir: loaded.source ? dirname(loaded.source) : undefined,
      cache: options.cache !== false,
      onProgress: progress.update,
    });
    progress.clear();
  }
  const plan = buildPlan(planInputFromResult(result, catalog));
  writeReport(renderPlan(plan), options.output);
  if (options.output && process.stderr.isTTY) {
    process.stderr.write(`wrote the audit plan to ${options.output} (${plan.coverage.items} items, ${plan.coverage.checked} ticked)\n`);
  }
  return EXIT_OK;
}
