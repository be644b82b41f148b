// What the full report needs beyond findings and scores: the phased action plan, the debt
// inventory and the metrics to track. Built by src/score/roadmap.ts (analysis), read by the
// reporters (presentation). The model behind the numbers is documented in docs/report.md.
import type { Area, Effort, Severity } from './types.js';

/** REPORTS.md's five phases, in the order work should happen. */
export const PHASES = [
  { number: 1, id: 'critical-security', title: 'Critical security' },
  { number: 2, id: 'reliability', title: 'Reliability' },
  { number: 3, id: 'performance', title: 'Performance' },
  { number: 4, id: 'testing-documentation', title: 'Testing and documentation' },
  { number: 5, id: 'production-readiness', title: 'Production readiness' },
] as const;
export type PhaseId = (typeof PHASES)[number]['id'];

export const RISK_LEVELS = ['critical', 'high', 'medium', 'low'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** One rule's open findings inside one phase. */
export interface PlanItem {
  ruleId: string;
  title: string;
  area: Area;
  /** The worst severity among these occurrences. */
  severity: Severity;
  /** The rule's effort class (small / medium / large). */
  effort: Effort;
  occurrences: number;
  /** Distinct files, sorted. */
  files: string[];
  /** Engineer-days for these occurrences (docs/report.md). */
  effortDays: number;
}

export interface PlanPhase {
  number: number;
  id: PhaseId;
  title: string;
  /** Worst severity first, then most occurrences, then rule id. */
  items: PlanItem[];
  effortDays: number;
}

export interface ActionPlan {
  phases: PlanPhase[];
  totalEffortDays: number;
  /** Engineer-weeks of five days, one decimal. */
  totalEffortWeeks: number;
  risk: { level: RiskLevel; reason: string };
}

/** One distinct problem (one rule), not one occurrence. */
export interface DebtEntry {
  ruleId: string;
  title: string;
  area: Area;
  occurrences: number;
  files: number;
}

export type DebtInventory = Record<Severity, DebtEntry[]>;

export interface TrackedMetric {
  id: string;
  label: string;
  current: number;
  /** The value to reach; null when the metric is watched rather than driven to a number. */
  target: number | null;
  /** How to read the target: the value must not exceed it, must reach it (coverage), or is only watched. */
  direction: 'at-most' | 'at-least' | 'watch';
  /** Why this target (one line). */
  note: string;
}

/** The constants behind every effort number, so the report can state them (docs/report.md). */
export interface EffortModel {
  /** Engineer-days for the first occurrence of a rule in a phase, by the rule's effort class. */
  baseDays: Record<Effort, number>;
  /** Each further occurrence adds this share of the base (0.1 = 10%)… */
  extraOccurrenceShare: number;
  /** …for at most this many further occurrences. */
  maxExtraOccurrences: number;
  daysPerWeek: number;
}

export interface ReportData {
  /** Identifies the phase mapping and effort model (docs/report.md), so stored runs compare honestly. */
  model: string;
  effortModel: EffortModel;
  plan: ActionPlan;
  debt: DebtInventory;
  metrics: TrackedMetric[];
}
