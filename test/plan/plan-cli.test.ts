// `probity plan` end to end on the example project: the reviewed AUDIT_PLAN.md snapshot, counts
// checked against the audit's own JSON, --from with a saved result, and bad --from files.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marked, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers.js';

const EXAMPLE = join(REPO_ROOT, 'examples', 'shop-platform');

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
}

/** The date is the only line that changes from day to day. */
const undated = (markdown: string) => markdown.replace(/^\*\*Date:\*\* \d{4}-\d{2}-\d{2}/m, '**Date:** (date)');

/** The lines of one "### n.m" section. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const end = markdown.slice(start + 1).search(/\n(### |## |---)/);
  return markdown.slice(start + 1, end < 0 ? undefined : start + 1 + end);
}

describe('probity plan examples/shop-platform', () => {
  const audit = runCli(['audit', EXAMPLE, '--format', 'json', '--no-cache']);
  const result = JSON.parse(audit.stdout) as { findings: JsonFinding[]; rules: { id: string }[]; inventory: { components: { path: string }[] } };
  const run = runCli(['plan', EXAMPLE, '--no-cache']);
  const plan = run.stdout;
  const count = (ruleId: string, prefix = '') => result.findings.filter((f) => f.ruleId === ruleId && f.file.startsWith(prefix)).length;

  it('exits 0 and prints the plan on stdout', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(plan.startsWith('# Audit Plan: shop-platform\n')).toBe(true);
  });

  it('matches the reviewed snapshot', async () => {
    await expect(undated(plan)).toMatchFileSnapshot('./__snapshots__/shop-platform-AUDIT_PLAN.md');
  });

  it('has a part for every discovered component, with its real folder and largest file', () => {
    for (const component of result.inventory.components) {
      const path = component.path === '.' ? 'project root' : component.path;
      expect(plan, component.path).toMatch(new RegExp(`^### \\d+\\.\\d+ .+ \\(${path.replace(/\./g, '\\.')}/?\\)$`, 'm'));
    }
    expect(plan).toContain('- [ ] **backend/app/routes/orders.py** — 119 code lines · 4 findings (1 high, 1 medium, 2 low)');
    expect(plan).toContain('- [ ] **frontend-api/src/services/sandbox.ts** — 122 code lines');
  });

  it('counts what the audit found: project-wide per rule, and per component', () => {
    // Every rule that ran is ticked somewhere with its project-wide total; a check skipped for
    // want of data (offline: advisories, latest versions) says it did not run.
    const skipped = new Set(result.skippedChecks.map((s) => s.rule));
    for (const id of skipped) expect(plan, id).toContain(`\`${id}\`: not run in this audit`);
    for (const rule of result.rules.filter((r) => !skipped.has(r.id))) {
      const total = count(rule.id);
      expect(plan, rule.id).toContain(`\`${rule.id}\`: ${total === 0 ? '0 findings' : `${total} finding${total === 1 ? '' : 's'} (`}`);
    }
    expect(count('security/shell-injection')).toBe(4);
    expect(section(plan, '### 10.4 Input validation')).toContain('- [x] Shell injection — `security/shell-injection`: 4 findings (3 high, 1 medium)');
    const services = section(plan, '### 3.1 Services (backend/app/services/)');
    expect(count('performance/blocking-call-in-async', 'backend/app/services/')).toBe(4);
    expect(services).toContain('- [x] Blocking calls inside async code — `performance/blocking-call-in-async`: 4 findings (4 high)');
    expect(count('reliability/silent-exception', 'backend/app/services/')).toBe(1);
    expect(services).toContain('`reliability/silent-exception`: 1 finding (1 critical) at backend/app/services/reports.py:77');
    // An automated rule that found nothing here is ticked with 0 — where it reads the language.
    expect(count('performance/blocking-call-in-async', 'backend/app/routes/')).toBe(0);
    expect(section(plan, '### 2.2 Routes (backend/app/routes/)')).toContain(
      '- [x] Blocking I/O inside async handlers — `performance/blocking-call-in-async`: 0 findings',
    );
    // The rule reads TypeScript too now: the Express routes are checked, and clean.
    expect(count('performance/blocking-call-in-async', 'frontend-api/src/routes/')).toBe(0);
    expect(section(plan, '### 2.1 Routes (frontend-api/src/routes/)')).toContain(
      '- [x] Blocking I/O inside async handlers — `performance/blocking-call-in-async`: 0 findings',
    );
  });

  it('keeps items no rule covers yet as open checkboxes naming the planned rule', () => {
    expect(plan).toContain('- [ ] Routes that change or expose data without authentication — manual; planned rule `security/missing-authentication`');
    expect(plan).toContain('- [ ] Missing indexes for the common queries\n');
  });

  it('orders the audit with the critical path first', () => {
    const order = section(plan.replace('## Audit Execution Order', '### Audit Execution Order'), '### Audit Execution Order');
    expect(order).toMatch(/\*\*Phase 1: Critical Path\*\* \(affects all users\)\n1\. Models — backend\/app\/models\.py \(Part 1\.1\) — data layer/);
    expect(order).toContain('Services — backend/app/services (Part 3.1) — runs commands or code (`security/shell-injection` 2, `reliability/unchecked-subprocess` 1)');
  });

  it('is GitHub-flavoured Markdown a parser reads as intended', () => {
    const tokens = marked.lexer(plan);
    const headings = tokens.filter((t): t is Tokens.Heading => t.type === 'heading');
    expect(headings[0]).toMatchObject({ depth: 1, text: 'Audit Plan: shop-platform' });
    expect(headings.filter((h) => h.depth === 2).map((h) => h.text)).toEqual(expect.arrayContaining(['Audit Methodology', 'Audit Execution Order', 'Output Format', 'Success Criteria']));
    const items = tokens.filter((t): t is Tokens.List => t.type === 'list').flatMap((list) => list.items);
    const tasks = items.filter((item) => item.task);
    expect(tasks.length).toBe((plan.match(/^- \[[ x]\] /gm) ?? []).length);
    expect(tasks.filter((item) => item.checked).length).toBe((plan.match(/^- \[x\] /gm) ?? []).length);
    const code = tokens.filter((t: Token): t is Tokens.Code => t.type === 'code');
    expect(code.map((c) => c.lang)).toEqual(['markdown']);
    expect(code[0].text).toContain('**Severity:** Critical | High | Medium | Low');
  });

  it('builds the same plan --from a saved audit JSON, and writes --output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'probity-plan-'));
    const saved = join(dir, 'audit.json');
    writeFileSync(saved, audit.stdout);
    const output = join(dir, 'AUDIT_PLAN.md');
    const fromRun = runCli(['plan', '--from', saved, '--output', output]);
    expect(fromRun.stderr).toBe('');
    expect(fromRun.status).toBe(0);
    expect(fromRun.stdout).toBe('');
    expect(undated(readFileSync(output, 'utf8'))).toBe(undated(plan));
  });

  it('rejects a --from file that is not a probity 1.x result, with exit 2 and a reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'probity-plan-'));
    const cases: [string, string, RegExp][] = [
      ['not-json.json', 'findings: 3\n', /not JSON/],
      ['other-version.json', JSON.stringify({ ...JSON.parse(audit.stdout), schemaVersion: '2.0.0' }), /schemaVersion "2\.0\.0"; expected .*1\.x/],
      ['sarif.json', JSON.stringify({ version: '2.1.0', runs: [] }), /no schemaVersion/],
      ['truncated.json', JSON.stringify({ schemaVersion: '1.0.0', project: { name: 'x' } }), /missing "tool"/],
    ];
    for (const [name, content, message] of cases) {
      writeFileSync(join(dir, name), content);
      const bad = runCli(['plan', '--from', join(dir, name)]);
      expect(bad.status, name).toBe(2);
      expect(bad.stdout, name).toBe('');
      expect(bad.stderr, name).toMatch(message);
    }
    const missing = runCli(['plan', '--from', join(dir, 'absent.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read it \(ENOENT\)/);
    const both = runCli(['plan', EXAMPLE, '--from', join(dir, 'sarif.json')]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/either a path to audit or --from/);
  });
});
