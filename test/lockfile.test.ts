// `npm ci` refuses a lockfile that lacks any optional dependency, even one for another platform
// that this registry mirror does not serve. scripts/complete-lockfile.mjs adds those entries;
// this test fails when an `npm install` dropped them again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';

it('package-lock.json lists every optional dependency (run `node scripts/complete-lockfile.mjs`)', () => {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { optionalDependencies?: Record<string, string> }>;
  };
  const missing: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      const nested = `${path}/node_modules/${name}`;
      const hoisted = `node_modules/${name}`;
      if (!lock.packages[nested] && !lock.packages[hoisted]) missing.push(`${name} (needed by ${path || 'the project'})`);
    }
  }
  expect(missing).toEqual([]);
});
