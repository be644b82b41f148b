// The worker pool (used above ~1.5 MB of source) must give exactly the result of one thread:
// same findings, same order, same fingerprints, same inventory.
import { describe, expect, it } from 'vitest';
import { makeTree, runCli } from '../helpers.js';

function generatedProject(): string {
  const files: Record<string, string> = {};
  const handler = (i: number) =>
    `def handler_${i}(db):\n    try:\n        return db.fetch(${i})\n    except Exception:\n        return None\n\n\n`;
  const filler = (i: number) => `def helper_${i}(values):\n    """Sum the values."""\n    total = 0\n    for value in values:\n        total += value * ${i}\n    return total\n\n\n`;
  for (let f = 0; f < 240; f++) {
    let body = 'import logging\n\nlogger = logging.getLogger(__name__)\n\n\n';
    for (let i = 0; i < 80; i++) body += i % 20 === f % 20 ? handler(i) : filler(i);
    files[`pkg/module_${String(f).padStart(3, '0')}.py`] = body;
  }
  files['web/a.ts'] = 'export function f(g: () => void) {\n  try {\n    g();\n  } catch {}\n}\n';
  // Above the pool's threshold (PARALLEL_MIN_BYTES, 1.5 MB), so --jobs 2 really starts workers.
  const bytes = Object.values(files).reduce((sum, text) => sum + text.length, 0);
  if (bytes < 2_000_000) throw new Error(`generated project too small for the worker pool: ${bytes} bytes`);
  return makeTree(files);
}

describe('parallel audit', () => {
  it('gives the same JSON with one thread and with two', () => {
    const root = generatedProject();
    const strip = (stdout: string) => {
      const { generatedAt: _g, durationMs: _d, ...rest } = JSON.parse(stdout);
      return rest;
    };
    const one = runCli(['audit', root, '--format', 'json', '--no-cache', '--jobs', '1', '--fail-on', 'none']);
    const two = runCli(['audit', root, '--format', 'json', '--no-cache', '--jobs', '2', '--fail-on', 'none']);
    expect(one.status).toBe(0);
    expect(two.stderr).toBe('');
    const result = strip(two.stdout);
    expect(result.inventory.languages.python.files).toBe(240);
    expect(result.summary.total).toBeGreaterThan(400);
    expect(result).toEqual(strip(one.stdout));
  });
});
