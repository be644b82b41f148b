// Turns what rules reported into Findings: location, severity (config > context > default),
// snippet, fingerprint, and every secret of the file masked in every finding.
import type { CompiledRule, ReportDescriptor, ReportRange } from '../core/rule.js';
import type { Finding } from '../core/types.js';
import { fingerprintFindings } from './fingerprint.js';
import { maskSecrets } from './mask.js';
import type { RuleSettings } from './run-file.js';

export interface RuleReport extends ReportDescriptor {
  rule: CompiledRule;
}

function rangeOf(descriptor: ReportDescriptor): ReportRange {
  if (descriptor.range) return descriptor.range;
  if (descriptor.node) {
    const { start, end } = descriptor.node.range();
    return { line: start.line + 1, column: start.column + 1, endLine: end.line + 1, endColumn: end.column + 1 };
  }
  return { line: 1, column: 1, endLine: 1, endColumn: 1 };
}

/** Up to three lines of the finding, dedented, without trailing whitespace. */
function snippetOf(lines: readonly string[], line: number, endLine: number): string {
  const last = Math.min(endLine, line + 2, lines.length);
  const picked = lines.slice(line - 1, last);
  const indent = Math.min(...picked.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length), Infinity);
  return picked.map((l) => (Number.isFinite(indent) ? l.slice(indent) : l).trimEnd()).join('\n');
}

export function toFindings(reports: readonly RuleReport[], path: string, lines: readonly string[], settings: Record<string, RuleSettings>): Finding[] {
  const findings = reports.map((report): Finding => {
    const range = rangeOf(report);
    const { meta } = report.rule;
    return {
      ruleId: meta.id,
      area: meta.area,
      severity: settings[meta.id]?.severity ?? report.severity ?? meta.severity,
      type: meta.type,
      effort: meta.effort,
      file: path,
      ...range,
      message: report.message,
      snippet: snippetOf(lines, range.line, range.endLine),
      fingerprint: '',
      ...(report.onlyIfProject ? { projectCondition: report.onlyIfProject } : {}),
    };
  });
  findings.sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  fingerprintFindings(findings, lines);
  // A secret one rule found must not show up in another rule's snippet of the same line.
  const secrets = reports.flatMap((report) => report.secrets ?? []);
  if (secrets.length) {
    for (const finding of findings) {
      finding.snippet = maskSecrets(finding.snippet, secrets);
      finding.message = maskSecrets(finding.message, secrets);
    }
  }
  return findings;
}
