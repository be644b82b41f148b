// Hand-built inputs for the scoring tests: findings, rules and inventories with only the fields
// the formula reads set to anything meaningful.
import type { Inventory, RuleSummary } from '../../src/core/audit-result.js';
import type { Area, Finding, RuleLanguage, Severity } from '../../src/core/types.js';
import type { ScoreInput } from '../../src/score/scores.js';

export type TestRule = Pick<RuleSummary, 'id' | 'area' | 'languages'>;

export function rule(id: string, languages: RuleLanguage[] = ['py', 'ts']): TestRule {
  return { id, area: id.slice(0, id.indexOf('/')) as Area, languages };
}

let serial = 0;

export function finding(ruleId: string, severity: Severity, file = 'app/main.py'): Finding {
  serial++;
  return {
    ruleId,
    area: ruleId.slice(0, ruleId.indexOf('/')) as Area,
    severity,
    type: 'bug',
    effort: 'small',
    file,
    line: serial,
    endLine: serial,
    column: 1,
    endColumn: 2,
    message: 'm',
    snippet: 's',
    fingerprint: `f${serial}`,
  };
}

/** `count` findings of one rule at one severity. */
export function findings(ruleId: string, severity: Severity, count: number): Finding[] {
  return Array.from({ length: count }, () => finding(ruleId, severity));
}

export function inventory(codeLinesByLanguage: Record<string, number>): ScoreInput['inventory'] {
  const languages: Inventory['languages'] = {};
  let codeLines = 0;
  for (const [language, lines] of Object.entries(codeLinesByLanguage)) {
    languages[language] = { files: 1, lines, codeLines: lines };
    codeLines += lines;
  }
  return { codeLines, languages };
}

/** Mulberry32: a tiny seeded PRNG, so property runs are reproducible from their seed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
