// Builds the audit plan (AUDIT_PLAN.md's data, after seed 000) from the inventory's components,
// the rule catalog and, after an audit, its findings. Pure: no I/O, no formatting. Every number
// comes from the inventory or the findings; without an audit nothing is ticked and no count is
// shown.
import type { AuditResult, Component } from '../core/audit-result.js';
import { EFFORTS, FINDING_TYPES, SEVERITIES, severityRank, type Finding } from '../core/types.js';
import { placeFile } from '../discover/components.js';
import { languageFromPath } from '../discover/language.js';
import { COMPONENT_CHECKLISTS, PROJECT_PARTS, checklistRuleIds, type CheckItem, type ChecklistKind, type ProjectPartKey } from './checklists.js';
import { buildPhases } from './phases.js';
import {
  countBySeverity,
  type AuditPlan,
  type CatalogRule,
  type PlanCheck,
  type PlanFile,
  type PlanInput,
  type PlanPart,
  type PlanSection,
  type RuleOutcome,
} from './types.js';

// One import point for the plan's types (written out: tree-sitter's TypeScript grammar reads no `export type *`).
export type { AuditPhase, AuditPlan, CatalogRule, PhaseEntry, PlanCheck, PlanFile, PlanInput, PlanPart, PlanSection, RuleOutcome, SeverityCounts, SuccessCriterion } from './types.js';
export { sectionLabel } from './phases.js';

/** The parts made of components, in seed 000's order (data first), and the title of each kind. */
const COMPONENT_PARTS: { key: string; title: string; kinds: [ChecklistKind, string][] }[] = [
  { key: 'data', title: 'Database Layer', kinds: [['models', 'Models'], ['repositories', 'Repositories'], ['migrations', 'Migrations']] },
  { key: 'cache', title: 'Cache Layer', kinds: [['cache', 'Caching']] },
  { key: 'requests', title: 'Request Handling', kinds: [['routes', 'Routes'], ['handlers', 'Handlers'], ['middleware', 'Middleware']] },
  { key: 'tools', title: 'Tools', kinds: [['tools', 'Tools and shared code']] },
  { key: 'services', title: 'Services', kinds: [['services', 'Services']] },
  { key: 'frontend', title: 'Frontend', kinds: [['frontend', 'Frontend']] },
  { key: 'scripts', title: 'Scripts', kinds: [['scripts', 'Scripts']] },
  { key: 'application', title: 'Application Code', kinds: [['application', 'Application code']] },
];

/** Components that open a project-wide part (config files under Configuration, and so on). */
const COMPONENTS_IN_PROJECT_PART: Partial<Record<ProjectPartKey, [ChecklistKind, string][]>> = {
  configuration: [['config', 'Configuration'], ['project-files', 'Project files']],
  infrastructure: [['infra', 'Infrastructure files']],
  testing: [['tests', 'Tests']],
};

const SOURCE_LANGUAGES = new Set(['python', 'typescript', 'tsx', 'javascript']);

function byRiskThenLocation(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.file.localeCompare(b.file) || a.line - b.line;
}

export function checklistKindOf(component: Pick<Component, 'role' | 'languages'>): ChecklistKind {
  if (component.role !== 'other') return component.role;
  return Object.keys(component.languages).some((language) => SOURCE_LANGUAGES.has(language)) ? 'application' : 'project-files';
}

const componentKey = (role: string, path: string) => `${role}\u0000${path}`;

/** The component a finding's file belongs to, by the same rule that built the components. */
function componentKeyOfFile(file: string): string {
  const language = languageFromPath(file);
  const placement = placeFile(file, typeof language === 'string' ? language : 'text');
  return componentKey(placement.role, placement.path);
}

interface FindingScope {
  findings: Finding[];
  suppressed: Finding[];
}

function groupByComponent(input: PlanInput): Map<string, FindingScope> {
  const scopes = new Map<string, FindingScope>();
  const scopeOf = (file: string) => {
    const key = componentKeyOfFile(file);
    let scope = scopes.get(key);
    if (!scope) scopes.set(key, (scope = { findings: [], suppressed: [] }));
    return scope;
  };
  for (const finding of input.audit?.findings ?? []) scopeOf(finding.file).findings.push(finding);
  for (const finding of input.audit?.suppressed ?? []) scopeOf(finding.file).suppressed.push(finding);
  return scopes;
}

function outcomeOf(ruleId: string, scope: FindingScope, resolver: Resolver, families: ReadonlySet<string> | null): RuleOutcome {
  const found = scope.findings.filter((f) => f.ruleId === ruleId).sort(byRiskThenLocation);
  const languages = [...(resolver.catalog.get(ruleId) ?? ['any'])];
  // A rule that reads none of the component's languages checked nothing there, whatever it found elsewhere.
  const applies = families === null || found.length > 0 || languages.some((l) => l === 'any' || families.has(l));
  const ran = resolver.ran?.has(ruleId) ?? false;
  return {
    ruleId,
    applies,
    languages,
    findings: ran && applies ? found.length : null,
    bySeverity: countBySeverity(found),
    suppressed: scope.suppressed.filter((f) => f.ruleId === ruleId).length,
    locations: found.map((f) => `${f.file}:${f.line}`),
  };
}

interface Resolver {
  /** Rule id → language families. */
  catalog: Map<string, readonly string[]>;
  ran: Set<string> | null;
}

/** Language families of a component's files: py, ts, and text for everything else. */
function familiesOf(component: Component): Set<string> {
  const families = new Set<string>();
  for (const language of Object.keys(component.languages)) {
    families.add(language === 'python' ? 'py' : ['typescript', 'tsx', 'javascript'].includes(language) ? 'ts' : 'text');
  }
  return families;
}

/** `families` null: the whole project, where every rule applies. */
function resolveChecks(items: readonly CheckItem[], scope: FindingScope, resolver: Resolver, families: ReadonlySet<string> | null): PlanCheck[] {
  return items.map((item) => {
    const automated = item.rules.filter((id) => resolver.catalog.has(id)).map((id) => outcomeOf(id, scope, resolver, families));
    const planned = item.rules.filter((id) => !resolver.catalog.has(id));
    const checked = resolver.ran !== null && automated.length > 0 && planned.length === 0 && automated.every((rule) => rule.findings !== null);
    return { text: item.text, automated, planned, checked };
  });
}

function componentSection(
  number: string,
  title: string,
  component: Component,
  kind: ChecklistKind,
  scopes: Map<string, FindingScope>,
  resolver: Resolver,
): PlanSection {
  const scope = scopes.get(componentKey(component.role, component.path)) ?? { findings: [], suppressed: [] };
  const audited = resolver.ran !== null;
  const files: PlanFile[] = component.largestFiles.map((file) => {
    const found = scope.findings.filter((f) => f.file === file.path);
    return { path: file.path, codeLines: file.codeLines, findings: audited ? found.length : null, bySeverity: countBySeverity(found) };
  });
  const listedLines = component.largestFiles.reduce((sum, file) => sum + file.codeLines, 0);
  const items = COMPONENT_CHECKLISTS[kind].filter((item) => !item.files || component.largestFiles.some((file) => item.files!.test(file.path)));
  const families = familiesOf(component);
  const checks = resolveChecks(items, scope, resolver, families);
  const named = new Set(items.flatMap((item) => item.rules));
  const otherRules = [...new Set(scope.findings.map((f) => f.ruleId))].filter((id) => !named.has(id)).sort();
  const alsoFound = otherRules
    .map((id) => outcomeOf(id, scope, resolver, families))
    .sort((a, b) => worstRank(b) - worstRank(a) || (b.findings ?? 0) - (a.findings ?? 0) || a.ruleId.localeCompare(b.ruleId));
  const isFile = component.files === 1 && component.largestFiles[0]?.path === component.path;
  return {
    number,
    title,
    component: {
      path: component.path,
      role: component.role,
      kind,
      isFile,
      files: component.files,
      codeLines: component.codeLines,
      languages: Object.entries(component.languages).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    },
    files,
    ...(component.files > files.length ? { moreFiles: { files: component.files - files.length, codeLines: component.codeLines - listedLines } } : {}),
    checks,
    alsoFound,
    findings: audited ? { total: scope.findings.length, bySeverity: countBySeverity(scope.findings) } : null,
  };
}

function worstRank(outcome: RuleOutcome): number {
  const worst = SEVERITIES.find((s) => outcome.bySeverity[s] > 0);
  return worst ? severityRank(worst) : 0;
}

/** Components of one kind: riskiest (most critical, then high… findings) first, then largest. */
function sortComponents(components: Component[], scopes: Map<string, FindingScope>): Component[] {
  const counts = (c: Component) => countBySeverity(scopes.get(componentKey(c.role, c.path))?.findings ?? []);
  return [...components].sort((a, b) => {
    const ca = counts(a);
    const cb = counts(b);
    for (const s of SEVERITIES) if (ca[s] !== cb[s]) return cb[s] - ca[s];
    return b.codeLines - a.codeLines || a.path.localeCompare(b.path);
  });
}

/** The plan for one audited tree. */
export function buildPlan(input: PlanInput): AuditPlan {
  const resolver: Resolver = {
    catalog: new Map([...(input.audit?.rulesRun ?? []).map((id) => [id, ['any']] as const), ...input.catalog.map((rule) => [rule.id, rule.languages] as const)]),
    ran: input.audit ? new Set(input.audit.rulesRun) : null,
  };
  const scopes = groupByComponent(input);
  const projectScope: FindingScope = {
    findings: [...(input.audit?.findings ?? [])],
    suppressed: [...(input.audit?.suppressed ?? [])],
  };
  const byKind = new Map<ChecklistKind, Component[]>();
  for (const component of input.inventory.components) {
    const kind = checklistKindOf(component);
    byKind.set(kind, [...(byKind.get(kind) ?? []), component]);
  }

  const parts: PlanPart[] = [];
  const componentSectionsOf = (partNumber: number, kinds: [ChecklistKind, string][], first = 1): PlanSection[] => {
    const sections: PlanSection[] = [];
    for (const [kind, title] of kinds) {
      for (const component of sortComponents(byKind.get(kind) ?? [], scopes)) {
        sections.push(componentSection(`${partNumber}.${first + sections.length}`, title, component, kind, scopes, resolver));
      }
    }
    return sections;
  };
  for (const group of COMPONENT_PARTS) {
    const number = parts.length + 1;
    const sections = componentSectionsOf(number, group.kinds);
    if (sections.length) parts.push({ number, key: group.key, title: group.title, scope: 'component', sections });
  }
  for (const projectPart of PROJECT_PARTS) {
    const number = parts.length + 1;
    const sections = componentSectionsOf(number, COMPONENTS_IN_PROJECT_PART[projectPart.key] ?? []);
    for (const section of projectPart.sections) {
      sections.push({
        number: `${number}.${sections.length + 1}`,
        title: section.title,
        files: [],
        checks: resolveChecks(section.items, projectScope, resolver, null),
        alsoFound: [],
        findings: null,
      });
    }
    parts.push({ number, key: projectPart.key, title: projectPart.title, scope: 'project', sections });
  }
  // Rules no checklist names (a project's own rulesDirs): their findings still get a home.
  const named = checklistRuleIds();
  const unnamed = [...resolver.catalog.keys()].filter((id) => !named.has(id)).sort();
  if (unnamed.length) {
    const number = parts.length + 1;
    parts.push({
      number,
      key: 'other-rules',
      title: 'Other Automated Checks',
      scope: 'project',
      sections: [
        {
          number: `${number}.1`,
          title: 'Rules outside the checklists',
          files: [],
          checks: resolveChecks(unnamed.map((id) => ({ text: id, rules: [id] })), projectScope, resolver, null),
          alsoFound: [],
          findings: null,
        },
      ],
    });
  }

  const checks = parts.flatMap((p) => p.sections).flatMap((s) => s.checks);
  const coverage = {
    items: checks.length,
    automated: checks.filter((c) => c.automated.length > 0 && c.planned.length === 0).length,
    partlyAutomated: checks.filter((c) => c.automated.length > 0 && c.planned.length > 0).length,
    manual: checks.filter((c) => c.automated.length === 0).length,
    checked: checks.filter((c) => c.checked).length,
  };
  const bySeverity = countBySeverity(input.audit?.findings ?? []);
  const audit = input.audit
    ? { findings: input.audit.findings.length, bySeverity, rulesRun: input.audit.rulesRun.length, suppressed: input.audit.suppressed.length }
    : null;
  const languages = Object.entries(input.inventory.languages)
    .map(([language, stats]) => [language, stats.codeLines] as [string, number])
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

  return {
    project: input.project.name,
    date: input.generatedAt.slice(0, 10),
    toolVersion: input.tool.version,
    scope: { files: input.inventory.files, codeLines: input.inventory.codeLines, languages, components: input.inventory.components.length },
    audit,
    parts,
    phases: buildPhases(parts),
    coverage,
    outputFormat: { severities: [...SEVERITIES], types: [...FINDING_TYPES], efforts: [...EFFORTS] },
    successCriteria: [
      { text: `All check items above are ticked (now ${coverage.checked} of ${coverage.items})`, met: coverage.checked === coverage.items },
      {
        text: audit
          ? `No open Critical or High finding (now ${audit.bySeverity.critical} critical, ${audit.bySeverity.high} high)`
          : 'No open Critical or High finding (not measured: no audit ran)',
        met: audit !== null && audit.bySeverity.critical === 0 && audit.bySeverity.high === 0,
      },
      {
        text: `Every open item reviewed by hand and its issues written up in the format above (${coverage.items - coverage.checked} open now)`,
        met: false,
      },
      { text: 'Recommendations prioritized', met: false },
      { text: 'Roadmap for fixes created', met: false },
    ],
  };
}

/** The plan input for a finished audit; `catalog` adds rules that exist but did not run. */
export function planInputFromResult(result: AuditResult, catalog: readonly CatalogRule[] = []): PlanInput {
  const rules = new Map<string, CatalogRule>(catalog.map((rule) => [rule.id, rule]));
  for (const rule of result.rules) rules.set(rule.id, { id: rule.id, languages: rule.languages });
  return {
    project: result.project,
    tool: result.tool,
    generatedAt: result.generatedAt,
    inventory: result.inventory,
    catalog: [...rules.values()].sort((a, b) => a.id.localeCompare(b.id)),
    // A skipped check (offline, no advisory data) ran without its data: it checked nothing.
    audit: { rulesRun: result.rules.map((rule) => rule.id).filter((id) => !(result.skippedChecks ?? []).some((s) => s.rule === id)), findings: result.findings, suppressed: result.suppressed },
  };
}
