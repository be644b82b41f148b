// Real code nobody here wrote, downloaded once into bench/.corpus (git-ignored) and reused: Debian
// packages of Python projects (extracted with dpkg) and npm tarballs of TS/JS projects. Shared by
// the speed benchmark (run.mjs) and the precision review (precision.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const CORPUS_DIR = join(BENCH_DIR, '.corpus');
const DOWNLOADS = join(CORPUS_DIR, 'downloads');
const PY_SITE = join('usr', 'lib', 'python3', 'dist-packages');

/** Runs a command to completion and throws with its output when it fails: setup steps must not fail quietly. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
  return result.stdout;
}

/**
 * A Debian package's Python sources. Debian serves only the current stable build, so the version
 * cannot be pinned: it is recorded instead. `folder` is the corpus folder name (kept stable so that
 * earlier downloads are reused).
 */
export function ensureDebCorpus({ pkg, module, folder = pkg, label }) {
  const target = join(CORPUS_DIR, folder);
  const marker = join(target, 'VERSION');
  if (!existsSync(marker)) {
    rmSync(target, { recursive: true, force: true });
    mkdirSync(DOWNLOADS, { recursive: true });
    console.log(`downloading ${pkg}…`);
    try {
      run('apt-get', ['download', pkg], { cwd: DOWNLOADS });
    } catch {
      run('apt-get', ['update']);
      run('apt-get', ['download', pkg], { cwd: DOWNLOADS });
    }
    const deb = readdirSync(DOWNLOADS).filter((name) => name.startsWith(`${pkg}_`) && name.endsWith('.deb')).sort().at(-1);
    const debPath = join(DOWNLOADS, deb);
    run('dpkg', ['-x', debPath, target]);
    writeFileSync(marker, run('dpkg-deb', ['-f', debPath, 'Version']).trim() + '\n');
  }
  return { label, language: 'python', root: join(target, PY_SITE, module), version: `${pkg} ${readFileSync(marker, 'utf8').trim()} (Debian)` };
}

/** An npm package at a pinned version, so that numbers from different days audit the same bytes. */
export function ensureNpmCorpus({ name, version, tree, label, language }) {
  const spec = `${name}@${version}`;
  const target = join(CORPUS_DIR, spec.replace('/', '__'));
  const root = join(target, tree);
  if (!existsSync(root)) {
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    mkdirSync(DOWNLOADS, { recursive: true });
    console.log(`downloading ${spec}…`);
    const tarball = JSON.parse(run('npm', ['pack', spec, '--json', '--pack-destination', DOWNLOADS], { stdio: ['ignore', 'pipe', 'pipe'] }))[0].filename;
    run('tar', ['-xzf', join(DOWNLOADS, tarball), '-C', target]);
  }
  return { label, language, root, version: `${spec} (npm)` };
}

export const DJANGO = { pkg: 'python3-django', module: 'django', folder: 'django', label: 'Django' };
// zod ships its whole src/ (≈330 .ts files, ≈88k lines, tests included).
export const ZOD = { name: 'zod', version: '4.6.7', tree: join('package', 'src'), label: 'zod', language: 'typescript' };

/** The codebases whose findings are sampled and reviewed by hand (bench/precision.md). */
export const PRECISION_CORPORA = [
  () => ensureDebCorpus(DJANGO),
  () => ensureDebCorpus({ pkg: 'python3-flask', module: 'flask', label: 'Flask' }),
  () => ensureDebCorpus({ pkg: 'python3-requests', module: 'requests', label: 'Requests' }),
  () => ensureDebCorpus({ pkg: 'python3-werkzeug', module: 'werkzeug', label: 'Werkzeug' }),
  () => ensureNpmCorpus(ZOD),
  // tRPC's server: TypeScript sources of a web framework (HTTP adapters, handlers).
  () => ensureNpmCorpus({ name: '@trpc/server', version: '11.0.0', tree: join('package', 'src'), label: 'tRPC server', language: 'typescript' }),
  // Directus's API: a real Express + knex application (compiled JavaScript as published).
  () => ensureNpmCorpus({ name: '@directus/api', version: '23.1.0', tree: join('package', 'dist'), label: 'Directus API', language: 'javascript' }),
  () => ensureNpmCorpus({ name: 'express', version: '4.21.2', tree: 'package', label: 'Express', language: 'javascript' }),
];
