// Builds dist/ once so CLI tests exercise the current sources, exactly as `npm ci` would.
// Type errors are printed but do not stop the tests (tsc still emits); `npm ci`/`npm run build`
// are where type errors fail.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const build = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [build], { stdio: 'inherit' });
  if (run.status !== 0) process.stderr.write('warning: the build reported errors; CLI tests run against what tsc emitted\n');
}
