// Bad input never stops an audit: each problem file becomes a diagnostic naming the file and
// the reason, the rest is audited, and the exit code follows the documented policy.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTree, runCli } from '../helpers.js';

function buildHostileTree(): string {
  const root = makeTree({
    'app/service.py': 'def handler():\n    try:\n        work()\n    except Exception:\n        pass\n',
    'app/broken.py': 'def broken(:\n    return 1\n',
    'app/latin1.py': Buffer.from('# caf\xe9\nname = "caf\xe9"\n', 'latin1'),
    'app/blob.py': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0x02]),
    'web/ok.ts': 'export const answer: number = 42;\n',
  });
  // A 5 MB minified bundle with an unremarkable name.
  const line = 'var a=function(){return 1};'.repeat(200);
  writeFileSync(join(root, 'web', 'vendor-bundle.js'), `${line}\n`.repeat(Math.ceil((5 * 1024 * 1024) / line.length)));
  // A smaller minified file below the size limit: caught by its shape, not its size.
  writeFileSync(join(root, 'web', 'lib.js'), `${'x=1;'.repeat(20000)}\n`);
  symlinkSync(join(root, 'does-not-exist.py'), join(root, 'app', 'dangling.py'));
  mkdirSync(join(root, '..', `outside-${process.pid}`), { recursive: true });
  symlinkSync('/etc', join(root, 'etc-link'));
  return root;
}

describe('hostile input', () => {
  const root = buildHostileTree();
  const run = runCli(['audit', root, '--format', 'json']);
  const result = JSON.parse(run.stdout);
  const reasonFor = (file: string) => result.diagnostics.filter((d: { file: string }) => d.file === file).map((d: { kind: string }) => d.kind);

  it('completes and exits 1 because the readable file has a high finding', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(result.findings.map((f: { file: string; ruleId: string }) => `${f.file} ${f.ruleId}`)).toContain('app/service.py reliability/silent-exception');
  });

  it('reports each problem file as a diagnostic with its reason', () => {
    expect(reasonFor('app/broken.py')).toEqual(['parse-error']);
    expect(reasonFor('app/latin1.py')).toEqual(['encoding']);
    expect(reasonFor('app/blob.py')).toEqual(['binary']);
    expect(reasonFor('web/vendor-bundle.js')).toEqual(['too-large']);
    expect(reasonFor('web/lib.js')).toEqual(['minified']);
    expect(reasonFor('app/dangling.py')).toEqual(['symlink']);
    expect(reasonFor('etc-link')).toEqual(['symlink']);
    const byFile = Object.fromEntries(result.diagnostics.map((d: { file: string; reason: string }) => [d.file, d.reason]));
    expect(byFile['etc-link']).toMatch(/outside the audited root/);
    expect(byFile['app/dangling.py']).toMatch(/broken symlink/);
    expect(byFile['app/broken.py']).toMatch(/syntax error near line 1/);
  });

  it('still audits and counts the good files', () => {
    expect(result.inventory.languages.python.files).toBe(2);
    expect(result.inventory.languages.typescript.files).toBe(1);
  });

  it('exits 0 with --fail-on critical and lists diagnostics in the terminal output', () => {
    const terminal = runCli(['audit', root, '--fail-on', 'critical']);
    expect(terminal.status).toBe(0);
    expect(terminal.stdout).toMatch(/Diagnostics \(7\)/);
    expect(terminal.stdout).toMatch(/app\/latin1\.py/);
  });

  it('never follows a symlink out of the root', () => {
    expect(result.findings.some((f: { file: string }) => f.file.startsWith('etc-link'))).toBe(false);
    expect(result.inventory.files).toBe(3);
  });
});

describe('a path that does not exist', () => {
  it('exits 2 with a clear message', () => {
    const run = runCli(['audit', '/definitely/not/here']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('probity: path does not exist: /definitely/not/here\n');
    expect(run.stdout).toBe('');
  });
});
