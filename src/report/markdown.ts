// Markdown: findings in seed 000's per-finding format, one entry per rule and area with every
// location, so a reader gets one description and one fix for many occurrences.
import type { AuditResult, RuleSummary } from '../core/audit-result.js';
import type { Finding } from '../core/types.js';
import { AREA_TITLE, SEVERITY_LABEL, capitalise, formatNumber, plural, severityBreakdown } from './format.js';
import { groupByArea, groupByRule, languageSummary } from './group.js';

const FENCE: Record<string, string> = { py: 'python', ts: 'typescript', text: '' };

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

function escapeInline(text: string): string {
  return text.replace(/\|/g, '\\|');
}

const MAX_LOCATIONS = 50;

function renderRuleEntry(rule: RuleSummary | undefined, ruleId: string, findings: Finding[]): string[] {
  const first = findings[0];
  const out: string[] = [];
  out.push(`### [${componentOf(findings)}] ${rule?.title ?? ruleId}`, '');
  out.push(`**Severity:** ${SEVERITY_LABEL[first.severity]}  `);
  out.push(`**Type:** ${capitalise(first.type)}  `);
  out.push(`**Rule:** \`${ruleId}\` (${plural(findings.length, 'occurrence')})`, '');
  out.push('**Description:**', `${rule?.description ?? first.message} ${rule?.why ?? ''}`.trim(), '');
  out.push('**Current Behavior:**', `${first.message}`, '', '```' + fenceFor(first.file), first.snippet, '```', '');
  if (rule?.example) {
    out.push('**Expected Behavior:**', '', '```' + FENCE[rule.example.language], rule.example.good.trimEnd(), '```', '');
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

export function renderMarkdown(result: AuditResult): string {
  const rules = new Map(result.rules.map((rule) => [rule.id, rule]));
  const { inventory, summary } = result;
  const out: string[] = [];
  out.push(`# Audit report: ${result.project.name}`, '');
  out.push(`**Date:** ${result.generatedAt.slice(0, 10)}  `);
  out.push(`**Tool:** Probity ${result.tool.version}  `);
  out.push(
    `**Scope:** ${plural(inventory.files, 'file')}, ${formatNumber(inventory.codeLines)} code lines` +
      (inventory.codeLines ? ` (${languageSummary(result)})` : '') +
      `, ${plural(result.rules.length, 'rule')}`,
    '',
  );
  const excluded = Object.entries(inventory.excluded).filter(([, n]) => n > 0);
  if (excluded.length) {
    out.push(`**Excluded:** ${excluded.map(([reason, n]) => `${reason} ${n}`).join(', ')}`, '');
  }
  if (inventory.stack.length) out.push(`**Stack:** ${inventory.stack.map((s) => s.name).join(', ')}`, '');
  out.push('## Summary', '');
  out.push(`**Total issues:** ${summary.total} (${severityBreakdown(summary.bySeverity)})`, '');
  out.push('| Area | Critical | High | Medium | Low | Total |', '|---|---|---|---|---|---|');
  for (const [area, findings] of groupByArea(result.findings)) {
    const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
    out.push(`| ${AREA_TITLE[area]} | ${count('critical')} | ${count('high')} | ${count('medium')} | ${count('low')} | ${findings.length} |`);
  }
  out.push('');
  for (const [area, findings] of groupByArea(result.findings)) {
    out.push(`## ${AREA_TITLE[area]}`, '');
    for (const group of groupByRule(findings)) out.push(...renderRuleEntry(rules.get(group.ruleId), group.ruleId, group.findings));
  }
  if (result.suppressed.length) {
    out.push('## Suppressed and accepted', '', '| Rule | Location | How | Reason |', '|---|---|---|---|');
    for (const finding of result.suppressed) {
      out.push(`| \`${finding.ruleId}\` | ${finding.file}:${finding.line} | ${finding.suppression.kind} | ${escapeInline(finding.suppression.reason)} |`);
    }
    out.push('');
  }
  if (result.diagnostics.length) {
    out.push('## Diagnostics', '', 'Files Probity could not fully audit:', '', '| File | Problem | Detail |', '|---|---|---|');
    for (const d of result.diagnostics) {
      out.push(`| ${d.file || '(root)'}${d.line ? `:${d.line}` : ''} | ${d.kind} | ${escapeInline(d.reason)} |`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
