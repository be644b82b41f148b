// The commit an audited tree is at, read from `.git` directly (no git binary needed): reports
// cite it so a reader knows exactly which code the numbers describe.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The `.git` folder of the repository holding `start` (a worktree's `.git` file is followed). */
function findGitDir(start: string): string | undefined {
  let dir = resolve(start);
  if (existsSync(dir) && statSync(dir).isFile()) dir = dirname(dir);
  for (;;) {
    const candidate = join(dir, '.git');
    if (existsSync(candidate)) {
      if (statSync(candidate).isDirectory()) return candidate;
      const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(candidate, 'utf8'));
      return pointer ? resolve(dir, pointer[1].trim()) : undefined;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function resolveRef(gitDir: string, ref: string): string | undefined {
  const loose = join(gitDir, ref);
  if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
  // Worktrees keep shared refs in the common dir.
  const commonFile = join(gitDir, 'commondir');
  const common = existsSync(commonFile) ? resolve(gitDir, readFileSync(commonFile, 'utf8').trim()) : gitDir;
  if (common !== gitDir && existsSync(join(common, ref))) return readFileSync(join(common, ref), 'utf8').trim();
  const packed = join(common, 'packed-refs');
  if (!existsSync(packed)) return undefined;
  for (const line of readFileSync(packed, 'utf8').split('\n')) {
    const [sha, name] = line.split(' ');
    if (name === ref && /^[0-9a-f]{40}$/.test(sha)) return sha;
  }
  return undefined;
}

/** The full commit SHA of HEAD, or undefined outside a repository or before the first commit. */
export function readHeadCommit(start: string): string | undefined {
  const gitDir = findGitDir(start);
  if (!gitDir) return undefined;
  const head = existsSync(join(gitDir, 'HEAD')) ? readFileSync(join(gitDir, 'HEAD'), 'utf8').trim() : '';
  const sha = head.startsWith('ref:') ? resolveRef(gitDir, head.slice(4).trim()) : head;
  return sha && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
}
