// The one object analysis hands to reporters. Its JSON form is a public contract:
// schemas/audit-result.schema.json describes it and a test validates real output against it.
import type { ReportData } from './report-data.js';
import type { Area, Confidence, Diagnostic, Effort, Finding, FindingType, RuleLanguage, Severity, SuppressedFinding } from './types.js';

export const SCHEMA_VERSION = '1.2.0';

export interface LanguageStats {
  files: number;
  lines: number;
  /** Lines that are neither blank nor comment-only. */
  codeLines: number;
}

export interface StackItem {
  name: string;
  category: string;
  evidence: string[];
}

/** A folder grouped by the role its code plays (after seed 000's parts: models, handlers, services…). */
export interface Component {
  /** Display name, e.g. "backend/app/routes". */
  name: string;
  /** POSIX folder relative to the audited root. */
  path: string;
  role: ComponentRole;
  files: number;
  codeLines: number;
  /** Language → code lines. */
  languages: Record<string, number>;
  /** The largest files first (path relative to the root, code lines). */
  largestFiles: { path: string; codeLines: number }[];
}

export const COMPONENT_ROLES = [
  'models',
  'repositories',
  'migrations',
  'routes',
  'handlers',
  'services',
  'cache',
  'config',
  'tools',
  'middleware',
  'frontend',
  'scripts',
  'tests',
  'infra',
  'other',
] as const;
export type ComponentRole = (typeof COMPONENT_ROLES)[number];

/** A service of a docker-compose file, for the architecture section. */
export interface ComposeServiceSummary {
  /** The compose file, relative to the root. */
  file: string;
  name: string;
  image?: string;
  /** Build context, when the service is built from the repository. */
  build?: string;
  /** Host side of published ports (`8000`, `127.0.0.1:5432`). */
  ports: string[];
  dependsOn: string[];
  networks: string[];
  volumes: string[];
}

export interface Inventory {
  files: number;
  lines: number;
  codeLines: number;
  /** Keyed by language: python, typescript, tsx, javascript, and for other text files yaml, json, toml, dockerfile, dotenv, shell, sql… */
  languages: Record<string, LanguageStats>;
  /** Files and folders left out, counted by reason. */
  excluded: Record<string, number>;
  stack: StackItem[];
  /** Folders grouped by role; empty until components are detected. */
  components: Component[];
  /** Services of the docker-compose files in the tree. */
  services: ComposeServiceSummary[];
}

/** Rule metadata as reporters need it (help text, SARIF rule descriptors, docs links). */
export interface RuleSummary {
  id: string;
  title: string;
  area: Area;
  severity: Severity;
  type: FindingType;
  effort: Effort;
  confidence: Confidence;
  languages: RuleLanguage[];
  description: string;
  why: string;
  recommendation: string;
  example?: { language: string; bad: string; good: string };
  references: string[];
  cwe?: string[];
}

/** A rule metric summed over the audited files (type-hint coverage, `any` count…). */
export interface Measurement {
  id: string;
  ruleId: string;
  label: string;
  kind: 'coverage' | 'count';
  /** coverage: items that meet the bar; count: occurrences. */
  count: number;
  /** coverage only: all items measured. */
  total?: number;
  /** coverage: percentage with one decimal (null when nothing was measured); count: the count. */
  value: number | null;
  target?: number;
  note: string;
  /** Files that contributed. */
  files: number;
  /** The files that weigh most: most occurrences, or for coverage the most items falling short (at most 10). */
  worstFiles: { path: string; count: number; total?: number }[];
}

/** A selected rule that did not run (or ran without the data it needs). */
export interface SkippedCheck {
  rule: string;
  reason: string;
}

export interface AuditSummary {
  total: number;
  bySeverity: Record<Severity, number>;
  byArea: Partial<Record<Area, number>>;
  filesWithFindings: number;
  suppressed: number;
  diagnostics: number;
}

/**
 * Report areas (REPORTS.md): rule areas roll up into these. code-quality and consistency are
 * Maintainability; database is Data.
 */
export const SCORE_AREAS = [
  'security',
  'reliability',
  'performance',
  'maintainability',
  'testing',
  'architecture',
  'data',
  'infrastructure',
  'dependencies',
  'documentation',
  'observability',
] as const;
export type ScoreArea = (typeof SCORE_AREAS)[number];

export interface ScoreCost {
  ruleId: string;
  /** The worst severity among its open findings. */
  severity: Severity;
  occurrences: number;
  /** Points of the area score this rule's findings cost. */
  points: number;
}

export interface AreaScore {
  area: ScoreArea;
  /** 0–100; null when no rule of the area ran (the report says "not measured", never a number). */
  score: number | null;
  /** Open findings counted in this area. */
  findings: number;
  /** The worst open severity's ceiling, when it bit. */
  cap?: { severity: Severity; max: number };
  /** One line saying why the score is what it is. */
  reason: string;
  /** The rules whose findings cost the most points, largest first (at most 5). */
  topCosts: ScoreCost[];
}

export interface Scores {
  /** System Health Score, 0–100; null when no area is measured (every rule disabled). */
  health: number | null;
  /** Identifies the formula (docs/scoring.md), so stored runs can be compared honestly. */
  formula: string;
  areas: AreaScore[];
}

export interface AuditResult {
  schemaVersion: string;
  tool: { name: 'probity'; version: string };
  /** The audited folder's name, the path as given on the command line, and the commit of HEAD when in a git repository. */
  project: { name: string; root: string; commit?: string };
  generatedAt: string;
  durationMs: number;
  failOn: Severity | 'none';
  inventory: Inventory;
  /** The rules that ran. */
  rules: RuleSummary[];
  findings: Finding[];
  suppressed: SuppressedFinding[];
  diagnostics: Diagnostic[];
  /** Metrics the rules measured, in catalog order (only rules that ran). */
  measurements: Measurement[];
  /** Area and health scores (docs/scoring.md). */
  scores: Scores;
  /** Action plan in phases, effort and risk, debt inventory, metrics to track (docs/report.md). */
  report: ReportData;
  /**
   * Checks that could not run and why (offline, registry unreachable): their findings are
   * missing from this result, which is not the same as having none. Added in 1.2.0.
   */
  skippedChecks: SkippedCheck[];
  /** Milliseconds per rule and for parsing, summed over threads; only with `--timing`. */
  timings?: Record<string, number>;
  summary: AuditSummary;
}
