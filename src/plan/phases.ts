// The audit's execution order (seed 000's "Audit Execution Order"): the critical path first —
// the data layer, the largest request handlers, code that runs commands or tools — then
// supporting systems, infrastructure and quality. Every reason is built from measured facts.
import { SEVERITIES } from '../core/types.js';
import { EXECUTION_RULES, type ProjectPartKey } from './checklists.js';
import { severityText, zeroCounts, type AuditPhase, type PhaseEntry, type PlanPart, type PlanSection, type RuleOutcome } from './types.js';

const PHASES: { title: string; affects: string }[] = [
  { title: 'Critical Path', affects: 'affects all users' },
  { title: 'Supporting Systems', affects: 'affects reliability' },
  { title: 'Infrastructure', affects: 'affects operations' },
  { title: 'Quality', affects: 'affects maintainability' },
];
const PROJECT_PART_PHASE: Record<ProjectPartKey, number> = {
  configuration: 2,
  performance: 2,
  monitoring: 3,
  infrastructure: 3,
  security: 3,
  dependencies: 3,
  testing: 4,
  'error-handling': 4,
  'code-quality': 4,
};
/** How many of the largest routes/handlers components go on the critical path. */
const LARGEST_REQUEST_HANDLERS = 2;

function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Why a component section sits where it does in the execution order, from measured facts. */
function componentReason(section: PlanSection, why: string): string {
  const parts = [why];
  const largest = section.files[0];
  if (largest && !section.component?.isFile) parts.push(`largest file ${fileName(largest.path)} (${largest.codeLines} code lines)`);
  else if (largest) parts.push(`${largest.codeLines} code lines`);
  if (section.findings && section.findings.total > 0) parts.push(`findings: ${severityText(section.findings.bySeverity)}`);
  return parts.join('; ');
}

export function buildPhases(parts: PlanPart[]): AuditPhase[] {
  const entries: PhaseEntry[][] = PHASES.map(() => []);
  const componentSections = parts.filter((p) => p.scope === 'component').flatMap((p) => p.sections);
  const criticalPath = new Set<PlanSection>();
  const add = (phase: number, section: PlanSection, why: string) => {
    entries[phase - 1].push({ ref: section.number, title: sectionLabel(section), reason: componentReason(section, why) });
  };

  // Phase 1, in seed 000's order: the data layer, the largest request handlers, code that runs commands or tools.
  for (const section of componentSections.filter((s) => ['models', 'repositories', 'migrations'].includes(s.component!.kind))) {
    criticalPath.add(section);
    add(1, section, 'data layer');
  }
  const requestHandlers = componentSections
    .filter((s) => s.component!.kind === 'routes' || s.component!.kind === 'handlers')
    .sort((a, b) => b.component!.codeLines - a.component!.codeLines || a.number.localeCompare(b.number, 'en', { numeric: true }))
    .slice(0, LARGEST_REQUEST_HANDLERS);
  for (const section of requestHandlers) {
    criticalPath.add(section);
    add(1, section, 'largest request handlers');
  }
  for (const section of componentSections) {
    if (criticalPath.has(section)) continue;
    const executing = section.checks
      .flatMap((c) => c.automated)
      .concat(section.alsoFound)
      .filter((rule) => EXECUTION_RULES.has(rule.ruleId) && (rule.findings ?? 0) > 0);
    const executionFindings = [...new Map(executing.map((rule) => [rule.ruleId, rule])).values()];
    if (section.component!.kind === 'tools' || executionFindings.length > 0) {
      criticalPath.add(section);
      const evidence = executionFindings.map((rule) => `\`${rule.ruleId}\` ${rule.findings}`).join(', ');
      add(1, section, executionFindings.length ? `runs commands or code (${evidence})` : 'tools');
    } else if ((section.findings?.bySeverity.critical ?? 0) > 0) {
      criticalPath.add(section);
      add(1, section, 'critical findings');
    }
  }
  // Phase 2: every other component, riskiest first; then the project-wide parts by their phase.
  const rest = componentSections
    .filter((s) => !criticalPath.has(s))
    .sort((a, b) => {
      const ca = a.findings?.bySeverity ?? zeroCounts();
      const cb = b.findings?.bySeverity ?? zeroCounts();
      for (const s of SEVERITIES) if (ca[s] !== cb[s]) return cb[s] - ca[s];
      return b.component!.codeLines - a.component!.codeLines || a.number.localeCompare(b.number, 'en', { numeric: true });
    });
  for (const section of rest) add(2, section, 'supporting code');
  for (const part of parts.filter((p) => p.scope === 'project')) {
    const phase = PROJECT_PART_PHASE[part.key as ProjectPartKey] ?? 4;
    entries[phase - 1].push({ ref: String(part.number), title: part.title, reason: projectPartReason(part) });
  }
  return PHASES.map((phase, i) => ({ number: i + 1, title: phase.title, affects: phase.affects, entries: entries[i] }));
}

function projectPartReason(part: PlanPart): string {
  const projectChecks = part.sections.filter((s) => !s.component).flatMap((s) => s.checks);
  const componentSections = part.sections.filter((s) => s.component);
  const checks = part.sections.flatMap((s) => s.checks);
  const automated = checks.filter((c) => c.automated.length > 0).length;
  const reasons = [`${automated} automated and ${checks.length - automated} manual checks`];
  if (componentSections.length) {
    const found = componentSections.reduce((sum, s) => sum + (s.findings?.total ?? 0), 0);
    const audited = componentSections.some((s) => s.findings !== null);
    reasons.push(`${componentSections.length} ${componentSections.length === 1 ? 'component' : 'components'}${audited ? ` with ${found} ${found === 1 ? 'finding' : 'findings'}` : ''}`);
  }
  // One rule may sit in two items of a part: count each rule once.
  const byRule = new Map<string, number>();
  for (const check of projectChecks) for (const rule of check.automated) if (rule.findings) byRule.set(rule.ruleId, rule.findings);
  const total = [...byRule.values()].reduce((sum, n) => sum + n, 0);
  if (total) reasons.push(`project-wide checks found ${total}`);
  return reasons.join('; ');
}

export function sectionLabel(section: PlanSection): string {
  return section.component ? `${section.title} — ${section.component.path}` : section.title;
}

