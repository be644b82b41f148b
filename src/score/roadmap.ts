// From the open findings, the rules that ran and the inventory to the report's plan: phases with
// effort, production risk, the debt inventory and the metrics to track. Analysis only: nothing
// here formats text for a reader beyond one-line reasons. The model is docs/report.md.
import type { AuditResult, RuleSummary } from '../core/audit-result.js';
import {
  PHASES,
  type ActionPlan,
  type DebtEntry,
  type DebtInventory,
  type PhaseId,
  type PlanItem,
  type PlanPhase,
  type ReportData,
  type RiskLevel,
  type TrackedMetric,
} from '../core/report-data.js';
import { SEVERITIES, severityRank, type Area, type Effort, type Finding, type Severity } from '../core/types.js';

export const ROADMAP_MODEL = 'roadmap-1';

/** The phase of a rule's area; every Critical finding goes to phase 1 whatever its area. */
export const PHASE_OF_AREA: Record<Area, PhaseId> = {
  security: 'critical-security',
  reliability: 'reliability',
  observability: 'reliability',
  performance: 'performance',
  database: 'performance',
  testing: 'testing-documentation',
  documentation: 'testing-documentation',
  'code-quality': 'production-readiness',
  consistency: 'production-readiness',
  architecture: 'production-readiness',
  infrastructure: 'production-readiness',
  dependencies: 'production-readiness',
};

/** Engineer-days for the first occurrence of a rule in a phase, in hundredths (integers keep sums exact). */
export const BASE_EFFORT_HUNDREDTHS: Record<Effort, number> = { small: 50, medium: 200, large: 500 };
/** Each further occurrence adds this share of the base… */
export const EXTRA_OCCURRENCE_SHARE = 0.1;
/** …for at most this many occurrences (so a group never costs more than twice its base). */
export const MAX_EXTRA_OCCURRENCES = 10;
export const DAYS_PER_WEEK = 5;

export function phaseOf(finding: Pick<Finding, 'area' | 'severity'>): PhaseId {
  return finding.severity === 'critical' ? 'critical-security' : PHASE_OF_AREA[finding.area];
}

/** Engineer-days for `occurrences` findings of one rule in one phase (docs/report.md). */
export function groupEffortDays(effort: Effort, occurrences: number): number {
  const base = BASE_EFFORT_HUNDREDTHS[effort];
  const extra = Math.min(Math.max(occurrences - 1, 0), MAX_EXTRA_OCCURRENCES);
  return Math.round(base + base * EXTRA_OCCURRENCE_SHARE * extra) / 100;
}

function worstSeverity(findings: readonly Finding[]): Severity {
  return findings.reduce<Severity>((worst, f) => (severityRank(f.severity) > severityRank(worst) ? f.severity : worst), 'low');
}

function byRule(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const list = groups.get(finding.ruleId);
    if (list) list.push(finding);
    else groups.set(finding.ruleId, [finding]);
  }
  return groups;
}

/** Worst severity first, then the most occurrences, then rule id: the order a reader should work in. */
function byPriority(a: { severity: Severity; occurrences: number; ruleId: string }, b: typeof a): number {
  return severityRank(b.severity) - severityRank(a.severity) || b.occurrences - a.occurrences || a.ruleId.localeCompare(b.ruleId);
}

function roundDays(hundredths: number): number {
  return Math.round(hundredths) / 100;
}

function planItem(ruleId: string, findings: Finding[], rule: RuleSummary | undefined): PlanItem {
  const effort = rule?.effort ?? findings[0].effort;
  return {
    ruleId,
    title: rule?.title ?? ruleId,
    area: rule?.area ?? findings[0].area,
    severity: worstSeverity(findings),
    effort,
    occurrences: findings.length,
    files: [...new Set(findings.map((f) => f.file))].sort(),
    effortDays: groupEffortDays(effort, findings.length),
  };
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** From the worst open severities; the reason names the rules behind the level. */
export function productionRisk(findings: readonly Finding[], rulesRun: number): { level: RiskLevel; reason: string } {
  // Critical, High, Medium each set the level on their own; Low findings alone leave it low.
  for (const severity of SEVERITIES.filter((s) => s !== 'low')) {
    const open = findings.filter((f) => f.severity === severity);
    if (!open.length) continue;
    const ruleIds = [...new Set(open.map((f) => f.ruleId))].sort();
    const above = SEVERITIES.slice(0, SEVERITIES.indexOf(severity));
    const lead = above.length ? `no ${above.map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join(' or ')} finding, but ` : '';
    const verdict = severity === 'critical' ? 'must be fixed before production' : severity === 'high' ? 'fix before production' : 'fix soon after release';
    const cased = severity.charAt(0).toUpperCase() + severity.slice(1);
    return { level: severity, reason: `${lead}${count(open.length, `open ${cased} finding`)} (${ruleIds.join(', ')}): ${verdict}` };
  }
  const low = findings.length;
  return {
    level: 'low',
    reason: low
      ? `only Low findings open (${low}) among the ${count(rulesRun, 'rule')} that ran`
      : `no open finding among the ${count(rulesRun, 'rule')} that ran (what no rule checks is not measured)`,
  };
}

export function buildActionPlan(result: Pick<AuditResult, 'findings' | 'rules'>): ActionPlan {
  const rules = new Map(result.rules.map((r) => [r.id, r]));
  const phases: PlanPhase[] = PHASES.map((phase) => {
    const inPhase = result.findings.filter((f) => phaseOf(f) === phase.id);
    const items = [...byRule(inPhase)].map(([ruleId, list]) => planItem(ruleId, list, rules.get(ruleId))).sort(byPriority);
    const hundredths = items.reduce((sum, item) => sum + Math.round(item.effortDays * 100), 0);
    return { number: phase.number, id: phase.id, title: phase.title, items, effortDays: roundDays(hundredths) };
  });
  const totalHundredths = phases.reduce((sum, phase) => sum + Math.round(phase.effortDays * 100), 0);
  return {
    phases,
    totalEffortDays: roundDays(totalHundredths),
    totalEffortWeeks: Math.round(totalHundredths / DAYS_PER_WEEK / 10) / 10,
    risk: productionRisk(result.findings, result.rules.length),
  };
}

/** One entry per rule under its worst open severity. */
export function buildDebtInventory(result: Pick<AuditResult, 'findings' | 'rules'>): DebtInventory {
  const rules = new Map(result.rules.map((r) => [r.id, r]));
  const debt: DebtInventory = { critical: [], high: [], medium: [], low: [] };
  const entries: (DebtEntry & { severity: Severity })[] = [...byRule(result.findings)].map(([ruleId, list]) => ({
    ruleId,
    title: rules.get(ruleId)?.title ?? ruleId,
    area: list[0].area,
    occurrences: list.length,
    files: new Set(list.map((f) => f.file)).size,
    severity: worstSeverity(list),
  }));
  for (const { severity, ...entry } of entries.sort(byPriority)) debt[severity].push(entry);
  return debt;
}

/** Rules whose open-finding count is itself a metric worth driving to zero. */
const RULE_METRICS: { ruleId: string; id: string; label: string; note: string }[] = [
  { ruleId: 'reliability/silent-exception', id: 'silent-exception-handlers', label: 'Silent exception handlers', note: 'every failure is logged or re-raised' },
  { ruleId: 'reliability/broad-exception', id: 'broad-exception-handlers', label: 'Broad exception handlers', note: 'catch what can be handled; a real boundary stays with a suppression and its reason' },
  { ruleId: 'code-quality/print-statement', id: 'print-console-calls', label: 'print / console calls', note: 'output goes through the logger' },
  { ruleId: 'code-quality/explicit-any', id: 'explicit-any', label: 'Explicit `any` types', note: 'every value has a real type' },
  { ruleId: 'code-quality/trailing-whitespace', id: 'trailing-whitespace-lines', label: 'Lines with trailing whitespace', note: 'a formatter or editor setting keeps it at zero' },
  { ruleId: 'code-quality/todo-comment', id: 'todo-markers', label: 'TODO / FIXME / HACK markers', note: 'known debt gets an issue, not a comment' },
  { ruleId: 'code-quality/type-check-suppressed', id: 'type-check-suppressions', label: 'Type-check suppressions without a reason', note: 'each suppression says why' },
];

/** Diagnostics that mean a file was not (fully) audited; `config` and `suppression` are about settings. */
const INCOMPLETE_AUDIT_KINDS = new Set(['unreadable', 'binary', 'encoding', 'too-large', 'minified', 'parse-error', 'symlink', 'rule-error']);

/** Findings per thousand code lines above which the tree needs a clean-up before new work (docs/report.md). */
export const FINDINGS_PER_KLOC_TARGET = 2;

/** Only what this run measured: a metric whose rule did not run is left out, never shown as 0. */
export function buildTrackedMetrics(result: Pick<AuditResult, 'findings' | 'rules' | 'inventory' | 'suppressed' | 'diagnostics' | 'measurements'>): TrackedMetric[] {
  const metrics: TrackedMetric[] = [];
  const severe = result.findings.filter((f) => f.severity === 'critical' || f.severity === 'high').length;
  metrics.push({ id: 'critical-high-findings', label: 'Critical and High findings', current: severe, target: 0, direction: 'at-most', note: 'nothing blocking is open before production' });
  if (result.inventory.codeLines > 0) {
    const perKloc = Math.round((result.findings.length * 10000) / result.inventory.codeLines) / 10;
    metrics.push({
      id: 'findings-per-kloc',
      label: 'Findings per 1,000 code lines',
      current: perKloc,
      target: FINDINGS_PER_KLOC_TARGET,
      direction: 'at-most',
      note: 'density, so the target holds as the code grows',
    });
  }
  const ran = new Set(result.rules.map((r) => r.id));
  for (const metric of RULE_METRICS) {
    if (!ran.has(metric.ruleId)) continue;
    const current = result.findings.filter((f) => f.ruleId === metric.ruleId).length;
    metrics.push({ id: metric.id, label: metric.label, current, target: 0, direction: 'at-most', note: `${metric.note} (\`${metric.ruleId}\`)` });
  }
  for (const measured of result.measurements) {
    if (measured.value === null) continue;
    const coverage = measured.kind === 'coverage';
    metrics.push({
      id: measured.id,
      label: coverage ? `${measured.label} (%)` : measured.label,
      current: measured.value,
      target: measured.target ?? null,
      direction: measured.target === undefined ? 'watch' : coverage ? 'at-least' : 'at-most',
      note: `${measured.note} (\`${measured.ruleId}\`)`,
    });
  }
  metrics.push({
    id: 'suppressed-findings',
    label: 'Suppressed findings (each with its reason)',
    current: result.suppressed.length,
    target: null,
    direction: 'watch',
    note: 'accepted on purpose; review the reasons every release',
  });
  metrics.push({
    id: 'suppressions-without-reason',
    label: 'Suppressions without a reason (ignored)',
    current: result.diagnostics.filter((d) => d.kind === 'suppression').length,
    target: 0,
    direction: 'at-most',
    note: 'a suppression says why, or it hides nothing',
  });
  metrics.push({
    id: 'files-not-fully-audited',
    label: 'Files not fully audited',
    current: new Set(result.diagnostics.filter((d) => INCOMPLETE_AUDIT_KINDS.has(d.kind)).map((d) => d.file)).size,
    target: 0,
    direction: 'at-most',
    note: 'every file parsed and checked by every rule (see Diagnostics)',
  });
  return metrics;
}

export function buildReportData(result: Pick<AuditResult, 'findings' | 'rules' | 'inventory' | 'suppressed' | 'diagnostics' | 'measurements'>): ReportData {
  const effortModel = {
    baseDays: { small: BASE_EFFORT_HUNDREDTHS.small / 100, medium: BASE_EFFORT_HUNDREDTHS.medium / 100, large: BASE_EFFORT_HUNDREDTHS.large / 100 },
    extraOccurrenceShare: EXTRA_OCCURRENCE_SHARE,
    maxExtraOccurrences: MAX_EXTRA_OCCURRENCES,
    daysPerWeek: DAYS_PER_WEEK,
  };
  return { model: ROADMAP_MODEL, effortModel, plan: buildActionPlan(result), debt: buildDebtInventory(result), metrics: buildTrackedMetrics(result) };
}
