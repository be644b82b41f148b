// CLI behaviour a user relies on: --output writes only the file, formats and usage errors exit
// with the documented codes.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTree, runCli } from '../helpers.js';

const SILENT = 'def f():\n    try:\n        g()\n    except Exception:\n        pass\n';

describe('probity audit options', () => {
  it('--output writes the report to the file and nothing to stdout', () => {
    const root = makeTree({ 'app/a.py': SILENT });
    const target = join(makeTree({}), 'reports', 'AUDIT_REPORT.md');
    const run = runCli(['audit', root, '--format', 'markdown', '--output', target]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const report = readFileSync(target, 'utf8');
    expect(report).toMatch(/^# Audit report: /);
    expect(report).toContain('- app/a.py:4');
    // Written through a temporary file and a rename: nothing else is left behind.
    expect(readdirSync(dirname(target))).toEqual(['AUDIT_REPORT.md']);
  });

  it('audits the current directory when no path is given', () => {
    const root = makeTree({ 'a.py': SILENT });
    const run = runCli(['audit', '--format', 'json', '--no-cache'], root);
    expect(JSON.parse(run.stdout).findings).toHaveLength(1);
  });

  it('exits 2 for a missing --config file, a bad --jobs and an unknown command', () => {
    const root = makeTree({ 'a.py': 'x = 1\n' });
    const missing = runCli(['audit', root, '--config', join(root, 'nope.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('configuration file does not exist');
    const jobs = runCli(['audit', root, '--jobs', 'many']);
    expect(jobs.status).toBe(2);
    expect(jobs.stderr).toContain('--jobs must be a positive integer');
    expect(runCli(['frobnicate']).status).toBe(2);
  });

  it('--timing prints a table of rules on stderr', () => {
    const root = makeTree({ 'a.py': SILENT });
    const run = runCli(['audit', root, '--timing', '--fail-on', 'none', '--format', 'json']);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/reliability\/silent-exception\s+[\d.]+ ms/);
    expect(run.stderr).toMatch(/\(parse\)/);
    expect(JSON.parse(run.stdout).timings['(parse)']).toBeGreaterThanOrEqual(0);
  });

  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(runCli(['--version']).stdout.trim()).toBe(pkg.version);
  });
});
