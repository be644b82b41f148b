// Machine formats are contracts: the JSON output validates against our published schema and
// the SARIF output against the official SARIF 2.1.0 schema.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { makeTree, REPO_ROOT, runCli } from '../helpers.js';

const require = createRequire(import.meta.url);
const sarifSchema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
const resultSchema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'audit-result.schema.json'), 'utf8'));

const tree = makeTree({
  'api/handlers.py': [
    'import logging',
    'def load(db):',
    '    try:',
    '        return db.fetch()',
    '    except Exception:',
    '        return None',
    '',
    'def quiet(db):',
    '    try:',
    '        db.ping()',
    '    except Exception:  # nosec B110 - ping is best effort',
    '        pass',
    '',
  ].join('\n'),
  'web/client.ts': 'export async function f(p: Promise<void>) {\n  try { await p; } catch {}\n}\n',
  'broken.py': 'def (:\n',
});

describe('JSON output', () => {
  const run = runCli(['audit', tree, '--format', 'json', '--fail-on', 'none']);
  const json = JSON.parse(run.stdout);

  it('validates against schemas/audit-result.schema.json', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(resultSchema);
    expect(validate(json), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(run.status).toBe(0);
  });

  it('keeps the stable fields CI integrations read', () => {
    expect(json.schemaVersion).toMatch(/^1\.\d+\.\d+$/);
    const finding = json.findings.find((f: { file: string }) => f.file === 'api/handlers.py');
    expect(finding).toMatchObject({ ruleId: 'reliability/silent-exception', area: 'reliability', severity: 'high', type: 'bug', effort: 'small', line: 5, endLine: 6 });
    expect(finding.fingerprint).toMatch(/^[0-9a-f]{20}$/);
    expect(json.diagnostics).toEqual([{ file: 'broken.py', kind: 'parse-error', line: 1, reason: 'syntax error near line 1; findings in this file may be incomplete' }]);
    expect(json.summary.bySeverity).toEqual({ critical: 0, high: 2, medium: 0, low: 0 });
    expect(json.suppressed.map((s: { line: number; suppression: unknown }) => [s.line, s.suppression])).toEqual([
      [11, { kind: 'nosec', reason: 'ping is best effort' }],
    ]);
  });

  it('the schema rejects what it should (it is not vacuous)', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(resultSchema);
    const broken = structuredClone(json);
    broken.findings[0].severity = 'urgent';
    expect(validate(broken)).toBe(false);
    const missing = structuredClone(json);
    delete missing.findings[0].fingerprint;
    expect(validate(missing)).toBe(false);
  });
});

describe('SARIF output', () => {
  const run = runCli(['audit', tree, '--format', 'sarif', '--fail-on', 'none']);
  const sarif = JSON.parse(run.stdout);

  it('validates against the official SARIF 2.1.0 schema', () => {
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(sarifSchema);
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
  });

  it('maps severity to level, carries rule help and partial fingerprints', () => {
    const [runEntry] = sarif.runs;
    const result = runEntry.results[0];
    expect(result.level).toBe('error');
    expect(result.partialFingerprints['probity/v1']).toMatch(/^[0-9a-f]{20}$/);
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('api/handlers.py');
    const rule = runEntry.tool.driver.rules[result.ruleIndex];
    expect(rule.id).toBe(result.ruleId);
    expect(rule.help.text.length).toBeGreaterThan(20);
    expect(runEntry.invocations[0].toolExecutionNotifications[0].message.text).toMatch(/parse-error/);
  });
});

describe('SARIF output of an audit that skipped checks', () => {
  const offlineTree = makeTree({
    'package.json': JSON.stringify({ name: 'shop', private: true, dependencies: { express: '4.17.1' } }),
    'package-lock.json': JSON.stringify({ name: 'shop', lockfileVersion: 3, packages: { '': { dependencies: { express: '4.17.1' } }, 'node_modules/express': { version: '4.17.1' } } }),
    'src/index.js': 'module.exports = 1;\n',
  });
  const sarif = JSON.parse(runCli(['audit', offlineTree, '--format', 'sarif', '--offline', '--fail-on', 'none']).stdout);

  it('lists each skipped check as a configuration note, and stays valid SARIF', () => {
    const notes = sarif.runs[0].invocations[0].toolConfigurationNotifications;
    expect(notes.map((n: { descriptor: { id: string } }) => n.descriptor.id)).toEqual(['dependencies/known-vulnerability', 'dependencies/outdated']);
    expect(notes.every((n: { level: string; message: { text: string } }) => n.level === 'note' && n.message.text.startsWith('skipped: offline'))).toBe(true);
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(sarifSchema);
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
  });
});
