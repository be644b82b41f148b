// The one object analysis hands to reporters. Its JSON form is a public contract:
// schemas/audit-result.schema.json describes it and a test validates real output against it.
import type { Area, Confidence, Diagnostic, Effort, Finding, FindingType, RuleLanguage, Severity, SuppressedFinding } from './types.js';

export const SCHEMA_VERSION = '1.0.0';

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

export interface Inventory {
  files: number;
  lines: number;
  codeLines: number;
  /** Keyed by language: python, typescript, tsx, javascript, and for other text files yaml, json, toml, dockerfile, dotenv, shell, sql… */
  languages: Record<string, LanguageStats>;
  /** Files and folders left out, counted by reason. */
  excluded: Record<string, number>;
  stack: StackItem[];
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

export interface AuditSummary {
  total: number;
  bySeverity: Record<Severity, number>;
  byArea: Partial<Record<Area, number>>;
  filesWithFindings: number;
  suppressed: number;
  diagnostics: number;
}

export interface AuditResult {
  schemaVersion: string;
  tool: { name: 'probity'; version: string };
  /** The audited folder's name and the path as given on the command line. */
  project: { name: string; root: string };
  generatedAt: string;
  durationMs: number;
  failOn: Severity | 'none';
  inventory: Inventory;
  /** The rules that ran. */
  rules: RuleSummary[];
  findings: Finding[];
  suppressed: SuppressedFinding[];
  diagnostics: Diagnostic[];
  /** Milliseconds per rule and for parsing, summed over threads; only with `--timing`. */
  timings?: Record<string, number>;
  summary: AuditSummary;
}
