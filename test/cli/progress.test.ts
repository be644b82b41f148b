// Progress goes to stderr only when a person is watching (a TTY); pipes and files stay clean.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers.js';

const EXAMPLE = join(REPO_ROOT, 'examples', 'shop-platform');

describe('progress', () => {
  it('is absent when stderr is not a terminal', () => {
    const run = runCli(['audit', EXAMPLE, '--no-cache', '--fail-on', 'none']);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain('auditing');
  });

  // util-linux `script` gives the CLI a pseudo-terminal, as a person's shell would.
  it.runIf(existsSync('/usr/bin/script'))('is shown on a terminal and cleared before the report', () => {
    const command = `${process.execPath} ${join(REPO_ROOT, 'bin', 'probity.js')} audit ${EXAMPLE} --no-cache --fail-on none`;
    const run = spawnSync('/usr/bin/script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
    expect(run.stdout).toMatch(/auditing \d+\/35 files/);
    expect(run.stdout).toMatch(/\r\u001b\[2K\S*probity 0\.1\.0/);
  });
});
