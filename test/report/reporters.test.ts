// Every reporter is a pure function of one hand-built AuditResult, snapshotted as a reader
// sees it (Ruff snapshots each emitter the same way). Update after review: `npx vitest run -u`.
import { describe, expect, it } from 'vitest';
import type { AuditResult } from '../../src/core/audit-result.js';
import { reporters } from '../../src/report/index.js';
import { buildReportData } from '../../src/score/roadmap.js';

const rule = {
  id: 'reliability/silent-exception',
  title: 'Exception swallowed silently',
  area: 'reliability',
  severity: 'high',
  type: 'bug',
  effort: 'small',
  confidence: 'high',
  languages: ['py', 'ts'],
  description: 'An exception handler that drops the error: no logging, no re-raise, no comment saying why.',
  why: 'A swallowed error turns a failure into wrong data later.',
  recommendation: 'Log the error with its context and re-raise it.',
  example: { language: 'py', bad: 'try:\n    x()\nexcept Exception:\n    pass\n', good: 'try:\n    x()\nexcept Exception:\n    logger.exception("x failed")\n    raise\n' },
  references: ['seed 002'],
  cwe: ['CWE-390'],
} as const;

const finding = (file: string, line: number, severity: 'critical' | 'high', fingerprint: string) => ({
  ruleId: rule.id,
  area: rule.area,
  severity,
  type: rule.type,
  effort: rule.effort,
  file,
  line,
  endLine: line + 1,
  column: 5,
  endColumn: 13,
  message: 'Exception swallowed: the handler only does `pass`, with no logging or re-raise.',
  snippet: 'except Exception:\n    pass',
  fingerprint,
});

const result: AuditResult = {
  schemaVersion: '1.0.0',
  tool: { name: 'probity', version: '0.1.0' },
  project: { name: 'shop', root: 'examples/shop' },
  generatedAt: '2026-11-23T10:00:00.000Z',
  durationMs: 420,
  failOn: 'high',
  inventory: {
    files: 3,
    lines: 120,
    codeLines: 100,
    languages: { python: { files: 2, lines: 90, codeLines: 75 }, typescript: { files: 1, lines: 30, codeLines: 25 } },
    excluded: { 'default-excluded-folder': 2 },
    stack: [
      { name: 'FastAPI', category: 'web-framework', evidence: ['requirements.txt'] },
      { name: 'httpx', category: 'http-client', evidence: ['requirements.txt', 'app/routes/orders.py'] },
    ],
    components: [
      { name: 'app/db', path: 'app/db', role: 'models', files: 1, codeLines: 40, languages: { python: 40 }, largestFiles: [{ path: 'app/db/backup.py', codeLines: 40 }] },
      { name: 'app/routes', path: 'app/routes', role: 'routes', files: 1, codeLines: 35, languages: { python: 35 }, largestFiles: [{ path: 'app/routes/orders.py', codeLines: 35 }] },
      { name: 'web', path: 'web', role: 'frontend', files: 1, codeLines: 25, languages: { typescript: 25 }, largestFiles: [{ path: 'web/app.ts', codeLines: 25 }] },
    ],
  },
  rules: [{ ...rule, languages: [...rule.languages], references: [...rule.references], cwe: [...rule.cwe] }],
  findings: [finding('app/db/backup.py', 40, 'critical', '0123456789abcdef0123'), finding('app/routes/orders.py', 12, 'high', 'abcdef0123456789abcd')],
  suppressed: [{ ...finding('app/cache.py', 7, 'high', 'ffffffffffffffffffff'), suppression: { kind: 'nosec', reason: 'cache warmup is best effort' } }],
  diagnostics: [{ file: 'app/legacy.py', kind: 'parse-error', line: 3, reason: 'syntax error near line 3; findings in this file may be incomplete' }],
  measurements: [
    {
      id: 'type-hint-coverage',
      ruleId: 'code-quality/untyped-parameter',
      label: 'Type-hint coverage',
      kind: 'coverage',
      count: 30,
      total: 40,
      value: 75,
      target: 80,
      note: 'typed parameters let the checker find wrong calls',
      files: 2,
      worstFiles: [
        { path: 'app/routes/orders.py', count: 5, total: 12 },
        { path: 'app/db/backup.py', count: 25, total: 28 },
      ],
    },
  ],
  scores: {
    health: 48,
    formula: 'test-formula',
    areas: [
      {
        area: 'reliability',
        score: 35,
        findings: 2,
        cap: { severity: 'critical', max: 39 },
        reason: 'an open Critical finding caps the area below 40',
        topCosts: [{ ruleId: rule.id, severity: 'critical', occurrences: 2, points: 65 }],
      },
      { area: 'security', score: 100, findings: 0, reason: 'no open finding from the security rules', topCosts: [] },
      { area: 'testing', score: null, findings: 0, reason: 'no testing rule ran', topCosts: [] },
    ],
  },
  summary: { total: 2, bySeverity: { critical: 1, high: 1, medium: 0, low: 0 }, byArea: { reliability: 2 }, filesWithFindings: 2, suppressed: 1, diagnostics: 1 },
};
// The engine attaches the roadmap data; built here the same way (src/score/roadmap.ts).
Object.assign(result, { report: buildReportData(result) });

describe('reporters', () => {
  it('terminal', async () => {
    await expect(reporters.terminal(result, { color: false })).toMatchFileSnapshot('./__snapshots__/report.terminal.txt');
  });

  it('terminal with colour only adds ANSI codes', () => {
    const coloured = reporters.terminal(result, { color: true });
    expect(coloured).toContain('\u001b[');
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(reporters.terminal(result, { color: false }));
  });

  it('markdown (seed 000 per-finding format, one entry for both occurrences)', async () => {
    const markdown = reporters.markdown(result, { color: false });
    expect(markdown.match(/^### \[/gm)).toHaveLength(1);
    for (const heading of ['**Severity:** Critical', '**Type:** Bug', '**Description:**', '**Current Behavior:**', '**Expected Behavior:**', '**Files Affected:**', '**Recommendation:**', '**Effort:** Small']) {
      expect(markdown).toContain(heading);
    }
    await expect(markdown).toMatchFileSnapshot('./__snapshots__/report.md');
  });

  it('markdown says "not measured" where the result has no scores or report data, never a number', () => {
    const bare = { ...result, scores: { health: null, formula: 'f', areas: [] }, report: undefined };
    const markdown = reporters.markdown(bare as AuditResult, { color: false });
    expect(markdown).toContain('### System Health Score: not measured');
    expect(markdown).toContain('Action plan: not measured');
    expect(markdown).toContain('Debt inventory: not measured');
    expect(markdown).not.toContain('null');
  });

  it('sarif', async () => {
    await expect(reporters.sarif(result, { color: false })).toMatchFileSnapshot('./__snapshots__/report.sarif.json');
  });

  it('json is the result itself', () => {
    expect(JSON.parse(reporters.json(result, { color: false }))).toEqual(result);
  });
});
