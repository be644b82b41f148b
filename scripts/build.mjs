// Compiles src/ with tsc and copies the declarative rule files next to the compiled rules,
// so `dist/` holds the whole catalog. Runs from `prepare`, so `npm ci` leaves a working bin.
// It builds into a fresh folder and swaps it in, so a CLI running meanwhile never sees a
// half-written dist/ and deleted rules never linger.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const dist = join(root, 'dist');
const staging = join(root, `.dist-${process.pid}`);

rmSync(staging, { recursive: true, force: true });
let typeErrors = false;
try {
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json'), '--outDir', staging], { stdio: 'inherit' });
} catch (error) {
  // tsc exits non-zero on type errors but still emits: finish the build so tests can run, then fail.
  if (typeof error.status !== 'number') throw error;
  typeErrors = true;
}

function copyRuleFiles(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'fixtures') copyRuleFiles(full);
    } else if (name.endsWith('.yml')) {
      const target = join(staging, relative(join(root, 'src'), full));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(full, target);
    }
  }
}
copyRuleFiles(join(root, 'src', 'rules'));

const retired = join(root, `.dist-old-${process.pid}`);
if (existsSync(dist)) renameSync(dist, retired);
renameSync(staging, dist);
rmSync(retired, { recursive: true, force: true });
if (typeErrors) process.exitCode = 1;
