// The roadmap sections (action plan, technical-debt inventory, metrics to track) rendered from the
// ReportData that src/score/roadmap.ts computed. Presentation only.
import type { ReportData, TrackedMetric } from '../../core/report-data.js';
import { SEVERITIES } from '../../core/types.js';
import { SEVERITY_LABEL, plural } from '../format.js';
import { NOT_MEASURED, days, engineerDays, table } from './blocks.js';

const MAX_FILES_LISTED = 3;

function filesCell(files: readonly string[]): string {
  const listed = files.slice(0, MAX_FILES_LISTED).join(', ');
  return files.length > MAX_FILES_LISTED ? `${listed} (+${files.length - MAX_FILES_LISTED} more)` : listed;
}

export function actionPlanSection(report: ReportData | undefined): string[] {
  const out = ['## Prioritized action plan', ''];
  if (!report) return [...out, `Action plan: ${NOT_MEASURED} (this result carries no report data).`, ''];
  const { plan, effortModel: m } = report;
  const share = Math.round(m.extraOccurrenceShare * 100);
  out.push(
    'Every Critical finding is in phase 1; every other finding is in the phase of its area. Effort per problem (one rule in one phase): ' +
      `Small ${days(m.baseDays.small)}, Medium ${days(m.baseDays.medium)}, Large ${days(m.baseDays.large)} engineer-days, ` +
      `+${share}% of that for each further occurrence (at most +${share * m.maxExtraOccurrences}%); model \`${report.model}\`, docs/report.md.`,
    '',
  );
  for (const phase of plan.phases) {
    out.push(`### Phase ${phase.number}: ${phase.title} (${engineerDays(phase.effortDays)})`, '');
    if (!phase.items.length) {
      out.push('No open finding in this phase.', '');
      continue;
    }
    const rows = phase.items.map((item, i) => [
      i + 1,
      `${item.title} (\`${item.ruleId}\`)`,
      SEVERITY_LABEL[item.severity],
      item.occurrences,
      filesCell(item.files),
      `${days(item.effortDays)} (${item.effort})`,
    ]);
    out.push(...table(['#', 'Problem', 'Worst severity', 'Occurrences', 'Files', 'Effort (days)'], rows), '');
  }
  out.push(`**Estimated total effort:** ${engineerDays(plan.totalEffortDays)} (≈ ${plan.totalEffortWeeks} engineer-weeks of ${m.daysPerWeek} days)  `);
  out.push(`**Production risk level:** ${plan.risk.level.toUpperCase()} — ${plan.risk.reason}`, '');
  return out;
}

export function debtSection(report: ReportData | undefined): string[] {
  const out = ['## Technical-debt inventory', ''];
  if (!report) return [...out, `Debt inventory: ${NOT_MEASURED} (this result carries no report data).`, ''];
  out.push('One line per distinct problem (rule), under its worst open severity.', '');
  for (const severity of SEVERITIES) {
    out.push(`### ${SEVERITY_LABEL[severity]}`, '');
    const entries = report.debt[severity];
    if (!entries.length) out.push('None.');
    entries.forEach((entry, i) => {
      out.push(`${i + 1}. ${entry.title} (\`${entry.ruleId}\`): ${plural(entry.occurrences, 'occurrence')} in ${plural(entry.files, 'file')}`);
    });
    out.push('');
  }
  return out;
}

function target(metric: TrackedMetric): string {
  if (metric.target === null) return 'watch';
  if (metric.direction === 'at-least') return `≥ ${metric.target}`;
  return metric.direction === 'at-most' && metric.target > 0 ? `≤ ${metric.target}` : String(metric.target);
}

export function trackedMetricsSection(report: ReportData | undefined): string[] {
  const out = ['## Key metrics to track', ''];
  if (!report) return [...out, `Metrics to track: ${NOT_MEASURED} (this result carries no report data).`, ''];
  const rows = report.metrics.map((m) => [m.label, `${m.current} → ${target(m)}`, m.note]);
  out.push(...table(['Metric', 'Current → target', 'Why'], rows), '');
  out.push('Test-to-code ratio, test coverage and type-hint coverage: not measured yet.', '');
  return out;
}
