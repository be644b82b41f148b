// The shared vocabulary of Probity. Analysis produces these values; reporters only read them.

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const AREAS = [
  'security',
  'reliability',
  'performance',
  'database',
  'infrastructure',
  'dependencies',
  'testing',
  'code-quality',
  'consistency',
  'architecture',
  'documentation',
  'observability',
] as const;
export type Area = (typeof AREAS)[number];

/** The finding types of the seed documents. */
export const FINDING_TYPES = ['bug', 'performance', 'security', 'consistency', 'enhancement'] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

export const EFFORTS = ['small', 'medium', 'large'] as const;
export type Effort = (typeof EFFORTS)[number];

export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/**
 * Language families a rule can claim. `py` and `ts` are parsed; `ts` covers TypeScript, TSX and
 * JavaScript (incl. JSX, .mjs, .cjs). `any` means every text file (line-based rules).
 */
export const RULE_LANGUAGES = ['py', 'ts', 'sql', 'compose', 'docker', 'env', 'repo', 'any'] as const;
export type RuleLanguage = (typeof RULE_LANGUAGES)[number];

/** Rule languages read from text files: SQL DDL and Prisma schemas, docker-compose files, Dockerfiles, `.env` files. */
export type TextRuleLanguage = 'sql' | 'compose' | 'docker' | 'env';

/** Concrete languages of discovered files. */
export type SourceLanguage = 'python' | 'typescript' | 'tsx' | 'javascript';
export type FileLanguage = SourceLanguage | 'text';

export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export interface Finding {
  ruleId: string;
  area: Area;
  severity: Severity;
  type: FindingType;
  effort: Effort;
  /** POSIX path relative to the audited root. */
  file: string;
  line: number;
  endLine: number;
  column: number;
  endColumn: number;
  message: string;
  /** The offending code (first lines of it), with secrets masked. */
  snippet: string;
  /** Stable across line shifts: rule + path + normalised snippet + occurrence. */
  fingerprint: string;
  /** Internal, never in output: the finding stands only if the project-wide metric reaches this value. */
  projectCondition?: ProjectCondition;
}

/** A finding that only makes sense in a project that adopted something (type hints in most code). */
export interface ProjectCondition {
  metric: string;
  atLeast: number;
}

export type SuppressionKind = 'inline' | 'nosec' | 'config';

export interface SuppressedFinding extends Finding {
  suppression: { kind: SuppressionKind; reason: string };
}

export const DIAGNOSTIC_KINDS = [
  'not-found',
  'unreadable',
  'binary',
  'encoding',
  'too-large',
  'minified',
  'parse-error',
  'symlink',
  'config',
  'suppression',
  'rule-error',
  'git',
] as const;
export type DiagnosticKind = (typeof DIAGNOSTIC_KINDS)[number];

/** A problem with the input (not with the audited code): reported, never fatal. */
export interface Diagnostic {
  /** POSIX path relative to the audited root ('' for the root itself). */
  file: string;
  kind: DiagnosticKind;
  reason: string;
  line?: number;
}
