// Sums the per-file metric counts rules took (`context.measure`) into the audit's measurements.
// A metric whose rule did not run is absent, never reported as 0.
import type { Measurement } from '../core/audit-result.js';
import type { CompiledRule } from '../core/rule.js';
import type { Finding } from '../core/types.js';
import type { FileResult } from './run-file.js';

const WORST_FILES = 10;

/** Share of items meeting the bar, in percent with one decimal. */
function percent(count: number, total: number): number | null {
  return total === 0 ? null : Math.round((count * 1000) / total) / 10;
}

export function aggregateMeasurements(rules: readonly CompiledRule[], files: readonly Pick<FileResult, 'path' | 'measurements'>[]): Measurement[] {
  const measurements: Measurement[] = [];
  for (const rule of rules) {
    for (const metric of rule.meta.metrics ?? []) {
      let count = 0;
      let total = 0;
      const perFile: Measurement['worstFiles'] = [];
      for (const file of files) {
        const measured = file.measurements?.[metric.id];
        if (!measured) continue;
        count += measured.count;
        total += measured.total ?? 0;
        perFile.push({ path: file.path, ...measured });
      }
      // For coverage the files that fall short on the most items weigh most; for counts, the most occurrences.
      const weight = (f: Measurement['worstFiles'][number]) => (metric.kind === 'coverage' ? (f.total ?? 0) - f.count : f.count);
      const worstFiles = perFile
        .filter((f) => weight(f) > 0)
        .sort((a, b) => weight(b) - weight(a) || a.path.localeCompare(b.path))
        .slice(0, WORST_FILES);
      measurements.push({
        id: metric.id,
        ruleId: rule.meta.id,
        label: metric.label,
        kind: metric.kind,
        count,
        ...(metric.kind === 'coverage' ? { total } : {}),
        value: metric.kind === 'coverage' ? percent(count, total) : count,
        ...(metric.target !== undefined ? { target: metric.target } : {}),
        note: metric.note,
        files: perFile.length,
        worstFiles,
      });
    }
  }
  return measurements;
}

/**
 * Applies the project conditions findings carry (`onlyIfProject`) and strips them: the metric's
 * project-wide value must reach the level (a metric that measured nothing does not).
 */
export function applyProjectConditions<T extends Finding>(findings: readonly T[], measurements: readonly Pick<Measurement, 'id' | 'value'>[]): T[] {
  const values = new Map(measurements.map((m) => [m.id, m.value]));
  const kept: T[] = [];
  for (const finding of findings) {
    const { projectCondition, ...rest } = finding;
    if (projectCondition) {
      const value = values.get(projectCondition.metric);
      if (value === null || value === undefined || value < projectCondition.atLeast) continue;
    }
    kept.push(rest as T);
  }
  return kept;
}
