// Presentation helpers shared by the human-readable reporters.
import type { ScoreArea } from '../core/audit-result.js';
import type { Area, Severity } from '../core/types.js';

export const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

export const AREA_TITLE: Record<Area, string> = {
  security: 'Security',
  reliability: 'Reliability',
  performance: 'Performance',
  database: 'Database',
  infrastructure: 'Infrastructure',
  dependencies: 'Dependencies',
  testing: 'Testing',
  'code-quality': 'Code quality',
  consistency: 'Consistency',
  architecture: 'Architecture',
  documentation: 'Documentation',
  observability: 'Observability',
};

export function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}

export function formatNumber(value: number): string {
  return value.toLocaleString('en-US');
}

/** "12 findings (1 critical, 3 high, 5 medium, 3 low)". */
export function severityBreakdown(bySeverity: Record<Severity, number>): string {
  return (['critical', 'high', 'medium', 'low'] as const).map((s) => `${bySeverity[s]} ${s}`).join(', ');
}

/** Report area names as people write them. */
export const SCORE_AREA_TITLE: Record<ScoreArea, string> = {
  security: 'Security',
  reliability: 'Reliability',
  performance: 'Performance',
  maintainability: 'Maintainability',
  testing: 'Testing',
  architecture: 'Architecture',
  data: 'Data',
  infrastructure: 'Infrastructure',
  dependencies: 'Dependencies',
  documentation: 'Documentation',
  observability: 'Observability',
};
