// The dependency checks end to end on the example project, with recorded data only: offline
// they are listed as skipped (exit code unchanged); with OSV records and recorded registry
// answers they find the planted outdated FastAPI/bcrypt and the advisories with their fixes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { HttpClient } from '../../src/deps/http.js';
import { loadAdvisoryFolder, matchOffline, queryOsv, type OsvRecord } from '../../src/deps/osv.js';
import { cvss3BaseScore } from '../../src/deps/cvss.js';
import { readRegistryAnswer } from '../../src/deps/registry.js';
import { runAudit } from '../../src/engine/audit.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'shop-platform');
const ADVISORIES = join(ROOT, 'src/rules/dependencies/known-vulnerability/fixtures/_advisories');
const REGISTRY = join(ROOT, 'src/rules/dependencies/outdated/fixtures/_registry');
const DEPENDENCY_RULES = ['dependencies/known-vulnerability', 'dependencies/outdated', 'dependencies/unpinned', 'dependencies/missing-lockfile'];

describe('probity audit on examples/shop-platform', () => {
  it('--offline reports the non-network findings and says which checks were skipped', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'bin/probity.js'), 'audit', EXAMPLE, '--offline', '--no-cache', '--format', 'json', '--only', DEPENDENCY_RULES.join(',')], { encoding: 'utf8' });
    const result = JSON.parse(run.stdout) as { findings: { ruleId: string; file: string }[]; skippedChecks: { rule: string; reason: string }[]; measurements: { id: string }[] };
    expect(result.findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual(['dependencies/missing-lockfile frontend-api/package.json']);
    expect(result.skippedChecks.map((s) => s.rule)).toEqual(['dependencies/known-vulnerability', 'dependencies/outdated']);
    expect(result.skippedChecks.every((s) => s.reason.startsWith('offline'))).toBe(true);
    // a skipped check measured nothing: its metric is absent, not 0
    expect(result.measurements.map((m) => m.id)).toEqual(['dependencies-declared', 'dependencies-pinned']);
    expect(run.status).toBe(0); // a medium finding and skipped checks do not change the exit code
    const terminal = spawnSync(process.execPath, [join(ROOT, 'bin/probity.js'), 'audit', EXAMPLE, '--offline', '--no-cache', '--no-color', '--only', DEPENDENCY_RULES.join(',')], { encoding: 'utf8' });
    expect(terminal.stdout).toContain('skipped: dependencies/outdated: offline: latest versions come from the npm and PyPI registries');
  });

  it('with --advisories and recorded registry answers: advisory ids, fixed versions, and the planted outdated FastAPI/bcrypt', async () => {
    const result = await runAudit({ root: EXAMPLE, config: {}, cache: false, jobs: 1, only: DEPENDENCY_RULES, offline: true, advisories: ADVISORIES, dependencyData: { cacheDir: false, registryAnswersDir: REGISTRY } });
    expect(result.skippedChecks).toEqual([]);
    const messages = result.findings.filter((f) => f.ruleId !== 'dependencies/missing-lockfile').map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.message}`);
    expect(messages).toContainEqual(expect.stringMatching(/^dependencies\/known-vulnerability backend\/requirements\.txt:1 fastapi 0\.109\.0 .*PYSEC-2024-38, CVE-2024-24762, GHSA-qf9m-vfgh-m389.*upgrade to 0\.109\.1 or later/));
    expect(messages).toContain('dependencies/outdated backend/requirements.txt:1 fastapi 0.109.0 → latest 0.115.2: 6 minor releases behind on the 0.x line, where each minor may break the API.');
    expect(messages).toContain('dependencies/outdated backend/requirements.txt:9 bcrypt 3.2.2 → latest 4.2.0: 1 major version behind.');
    expect(messages).toContain('dependencies/outdated frontend-api/package.json:14 express ^4.18.2 (newest allowed 4.22.3) → latest 5.3.0: 1 major version behind.');
    // requests 2.31.0 is past both recorded requests advisories
    expect(messages.some((m) => m.includes('requests 2.31.0'))).toBe(false);
    const metric = (id: string) => result.measurements.find((m) => m.id === id);
    expect(metric('dependencies-declared')?.count).toBe(28);
    expect([metric('dependencies-pinned')?.count, metric('dependencies-pinned')?.total]).toEqual([15, 28]); // backend pins all 15, frontend-api locks none of 13
    expect(metric('dependencies-outdated')?.count).toBe(3);
    expect(metric('dependencies-vulnerable')?.count).toBe(1);
  });

  it('config `offline: true` is the same switch; a missing --advisories folder is a usage error', async () => {
    vi.stubEnv('PROBITY_OFFLINE', ''); // the suite-wide switch off: only the config decides here
    const calls: string[] = [];
    const recordCall = async (url: string) => {
      calls.push(url);
      throw new Error('no network in tests');
    };
    try {
      const result = await runAudit({ root: EXAMPLE, config: { offline: true }, cache: false, jobs: 1, only: DEPENDENCY_RULES, dependencyData: { cacheDir: false, fetch: recordCall } });
      expect(result.skippedChecks.map((s) => [s.rule, s.reason.split(':')[0]])).toEqual([
        ['dependencies/known-vulnerability', 'offline'],
        ['dependencies/outdated', 'offline'],
      ]);
      expect(calls).toEqual([]);
    } finally {
      vi.unstubAllEnvs();
    }
    const run = spawnSync(process.execPath, [join(ROOT, 'bin/probity.js'), 'audit', EXAMPLE, '--advisories', join(ROOT, 'no-such-folder')], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--advisories: no such folder');
  });

  it('an unreachable network skips the checks with the reason, the rest of the audit goes on', async () => {
    const refused = async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
    };
    const result = await runAudit({ root: EXAMPLE, config: {}, cache: false, jobs: 1, only: DEPENDENCY_RULES, offline: false, dependencyData: { cacheDir: false, fetch: refused } });
    expect(result.skippedChecks).toEqual([
      { rule: 'dependencies/known-vulnerability', reason: 'OSV not reachable: api.osv.dev unreachable (ENOTFOUND)' },
      {
        rule: 'dependencies/outdated',
        reason: 'npm packages not checked, registry not reachable: registry.npmjs.org unreachable (ENOTFOUND); PyPI packages not checked, registry not reachable: pypi.org unreachable (ENOTFOUND)',
      },
    ]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['dependencies/missing-lockfile']);
  });

  it('one registry unreachable: the other registry\'s packages are still checked, the gap is named', async () => {
    const onlyNpm = async (url: string) => {
      if (url.startsWith('https://pypi.org/')) throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
      const express = readFileSync(join(REGISTRY, 'npm/express.json'), 'utf8');
      return url.endsWith('/express') ? { ok: true, status: 200, json: async () => JSON.parse(express) as unknown } : { ok: false, status: 404, json: async () => ({}) };
    };
    const result = await runAudit({ root: EXAMPLE, config: {}, cache: false, jobs: 1, only: ['dependencies/outdated'], offline: false, dependencyData: { cacheDir: false, fetch: onlyNpm } });
    expect(result.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['frontend-api/package.json:14']);
    expect(result.skippedChecks).toEqual([{ rule: 'dependencies/outdated', reason: 'PyPI packages not checked, registry not reachable: pypi.org unreachable (ENOTFOUND)' }]);
  });
});

describe('OSV data', () => {
  const { index, problems } = loadAdvisoryFolder(ADVISORIES);

  it('evaluates ranges and version lists offline', () => {
    expect(problems).toEqual([]);
    const found = matchOffline(index, [
      { ecosystem: 'PyPI', name: 'requests', version: '2.19.0' },
      { ecosystem: 'PyPI', name: 'requests', version: '2.2.1' },
      { ecosystem: 'PyPI', name: 'requests', version: '2.31.0' },
      { ecosystem: 'npm', name: 'express', version: '5.0.0-beta.1' },
      { ecosystem: 'npm', name: 'express', version: '5.0.0' },
    ]);
    expect(found.get('PyPI:requests@2.19.0')?.map((a) => [a.id, a.fixed])).toEqual([['PYSEC-2018-28', '2.20.0'], ['PYSEC-2023-74', '2.31.0']]);
    expect(found.get('PyPI:requests@2.2.1')?.map((a) => a.id)).toEqual(['PYSEC-2018-28']); // before 2.3.0 was introduced
    expect(found.get('PyPI:requests@2.31.0')).toEqual([]);
    expect(found.get('npm:express@5.0.0-beta.1')?.map((a) => [a.id, a.fixed])).toEqual([['GHSA-rv95-896h-c2vc', '5.0.0-beta.3']]);
    expect(found.get('npm:express@5.0.0')).toEqual([]);
  });

  it('computes CVSS v3 base scores from vectors', () => {
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H')).toBe(7.5);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H')).toBe(7.4);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N')).toBe(6.1);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBe(9.8);
    expect(cvss3BaseScore('CVSS:4.0/AV:N')).toBeUndefined();
  });

  it('online: one batch query, then each advisory once (through an injected fetch)', async () => {
    const calls: string[] = [];
    const record = JSON.parse(readFileSync(join(ADVISORIES, 'PYSEC-2024-38.json'), 'utf8')) as OsvRecord;
    const fetch = async (url: string, init?: { body?: string }) => {
      calls.push(`${init?.body ? 'POST' : 'GET'} ${url}`);
      const body = url.endsWith('/querybatch') ? { results: [{ vulns: [{ id: 'PYSEC-2024-38', modified: '2024-02-16T18:22:32Z' }] }, {}] } : record;
      return { ok: true, status: 200, json: async () => body };
    };
    const found = await queryOsv(new HttpClient({ fetch }), [
      { ecosystem: 'PyPI', name: 'fastapi', version: '0.109.0' },
      { ecosystem: 'PyPI', name: 'fastapi', version: '0.115.2' },
    ]);
    expect(calls).toEqual(['POST https://api.osv.dev/v1/querybatch', 'GET https://api.osv.dev/v1/vulns/PYSEC-2024-38']);
    expect(found.get('PyPI:fastapi@0.109.0')).toEqual([
      { id: 'PYSEC-2024-38', aliases: ['CVE-2024-24762', 'GHSA-qf9m-vfgh-m389'], summary: expect.stringContaining('FastAPI'), score: 7.5, severity: 'high', fixed: '0.109.1' },
    ]);
    expect(found.get('PyPI:fastapi@0.115.2')).toEqual([]);
  });
});

describe('registry answers', () => {
  it('npm: dist-tags.latest and stable versions; PyPI: newest stable, not yanked, release', () => {
    const express = readRegistryAnswer('npm', JSON.parse(readFileSync(join(REGISTRY, 'npm/express.json'), 'utf8')));
    expect(express?.latest).toBe('5.3.0');
    expect(express?.versions).not.toContain('5.0.0-beta.1');
    const pypi = readRegistryAnswer('PyPI', {
      info: { version: '2.0.0b1' },
      releases: { '1.9.0': [{ yanked: false }], '1.10.0': [{ yanked: true }], '2.0.0b1': [{ yanked: false }], '1.9.5': [] },
    });
    expect(pypi).toEqual({ latest: '1.9.0', versions: ['1.9.0'] });
  });
});
