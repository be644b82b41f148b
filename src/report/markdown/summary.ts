// Header, scope and executive summary of the Markdown report.
import type { AuditResult } from '../../core/audit-result.js';
import { SEVERITIES, type Finding } from '../../core/types.js';
import { SCORE_AREA_TITLE, SEVERITY_LABEL, formatNumber, plural } from '../format.js';
import { bySeverityThenLocation } from '../group.js';
import { NOT_MEASURED, table } from './blocks.js';

/** What the walker's exclusion reasons mean to a reader. */
const EXCLUSION_REASON: Record<string, string> = {
  'default-excluded-folder': 'dependency, build, cache or VCS folders (node_modules, dist, .git…)',
  virtualenv: 'Python virtual environments',
  gitignore: 'matched by a .gitignore',
  'config-exclude': 'matched by the configured `exclude` patterns',
  'not-included': 'outside the configured `include` patterns',
  'not-audited-type': 'file types Probity does not read',
  'binary-extension': 'binary file extensions',
  'minified-name': 'minified files by name (*.min.js…)',
  'generated-name': 'generated files by name (*_pb2.py…)',
  lockfile: 'dependency lockfiles',
  'type-declaration': 'TypeScript declaration files (*.d.ts)',
  'too-large': 'files over the size limit',
  symlink: 'symbolic links (never followed)',
};

export function headerSection(result: AuditResult): string[] {
  return [
    `# Audit report: ${result.project.name}`,
    '',
    `**Date:** ${result.generatedAt.slice(0, 10)}  `,
    `**Commit:** ${result.project.commit ? `\`${result.project.commit.slice(0, 12)}\`` : 'not recorded (no git HEAD found)'}  `,
    `**Tool:** Probity ${result.tool.version}, ${plural(result.rules.length, 'rule')}  `,
    `**Audited path:** \`${result.project.root}\``,
    '',
  ];
}

export function scopeSection(result: AuditResult): string[] {
  const { inventory } = result;
  const out = ['## Scope', ''];
  out.push(`${plural(inventory.files, 'file')}, ${formatNumber(inventory.lines)} lines, ${formatNumber(inventory.codeLines)} code lines.`, '');
  const languages = Object.entries(inventory.languages).sort((a, b) => b[1].codeLines - a[1].codeLines || a[0].localeCompare(b[0]));
  if (languages.length) {
    out.push(...table(['Language', 'Files', 'Lines', 'Code lines'], languages.map(([language, s]) => [language, s.files, formatNumber(s.lines), formatNumber(s.codeLines)])), '');
  }
  const excluded = Object.entries(inventory.excluded).filter(([, n]) => n > 0);
  if (excluded.length) {
    out.push('**Excluded:**', '', ...table(['Reason', 'What', 'Count'], excluded.map(([reason, n]) => [reason, EXCLUSION_REASON[reason] ?? reason, n])), '');
  } else {
    out.push('Nothing was excluded.', '');
  }
  return out;
}

function blockers(findings: readonly Finding[], titles: Map<string, string>): string[] {
  const critical = findings.filter((f) => f.severity === 'critical').sort(bySeverityThenLocation);
  if (!critical.length) return ['No open Critical finding.', ''];
  return [...critical.map((f, i) => `${i + 1}. \`${f.file}:${f.line}\` ${titles.get(f.ruleId) ?? f.ruleId} (\`${f.ruleId}\`): ${f.message}`), ''];
}

function points(value: number): string {
  return String(Number(value.toFixed(1)));
}

export function executiveSummary(result: AuditResult): string[] {
  const out = ['## Executive summary', ''];
  const { scores, summary } = result;
  out.push(`### System Health Score: ${scores && scores.health !== null ? `${scores.health}/100` : NOT_MEASURED}`, '');
  if (scores?.areas.length) {
    const measured = scores.areas.filter((a) => a.score !== null);
    const rows = measured.map((a) => [
      SCORE_AREA_TITLE[a.area] ?? a.area,
      `${a.score}/100`,
      a.findings,
      a.reason,
      a.topCosts.map((c) => `\`${c.ruleId}\` −${points(c.points)} (${c.occurrences})`).join(', ') || '—',
    ]);
    if (rows.length) out.push(...table(['Area', 'Score', 'Open findings', 'Why', 'Cost the most (points, occurrences)'], rows), '');
    const unmeasured = scores.areas.filter((a) => a.score === null).map((a) => SCORE_AREA_TITLE[a.area] ?? a.area);
    // A null score means no rule of the area ran (AreaScore.score).
    if (unmeasured.length) out.push(`**Not measured** (no rule of the area ran): ${unmeasured.join(', ')}.`, '');
    out.push(`Formula: \`${scores.formula}\` (docs/scoring.md).`, '');
  } else {
    out.push(`Area scores: ${NOT_MEASURED}.`, '');
  }
  out.push('### Blockers (must fix before production)', '');
  out.push(...blockers(result.findings, new Map(result.rules.map((r) => [r.id, r.title]))));
  const bySeverity = SEVERITIES.map((s) => `${summary.bySeverity[s]} ${SEVERITY_LABEL[s]}`).join(', ');
  out.push(`**Total issues:** ${summary.total} (${bySeverity})  `);
  out.push(
    `**Files with findings:** ${summary.filesWithFindings}; **suppressed with a reason:** ${summary.suppressed}; **diagnostics:** ${summary.diagnostics}`,
    '',
  );
  return out;
}
