// buildPlan: parts per component, items ticked only when every named rule exists and ran, counts
// scoped to the component, and an execution order with the critical path first.
import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../src/core/audit-result.js';
import type { Finding, Severity } from '../../src/core/types.js';
import { detectComponents, type InventoriedFile } from '../../src/discover/components.js';
import { buildPlan, type AuditPlan, type PlanInput, type PlanSection } from '../../src/plan/build-plan.js';
import { renderPlan } from '../../src/report/plan-markdown.js';

const FILES: InventoriedFile[] = [
  { path: 'app/models/user.py', language: 'python', codeLines: 40 },
  { path: 'app/repositories/users.py', language: 'python', codeLines: 60 },
  { path: 'app/api/orders.py', language: 'python', codeLines: 300 },
  { path: 'app/api/health.py', language: 'python', codeLines: 10 },
  { path: 'bot/handlers/chat.py', language: 'python', codeLines: 900 },
  { path: 'bot/handlers/start.py', language: 'python', codeLines: 30 },
  { path: 'worker/jobs/cleanup.py', language: 'python', codeLines: 20 },
  { path: 'app/services/billing.py', language: 'python', codeLines: 120 },
  { path: 'app/services/export.py', language: 'python', codeLines: 80 },
  { path: 'app/main.py', language: 'python', codeLines: 50 },
  { path: 'tests/test_orders.py', language: 'python', codeLines: 70 },
  { path: 'docker-compose.yml', language: 'yaml', codeLines: 40 },
  { path: 'app/Dockerfile', language: 'dockerfile', codeLines: 8 },
  ...Array.from({ length: 7 }, (_, i) => ({ path: `app/utils/helper${i}.py`, language: 'python', codeLines: 10 + i })),
];

function inventory(files = FILES): Inventory {
  return {
    files: files.length,
    lines: files.reduce((s, f) => s + f.codeLines, 0),
    codeLines: files.reduce((s, f) => s + f.codeLines, 0),
    languages: { python: { files: files.length, lines: 0, codeLines: files.reduce((s, f) => s + f.codeLines, 0) } },
    excluded: {},
    stack: [],
    components: detectComponents(files),
  };
}

function finding(ruleId: string, file: string, line: number, severity: Severity = 'high'): Finding {
  return {
    ruleId,
    area: ruleId.split('/')[0] as Finding['area'],
    severity,
    type: 'bug',
    effort: 'small',
    file,
    line,
    endLine: line,
    column: 1,
    endColumn: 2,
    message: 'm',
    snippet: 's',
    fingerprint: `${ruleId}${file}${line}`,
  };
}

const RULES = ['reliability/silent-exception', 'reliability/broad-exception', 'security/shell-injection', 'performance/blocking-call-in-async', 'code-quality/print-statement'];
/** The rules as the catalog describes them; blocking-call-in-async reads Python only, as the real one does. */
const catalogOf = (ids: string[]) => ids.map((id) => ({ id, languages: id === 'performance/blocking-call-in-async' ? ['py'] : ['py', 'ts'] }));

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    project: { name: 'demo' },
    tool: { version: '0.0.0' },
    generatedAt: '2026-01-26T10:00:00.000Z',
    inventory: inventory(),
    catalog: catalogOf(RULES),
    ...overrides,
  };
}

const FINDINGS = [
  finding('reliability/silent-exception', 'app/services/billing.py', 10, 'critical'),
  finding('reliability/silent-exception', 'app/api/orders.py', 20),
  finding('security/shell-injection', 'app/services/export.py', 5),
  finding('code-quality/print-statement', 'app/services/export.py', 7, 'low'),
  finding('reliability/broad-exception', 'app/main.py', 3, 'low'),
];

function audited(findings = FINDINGS, rulesRun = RULES): PlanInput {
  return input({ audit: { rulesRun, findings, suppressed: [] } });
}

function sections(plan: AuditPlan): PlanSection[] {
  return plan.parts.flatMap((part) => part.sections);
}

function sectionOf(plan: AuditPlan, path: string, role?: string): PlanSection {
  const found = sections(plan).find((s) => s.component?.path === path && (!role || s.component.role === role));
  if (!found) throw new Error(`no section for ${path}`);
  return found;
}

function checkOf(section: PlanSection, text: string) {
  const found = section.checks.find((c) => c.text.startsWith(text));
  if (!found) throw new Error(`no check "${text}" in ${section.number}`);
  return found;
}

describe('buildPlan', () => {
  it('makes one section per component, under parts in seed 000 order, numbered without gaps', () => {
    const plan = buildPlan(input());
    const componentPaths = sections(plan).flatMap((s) => (s.component ? [s.component.path] : []));
    expect(componentPaths.sort()).toEqual(inventory().components.map((c) => c.path).sort());
    expect(plan.parts.map((p) => p.number)).toEqual(plan.parts.map((_, i) => i + 1));
    expect(plan.parts.slice(0, 5).map((p) => p.title)).toEqual(['Database Layer', 'Request Handling', 'Tools', 'Services', 'Application Code']);
    for (const part of plan.parts) part.sections.forEach((s, i) => expect(s.number).toBe(`${part.number}.${i + 1}`));
  });

  it('lists the largest files first with their code lines, and what the list leaves out', () => {
    const utils = sectionOf(buildPlan(input()), 'app/utils');
    expect(utils.files.map((f) => [f.path, f.codeLines])).toEqual([
      ['app/utils/helper6.py', 16],
      ['app/utils/helper5.py', 15],
      ['app/utils/helper4.py', 14],
      ['app/utils/helper3.py', 13],
      ['app/utils/helper2.py', 12],
    ]);
    expect(utils.moreFiles).toEqual({ files: 2, codeLines: 10 + 11 });
  });

  it('without an audit ticks nothing and shows no counts', () => {
    const plan = buildPlan(input());
    expect(plan.audit).toBeNull();
    expect(plan.coverage.checked).toBe(0);
    for (const section of sections(plan)) {
      expect(section.findings).toBeNull();
      for (const check of section.checks) {
        expect(check.checked).toBe(false);
        for (const rule of check.automated) expect(rule.findings).toBeNull();
      }
    }
    const markdown = renderPlan(plan);
    expect(markdown).toContain('automated by `reliability/silent-exception`, `reliability/broad-exception`');
    expect(markdown).not.toMatch(/\d+ findings?\b/);
  });

  it('ticks an item when every rule it names exists and ran, with the findings inside the component', () => {
    const plan = buildPlan(audited());
    const services = sectionOf(plan, 'app/services');
    const swallowed = checkOf(services, 'Exceptions swallowed or caught far too broadly');
    expect(swallowed.checked).toBe(true);
    expect(swallowed.automated.map((r) => [r.ruleId, r.findings])).toEqual([
      ['reliability/silent-exception', 1],
      ['reliability/broad-exception', 0],
    ]);
    expect(swallowed.automated[0].locations).toEqual(['app/services/billing.py:10']);
    // The project-wide item counts everywhere.
    const projectWide = sections(plan).find((s) => !s.component && s.checks.some((c) => c.text === 'Exceptions swallowed'))!;
    expect(checkOf(projectWide, 'Exceptions swallowed').automated[0].findings).toBe(2);
  });

  it('leaves partly automated items open and names the planned rules; manual items have no rules', () => {
    const rules = [...RULES, 'security/env-leak-to-child'];
    const services = sectionOf(buildPlan({ ...audited(FINDINGS, rules), catalog: catalogOf(rules) }), 'app/services');
    const children = checkOf(services, 'Child processes handed the whole environment');
    expect(children.checked).toBe(false);
    expect(children.automated.map((r) => [r.ruleId, r.findings])).toEqual([['security/env-leak-to-child', 0]]);
    expect(children.planned).toEqual(['reliability/unchecked-subprocess']);
    expect(checkOf(services, 'Shell commands built from input')).toMatchObject({ checked: true, planned: [] });
    const manual = checkOf(services, 'Transactions are atomic');
    expect(manual).toMatchObject({ automated: [], planned: [], checked: false });
    expect(renderPlan(buildPlan({ ...audited(FINDINGS, rules), catalog: catalogOf(rules) }))).toContain(
      '- [ ] Child processes handed the whole environment, or their return codes never checked — `security/env-leak-to-child`: 0 findings; still manual for `reliability/unchecked-subprocess` (planned)',
    );
  });

  it('does not tick rules that exist but did not run in the audit', () => {
    const plan = buildPlan(audited(FINDINGS, RULES.filter((id) => id !== 'reliability/broad-exception')));
    const swallowed = checkOf(sectionOf(plan, 'app/services'), 'Exceptions swallowed or caught far too broadly');
    expect(swallowed.checked).toBe(false);
    expect(swallowed.automated.find((r) => r.ruleId === 'reliability/broad-exception')!.findings).toBeNull();
    expect(renderPlan(plan)).toContain('`reliability/broad-exception`: not run in this audit');
  });

  it('does not tick a rule on code in a language it does not read', () => {
    const files = [...FILES, { path: 'web/api/items.ts', language: 'typescript', codeLines: 80 }];
    const plan = buildPlan({ ...audited(), inventory: inventory(files) });
    const blocking = checkOf(sectionOf(plan, 'web/api'), 'Blocking I/O inside async handlers');
    expect(blocking.checked).toBe(false);
    expect(blocking.automated[0]).toMatchObject({ ruleId: 'performance/blocking-call-in-async', applies: false, findings: null });
    expect(checkOf(sectionOf(plan, 'app/api'), 'Blocking I/O inside async handlers').checked).toBe(true);
    expect(renderPlan(plan)).toContain(
      '- [ ] Blocking I/O inside async handlers — `performance/blocking-call-in-async`: reads Python only, not this code',
    );
  });

  it('lists findings of rules outside the checklist under the component', () => {
    const services = sectionOf(buildPlan(audited()), 'app/services');
    expect(services.alsoFound.map((r) => [r.ruleId, r.findings, r.locations])).toEqual([['code-quality/print-statement', 1, ['app/services/export.py:7']]]);
    expect(services.findings).toEqual({ total: 3, bySeverity: { critical: 1, high: 1, medium: 0, low: 1 } });
  });

  it('gives compose checks to compose files and image checks to Dockerfiles', () => {
    const plan = buildPlan(input());
    const compose = sectionOf(plan, '.', 'infra').checks.map((c) => c.text);
    const dockerfile = sectionOf(plan, 'app', 'infra').checks.map((c) => c.text);
    expect(compose).toContain('Redis without a password or ACL');
    expect(compose).not.toContain('Containers running as root');
    expect(dockerfile).toContain('Containers running as root');
    expect(dockerfile).not.toContain('Redis without a password or ACL');
  });

  it('orders the audit: data layer, the largest request handlers, code that runs commands, then the rest riskiest first', () => {
    const plan = buildPlan(audited());
    const refs = (phase: number) => plan.phases[phase - 1].entries.map((e) => e.title);
    expect(refs(1)).toEqual([
      'Models — app/models',
      'Repositories — app/repositories',
      // bot/handlers/: the nearest folder that names a role names the component.
      'Handlers — bot/handlers',
      'Routes — app/api',
      'Tools and shared code — app/utils',
      'Services — app/services',
    ]);
    expect(plan.phases[0].entries.find((e) => e.title.startsWith('Services'))!.reason).toContain('runs commands or code (`security/shell-injection` 1)');
    expect(plan.phases[0].entries[2].reason).toContain('largest file chat.py (900 code lines)');
    // worker/jobs/ is a smaller handler: supporting; app (main.py) has a finding, so it comes first.
    expect(refs(2).slice(0, 2)).toEqual(['Application code — app', 'Handlers — worker/jobs']);
    expect(refs(3)).toEqual(['Monitoring & Logging', 'Infrastructure', 'Security', 'Dependencies']);
    expect(refs(4)).toEqual(['Testing', 'Error Handling', 'Code Quality']);
  });

  it('gives the findings of rules no checklist names a part of their own', () => {
    const plan = buildPlan({
      ...audited([...FINDINGS, finding('security/house-rule', 'app/main.py', 9, 'medium')], [...RULES, 'security/house-rule']),
    });
    const last = plan.parts[plan.parts.length - 1];
    expect(last.title).toBe('Other Automated Checks');
    expect(last.sections[0].checks[0]).toMatchObject({ text: 'security/house-rule', checked: true });
    expect(last.sections[0].checks[0].automated[0].findings).toBe(1);
  });

  it('measures the success criteria', () => {
    const plan = buildPlan(audited());
    expect(plan.successCriteria[0]).toEqual({ text: `All check items above are ticked (now ${plan.coverage.checked} of ${plan.coverage.items})`, met: false });
    expect(plan.successCriteria[1]).toEqual({ text: 'No open Critical or High finding (now 1 critical, 2 high)', met: false });
    const clean = buildPlan(audited([]));
    expect(clean.successCriteria[1].met).toBe(true);
  });

  it('is deterministic', () => {
    expect(renderPlan(buildPlan(audited()))).toBe(renderPlan(buildPlan(audited([...FINDINGS].reverse()))));
  });
});
