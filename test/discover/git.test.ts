// The audited commit is read from .git without a git binary: loose refs, packed refs, detached HEAD.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHeadCommit } from '../../src/discover/git.js';
import { makeTree } from '../helpers.js';

const SHA = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);

describe('readHeadCommit', () => {
  it('follows HEAD to a loose ref, also from a subfolder', () => {
    const root = makeTree({ '.git/HEAD': 'ref: refs/heads/main\n', [`.git/refs/heads/main`]: `${SHA}\n`, 'app/x.py': '' });
    expect(readHeadCommit(root)).toBe(SHA);
    expect(readHeadCommit(join(root, 'app'))).toBe(SHA);
  });

  it('reads packed refs and a detached HEAD', () => {
    const packed = makeTree({ '.git/HEAD': 'ref: refs/heads/main\n', '.git/packed-refs': `# pack-refs with: peeled\n${OTHER} refs/heads/main\n` });
    expect(readHeadCommit(packed)).toBe(OTHER);
    expect(readHeadCommit(makeTree({ '.git/HEAD': `${SHA}\n` }))).toBe(SHA);
  });

  it('is undefined outside a repository and before the first commit', () => {
    const root = makeTree({ '.git/HEAD': 'ref: refs/heads/main\n' });
    mkdirSync(join(root, '.git', 'refs', 'heads'), { recursive: true });
    expect(readHeadCommit(root)).toBeUndefined();
    expect(readHeadCommit(makeTree({ 'a.py': '' }))).toBeUndefined();
  });
});
