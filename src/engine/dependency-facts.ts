// The one asynchronous step before the repository rules run: when a selected rule declares
// `needs` (manifests, advisories, latest versions), gather that data once for all of them and
// say which rules lose their checks when a part cannot be had.
import type { SkippedCheck } from '../core/audit-result.js';
import type { CompiledRule } from '../core/rule.js';
import type { Diagnostic } from '../core/types.js';
import { gatherDependencyFacts, type DependencyDataOptions, type DependencyFacts, type DependencyNeed } from '../deps/facts.js';
import { readTreeFile } from './project-rules.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface RuleDependencyFacts {
  facts?: DependencyFacts;
  skippedChecks: SkippedCheck[];
  diagnostics: Diagnostic[];
}

export async function gatherRuleDependencyFacts(
  rules: readonly CompiledRule[],
  root: string,
  filePaths: readonly string[],
  options: DependencyDataOptions,
): Promise<RuleDependencyFacts> {
  const needs = new Set<DependencyNeed>(rules.flatMap((rule) => rule.needs ?? []));
  if (needs.size === 0) return { skippedChecks: [], diagnostics: [] };
  const gathered = await gatherDependencyFacts(
    { exists: (path) => existsSync(join(root, path)), read: (path) => readTreeFile(root, path) },
    filePaths,
    needs,
    options,
  );
  const skippedChecks: SkippedCheck[] = [];
  for (const rule of rules) {
    const missing = gathered.skipped.filter((skip) => rule.needs?.includes(skip.need));
    if (missing.length) skippedChecks.push({ rule: rule.meta.id, reason: [...new Set(missing.map((m) => m.reason))].join('; ') });
  }
  return {
    facts: gathered.facts,
    skippedChecks,
    diagnostics: gathered.diagnostics.map((d) => ({ file: d.file, kind: 'parse-error' as const, reason: d.reason, ...(d.line ? { line: d.line } : {}) })),
  };
}
