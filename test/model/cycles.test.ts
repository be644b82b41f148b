import { describe, expect, it } from 'vitest';
import { cycleMessage, importCycles, stronglyConnected } from '../../src/rules/architecture/import-cycle/cycles.js';

const graph = (edges: [string, string, number][]) => {
  const out = new Map<string, { to: string; line: number }[]>();
  for (const [from, to, line] of edges) out.set(from, [...(out.get(from) ?? []), { to, line }]);
  return out;
};

describe('import cycles', () => {
  it('finds each group of files importing one another once, ignoring chains', () => {
    const edges = graph([
      ['a', 'b', 1],
      ['b', 'c', 2],
      ['c', 'a', 3],
      ['c', 'd', 4],
      ['d', 'e', 5],
      ['x', 'y', 1],
      ['y', 'x', 7],
    ]);
    expect(stronglyConnected(edges)).toEqual([
      ['a', 'b', 'c'],
      ['x', 'y'],
    ]);
  });

  it('shows the shortest loop through the first file with the line of each import', () => {
    const edges = graph([
      ['a', 'b', 1],
      ['b', 'c', 2],
      ['c', 'd', 3],
      ['d', 'a', 4],
      ['b', 'a', 9],
    ]);
    expect(importCycles(edges)).toEqual([
      {
        path: [
          { file: 'a', line: 1 },
          { file: 'b', line: 9 },
        ],
        members: 4,
      },
    ]);
  });

  it('lists the first files of a long loop and counts the rest', () => {
    const path = Array.from({ length: 12 }, (_, i) => ({ file: `m${i}.py`, line: i + 1 }));
    expect(cycleMessage({ path, members: 15 }, 3)).toBe(
      'Import cycle of 12 modules loaded at import time: m0.py:1 → m1.py:2 → m2.py:3 → … 9 more → m0.py; 15 modules in all import one another through such loops.',
    );
    expect(cycleMessage({ path: path.slice(0, 2), members: 2 })).toBe('Import cycle of 2 modules loaded at import time: m0.py:1 → m1.py:2 → m0.py.');
  });

  it('copes with a long chain without overflowing the stack', () => {
    const edges = graph(Array.from({ length: 50_000 }, (_, i) => [`m${i}`, `m${(i + 1) % 50_000}`, 1] as [string, string, number]));
    const [cycle] = importCycles(edges);
    expect(cycle.members).toBe(50_000);
    expect(cycle.path).toHaveLength(50_000);
  });
});

describe('architecture/import-cycle on a project', () => {
  it('names the loop with the line of each import, starting at the first file', async () => {
    const { runAudit } = await import('../../src/engine/audit.js');
    const { fileURLToPath } = await import('node:url');
    const root = fileURLToPath(new URL('../../src/rules/architecture/import-cycle/fixtures/py-relative-three-module-cycle', import.meta.url));
    const result = await runAudit({ root, config: {}, jobs: 1, cache: false, only: ['architecture/import-cycle'], offline: true });
    expect(result.findings.map((f) => `${f.file}:${f.line} ${f.message}`)).toEqual([
      'app/models/invoice.py:3 Import cycle of 3 modules loaded at import time: app/models/invoice.py:3 → app/notifications.py:3 → app/services/billing.py:1 → app/models/invoice.py.',
    ]);
    expect(result.measurements.filter((m) => m.ruleId === 'architecture/import-cycle').map((m) => [m.id, m.count])).toEqual([
      ['project-modules', 6],
      ['import-edges', 3],
    ]);
  });
});
