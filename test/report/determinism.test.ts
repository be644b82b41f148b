// The same tree gives byte-identical reports, apart from the date line (and the run time the
// terminal header shows): nothing depends on timing, thread scheduling or object order.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers.js';

const EXAMPLE = join(REPO_ROOT, 'examples', 'shop-platform');

describe('reports are reproducible', () => {
  for (const [format, volatile] of [
    ['markdown', /^\*\*Date:\*\*.*$/m],
    ['sarif', /^$/],
    ['terminal', / in \d+\.\ds$/m],
  ] as const) {
    it(`${format}: two runs give the same bytes`, () => {
      const first = runCli(['audit', EXAMPLE, '--format', format, '--no-cache', '--jobs', '1']).stdout.replace(volatile, '');
      const second = runCli(['audit', EXAMPLE, '--format', format, '--no-cache', '--jobs', '2']).stdout.replace(volatile, '');
      expect(first.length).toBeGreaterThan(1000);
      expect(second).toBe(first);
    });
  }

  it('plan: two runs give the same bytes', () => {
    const date = /^\*\*Date:\*\*.*$/m;
    const first = runCli(['plan', EXAMPLE, '--no-cache']).stdout.replace(date, '');
    expect(first).toContain('## Audit Execution Order');
    expect(runCli(['plan', EXAMPLE]).stdout.replace(date, '')).toBe(first);
  });
});
