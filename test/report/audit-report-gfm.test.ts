// The full AUDIT_REPORT.md of the example project, read back with a Markdown parser (marked, GFM):
// every REPORTS.md section is a real heading, every table is well formed, the Mermaid diagram is a
// `mermaid` fence starting with `flowchart`, and there is no raw HTML. Snapshotted after review
// (date and commit lines normalised); update with `npx vitest run -u`.
import { Lexer, walkTokens, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import type { AuditResult } from '../../src/core/audit-result.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { runCli } from '../helpers.js';

/** Relative to the repository root (the CLI's working directory), so the snapshot holds on any machine. */
const EXAMPLE = 'examples/shop-platform';

/** REPORTS.md sections 1–9 as headings (level, text or text prefix). */
const REQUIRED_HEADINGS: [number, string][] = [
  [1, 'Audit report: shop-platform'],
  [2, 'Scope'],
  [2, 'Executive summary'],
  [3, 'System Health Score:'],
  [3, 'Blockers'],
  [2, 'Architecture'],
  [3, 'Stack'],
  [3, 'Components'],
  [3, 'Component map'],
  [3, 'Communication patterns'],
  [2, 'Metrics'],
  [2, 'Prioritized action plan'],
  [3, 'Phase 1: Critical security'],
  [3, 'Phase 2: Reliability'],
  [3, 'Phase 3: Performance'],
  [3, 'Phase 4: Testing and documentation'],
  [3, 'Phase 5: Production readiness'],
  [2, 'Technical-debt inventory'],
  [3, 'Critical'],
  [3, 'High'],
  [3, 'Medium'],
  [3, 'Low'],
  [2, 'Key metrics to track'],
  [2, 'Suppressed and accepted'],
];

/** Cells of one raw table line: GFM splits on pipes that are not escaped. */
function cellCount(line: string): number {
  return line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '').split(/(?<!\\)\|/).length;
}

describe('AUDIT_REPORT.md of examples/shop-platform', () => {
  const result = JSON.parse(runCli(['audit', EXAMPLE, '--format', 'json', '--no-cache']).stdout) as AuditResult;
  const markdown = renderMarkdown(result);
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  const all: Token[] = [];
  walkTokens(tokens, (token) => {
    all.push(token);
  });

  it('has every REPORTS.md section as a heading, in order', () => {
    const headings = all.filter((t): t is Tokens.Heading => t.type === 'heading').map((h) => [h.depth, h.text] as const);
    let from = 0;
    for (const [depth, text] of REQUIRED_HEADINGS) {
      const at = headings.findIndex(([d, t], i) => i >= from && d === depth && t.startsWith(text));
      expect(at, `heading ${'#'.repeat(depth)} ${text}`).toBeGreaterThanOrEqual(0);
      from = at + 1;
    }
    // One section per area with findings, worst area first, between Architecture and Metrics.
    const architecture = headings.findIndex(([d, t]) => d === 2 && t === 'Architecture');
    const metrics = headings.findIndex(([d, t]) => d === 2 && t === 'Metrics');
    const areas = headings.slice(architecture + 1, metrics).filter(([d]) => d === 2).map(([, t]) => t);
    expect(areas).toEqual(['Security', 'Reliability', 'Performance', 'Infrastructure', 'Database', 'Dependencies', 'Testing', 'Code quality', 'Documentation', 'Observability']);
  });

  it('every table is well formed: each row has the header column count', () => {
    const tables = all.filter((t): t is Tokens.Table => t.type === 'table');
    expect(tables.length).toBeGreaterThanOrEqual(10);
    for (const table of tables) {
      const columns = table.header.length;
      for (const row of table.rows) expect(row.length).toBe(columns);
      for (const line of table.raw.trim().split('\n')) expect(cellCount(line), line).toBe(columns);
    }
  });

  it('has Mermaid flowcharts in mermaid fences: the component map and the compose service graph', () => {
    const diagrams = all.filter((t): t is Tokens.Code => t.type === 'code' && t.lang === 'mermaid');
    expect(diagrams).toHaveLength(2);
    for (const diagram of diagrams) {
      const lines = diagram.text.split('\n');
      expect(lines[0]).toMatch(/^flowchart (LR|TB|TD|RL|BT)$/);
      expect(lines.filter((l) => /^\s*subgraph /.test(l)).length).toBe(lines.filter((l) => /^\s*end$/.test(l)).length);
    }
    // api and web depend on postgres; api on redis too.
    expect(diagrams[1].text.match(/-->/g)).toHaveLength(3);
  });

  it('has no raw HTML', () => {
    expect(all.filter((t) => t.type === 'html').map((t) => t.raw)).toEqual([]);
  });

  it('says "not measured" rather than inventing what it did not measure', () => {
    if (!result.scores) expect(markdown).toContain('### System Health Score: not measured');
    // Library signatures exist for retries and tracing, so their absence is a measured fact...
    expect(markdown).toContain('| Retries and circuit breakers | none detected |');
    // ...while timeouts need call-site facts that do not exist yet.
    expect(markdown).toContain('| Timeouts on outbound calls | not measured |');
  });

  it('matches the reviewed snapshot', async () => {
    const stable = markdown.replace(/^\*\*Date:\*\* .*$/m, '**Date:** (date)  ').replace(/^\*\*Commit:\*\* .*$/m, '**Commit:** (commit)  ');
    await expect(stable).toMatchFileSnapshot('./__snapshots__/shop-platform.AUDIT_REPORT.md');
  });
});
