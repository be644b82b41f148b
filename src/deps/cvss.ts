// CVSS v3.x base score from a vector string (the FIRST specification's formula): OSV records
// carry the vector (`CVSS:3.1/AV:N/AC:L/…`), not the number the severity bands need.
import type { Severity } from '../core/types.js';

const WEIGHTS: Record<string, Record<string, number>> = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
};

/** CVSS's "round up to one decimal", done on integers to avoid floating-point surprises. */
function roundUp(value: number): number {
  const int = Math.round(value * 100000);
  return int % 10000 === 0 ? int / 100000 : (Math.floor(int / 10000) + 1) / 10;
}

export function cvss3BaseScore(vector: string): number | undefined {
  if (!/^CVSS:3\.[01]\//.test(vector)) return undefined;
  const metrics = Object.fromEntries(vector.split('/').slice(1).map((part) => part.split(':') as [string, string]));
  const scopeChanged = metrics.S === 'C';
  const pr = { N: 0.85, L: scopeChanged ? 0.68 : 0.62, H: scopeChanged ? 0.5 : 0.27 }[metrics.PR as 'N' | 'L' | 'H'];
  const value = (metric: string) => WEIGHTS[metric]?.[metrics[metric]];
  const [av, ac, ui, c, i, a] = ['AV', 'AC', 'UI', 'C', 'I', 'A'].map(value);
  if ([av, ac, ui, c, i, a, pr].some((v) => v === undefined) || (metrics.S !== 'U' && metrics.S !== 'C')) return undefined;
  const iss = 1 - (1 - c!) * (1 - i!) * (1 - a!);
  const impact = scopeChanged ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  if (impact <= 0) return 0;
  const exploitability = 8.22 * av! * ac! * pr! * ui!;
  return scopeChanged ? roundUp(Math.min(1.08 * (impact + exploitability), 10)) : roundUp(Math.min(impact + exploitability, 10));
}

/** The brief's bands: critical ≥ 9, high ≥ 7, medium ≥ 4, else low. */
export function severityOfScore(score: number): Severity {
  return score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low';
}
