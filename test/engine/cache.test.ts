// The content-hash cache: an unchanged file is not re-analysed, a changed one is, and the
// results are identical either way.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAudit } from '../../src/engine/audit.js';
import { cachePath } from '../../src/engine/cache.js';
import { makeTree } from '../helpers.js';

const SILENT = 'def f():\n    try:\n        g()\n    except Exception:\n        pass\n';

describe('result cache', () => {
  it('reuses results for unchanged files and recomputes changed ones', async () => {
    const root = makeTree({ 'a.py': SILENT, 'b.py': 'x = 1\n' });
    const first = await runAudit({ root, config: {}, jobs: 1 });
    expect(existsSync(cachePath(root))).toBe(true);
    const second = await runAudit({ root, config: {}, jobs: 1 });
    expect(second.findings).toEqual(first.findings);
    expect(second.inventory).toEqual(first.inventory);

    writeFileSync(join(root, 'b.py'), SILENT);
    const third = await runAudit({ root, config: {}, jobs: 1 });
    expect(third.findings.map((f) => f.file)).toEqual(['a.py', 'b.py']);
  });

  it('a stale entry (same path, other content) is never trusted', async () => {
    const root = makeTree({ 'a.py': SILENT });
    await runAudit({ root, config: {}, jobs: 1 });
    writeFileSync(join(root, 'a.py'), 'x = 1\n');
    expect((await runAudit({ root, config: {}, jobs: 1 })).findings).toEqual([]);
  });

  it('different rule settings do not share a cache', async () => {
    const root = makeTree({ 'a.py': SILENT });
    await runAudit({ root, config: {}, jobs: 1 });
    const off = await runAudit({ root, config: { rules: { 'reliability/silent-exception': 'low' } }, jobs: 1 });
    expect(off.findings.map((f) => f.severity)).toEqual(['low']);
  });

  it('--no-cache writes nothing into the audited tree', async () => {
    const root = makeTree({ 'a.py': SILENT });
    await runAudit({ root, config: {}, jobs: 1, cache: false });
    expect(existsSync(join(root, '.probity'))).toBe(false);
  });
});
