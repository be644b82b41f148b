// Inline suppressions must carry a reason; Bandit's # nosec is honoured for matching rules.
import { describe, expect, it } from 'vitest';
import { runAudit } from '../../src/engine/audit.js';
import { makeTree } from '../helpers.js';

async function audit(source: string, path = 'app/m.py') {
  return runAudit({ root: makeTree({ [path]: source }), config: {}, jobs: 1 });
}

const handler = (suffix: string, before = '') =>
  `def f():\n    try:\n        g()\n${before ? `    ${before}\n` : ''}    except Exception:${suffix}\n        pass\n`;

describe('inline suppressions', () => {
  it('probity-ignore with a reason on the line hides the finding and records why', async () => {
    const result = await audit(handler('  # probity-ignore[reliability/silent-exception]: best-effort cache warmup'));
    expect(result.findings).toEqual([]);
    expect(result.suppressed.map((s) => s.suppression)).toEqual([{ kind: 'inline', reason: 'best-effort cache warmup' }]);
  });

  it('probity-ignore on the line before works too, and area wildcards match', async () => {
    const result = await audit(handler('', '# probity-ignore[reliability/*]: shutdown path'));
    expect(result.findings).toEqual([]);
    expect(result.suppressed).toHaveLength(1);
  });

  it('probity-ignore without a reason hides nothing and says so', async () => {
    const result = await audit(handler('  # probity-ignore[reliability/silent-exception]'));
    expect(result.findings).toHaveLength(1);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ kind: 'suppression', file: 'app/m.py', line: 4, reason: expect.stringMatching(/without a reason is not honoured/) }),
    ]);
  });

  it('probity-ignore for another rule does not hide this one', async () => {
    const result = await audit(handler('  # probity-ignore[security/shell-injection]: unrelated'));
    expect(result.findings).toHaveLength(1);
  });

  it('# nosec B110 hides silent-exception; # nosec B602 does not', async () => {
    expect((await audit(handler('  # nosec B110'))).findings).toEqual([]);
    expect((await audit(handler('  # nosec'))).findings).toEqual([]);
    expect((await audit(handler('  # nosec B602'))).findings).toHaveLength(1);
  });

  it('works in TypeScript comments', async () => {
    const ts = 'export function f(g: () => void) {\n  try {\n    g();\n  // probity-ignore[reliability/silent-exception]: teardown must not throw\n  } catch {}\n}\n';
    const result = await audit(ts, 'src/m.ts');
    expect(result.findings).toEqual([]);
    expect(result.suppressed[0].suppression.reason).toBe('teardown must not throw');
  });
});

describe('config ignores', () => {
  it('suppress a rule in matching files with the configured reason, and nowhere else', async () => {
    const source = handler('');
    const root = makeTree({ 'app/m.py': source, 'scripts/legacy/m.py': source });
    const result = await runAudit({
      root,
      config: { rules: { 'reliability/silent-exception': { ignore: ['scripts/legacy/'], reason: 'legacy import scripts, removed in Q3' } } },
      jobs: 1,
      cache: false,
    });
    expect(result.findings.map((f) => f.file)).toEqual(['app/m.py']);
    expect(result.suppressed.map((s) => [s.file, s.suppression])).toEqual([
      ['scripts/legacy/m.py', { kind: 'config', reason: 'legacy import scripts, removed in Q3' }],
    ]);
    expect(result.summary.suppressed).toBe(1);
  });
});
