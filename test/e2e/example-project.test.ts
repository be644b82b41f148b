// End to end: the example project through the built CLI, compared with a reviewed snapshot.
// Every planted problem of the foundation rules must be found, and the look-alikes next to them
// must stay silent; the snapshot pins both. Update after review with `npx vitest run -u`.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers.js';

const EXAMPLE = join(REPO_ROOT, 'examples', 'shop-platform');

interface JsonFinding {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  message: string;
  snippet: string;
  fingerprint: string;
}

describe('examples/shop-platform', () => {
  const run = runCli(['audit', EXAMPLE, '--format', 'json', '--no-cache']);
  const result = JSON.parse(run.stdout);

  it('exits 1: it has high and critical findings', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
  });

  it('finds every rule of the foundation catalog at least once', () => {
    // The example was written with instances of each rule of the foundation issue (point 7).
    const foundation = [
      'reliability/silent-exception', 'reliability/broad-exception', 'security/insecure-default-secret',
      'security/cors-credentials-wildcard', 'security/cors-permissive', 'security/shell-injection',
      'performance/blocking-call-in-async', 'performance/connection-pool-disabled', 'code-quality/print-statement',
      'code-quality/trailing-whitespace', 'code-quality/explicit-any',
    ];
    const found = new Set(result.findings.map((f: JsonFinding) => f.ruleId));
    for (const id of foundation) expect(found, id).toContain(id);
  });

  it('matches the reviewed snapshot', async () => {
    const reviewed = {
      inventory: result.inventory,
      summary: result.summary,
      findings: result.findings.map((f: JsonFinding) => `${f.severity.padEnd(8)} ${f.file}:${f.line}:${f.column} ${f.ruleId} — ${f.message}`),
      suppressed: result.suppressed.map((f: JsonFinding & { suppression: { reason: string } }) => `${f.file}:${f.line} ${f.ruleId} — ${f.suppression.reason}`),
      diagnostics: result.diagnostics,
    };
    await expect(`${JSON.stringify(reviewed, null, 2)}\n`).toMatchFileSnapshot('./__snapshots__/shop-platform.json');
  });

  it('never prints a planted secret in clear text, in any format', () => {
    const secrets = ['shop-session-key-4f9a2c', 'shop-jwt-key-77be01', 'shop-dev-jwt-91d0', 'shop-preview-5e2a', 'Vq7kP2xL9mZ4', '9c4f1e8a7b2d6f3e0a5c8b1d4e7f2a9c'];
    for (const format of ['json', 'sarif', 'markdown', 'terminal']) {
      const output = runCli(['audit', EXAMPLE, '--format', format, '--no-cache']).stdout;
      for (const secret of secrets) expect(output.includes(secret), `${format} leaks ${secret}`).toBe(false);
    }
  });
});
