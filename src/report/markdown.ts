// AUDIT_REPORT.md after REPORTS.md and seeds 004 and 000: header and scope, executive summary,
// architecture, one section per area with findings in seed 000's per-finding format (one entry
// per rule with every location), metrics, the phased action plan, the debt inventory, metrics to
// track, and what suppressions hid. Pure: it reads the AuditResult and its report data only.
import type { AuditResult, RuleSummary } from '../core/audit-result.js';
import type { Finding } from '../core/types.js';
import { AREA_TITLE, SEVERITY_LABEL, capitalise, formatNumber } from './format.js';
import { groupByArea, groupByRule } from './group.js';
import { architectureSection } from './markdown/architecture.js';
import { NOT_MEASURED, table } from './markdown/blocks.js';
import { actionPlanSection, debtSection, trackedMetricsSection } from './markdown/plan.js';
import { executiveSummary, headerSection, scopeSection } from './markdown/summary.js';
import { EXAMPLE_FENCE } from './example-languages.js';

/** The AuditResult with the roadmap data the engine attaches (src/score/roadmap.ts). */


function fenceFor(file: string): string {
  if (file.endsWith('.py')) return 'python';
  if (/\.[cm]?[jt]sx?$/.test(file)) return 'typescript';
  return '';
}

/** The folder most occurrences share, as the `[Component]` of the heading. */
function componentOf(findings: readonly Finding[]): string {
  const dirs = findings.map((f) => f.file.split('/').slice(0, -1));
  let common = dirs[0] ?? [];
  for (const dir of dirs) {
    let i = 0;
    while (i < common.length && i < dir.length && common[i] === dir[i]) i++;
    common = common.slice(0, i);
  }
  return common.length ? common.join('/') : dirs.length === 1 || new Set(findings.map((f) => f.file)).size === 1 ? findings[0].file : 'project';
}

const MAX_LOCATIONS = 50;
const LARGEST_FILES = 10;

function renderRuleEntry(rule: RuleSummary | undefined, ruleId: string, findings: Finding[]): string[] {
  const first = findings[0];
  const out: string[] = [];
  out.push(`### [${componentOf(findings)}] ${rule?.title ?? ruleId}`, '');
  out.push(`**Severity:** ${SEVERITY_LABEL[first.severity]}  `);
  out.push(`**Type:** ${capitalise(first.type)}  `);
  out.push(`**Rule:** \`${ruleId}\` (${findings.length === 1 ? '1 occurrence' : `${formatNumber(findings.length)} occurrences`})`, '');
  out.push('**Description:**', `${rule?.description ?? first.message} ${rule?.why ?? ''}`.trim(), '');
  out.push('**Current Behavior:**', `${first.message}`, '', '```' + fenceFor(first.file), first.snippet, '```', '');
  if (rule?.example) {
    out.push('**Expected Behavior:**', '', '```' + EXAMPLE_FENCE[rule.example.language], rule.example.good.trimEnd(), '```', '');
  }
  out.push('**Files Affected:**');
  for (const finding of findings.slice(0, MAX_LOCATIONS)) {
    const note = finding.severity !== first.severity ? ` (${SEVERITY_LABEL[finding.severity]})` : '';
    out.push(`- ${finding.file}:${finding.line}${note}`);
  }
  if (findings.length > MAX_LOCATIONS) out.push(`- … and ${findings.length - MAX_LOCATIONS} more (see the JSON report)`);
  out.push('');
  if (rule) out.push('**Recommendation:**', rule.recommendation, '');
  out.push(`**Effort:** ${capitalise(first.effort)}`, '');
  return out;
}

function areaSections(result: AuditResult): string[] {
  const rules = new Map(result.rules.map((rule) => [rule.id, rule]));
  const areas = groupByArea(result.findings);
  if (!areas.length) return ['## Findings', '', `No open finding from the ${result.rules.length} rules that ran.`, ''];
  const out: string[] = [];
  for (const [area, findings] of areas) {
    out.push(`## ${AREA_TITLE[area]}`, '');
    for (const group of groupByRule(findings)) out.push(...renderRuleEntry(rules.get(group.ruleId), group.ruleId, group.findings));
  }
  return out;
}

function metricsSection(result: AuditResult): string[] {
  const { inventory, summary } = result;
  const out = ['## Metrics', ''];
  const rows: (string | number)[][] = [
    ['Files audited', formatNumber(inventory.files)],
    ['Code lines', formatNumber(inventory.codeLines)],
    ['Components', inventory.components?.length ?? 0],
    ['Files with findings', summary.filesWithFindings],
  ];
  for (const metric of result.report?.metrics ?? []) rows.push([metric.label, metric.current]);
  out.push(...table(['Metric', 'Value'], rows), '');
  // Every component lists its largest files; a file belongs to one component, so this is arrangement.
  const largest = (inventory.components ?? [])
    .flatMap((c) => c.largestFiles.map((f) => ({ ...f, component: c.path })))
    .sort((a, b) => b.codeLines - a.codeLines || a.path.localeCompare(b.path))
    .slice(0, LARGEST_FILES);
  if (largest.length) {
    out.push('### Largest files', '', ...table(['File', 'Code lines', 'Component'], largest.map((f) => [f.path, formatNumber(f.codeLines), `\`${f.component}\``])), '');
  }
  for (const measured of result.measurements) {
    if (!measured.worstFiles.length) continue;
    const heading = measured.kind === 'coverage' ? `${measured.label}: ${measured.value ?? '—'}% (${formatNumber(measured.count)} of ${formatNumber(measured.total ?? 0)}); files furthest from it` : `${measured.label}: ${formatNumber(measured.count)}; files with the most`;
    const rows = measured.worstFiles.map((f) => [f.path, f.total === undefined ? formatNumber(f.count) : `${formatNumber(f.count)} of ${formatNumber(f.total)}`]);
    out.push(`### ${heading}`, '', ...table(['File', measured.kind === 'coverage' ? 'Meets the bar' : 'Count'], rows), '');
  }
  // Dependency counts are measured when the dependency rules ran; say so only when they did not.
  const dependencyCounts = result.measurements.some((m) => m.id === 'dependencies-declared') ? '' : ', dependency counts';
  out.push(`Largest functions, components without tests, test-to-code ratio${dependencyCounts}: ${NOT_MEASURED}.`, '');
  return out;
}

function suppressedSection(result: AuditResult): string[] {
  const out = ['## Suppressed and accepted', ''];
  if (!result.suppressed.length) return [...out, 'Nothing was suppressed.', ''];
  const rows = result.suppressed.map((f) => [`\`${f.ruleId}\``, `${f.file}:${f.line}`, SEVERITY_LABEL[f.severity], f.suppression.kind, f.suppression.reason]);
  return [...out, ...table(['Rule', 'Location', 'Severity', 'How', 'Reason'], rows), ''];
}

/** Checks that did not run: their absence of findings says nothing. One line each. */
function skippedChecksSection(result: AuditResult): string[] {
  const skipped = result.skippedChecks ?? [];
  if (!skipped.length) return [];
  return ['## Skipped checks', '', ...skipped.map((s) => `- \`${s.rule}\` skipped: ${s.reason}`), ''];
}

function diagnosticsSection(result: AuditResult): string[] {
  if (!result.diagnostics.length) return [];
  const rows = result.diagnostics.map((d) => [`${d.file || '(root)'}${d.line ? `:${d.line}` : ''}`, d.kind, d.reason]);
  return ['## Diagnostics', '', 'Files Probity could not fully audit:', '', ...table(['File', 'Problem', 'Detail'], rows), ''];
}

export function renderMarkdown(result: AuditResult): string {
  const out = [
    ...headerSection(result),
    ...scopeSection(result),
    ...executiveSummary(result),
    ...architectureSection(result),
    ...areaSections(result),
    ...metricsSection(result),
    ...actionPlanSection(result.report),
    ...debtSection(result.report),
    ...trackedMetricsSection(result.report),
    ...suppressedSection(result),
    ...skippedChecksSection(result),
    ...diagnosticsSection(result),
  ];
  return `${out.join('\n').trimEnd()}\n`;
}
