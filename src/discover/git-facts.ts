// What git knows about the audited tree: which files are tracked, and (when asked with
// `--history`) the lines each recent commit added. Read through the git binary, bounded in
// commits, bytes and time; without git or outside a work tree the facts are simply absent.
import { execFileSync } from 'node:child_process';

/** Lines one commit added to one file, with their line numbers in that commit's version. */
export interface AddedLines {
  commit: string;
  /** Author date, ISO 8601. */
  date: string;
  path: string;
  lines: { line: number; text: string }[];
}

export interface GitHistory {
  /** How many commits were asked for and how many were read. */
  limit: number;
  commitsRead: number;
  /** Newest commit first, as `git log` lists them. */
  additions: AddedLines[];
  /** Set when the history could not be read in full (too large, too slow). */
  truncated?: string;
}

const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
const TIMEOUT_MS = 120_000;
/** Longer added lines are minified bundles or data: no secret scan reads them. */
const MAX_LINE_LENGTH = 4000;

function git(root: string, args: string[]): string {
  return execFileSync('git', ['-C', root, '-c', 'core.quotePath=false', ...args], { encoding: 'utf8', maxBuffer: MAX_OUTPUT_BYTES, timeout: TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** No git installed, or a folder outside any work tree: there are no git facts, which is no error. */
function isNoRepository(error: unknown): boolean {
  const failure = error as NodeJS.ErrnoException & { stderr?: string };
  return failure.code === 'ENOENT' || /not a git repository/i.test(String(failure.stderr ?? ''));
}

/** Paths git tracks under `root` (relative to it), or undefined when `root` is not in a work tree or git is missing. */
export function listTrackedFiles(root: string): string[] | undefined {
  try {
    return git(root, ['ls-files', '-z', '--full-name', '--', '.'])
      .split('\0')
      .filter(Boolean)
      .map((path) => relativeToRoot(root, path));
  } catch (error) {
    if (isNoRepository(error)) return undefined;
    // Anything else (a damaged repository, `safe.directory` refusing it) must be seen: the
    // caller's rule reports it as a diagnostic instead of checking nothing in silence.
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim().split('\n')[0];
    throw new Error(`git ls-files failed: ${stderr || (error as Error).message}`);
  }
}

let prefixCache: { root: string; prefix: string } | undefined;

/** `--full-name` paths are relative to the repository top; the audit speaks relative to its root. */
function relativeToRoot(root: string, path: string): string {
  if (prefixCache?.root !== root) {
    let prefix = '';
    try {
      prefix = git(root, ['rev-parse', '--show-prefix']).trim();
    } catch {
      // not a work tree: paths are used as they are
    }
    prefixCache = { root, prefix };
  }
  return prefixCache.prefix && path.startsWith(prefixCache.prefix) ? path.slice(prefixCache.prefix.length) : path;
}

const COMMIT_MARK = '\u0001commit ';

/**
 * The lines added by the last `limit` commits reachable from HEAD (merges left out: their
 * changes are in the commits they merge), paths relative to `root`. Undefined without git.
 */
export function readHistory(root: string, limit: number): GitHistory | undefined {
  let output: string;
  let truncated: string | undefined;
  try {
    output = git(root, ['log', `-n${limit}`, '--no-merges', '--no-color', '--no-ext-diff', '--no-renames', '-p', '-U0', '--relative', `--format=${COMMIT_MARK}%H %aI`, '--', '.']);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException & { code?: string }).code;
    if (code === 'ENOBUFS') truncated = `more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MiB of diff`;
    else if ((error as { signal?: string }).signal === 'SIGTERM') truncated = `git log took longer than ${TIMEOUT_MS / 1000} s`;
    else if (isNoRepository(error)) return undefined;
    else throw new Error(`git log failed: ${String((error as { stderr?: string }).stderr ?? '').trim().split('\n')[0] || (error as Error).message}`);
    output = String((error as { stdout?: string }).stdout ?? '');
  }
  const history = parseLog(output, limit);
  if (truncated) history.truncated = truncated;
  return history;
}

/** Parses `git log -p -U0` output with the commit marker format above. */
export function parseLog(output: string, limit: number): GitHistory {
  const additions: AddedLines[] = [];
  let commitsRead = 0;
  let commit = '';
  let date = '';
  let current: AddedLines | undefined;
  let nextLine = 0;
  for (const text of output.split('\n')) {
    if (text.startsWith(COMMIT_MARK)) {
      [commit, date] = text.slice(COMMIT_MARK.length).split(' ');
      commitsRead++;
      current = undefined;
      continue;
    }
    if (text.startsWith('diff --git ')) {
      current = undefined;
      continue;
    }
    if (text.startsWith('+++ ')) {
      const path = text.slice(4);
      current = path === '/dev/null' ? undefined : { commit, date, path: path.replace(/^b\//, ''), lines: [] };
      if (current) additions.push(current);
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) {
      nextLine = Number(hunk[1]);
      continue;
    }
    if (current && text.startsWith('+')) {
      if (text.length <= MAX_LINE_LENGTH) current.lines.push({ line: nextLine, text: text.slice(1) });
      nextLine++;
    }
  }
  return { limit, commitsRead, additions: additions.filter((a) => a.lines.length > 0) };
}
