// The roadmap model (docs/report.md): phases, effort, production risk, debt inventory, tracked metrics.
import { describe, expect, it } from 'vitest';
import type { AuditResult, RuleSummary } from '../../src/core/audit-result.js';
import type { Area, Effort, Finding, Severity } from '../../src/core/types.js';
import { buildReportData, groupEffortDays, phaseOf } from '../../src/score/roadmap.js';

function rule(id: string, area: Area, effort: Effort = 'small'): RuleSummary {
  return { id, title: `Title of ${id}`, area, severity: 'high', type: 'bug', effort, confidence: 'high', languages: ['py'], description: '', why: '', recommendation: '', references: [] };
}

let seq = 0;
function finding(ruleId: string, area: Area, severity: Severity, file = 'app/a.py', effort: Effort = 'small'): Finding {
  seq++;
  return { ruleId, area, severity, type: 'bug', effort, file, line: seq, endLine: seq, column: 1, endColumn: 2, message: 'm', snippet: 's', fingerprint: String(seq).padStart(20, '0') };
}

const RULES = [
  rule('security/shell-injection', 'security'),
  rule('reliability/silent-exception', 'reliability'),
  rule('reliability/broad-exception', 'reliability'),
  rule('performance/blocking-call-in-async', 'performance', 'medium'),
  rule('testing/no-tests', 'testing', 'large'),
  rule('code-quality/print-statement', 'code-quality'),
];

function input(findings: Finding[], extra: Partial<AuditResult> = {}) {
  return {
    findings,
    rules: RULES,
    inventory: { files: 10, lines: 2500, codeLines: 2000, languages: {}, excluded: {}, stack: [], components: [] },
    suppressed: [],
    diagnostics: [],
    measurements: [],
    ...extra,
  } as Pick<AuditResult, 'findings' | 'rules' | 'inventory' | 'suppressed' | 'diagnostics' | 'measurements'>;
}

describe('phases', () => {
  it('a finding goes to the phase of its area; every Critical goes to phase 1', () => {
    expect(phaseOf({ area: 'security', severity: 'medium' })).toBe('critical-security');
    expect(phaseOf({ area: 'reliability', severity: 'high' })).toBe('reliability');
    expect(phaseOf({ area: 'reliability', severity: 'critical' })).toBe('critical-security');
    expect(phaseOf({ area: 'performance', severity: 'low' })).toBe('performance');
    expect(phaseOf({ area: 'database', severity: 'low' })).toBe('performance');
    expect(phaseOf({ area: 'testing', severity: 'high' })).toBe('testing-documentation');
    expect(phaseOf({ area: 'documentation', severity: 'low' })).toBe('testing-documentation');
    expect(phaseOf({ area: 'code-quality', severity: 'low' })).toBe('production-readiness');
    expect(phaseOf({ area: 'infrastructure', severity: 'high' })).toBe('production-readiness');
  });

  it('lists five phases in order, items grouped per rule, worst severity and most occurrences first', () => {
    const { plan } = buildReportData(
      input([
        finding('reliability/silent-exception', 'reliability', 'critical', 'app/x.py'),
        finding('reliability/silent-exception', 'reliability', 'high', 'app/y.py'),
        finding('reliability/silent-exception', 'reliability', 'high', 'app/x.py'),
        finding('reliability/broad-exception', 'reliability', 'low'),
        finding('security/shell-injection', 'security', 'high'),
        finding('code-quality/print-statement', 'code-quality', 'low'),
      ]),
    );
    expect(plan.phases.map((p) => `${p.number} ${p.id}`)).toEqual(['1 critical-security', '2 reliability', '3 performance', '4 testing-documentation', '5 production-readiness']);
    const [security, reliability, performance, testing, readiness] = plan.phases;
    expect(security.items.map((i) => `${i.ruleId} ${i.severity} ${i.occurrences}`)).toEqual(['reliability/silent-exception critical 1', 'security/shell-injection high 1']);
    expect(reliability.items.map((i) => `${i.ruleId} ${i.severity} ${i.occurrences}`)).toEqual(['reliability/silent-exception high 2', 'reliability/broad-exception low 1']);
    expect(reliability.items[0].files).toEqual(['app/x.py', 'app/y.py']);
    expect(reliability.items[0].title).toBe('Title of reliability/silent-exception');
    expect(performance.items).toEqual([]);
    expect(performance.effortDays).toBe(0);
    expect(testing.items).toEqual([]);
    expect(readiness.items.map((i) => i.ruleId)).toEqual(['code-quality/print-statement']);
  });
});

describe('effort', () => {
  it('Small 0.5, Medium 2, Large 5 engineer-days for one occurrence', () => {
    expect(groupEffortDays('small', 1)).toBe(0.5);
    expect(groupEffortDays('medium', 1)).toBe(2);
    expect(groupEffortDays('large', 1)).toBe(5);
  });

  it('+10% of the base per further occurrence, capped at twice the base', () => {
    expect(groupEffortDays('medium', 2)).toBe(2.2);
    expect(groupEffortDays('small', 3)).toBe(0.6);
    expect(groupEffortDays('large', 11)).toBe(10);
    expect(groupEffortDays('large', 500)).toBe(10);
    for (let n = 1; n < 30; n++) expect(groupEffortDays('medium', n + 1)).toBeGreaterThanOrEqual(groupEffortDays('medium', n));
  });

  it('phase and total efforts are the sums; weeks are days over five', () => {
    const { plan, effortModel } = buildReportData(
      input([
        finding('performance/blocking-call-in-async', 'performance', 'high', 'a.py', 'medium'),
        finding('performance/blocking-call-in-async', 'performance', 'high', 'b.py', 'medium'),
        finding('testing/no-tests', 'testing', 'medium', 'c.py', 'large'),
        finding('code-quality/print-statement', 'code-quality', 'low'),
      ]),
    );
    expect(plan.phases.map((p) => p.effortDays)).toEqual([0, 0, 2.2, 5, 0.5]);
    expect(plan.totalEffortDays).toBe(7.7);
    expect(plan.totalEffortWeeks).toBe(1.5);
    expect(effortModel).toEqual({ baseDays: { small: 0.5, medium: 2, large: 5 }, extraOccurrenceShare: 0.1, maxExtraOccurrences: 10, daysPerWeek: 5 });
  });

  it('uses the rule effort class from the catalog', () => {
    const { plan } = buildReportData(input([finding('testing/no-tests', 'testing', 'low', 'c.py', 'small')]));
    expect(plan.phases[3].items[0]).toMatchObject({ effort: 'large', effortDays: 5 });
  });
});

describe('production risk', () => {
  it('follows the worst open severity and names its rules', () => {
    const risk = (findings: Finding[]) => buildReportData(input(findings)).plan.risk;
    expect(risk([finding('reliability/silent-exception', 'reliability', 'critical'), finding('security/shell-injection', 'security', 'high')])).toEqual({
      level: 'critical',
      reason: '1 open Critical finding (reliability/silent-exception): must be fixed before production',
    });
    expect(risk([finding('security/shell-injection', 'security', 'high'), finding('security/shell-injection', 'security', 'high')])).toMatchObject({
      level: 'high',
      reason: 'no Critical finding, but 2 open High findings (security/shell-injection): fix before production',
    });
    expect(risk([finding('code-quality/print-statement', 'code-quality', 'medium')]).level).toBe('medium');
    expect(risk([finding('code-quality/print-statement', 'code-quality', 'low')])).toMatchObject({ level: 'low', reason: 'only Low findings open (1) among the 6 rules that ran' });
    expect(risk([]).reason).toContain('no open finding among the 6 rules that ran');
  });
});

describe('technical-debt inventory', () => {
  it('one line per rule under its worst severity, with occurrence and file counts', () => {
    const { debt } = buildReportData(
      input([
        finding('reliability/silent-exception', 'reliability', 'critical', 'a.py'),
        finding('reliability/silent-exception', 'reliability', 'high', 'a.py'),
        finding('reliability/silent-exception', 'reliability', 'high', 'b.py'),
        finding('code-quality/print-statement', 'code-quality', 'low'),
        finding('reliability/broad-exception', 'reliability', 'low'),
        finding('reliability/broad-exception', 'reliability', 'low'),
      ]),
    );
    expect(debt.critical).toEqual([{ ruleId: 'reliability/silent-exception', title: 'Title of reliability/silent-exception', area: 'reliability', occurrences: 3, files: 2 }]);
    expect(debt.high).toEqual([]);
    expect(debt.medium).toEqual([]);
    expect(debt.low.map((d) => `${d.ruleId} ${d.occurrences}`)).toEqual(['reliability/broad-exception 2', 'code-quality/print-statement 1']);
  });
});

describe('tracked metrics', () => {
  it('only measured ones: a metric whose rule did not run is left out', () => {
    const { metrics } = buildReportData(
      input(
        [
          finding('reliability/silent-exception', 'reliability', 'critical'),
          finding('reliability/broad-exception', 'reliability', 'low'),
          finding('code-quality/print-statement', 'code-quality', 'low'),
          finding('code-quality/print-statement', 'code-quality', 'low'),
        ],
        {
          suppressed: [{ ...finding('reliability/broad-exception', 'reliability', 'low'), suppression: { kind: 'inline', reason: 'boundary' } }],
          diagnostics: [
            { file: 'x.py', kind: 'parse-error', reason: 'syntax', line: 3 },
            { file: 'x.py', kind: 'rule-error', reason: 'rule threw' },
            { file: 'y.py', kind: 'suppression', reason: 'no reason', line: 1 },
          ],
        },
      ),
    );
    const byId = Object.fromEntries(metrics.map((m) => [m.id, m]));
    expect(Object.keys(byId)).toEqual([
      'critical-high-findings',
      'findings-per-kloc',
      'silent-exception-handlers',
      'broad-exception-handlers',
      'print-console-calls',
      'suppressed-findings',
      'suppressions-without-reason',
      'files-not-fully-audited',
    ]);
    expect(byId['critical-high-findings']).toMatchObject({ current: 1, target: 0 });
    expect(byId['findings-per-kloc']).toMatchObject({ current: 2, target: 2 });
    expect(byId['silent-exception-handlers'].current).toBe(1);
    expect(byId['broad-exception-handlers'].current).toBe(1);
    expect(byId['print-console-calls'].current).toBe(2);
    expect(byId['suppressed-findings']).toMatchObject({ current: 1, target: null, direction: 'watch' });
    expect(byId['suppressions-without-reason'].current).toBe(1);
    expect(byId['files-not-fully-audited'].current).toBe(1);
  });

  it('no density without code lines', () => {
    const empty = input([]);
    empty.inventory.codeLines = 0;
    expect(buildReportData(empty).metrics.map((m) => m.id)).not.toContain('findings-per-kloc');
  });

  it('is deterministic', () => {
    const findings = [finding('security/shell-injection', 'security', 'high', 'b.py'), finding('security/shell-injection', 'security', 'high', 'a.py')];
    expect(JSON.stringify(buildReportData(input(findings)))).toBe(JSON.stringify(buildReportData(input([...findings].reverse()))));
  });
});
