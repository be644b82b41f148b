// Terminal output: findings grouped by area and severity, each with its location and code,
// diagnostics after them, and a one-line summary at the end.
import pc from 'picocolors';
import type { AuditResult } from '../core/audit-result.js';
import type { Severity } from '../core/types.js';
import { AREA_TITLE, formatNumber, plural, severityBreakdown } from './format.js';
import { groupByArea, languageSummary } from './group.js';

export interface TerminalOptions {
  color: boolean;
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
  for (const [area, findings] of groupByArea(result.findings)) {
    out.push('', c.bold(c.underline(`${AREA_TITLE[area]} (${findings.length})`)));
    for (const finding of findings) {
      const label = paint[finding.severity](finding.severity.toUpperCase().padEnd(8));
      out.push(`  ${label} ${c.cyan(`${finding.file}:${finding.line}:${finding.column}`)}  ${c.dim(finding.ruleId)}`);
      out.push(`           ${finding.message}`);
      for (const line of finding.snippet.split('\n')) out.push(c.dim(`           │ ${line}`));
    }
  }
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
