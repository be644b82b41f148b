// The audit plan as data (AUDIT_PLAN.md's content): what build-plan produces and plan-markdown
// renders. Plain and serialisable, so a JSON form or another renderer can use it as it is.
import { SEVERITIES, type Finding, type Severity } from '../core/types.js';
import type { Component, Inventory } from '../core/audit-result.js';
import type { ChecklistKind } from './checklists.js';

export interface PlanInput {
  project: { name: string };
  tool: { version: string };
  /** ISO timestamp; the plan's date line. */
  generatedAt: string;
  inventory: Inventory;
  /** Rules that exist: the loaded catalog plus any rule the audit ran. */
  catalog: readonly CatalogRule[];
  /** The audit's outcome; without it no item is ticked. */
  audit?: {
    /** Ids of the rules that ran. */
    rulesRun: readonly string[];
    findings: readonly Finding[];
    suppressed: readonly Finding[];
  };
}

/** A rule as the plan needs it: its id and the language families it reads (py, ts, any). */
export interface CatalogRule {
  id: string;
  languages: readonly string[];
}

export type SeverityCounts = Record<Severity, number>;

/** What one rule found, within the scope of the item (a component, or the whole project). */
export interface RuleOutcome {
  ruleId: string;
  /** False when the rule reads none of the component's languages (a Python-only rule on TypeScript). */
  applies: boolean;
  /** The language families the rule reads: py, ts, any. */
  languages: string[];
  /** null: the rule did not run (no audit, disabled or preview in it) or does not apply here. */
  findings: number | null;
  bySeverity: SeverityCounts;
  suppressed: number;
  /** "path:line" of every finding, worst severity first. */
  locations: string[];
}

export interface PlanCheck {
  text: string;
  /** Rules of the catalog that check this item. */
  automated: RuleOutcome[];
  /** Ids the checklist names that are not in the catalog yet. */
  planned: string[];
  /** Ticked: every named rule exists, applies here and ran in the audit. Partly automated items stay open. */
  checked: boolean;
}

export interface PlanFile {
  path: string;
  codeLines: number;
  /** null without an audit. */
  findings: number | null;
  bySeverity: SeverityCounts;
}

export interface PlanSection {
  /** "3.2". */
  number: string;
  title: string;
  component?: {
    path: string;
    role: Component['role'];
    kind: ChecklistKind;
    /** The component is one file (models.py), not a folder. */
    isFile: boolean;
    files: number;
    codeLines: number;
    /** Language → code lines, largest first. */
    languages: [string, number][];
  };
  /** The largest files first (at most five, as the inventory keeps them). */
  files: PlanFile[];
  /** Files of the component beyond those listed. */
  moreFiles?: { files: number; codeLines: number };
  checks: PlanCheck[];
  /** Findings inside the component from rules its checklist does not name. */
  alsoFound: RuleOutcome[];
  /** All findings in the component; null for project-wide sections or without an audit. */
  findings: { total: number; bySeverity: SeverityCounts } | null;
}

export interface PlanPart {
  number: number;
  key: string;
  title: string;
  scope: 'component' | 'project';
  sections: PlanSection[];
}

export interface PhaseEntry {
  /** The section or part it points to: "1.2" or "9". */
  ref: string;
  title: string;
  /** Why it sits in this phase, from measured facts. */
  reason: string;
}

export interface AuditPhase {
  number: number;
  title: string;
  /** Who it affects, as seed 000 says it. */
  affects: string;
  entries: PhaseEntry[];
}

export interface SuccessCriterion {
  text: string;
  met: boolean;
}

export interface AuditPlan {
  project: string;
  date: string;
  toolVersion: string;
  scope: { files: number; codeLines: number; languages: [string, number][]; components: number };
  /** null when no audit ran. */
  audit: { findings: number; bySeverity: SeverityCounts; rulesRun: number; suppressed: number } | null;
  parts: PlanPart[];
  phases: AuditPhase[];
  coverage: { items: number; automated: number; partlyAutomated: number; manual: number; checked: number };
  /** The fields of seed 000's per-finding format, with their allowed values. */
  outputFormat: { severities: string[]; types: string[]; efforts: string[] };
  successCriteria: SuccessCriterion[];
}

export function zeroCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0 };
}

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts = zeroCounts();
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/** "1 critical, 2 high": only the severities present. */
export function severityText(counts: SeverityCounts): string {
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
}
