// Issue 8's acceptance test: a key committed in a `.env` and deleted in a later commit is found
// by `probity audit --history`, with its commit and file, and masked in every output format.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTree, runCli } from '../helpers.js';

// Assembled at run time so that this file holds no key-shaped string itself.
const KEY = ['sk_live', '51NvQk2Lx8RtZp4Wm7Yb3Hc6'].join('_');
const GIT = ['-c', 'user.name=Probity Test', '-c', 'user.email=test@probity.invalid', '-c', 'commit.gpgsign=false'];

describe('probity audit --history', () => {
  let root: string;
  let addedIn: string;

  beforeAll(() => {
    root = makeTree({ 'app/main.py': 'import os\n\nSTRIPE_KEY = os.environ["STRIPE_API_KEY"]\n', '.env': `DEBUG=1\nSTRIPE_API_KEY=${KEY}\n` });
    const git = (...args: string[]) => execFileSync('git', [...GIT, '-C', root, ...args], { encoding: 'utf8' }).trim();
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'initial');
    addedIn = git('rev-parse', 'HEAD');
    rmSync(join(root, '.env'));
    writeFileSync(join(root, '.gitignore'), '.env\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'remove .env');
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reports nothing about the deleted key without --history', () => {
    const run = runCli(['audit', root, '--only', 'security/secret-in-git', '--format', 'json', '--no-cache']);
    expect(JSON.parse(run.stdout).findings).toEqual([]);
  });

  it('reports the commit, the file and the line where the key was added', () => {
    const run = runCli(['audit', root, '--history', '--only', 'security/secret-in-git', '--format', 'json', '--no-cache']);
    const [finding, ...rest] = JSON.parse(run.stdout).findings;
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ ruleId: 'security/secret-in-git', file: '.env', line: 2, severity: 'critical' });
    expect(finding.message).toContain(addedIn.slice(0, 12));
    expect(finding.snippet).toBe('STRIPE_API_KEY=sk_l****(32 chars)');
    expect(run.status).toBe(1);
  });

  it('leaves out what the user excluded, even from history', () => {
    const run = runCli(['audit', root, '--history', '--exclude', '.env', '--only', 'security/secret-in-git', '--format', 'json', '--no-cache']);
    expect(JSON.parse(run.stdout).findings).toEqual([]);
  });

  it.each(['terminal', 'json', 'sarif', 'markdown'])('masks the key in %s output', (format) => {
    const run = runCli(['audit', root, '--history', '5', '--format', format, '--no-cache']);
    expect(run.stdout).toContain(addedIn.slice(0, 12));
    expect(run.stdout).toContain('sk_l****(32 chars)');
    expect(run.stdout).not.toContain(KEY);
    expect(run.stdout).not.toContain(KEY.slice(8));
  });

  it('rejects a --history that is not a number of commits', () => {
    const run = runCli(['audit', root, '--history', 'all']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--history must be a positive number of commits');
  });

  it('says so when the folder is not a git work tree', () => {
    const plain = makeTree({ 'a.py': 'x = 1\n' });
    const run = runCli(['audit', plain, '--history', '--format', 'json', '--no-cache']);
    expect(JSON.parse(run.stdout).diagnostics).toEqual([expect.objectContaining({ kind: 'git', reason: expect.stringContaining('not a git work tree') })]);
  });
});

describe('probity audit --history on a repository without commits', () => {
  it('says why history was not scanned and still audits', () => {
    const root = makeTree({ 'a.py': 'x = 1\n' });
    execFileSync('git', ['-C', root, 'init', '-q']);
    const run = runCli(['audit', root, '--history', '--format', 'json', '--no-cache']);
    const result = JSON.parse(run.stdout);
    expect(result.diagnostics).toEqual([expect.objectContaining({ kind: 'git', reason: expect.stringMatching(/^--history: git log failed: .*history was not scanned$/) })]);
    expect(result.inventory.files).toBe(1);
    rmSync(root, { recursive: true, force: true });
  });
});
