// Reading `git log -p -U0`: which lines each commit added, at which line numbers.
import { describe, expect, it } from 'vitest';
import { parseLog } from '../../src/discover/git-facts.js';

const LOG = [
  '\u0001commit 1111111111111111111111111111111111111111 2026-02-01T10:00:00+00:00',
  '',
  'diff --git a/app/settings.py b/app/settings.py',
  'index 0000000..1111111 100644',
  '--- a/app/settings.py',
  '+++ b/app/settings.py',
  '@@ -3,0 +4,2 @@ import os',
  '+API_KEY = "one"',
  '+API_SECRET = "two"',
  '@@ -10 +12 @@ def f():',
  '-    return 1',
  '+    return 2',
  'diff --git a/.env b/.env',
  'deleted file mode 100644',
  '--- a/.env',
  '+++ /dev/null',
  '@@ -1,2 +0,0 @@',
  '-TOKEN=abc',
  '\u0001commit 2222222222222222222222222222222222222222 2026-01-01T10:00:00+00:00',
  '',
  'diff --git a/.env b/.env',
  'new file mode 100644',
  '--- /dev/null',
  '+++ b/.env',
  '@@ -0,0 +1,2 @@',
  '+DEBUG=1',
  '+TOKEN=abc',
  'diff --git a/logo.png b/logo.png',
  'Binary files /dev/null and b/logo.png differ',
].join('\n');

describe('parseLog', () => {
  const history = parseLog(LOG, 10);

  it('counts the commits read against the limit asked for', () => {
    expect(history).toMatchObject({ limit: 10, commitsRead: 2 });
  });

  it('keeps the added lines with their numbers in the new version, per commit and file', () => {
    expect(history.additions).toEqual([
      {
        commit: '1111111111111111111111111111111111111111',
        date: '2026-02-01T10:00:00+00:00',
        path: 'app/settings.py',
        lines: [
          { line: 4, text: 'API_KEY = "one"' },
          { line: 5, text: 'API_SECRET = "two"' },
          { line: 12, text: '    return 2' },
        ],
      },
      {
        commit: '2222222222222222222222222222222222222222',
        date: '2026-01-01T10:00:00+00:00',
        path: '.env',
        lines: [
          { line: 1, text: 'DEBUG=1' },
          { line: 2, text: 'TOKEN=abc' },
        ],
      },
    ]);
  });

  it('leaves out deleted files, removed lines and binary files', () => {
    expect(history.additions.filter((a) => a.commit.startsWith('1111')).map((a) => a.path)).toEqual(['app/settings.py']);
    expect(history.additions.map((a) => a.path)).not.toContain('logo.png');
    expect(history.additions.flatMap((a) => a.lines.map((l) => l.text))).not.toContain('    return 1');
  });
});
