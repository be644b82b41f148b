// AUDIT_PLAN.md: the audit plan in seed 000's layout (methodology, parts per component with
// their files and "Check for" items, execution order, per-finding format, success criteria).
// Pure presentation of an AuditPlan; every number comes from it.
import { severityText, type AuditPlan, type PlanCheck, type PlanFile, type PlanSection, type RuleOutcome, type SeverityCounts } from '../plan/types.js';
import { SEVERITY_LABEL, capitalise, formatNumber, plural } from './format.js';

const MAX_LOCATIONS = 5;

function findingsText(total: number, counts: SeverityCounts): string {
  return total === 0 ? '0 findings' : `${plural(total, 'finding')} (${severityText(counts)})`;
}

/** "a.py:3, 9; b.py:12" — lines grouped by file, in the order given, at most MAX_LOCATIONS. */
function locationsText(locations: string[]): string {
  const shown = locations.slice(0, MAX_LOCATIONS);
  const byFile = new Map<string, Map<string, number>>();
  for (const location of shown) {
    const at = location.lastIndexOf(':');
    const lines = byFile.get(location.slice(0, at)) ?? new Map<string, number>();
    byFile.set(location.slice(0, at), lines);
    lines.set(location.slice(at + 1), (lines.get(location.slice(at + 1)) ?? 0) + 1);
  }
  const lineList = (lines: Map<string, number>) => [...lines].map(([line, n]) => (n > 1 ? `${line} (×${n})` : line)).join(', ');
  const text = [...byFile].map(([file, lines]) => `${file}:${lineList(lines)}`).join('; ');
  return locations.length > MAX_LOCATIONS ? `${text}; ${locations.length - MAX_LOCATIONS} more` : text;
}

const FAMILY_NAME: Record<string, string> = { py: 'Python', ts: 'TypeScript/JavaScript', any: 'any text' };

function outcomeText(rule: RuleOutcome): string {
  const id = `\`${rule.ruleId}\``;
  if (!rule.applies) return `${id}: reads ${rule.languages.map((l) => FAMILY_NAME[l] ?? l).join(' and ')} only, not this code`;
  if (rule.findings === null) return `${id}: not run in this audit`;
  const suppressed = rule.suppressed ? ` (+${rule.suppressed} suppressed)` : '';
  const found = `${id}: ${findingsText(rule.findings, rule.bySeverity)}${suppressed}`;
  return rule.findings ? `${found} at ${locationsText(rule.locations)}` : found;
}

function checkLine(check: PlanCheck, audited: boolean): string {
  const box = check.checked ? '[x]' : '[ ]';
  const notes: string[] = [];
  if (check.automated.length) {
    notes.push(audited ? check.automated.map(outcomeText).join('; ') : `automated by ${check.automated.map((r) => `\`${r.ruleId}\``).join(', ')}`);
  }
  if (check.planned.length) {
    const planned = check.planned.map((id) => `\`${id}\``).join(', ');
    notes.push(check.automated.length ? `still manual for ${planned} (planned)` : `manual; planned rule${check.planned.length > 1 ? 's' : ''} ${planned}`);
  }
  return `- ${box} ${check.text}${notes.length ? ` — ${notes.join('; ')}` : ''}`;
}

function fileLine(file: PlanFile): string {
  const found = file.findings === null ? '' : ` · ${file.findings === 0 ? 'no findings' : findingsText(file.findings, file.bySeverity)}`;
  return `- [ ] **${file.path}** — ${plural(file.codeLines, 'code line')}${found}`;
}

function sectionHeading(section: PlanSection, wholeProject: boolean): string {
  const component = section.component;
  if (!component) return `### ${section.number} ${section.title}${wholeProject ? ' (whole project)' : ''}`;
  const where = component.path === '.' ? 'project root' : component.isFile ? component.path : `${component.path}/`;
  return `### ${section.number} ${section.title} (${where})`;
}

function renderSection(section: PlanSection, audited: boolean, wholeProject: boolean): string[] {
  const out = [sectionHeading(section, wholeProject), ''];
  const component = section.component;
  if (component) {
    const languages = component.languages.map(([language, lines]) => `${language} ${formatNumber(lines)}`).join(' · ');
    const found = section.findings ? ` · ${section.findings.total === 0 ? 'no findings' : findingsText(section.findings.total, section.findings.bySeverity)}` : '';
    out.push(`${plural(component.files, 'file')} · ${plural(component.codeLines, 'code line')} (${languages})${found}`, '');
    for (const file of section.files) out.push(fileLine(file));
    if (section.moreFiles) {
      out.push(`- [ ] … and ${plural(section.moreFiles.files, 'more file')} (${plural(section.moreFiles.codeLines, 'code line')})`);
    }
    out.push('', '**Check for:**');
  }
  for (const check of section.checks) out.push(checkLine(check, audited));
  if (section.alsoFound.length) {
    out.push('', '**Also found here** (rules outside this checklist):');
    for (const rule of section.alsoFound) out.push(`- ${outcomeText(rule)}`);
  }
  out.push('');
  return out;
}

function renderOutputFormat(plan: AuditPlan): string[] {
  const list = (values: string[]) => values.map(capitalise).join(' | ');
  return [
    '## Output Format',
    '',
    'For each finding:',
    '```markdown',
    '### [Component] Issue Title',
    '',
    `**Severity:** ${plan.outputFormat.severities.map((s) => SEVERITY_LABEL[s as keyof typeof SEVERITY_LABEL]).join(' | ')}`,
    `**Type:** ${list(plan.outputFormat.types)}`,
    '**Rule:** `area/rule-id` (when a rule found it)',
    '',
    '**Description:**',
    'What the issue is.',
    '',
    '**Current Behavior:**',
    'How it works now (the code, quoted).',
    '',
    '**Expected Behavior:**',
    'How it should work.',
    '',
    '**Files Affected:**',
    '- path/to/file.py:123',
    '- path/to/other.ts:456',
    '',
    '**Recommendation:**',
    'How to fix it.',
    '',
    `**Effort:** ${list(plan.outputFormat.efforts)}`,
    '```',
    '',
  ];
}

export function renderPlan(plan: AuditPlan): string {
  const audited = plan.audit !== null;
  const out: string[] = [];
  out.push(`# Audit Plan: ${plan.project}`, '');
  out.push(`**Date:** ${plan.date}  `);
  out.push(`**Tool:** Probity ${plan.toolVersion}  `);
  const languages = plan.scope.languages.map(([language, lines]) => `${language} ${formatNumber(lines)}`).join(' · ');
  out.push(
    `**Scope:** ${plural(plan.scope.files, 'file')}, ${plural(plan.scope.codeLines, 'code line')}` +
      (languages ? ` (${languages})` : '') +
      `, ${plural(plan.scope.components, 'component')}  `,
  );
  if (plan.audit) {
    const suppressed = plan.audit.suppressed ? `, ${plan.audit.suppressed} suppressed` : '';
    out.push(
      `**Automated audit:** ${findingsText(plan.audit.findings, plan.audit.bySeverity)} from ${plural(plan.audit.rulesRun, 'rule')}${suppressed}  `,
    );
  } else {
    out.push('**Automated audit:** not run; automated items are ticked after `probity plan` runs one  ');
  }
  const { coverage } = plan;
  out.push(
    `**Checklist:** ${plural(coverage.items, 'item')}: ${coverage.automated} automated, ` +
      (coverage.partlyAutomated ? `${coverage.partlyAutomated} partly automated, ` : '') +
      `${coverage.manual} manual; ${coverage.checked} ticked`,
    '',
  );
  out.push('**Purpose:** Full audit of all system components to identify issues, inconsistencies, and improvement opportunities.', '');
  out.push('---', '');
  out.push('## Audit Methodology', '', 'For each component:');
  out.push('1. **Read code** - understand current implementation');
  out.push('2. **Check automated results** - ticked items name the rules that checked them and what they found');
  out.push('3. **Check consistency** - verify patterns are followed');
  out.push('4. **Find issues** - bugs, performance problems, security concerns (open items are for a reviewer)');
  out.push('5. **Document findings** - with severity and recommendations, in the output format below');
  out.push('6. **Prioritize fixes** - Critical > High > Medium > Low', '');
  out.push('---', '');

  for (const part of plan.parts) {
    out.push(`## Part ${part.number}: ${part.title}`, '');
    // Project-wide checks count findings everywhere; say so where they sit next to components.
    const mixed = part.sections.some((s) => s.component) && part.sections.some((s) => !s.component);
    if (audited && part.scope === 'project' && !mixed) out.push('_Counts are for the whole project._', '');
    for (const section of part.sections) out.push(...renderSection(section, audited, mixed));
    out.push('---', '');
  }

  out.push('## Audit Execution Order', '');
  let step = 0;
  for (const phase of plan.phases) {
    if (!phase.entries.length) continue;
    out.push(`**Phase ${phase.number}: ${phase.title}** (${phase.affects})`);
    for (const entry of phase.entries) {
      step++;
      out.push(`${step}. ${entry.title} (Part ${entry.ref}) — ${entry.reason}`);
    }
    out.push('');
  }
  out.push('---', '');
  out.push(...renderOutputFormat(plan));
  out.push('---', '');
  out.push('## Success Criteria', '', 'Audit is complete when:');
  for (const criterion of plan.successCriteria) out.push(`- [${criterion.met ? 'x' : ' '}] ${criterion.text}`);
  out.push('');
  return out.join('\n');
}
