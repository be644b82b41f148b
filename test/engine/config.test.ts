// Configuration: discovery, validation with precise messages, and its effect on an audit.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, findConfig, validateConfig } from '../../src/config/load.js';
import { runAudit } from '../../src/engine/audit.js';
import { makeTree, runCli } from '../helpers.js';

const SILENT = 'def f():\n    try:\n        g()\n    except Exception:\n        pass\n';

describe('validateConfig', () => {
  it('names an unknown key, where it is, and what is allowed', () => {
    expect(() => validateConfig({ excludes: ['x'] }, 'probity.config.json')).toThrowError(
      /invalid configuration in probity\.config\.json:\n {2}unknown key "excludes" at \(top level\); allowed: \$schema, include, exclude, failOn, maxFileBytes, jobs, rules, rulesDirs/,
    );
  });

  it('names an unknown key inside a rule setting', () => {
    expect(() => validateConfig({ rules: { 'reliability/silent-exception': { level: 'low' } } }, 'c.json')).toThrowError(
      /unknown key "level" at rules\.reliability\/silent-exception; allowed: enabled, severity, options/,
    );
  });

  it('rejects a wrong value with the path to it', () => {
    expect(() => validateConfig({ failOn: 'urgent' }, 'c.json')).toThrowError(/failOn: Invalid option/);
  });
});

describe('findConfig', () => {
  it('reads probity.config.json, package.json#probity and pyproject [tool.probity]', () => {
    expect(findConfig(makeTree({ 'probity.config.json': '{"failOn":"low"}' })).config).toEqual({ failOn: 'low' });
    expect(findConfig(makeTree({ 'package.json': '{"name":"x","probity":{"exclude":["gen/"]}}' })).config).toEqual({ exclude: ['gen/'] });
    expect(findConfig(makeTree({ 'pyproject.toml': '[tool.probity]\nfailOn = "critical"\n' })).config).toEqual({ failOn: 'critical' });
    expect(findConfig(makeTree({ 'pyproject.toml': '[project]\nname = "x"\n' })).config).toEqual({});
  });

  it('reports malformed JSON as a configuration error', () => {
    expect(() => findConfig(makeTree({ '.probityrc.json': '{ nope' }))).toThrow(ConfigError);
  });
});

describe('configuration in an audit', () => {
  it('disables rules, overrides severity and excludes paths', async () => {
    const root = makeTree({ 'app/a.py': SILENT, 'gen/b.py': SILENT });
    const base = await runAudit({ root, config: {}, jobs: 1 });
    expect(base.findings.map((f) => f.file)).toEqual(['app/a.py', 'gen/b.py']);
    const tuned = await runAudit({ root, config: { exclude: ['gen/'], rules: { 'reliability/silent-exception': 'low' } }, jobs: 1 });
    expect(tuned.findings.map((f) => [f.file, f.severity])).toEqual([['app/a.py', 'low']]);
    expect(tuned.inventory.excluded['config-exclude']).toBe(1);
    const off = await runAudit({ root, config: { rules: { 'reliability/silent-exception': 'off' } }, jobs: 1 });
    expect(off.findings).toEqual([]);
  });

  it('rejects an unknown rule id', async () => {
    const root = makeTree({ 'a.py': SILENT });
    await expect(runAudit({ root, config: { rules: { 'reliability/silent-exceptions': 'off' } } })).rejects.toThrow(
      /unknown rule "reliability\/silent-exceptions" in the configuration "rules"/,
    );
  });

  it('--only runs just the named rules or areas', async () => {
    const root = makeTree({ 'app/a.py': `${SILENT}print("x")\n` });
    const all = await runAudit({ root, config: {}, jobs: 1, cache: false });
    expect(new Set(all.findings.map((f) => f.ruleId)).size).toBeGreaterThan(1);
    const only = await runAudit({ root, config: {}, jobs: 1, cache: false, only: ['reliability/silent-exception'] });
    expect(only.findings.map((f) => f.ruleId)).toEqual(['reliability/silent-exception']);
    expect(only.rules.map((r) => r.id)).toEqual(['reliability/silent-exception']);
    await expect(runAudit({ root, config: {}, only: ['nope/missing'] })).rejects.toThrow(/unknown rule "nope\/missing" in --only/);
  });

  it('--include limits the audit to matching files', async () => {
    const root = makeTree({ 'app/a.py': SILENT, 'lib/b.py': SILENT });
    const result = await runAudit({ root, config: {}, include: ['app/'], jobs: 1 });
    expect(result.findings.map((f) => f.file)).toEqual(['app/a.py']);
  });

  it('the CLI exits 2 and explains a bad config file', () => {
    const root = makeTree({ 'a.py': SILENT });
    writeFileSync(join(root, 'probity.config.json'), '{"failOn": "high", "color": true}');
    const run = runCli(['audit', root]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown key "color" at \(top level\)/);
    expect(run.stderr).toContain(join(root, 'probity.config.json'));
  });

  it('--fail-on decides the exit code', () => {
    const root = makeTree({ 'a.py': SILENT });
    expect(runCli(['audit', root, '--fail-on', 'high']).status).toBe(1);
    expect(runCli(['audit', root, '--fail-on', 'critical']).status).toBe(0);
    expect(runCli(['audit', root, '--fail-on', 'none']).status).toBe(0);
    expect(runCli(['audit', root, '--disable', 'reliability']).status).toBe(0);
  });

  it('.gitignore files are honoured at every level', async () => {
    const root = makeTree({
      '.gitignore': 'generated/\n',
      'app/.gitignore': 'local_*.py\n',
      'app/a.py': SILENT,
      'app/local_b.py': SILENT,
      'generated/c.py': SILENT,
      'node_modules/pkg/d.js': 'try { x() } catch {}\n',
    });
    const result = await runAudit({ root, config: {}, jobs: 1 });
    expect(result.findings.map((f) => f.file)).toEqual(['app/a.py']);
    expect(result.inventory.excluded).toMatchObject({ gitignore: 2, 'default-excluded-folder': 1 });
  });
});
