// Fingerprints survive line shifts and reformatting, and tell identical occurrences apart.
import { describe, expect, it } from 'vitest';
import { runAudit } from '../../src/engine/audit.js';
import { makeTree } from '../helpers.js';

const handler = 'def f():\n    try:\n        g()\n    except Exception:\n        pass\n';

async function fingerprints(source: string): Promise<string[]> {
  const result = await runAudit({ root: makeTree({ 'app/m.py': source }), config: {}, jobs: 1 });
  return result.findings.map((f) => f.fingerprint);
}

describe('fingerprints', () => {
  it('do not change when code above moves the finding down', async () => {
    const before = await fingerprints(handler);
    const after = await fingerprints(`import os\n\n\nX = 1\n\n${handler}`);
    expect(after).toEqual(before);
  });

  it('do not change with whitespace-only edits inside the finding', async () => {
    const before = await fingerprints(handler);
    expect(await fingerprints(handler.replace('except Exception:', 'except   Exception :'))).toEqual(before);
  });

  it('differ for two identical occurrences in one file, and by path', async () => {
    const two = await fingerprints(`${handler}\n\n${handler.replace('def f', 'def h')}`);
    expect(new Set(two).size).toBe(2);
    const other = await runAudit({ root: makeTree({ 'app/other.py': handler }), config: {}, jobs: 1 });
    expect(other.findings[0].fingerprint).not.toBe((await fingerprints(handler))[0]);
  });
});
