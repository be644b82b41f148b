// Compiles src/ with tsc and copies the declarative rule files next to the compiled rules,
// so `dist/` holds the whole catalog. Runs from `prepare`, so `npm ci` leaves a working bin.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

rmSync(join(root, 'dist'), { recursive: true, force: true });
try {
  execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.json")], { stdio: "inherit" });
} catch {
  // tsc emits even with type errors; copy the rule files anyway, then fail.
  process.exitCode = 1;
}

function copyRuleFiles(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'fixtures') copyRuleFiles(full);
    } else if (name.endsWith('.yml')) {
      const target = join(root, 'dist', relative(join(root, 'src'), full));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(full, target);
    }
  }
}
if (existsSync(join(root, 'src', 'rules'))) copyRuleFiles(join(root, 'src', 'rules'));
