// Terminal output: a score card (health, area scores, counts, the five worst findings), then
// findings grouped by area and severity with their code, diagnostics, and a one-line summary.
import pc from 'picocolors';
import type { AuditResult } from '../core/audit-result.js';
import type { Severity } from '../core/types.js';
import { AREA_TITLE, formatNumber, plural, SCORE_AREA_TITLE, severityBreakdown } from './format.js';
import { groupByArea, languageSummary } from './group.js';

export interface TerminalOptions {
  color: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

/** Green from 80, yellow from 50, red below: the usual reading of a 0–100 score. */
function paintScore(score: number | null, c: Colors, width = 3): string {
  if (score === null) return c.dim('not measured');
  const text = String(score).padStart(width);
  return score >= 80 ? c.green(text) : score >= 50 ? c.yellow(text) : c.red(text);
}

const TOP_FINDINGS = 5;

/** The compact card above the details: where the codebase stands, at a glance. */
function scoreCard(result: AuditResult, c: Colors, paint: Record<Severity, (s: string) => string>): string[] {
  const out: string[] = [''];
  const { scores, summary } = result;
  out.push(`${c.bold('System Health Score')} ${paintScore(scores.health, c, 0)}${scores.health === null ? '' : '/100'}`);
  const measured = scores.areas.filter((area) => area.score !== null);
  const cells = measured.map((area) => `${SCORE_AREA_TITLE[area.area]} ${paintScore(area.score, c, 0)}`);
  if (cells.length) out.push(`  ${cells.join(c.dim(' · '))}`);
  const unmeasured = scores.areas.filter((area) => area.score === null).map((area) => SCORE_AREA_TITLE[area.area]);
  if (unmeasured.length) out.push(c.dim(`  not measured yet: ${unmeasured.join(', ')}`));
  const measuredMetrics = result.measurements.filter((m) => m.value !== null).map((m) => (m.kind === 'coverage' ? `${m.label} ${m.value}% (${formatNumber(m.count)}/${formatNumber(m.total ?? 0)})` : `${m.label} ${formatNumber(m.count)}`));
  if (measuredMetrics.length) out.push(`${c.bold('Measured')} ${measuredMetrics.join(c.dim(' · '))}`);
  out.push(`${c.bold('Findings')} ${summary.total}: ${(['critical', 'high', 'medium', 'low'] as const).map((s) => paint[s](`${summary.bySeverity[s]} ${s}`)).join(', ')}`);
  // The worst finding of each rule first, so five lines name five different problems when there are.
  const firstPerRule = result.findings.filter((finding, index, all) => all.findIndex((f) => f.ruleId === finding.ruleId) === index);
  const top = [...firstPerRule, ...result.findings.filter((f) => !firstPerRule.includes(f))].slice(0, TOP_FINDINGS);
  if (top.length) {
    out.push(c.bold(`Top ${top.length}`));
    for (const finding of top) {
      out.push(`  ${paint[finding.severity](finding.severity.toUpperCase().padEnd(8))} ${c.cyan(`${finding.file}:${finding.line}`)}  ${finding.message.length > 100 ? `${finding.message.slice(0, 99)}…` : finding.message}`);
    }
  }
  return out;
}

export function renderTerminal(result: AuditResult, options: TerminalOptions): string {
  const c = pc.createColors(options.color);
  const paint: Record<Severity, (s: string) => string> = {
    critical: (s) => c.bold(c.magenta(s)),
    high: (s) => c.bold(c.red(s)),
    medium: (s) => c.yellow(s),
    low: (s) => c.blue(s),
  };
  const out: string[] = [];
  const { inventory } = result;
  out.push(
    c.bold(`probity ${result.tool.version}`) +
      ` — ${result.project.name}: ${plural(inventory.files, 'file')}, ${formatNumber(inventory.codeLines)} code lines` +
      (inventory.codeLines ? ` (${languageSummary(result)})` : '') +
      c.dim(` in ${(result.durationMs / 1000).toFixed(1)}s`),
  );
  if (result.inventory.stack.length) {
    out.push(c.dim(`stack: ${result.inventory.stack.map((s) => s.name).join(', ')}`));
  }
  const excluded = Object.entries(result.inventory.excluded).filter(([, count]) => count > 0);
  if (excluded.length) out.push(c.dim(`not audited: ${excluded.map(([reason, count]) => `${count} ${reason}`).join(', ')}`));
  out.push(...scoreCard(result, c, paint));
  for (const [area, findings] of groupByArea(result.findings)) {
    out.push('', c.bold(c.underline(`${AREA_TITLE[area]} (${findings.length})`)));
    for (const finding of findings) {
      const label = paint[finding.severity](finding.severity.toUpperCase().padEnd(8));
      out.push(`  ${label} ${c.cyan(`${finding.file}:${finding.line}:${finding.column}`)}  ${c.dim(finding.ruleId)}`);
      out.push(`           ${finding.message}`);
      for (const line of finding.snippet.split('\n')) out.push(c.dim(`           │ ${line}`));
    }
  }
  if (result.skippedChecks?.length) out.push('');
  for (const skipped of result.skippedChecks ?? []) out.push(c.yellow(`skipped: ${skipped.rule}: ${skipped.reason}`));
  if (result.diagnostics.length) {
    out.push('', c.bold(`Diagnostics (${result.diagnostics.length}): files Probity could not fully audit`));
    for (const diagnostic of result.diagnostics) {
      const where = diagnostic.file ? `${diagnostic.file}${diagnostic.line ? `:${diagnostic.line}` : ''}` : '(root)';
      out.push(`  ${c.yellow(diagnostic.kind.padEnd(12))} ${where}  ${c.dim(diagnostic.reason)}`);
    }
  }
  const { summary } = result;
  const status = summary.total === 0 ? c.green('✔ no findings') : `${c.red('✖')} ${plural(summary.total, 'finding')} (${severityBreakdown(summary.bySeverity)}) in ${plural(summary.filesWithFindings, 'file')}`;
  const extras = [
    summary.suppressed ? `${summary.suppressed} suppressed` : '',
    summary.diagnostics ? plural(summary.diagnostics, 'diagnostic') : '',
  ].filter(Boolean);
  out.push('', `${status}${extras.length ? c.dim(` · ${extras.join(' · ')}`) : ''}`);
  return `${out.join('\n')}\n`;
}
