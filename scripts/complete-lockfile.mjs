// Adds lockfile entries for platform-specific optional packages that the registry this
// project is developed against does not serve (it mirrors only linux x64/arm64 builds).
// Without them `npm ci` stops with "Missing: <pkg>@ from lock file" even though those
// packages would be skipped on this platform anyway. The entries carry the os/cpu/libc the
// package name states, so npm skips them everywhere but on their own platform.
// Run after any `npm install` that changes package-lock.json: `node scripts/complete-lockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const packages = lock.packages;

const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix', 'openharmony'];
const CPU = { x64: 'x64', arm64: 'arm64', ia32: 'ia32', arm: 'arm', riscv64: 'riscv64', ppc64: 'ppc64', s390x: 's390x', loong64: 'loong64', mips64el: 'mips64el', x86_64: 'x64', aarch64: 'arm64', 'universal': undefined };

/** `@rollup/rollup-linux-x64-musl` → { os: linux, cpu: x64, libc: musl }. */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p)) ?? (parts.includes('windows') ? 'win32' : parts.includes('macos') ? 'darwin' : undefined);
  const cpuPart = parts.find((p) => p in CPU);
  const libc = parts.some((p) => p.startsWith('musl')) ? 'musl' : parts.includes('gnu') || parts.includes('gnueabihf') ? 'glibc' : undefined;
  return { os, cpu: cpuPart ? CPU[cpuPart] : undefined, libc };
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = path.includes('node_modules/') ? path.slice(0, path.lastIndexOf('node_modules/')) : '';
    const candidates = [`${path}/node_modules/${name}`, `${base}node_modules/${name}`, `node_modules/${name}`];
    if (candidates.some((candidate) => packages[candidate])) continue;
    const { os, cpu, libc } = platformOf(name);
    if (!os) continue; // Not a platform package: leave it to npm.
    const version = spec.replace(/^[\^~=]/, '');
    if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) continue;
    packages[`node_modules/${name}`] = {
      version,
      ...(cpu ? { cpu: [cpu] } : {}),
      dev: entry.dev || undefined,
      ...(libc ? { libc: [libc] } : {}),
      license: entry.license,
      optional: true,
      os: [os],
      ...(entry.peer ? { peer: true } : {}),
    };
    added++;
  }
}

// Keep npm's own key order (alphabetical under "packages") so diffs stay small.
const root = packages[''];
const sorted = { '': root };
for (const key of Object.keys(packages).filter((k) => k !== '').sort()) sorted[key] = JSON.parse(JSON.stringify(packages[key]));
lock.packages = sorted;
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entr${added === 1 ? 'y' : 'ies'}`);
