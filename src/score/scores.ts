// Area scores and the System Health Score from the open findings, the inventory and the rules
// that ran (formula: docs/scoring.md; constants: ./formula.ts). Pure and order-independent: the
// same findings in any order give the same scores, and adding a finding never raises one.
import type { AreaScore, Inventory, RuleSummary, ScoreArea, ScoreCost, Scores } from '../core/audit-result.js';
import { SCORE_AREAS } from '../core/audit-result.js';
import { SEVERITIES, severityRank, type Finding, type RuleLanguage, type Severity } from '../core/types.js';
import {
  areaScoreOf,
  bucketPoints,
  HEALTH_CRITICAL_CAP,
  HEALTH_WEIGHTS,
  LANGUAGES_OF,
  SCORE_AREA_OF,
  SCORE_FORMULA,
  SEVERITY_CAP,
  sizeFactor,
} from './formula.js';

export interface ScoreInput {
  /** Open findings (suppressed ones are not passed: they cost nothing). */
  findings: readonly Finding[];
  inventory: Pick<Inventory, 'codeLines' | 'languages'>;
  /** The rules that ran: they alone decide which areas are measured. */
  rules: readonly Pick<RuleSummary, 'id' | 'area' | 'languages'>[];
}

/**
 * `Scores` with a health score that can be absent: when no area is measured (every rule
 * disabled, or no code any rule reads) there is nothing to average, and the report must say
 * "not measured" rather than print a number.
 */
export type ComputedScores = Scores;

interface AreaRules {
  count: number;
  judgedLines: number;
  languages: string[];
}

type SeverityCounts = Record<Severity, number>;

export function computeScores(input: ScoreInput): ComputedScores {
  const ran = rulesByArea(input);
  const open = findingsByArea(input.findings);
  const scored = SCORE_AREAS.map((area) => scoreArea(area, ran.get(area), open.get(area) ?? new Map()));
  return { health: healthOf(scored), formula: SCORE_FORMULA, areas: scored.map((s) => s.score) };
}

function rulesByArea(input: ScoreInput): Map<ScoreArea, AreaRules> {
  const languagesByArea = new Map<ScoreArea, Set<string>>();
  const counts = new Map<ScoreArea, number>();
  for (const rule of input.rules) {
    const area = SCORE_AREA_OF[rule.area];
    counts.set(area, (counts.get(area) ?? 0) + 1);
    const languages = languagesByArea.get(area) ?? new Set<string>();
    for (const language of rule.languages) languages.add(language);
    languagesByArea.set(area, languages);
  }
  const result = new Map<ScoreArea, AreaRules>();
  for (const [area, ruleLanguages] of languagesByArea) {
    // `any` and `repo` rules judge the whole tree.
    const wholeTree = ruleLanguages.has('any') || ruleLanguages.has('repo');
    const judged = wholeTree
      ? Object.keys(input.inventory.languages)
      : [...ruleLanguages].flatMap((language) => LANGUAGES_OF[language as Exclude<RuleLanguage, 'any'>] ?? []);
    const languages = [...new Set(judged)].sort();
    // `any` rules read every inventoried file, so the total is exact even for unlisted kinds.
    const judgedLines = wholeTree
      ? input.inventory.codeLines
      : languages.reduce((sum, language) => sum + (input.inventory.languages[language]?.codeLines ?? 0), 0);
    result.set(area, { count: counts.get(area) ?? 0, judgedLines, languages });
  }
  return result;
}

function findingsByArea(findings: readonly Finding[]): Map<ScoreArea, Map<string, SeverityCounts>> {
  const result = new Map<ScoreArea, Map<string, SeverityCounts>>();
  for (const finding of findings) {
    const area = SCORE_AREA_OF[finding.area];
    const byRule = result.get(area) ?? new Map<string, SeverityCounts>();
    result.set(area, byRule);
    const counts = byRule.get(finding.ruleId) ?? { critical: 0, high: 0, medium: 0, low: 0 };
    byRule.set(finding.ruleId, counts);
    counts[finding.severity]++;
  }
  return result;
}

interface ScoredArea {
  score: AreaScore;
  /** The worst open severity, when the area is measured and has findings. */
  worst?: Severity;
}

function scoreArea(area: ScoreArea, rules: AreaRules | undefined, open: Map<string, SeverityCounts>): ScoredArea {
  const findings = [...open.values()].reduce((sum, counts) => sum + total(counts), 0);
  if (!rules || rules.judgedLines === 0) {
    const why = !rules
      ? 'no rule of this area ran'
      : `its ${rules.count === 1 ? 'rule' : 'rules'} found no ${rules.languages.join('/') || 'code'} lines to judge`;
    const unscored = findings ? `; ${findings === 1 ? '1 finding' : `${findings} findings`} not scored` : '';
    return { score: { area, score: null, findings, reason: `not measured: ${why}${unscored}`, topCosts: [] } };
  }

  const size = sizeFactor(rules.judgedLines);
  // Rule ids in a fixed order so the floating-point sum does not depend on the findings' order.
  const costs: ScoreCost[] = [];
  let deficit = 0;
  for (const ruleId of [...open.keys()].sort()) {
    const counts = open.get(ruleId)!;
    let points = 0;
    for (const severity of SEVERITIES) if (counts[severity]) points += bucketPoints(severity, counts[severity], size);
    deficit += points;
    costs.push({ ruleId, severity: worstOf(counts)!, occurrences: total(counts), points });
  }
  costs.sort((a, b) => b.points - a.points || severityRank(b.severity) - severityRank(a.severity) || (a.ruleId < b.ruleId ? -1 : 1));

  const uncapped = areaScoreOf(deficit);
  const worst = costs.reduce<Severity | undefined>((w, cost) => (!w || severityRank(cost.severity) > severityRank(w) ? cost.severity : w), undefined);
  const ceiling = worst ? SEVERITY_CAP[worst] : 100;
  const score = Math.min(uncapped, ceiling);
  const cap = worst && ceiling < uncapped ? { severity: worst, max: ceiling } : undefined;
  const topCosts = costs.slice(0, 5).map((cost) => ({ ...cost, points: Math.round(cost.points * 10) / 10 }));
  const reason = reasonOf(rules, open, costs, cap);
  return { score: { area, score, findings, ...(cap ? { cap } : {}), reason, topCosts }, worst };
}

/** Weighted mean of the measured areas' scores, capped while any of them has an open Critical. */
function healthOf(areas: ScoredArea[]): number | null {
  let weighted = 0;
  let weights = 0;
  let critical = false;
  for (const { score: area, worst } of areas) {
    if (area.score === null) continue;
    weighted += HEALTH_WEIGHTS[area.area] * area.score;
    weights += HEALTH_WEIGHTS[area.area];
    if (worst === 'critical') critical = true;
  }
  if (weights === 0) return null;
  const mean = Math.round(weighted / weights);
  return critical ? Math.min(mean, HEALTH_CRITICAL_CAP) : mean;
}

/** "4 findings (3 high, 1 medium) over 1.3 k lines; most points: security/shell-injection ×4; capped at 69 by an open High". */
function reasonOf(rules: AreaRules, open: Map<string, SeverityCounts>, costs: ScoreCost[], cap: AreaScore['cap']): string {
  const lines = `${formatLines(rules.judgedLines)} ${rules.languages.length === 1 ? `${rules.languages[0]} ` : ''}lines`;
  if (!costs.length) return `no open findings from ${rules.count === 1 ? '1 rule' : `${rules.count} rules`} over ${lines}`;
  const bySeverity: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const counts of open.values()) for (const severity of SEVERITIES) bySeverity[severity] += counts[severity];
  const count = total(bySeverity);
  const breakdown = SEVERITIES.filter((s) => bySeverity[s]).map((s) => `${bySeverity[s]} ${s}`).join(', ');
  const most = costs.slice(0, 2).map((cost) => `${cost.ruleId} ×${cost.occurrences}`).join(', ');
  const capped = cap ? `; capped at ${cap.max} by an open ${cap.severity.charAt(0).toUpperCase()}${cap.severity.slice(1)}` : '';
  return `${count === 1 ? '1 finding' : `${count} findings`} (${breakdown}) over ${lines}; most points: ${most}${capped}`;
}

function formatLines(lines: number): string {
  if (lines < 1000) return String(lines);
  if (lines < 100_000) return `${(lines / 1000).toFixed(1)} k`;
  return `${Math.round(lines / 1000)} k`;
}

function total(counts: SeverityCounts): number {
  return counts.critical + counts.high + counts.medium + counts.low;
}

function worstOf(counts: SeverityCounts): Severity | undefined {
  return SEVERITIES.find((severity) => counts[severity] > 0);
}
