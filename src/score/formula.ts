// The scoring formula's constants and pure arithmetic (docs/scoring.md explains every number).
// Every function here is nondecreasing in the findings it is given, which is what makes the
// scores monotone: a finding can only add points to a deficit or lower a cap.
import type { ScoreArea } from '../core/audit-result.js';
import type { Area, RuleLanguage, Severity } from '../core/types.js';

/** Bump when any constant or step changes, so stored runs are never compared across formulas. */
export const SCORE_FORMULA = 'probity-score/1';

/** Rule areas roll up into report areas (REPORTS.md). */
export const SCORE_AREA_OF: Record<Area, ScoreArea> = {
  security: 'security',
  reliability: 'reliability',
  performance: 'performance',
  'code-quality': 'maintainability',
  consistency: 'maintainability',
  testing: 'testing',
  architecture: 'architecture',
  database: 'data',
  infrastructure: 'infrastructure',
  dependencies: 'dependencies',
  documentation: 'documentation',
  observability: 'observability',
};

/**
 * The most points the findings of one severity of one rule can cost an area: however often a
 * rule fires, it stays one kind of problem (hundreds of `any` are one habit, not hundreds of bugs).
 */
export const MAX_POINTS: Record<Severity, number> = { critical: 60, high: 30, medium: 15, low: 8 };

/**
 * Occurrences per size unit at which a rule's severity bucket costs 1 − 1/e ≈ 63 % of its
 * maximum. With 2, the first finding in a 1 k-line area costs 39 % of the maximum, the fifth 92 %.
 */
export const SATURATION = 2;

/** Areas judging fewer code lines than this are scored as if they had this many. */
export const SIZE_FLOOR_LINES = 1000;
/** The size unit: occurrences are divided by (lines / SIZE_UNIT_LINES) ^ SIZE_EXPONENT. */
export const SIZE_UNIT_LINES = 1000;
/** Square root: 10× the code divides a finding's weight by √10 ≈ 3.16, 100× by 10. */
export const SIZE_EXPONENT = 0.5;

/**
 * The highest score an area can have while a finding of that severity is open: Critical keeps it
 * under 40, High under 70, Medium under 90 and any open finding under 100, so the band a score
 * falls in never hides the worst open severity.
 */
export const SEVERITY_CAP: Record<Severity, number> = { critical: 39, high: 69, medium: 89, low: 99 };

/** The health score's ceiling while any measured area has an open Critical. */
export const HEALTH_CRITICAL_CAP = 49;

/** Weights of the health score's weighted mean: what breaks production or leaks data first. */
export const HEALTH_WEIGHTS: Record<ScoreArea, number> = {
  security: 5,
  reliability: 4,
  data: 3,
  performance: 3,
  architecture: 2,
  testing: 2,
  maintainability: 2,
  infrastructure: 2,
  dependencies: 2,
  observability: 1,
  documentation: 1,
};

/** Inventory languages a rule language judges (`any`: every text file the inventory counts). */
export const LANGUAGES_OF: Record<Exclude<RuleLanguage, 'any'>, readonly string[]> = {
  py: ['python'],
  ts: ['typescript', 'tsx', 'javascript'],
  sql: ['sql', 'prisma'],
  compose: ['yaml'],
  docker: ['dockerfile'],
  env: ['dotenv'],
  repo: [],
};

/** The divisor applied to occurrence counts for an area judging `codeLines` lines. */
export function sizeFactor(codeLines: number): number {
  return Math.pow(Math.max(codeLines, SIZE_FLOOR_LINES) / SIZE_UNIT_LINES, SIZE_EXPONENT);
}

/** Points `count` open findings of one rule at one severity cost: saturating, never above MAX_POINTS. */
export function bucketPoints(severity: Severity, count: number, size: number): number {
  return MAX_POINTS[severity] * (1 - Math.exp(-count / (size * SATURATION)));
}

/**
 * Points of deficit that take an area from 100 to 100/e ≈ 37. The score decays exponentially
 * rather than linearly, so a terrible area and a catastrophic one still differ (a linear
 * `100 − deficit` reaches 0 and stops telling them apart) and the first points cost the most.
 */
export const DEFICIT_SCALE = 100;

/** The uncapped area score for a deficit: 100 · e^(−deficit / DEFICIT_SCALE), rounded. Decreasing in the deficit. */
export function areaScoreOf(deficit: number): number {
  return Math.round(100 * Math.exp(-deficit / DEFICIT_SCALE));
}
