// Orders and groups findings for the human-readable reports (no analysis: only arrangement).
import type { AuditResult } from '../core/audit-result.js';
import { AREAS, SEVERITIES, severityRank, type Area, type Finding } from '../core/types.js';

export function groupByArea(findings: readonly Finding[]): [Area, Finding[]][] {
  const groups = new Map<Area, Finding[]>();
  for (const finding of findings) {
    const list = groups.get(finding.area);
    if (list) list.push(finding);
    else groups.set(finding.area, [finding]);
  }
  const worst = (list: Finding[]) => Math.max(...list.map((f) => severityRank(f.severity)));
  return [...groups.entries()]
    .map(([area, list]) => [area, [...list].sort(bySeverityThenLocation)] as [Area, Finding[]])
    .sort((a, b) => worst(b[1]) - worst(a[1]) || AREAS.indexOf(a[0]) - AREAS.indexOf(b[0]));
}

export function bySeverityThenLocation(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.file.localeCompare(b.file) || a.line - b.line;
}

export interface RuleGroup {
  ruleId: string;
  /** The worst severity among the occurrences. */
  severity: Finding['severity'];
  findings: Finding[];
}

/** Many occurrences of one rule become one entry with every location (seed 000's format). */
export function groupByRule(findings: readonly Finding[]): RuleGroup[] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const list = groups.get(finding.ruleId);
    if (list) list.push(finding);
    else groups.set(finding.ruleId, [finding]);
  }
  return [...groups.entries()]
    .map(([ruleId, list]) => {
      const sorted = [...list].sort(bySeverityThenLocation);
      return { ruleId, severity: sorted[0].severity, findings: sorted };
    })
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || b.findings.length - a.findings.length || a.ruleId.localeCompare(b.ruleId));
}

/** "python 1,200 · typescript 845" for the scope line. */
export function languageSummary(result: AuditResult): string {
  return Object.entries(result.inventory.languages)
    .sort((a, b) => b[1].codeLines - a[1].codeLines)
    .map(([language, stats]) => `${language} ${stats.codeLines.toLocaleString('en-US')}`)
    .join(' · ');
}

export const SEVERITY_ORDER = SEVERITIES;
