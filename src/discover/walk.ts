// Walks the audited tree: nested .gitignore files, default excludes, config include/exclude,
// symlinks never followed. Every exclusion is counted by reason so reports can say what was
// left out and why.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { Diagnostic, FileLanguage } from '../core/types.js';
import { languageFromPath } from './language.js';

/** Folders that are never source: dependencies, build output, caches, virtualenvs. */
export const DEFAULT_EXCLUDED_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', 'bower_components', '__pycache__', '.venv', 'venv',
  '.virtualenv', 'virtualenv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache',
  'site-packages', 'dist', 'build', '.next', '.nuxt', '.svelte-kit', '.turbo', '.parcel-cache',
  'coverage', 'htmlcov', '.nyc_output', 'vendor', 'third_party', '.idea', '.vscode',
  '.eggs', '.cache',
]);

export const PROBITY_STATE_DIR = '.probity';

export type ExclusionReason =
  | 'default-excluded-folder'
  | 'virtualenv'
  | 'gitignore'
  | 'config-exclude'
  | 'not-included'
  | 'not-audited-type'
  | 'binary-extension'
  | 'minified-name'
  | 'generated-name'
  | 'lockfile'
  | 'type-declaration'
  | 'too-large'
  | 'symlink';

export interface DiscoveredFile {
  /** POSIX path relative to the root. */
  path: string;
  absolutePath: string;
  /** By extension; `undefined` means "decide by shebang once read". */
  language: FileLanguage | undefined;
  size: number;
}

export interface WalkOptions {
  include?: string[];
  exclude?: string[];
  maxFileBytes: number;
}

export interface WalkResult {
  files: DiscoveredFile[];
  excluded: Partial<Record<ExclusionReason, number>>;
  diagnostics: Diagnostic[];
}

const MINIFIED_NAME = /\.(min|bundle|chunk)\.[cm]?js$|\.min\.css$|-[0-9a-f]{8,}\.[cm]?js$/;
const GENERATED_NAME = /(_pb2(_grpc)?\.pyi?|\.generated\.[jt]sx?|\.gen\.[jt]s|_generated\.py)$/;
/**
 * Type declarations hold no executable code for a rule to judge, are mostly generated, and use
 * ambient forms (`export default function (): T;`) the TypeScript grammar misreads.
 */
const DECLARATION_NAME = /\.d\.[cm]?ts$/;
/** Lock files are machine-written; the dependency checks read them directly, not as code. */
const LOCKFILE_NAME = /^(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Pipfile\.lock|uv\.lock|composer\.lock|Cargo\.lock|bun\.lockb?)$/;
const EXTENSIONLESS_CANDIDATE = /^[^.]+$/;

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

interface IgnoreLayer {
  /** POSIX folder relative to the root ('' for the root). */
  base: string;
  matcher: Ignore;
}

function readGitignore(dir: string, base: string, diagnostics: Diagnostic[]): IgnoreLayer | undefined {
  const file = join(dir, '.gitignore');
  if (!existsSync(file)) return undefined;
  try {
    return { base, matcher: ignore().add(readFileSync(file, 'utf8')) };
  } catch (error) {
    const path = base ? `${base}/.gitignore` : '.gitignore';
    diagnostics.push({ file: path, kind: 'unreadable', reason: `cannot read .gitignore (${(error as Error).message}); its patterns are not applied` });
    return undefined;
  }
}

function configMatchers(include: string[] | undefined, exclude: string[] | undefined): { include?: Ignore; exclude?: Ignore } {
  return {
    ...(exclude?.length ? { exclude: ignore().add(exclude) } : {}),
    ...(include?.length ? { include: ignore().add(include) } : {}),
  };
}

/**
 * Whether the config's (and the command line's) include/exclude patterns select a path, for
 * files that reach a rule without the walk (files git tracks but a `.gitignore` hides).
 */
export function selectedByConfig(include: string[] | undefined, exclude: string[] | undefined): (path: string) => boolean {
  const matchers = configMatchers(include, exclude);
  return (path) => !matchers.exclude?.ignores(path) && (!matchers.include || matchers.include.ignores(path));
}

function ignoredByLayers(layers: IgnoreLayer[], path: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const local = layer.base ? path.slice(layer.base.length + 1) : path;
    if (layer.matcher.ignores(isDir ? `${local}/` : local)) return true;
  }
  return false;
}

export function walk(root: string, options: WalkOptions): WalkResult {
  const files: DiscoveredFile[] = [];
  const excluded: WalkResult['excluded'] = {};
  const diagnostics: Diagnostic[] = [];
  const count = (reason: ExclusionReason) => {
    excluded[reason] = (excluded[reason] ?? 0) + 1;
  };
  const { exclude: configExclude, include: configInclude } = configMatchers(options.include, options.exclude);
  const realRoot = realpathSync(root);

  const visit = (dir: string, relDir: string, layers: IgnoreLayer[]) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      diagnostics.push({ file: relDir, kind: 'unreadable', reason: `cannot read folder: ${(error as Error).message}` });
      return;
    }
    const own = readGitignore(dir, relDir, diagnostics);
    const active = own ? [...layers, own] : layers;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) {
        handleSymlink(abs, rel);
        continue;
      }
      if (entry.isDirectory()) {
        if (entry.name === PROBITY_STATE_DIR) continue; // our own cache and history, not the project's
        if (DEFAULT_EXCLUDED_DIRS.has(entry.name)) {
          count('default-excluded-folder');
          continue;
        }
        if (isVirtualenv(abs)) {
          count('virtualenv');
          continue;
        }
        if (ignoredByLayers(active, rel, true)) {
          count('gitignore');
          continue;
        }
        if (configExclude?.ignores(`${rel}/`)) {
          count('config-exclude');
          continue;
        }
        visit(abs, rel, active);
        continue;
      }
      if (!entry.isFile()) continue;
      if (ignoredByLayers(active, rel, false)) {
        count('gitignore');
        continue;
      }
      considerFile(abs, rel);
    }
  };

  const considerFile = (abs: string, rel: string) => {
    if (configExclude?.ignores(rel)) return count('config-exclude');
    if (configInclude && !configInclude.ignores(rel)) return count('not-included');
    const byPath = languageFromPath(rel);
    if (byPath === 'binary') return count('binary-extension');
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    if (byPath === undefined && !EXTENSIONLESS_CANDIDATE.test(name)) return count('not-audited-type');
    if (MINIFIED_NAME.test(name)) return count('minified-name');
    if (GENERATED_NAME.test(name)) return count('generated-name');
    if (LOCKFILE_NAME.test(name)) return count('lockfile');
    if (DECLARATION_NAME.test(name)) return count('type-declaration');
    let size: number;
    try {
      size = statSync(abs).size;
    } catch (error) {
      diagnostics.push({ file: rel, kind: 'unreadable', reason: (error as Error).message });
      return;
    }
    if (size > options.maxFileBytes) {
      count('too-large');
      if (byPath !== undefined) {
        diagnostics.push({
          file: rel,
          kind: 'too-large',
          reason: `${formatBytes(size)} exceeds the ${formatBytes(options.maxFileBytes)} limit (maxFileBytes); not audited`,
        });
      }
      return;
    }
    files.push({ path: rel, absolutePath: abs, language: byPath, size });
  };

  const handleSymlink = (abs: string, rel: string) => {
    count('symlink');
    let target: string;
    try {
      target = realpathSync(abs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'broken symlink: its target does not exist' : code === 'ELOOP' ? 'symlink loop: it resolves to itself' : `cannot resolve symlink: ${(error as Error).message}`;
      diagnostics.push({ file: rel, kind: 'symlink', reason });
      return;
    }
    const inside = target === realRoot || target.startsWith(realRoot + sep);
    if (!inside) {
      diagnostics.push({ file: rel, kind: 'symlink', reason: 'symlink points outside the audited root; not followed' });
    }
    // Symlinks inside the root are not followed either: their targets are audited where they live.
  };

  let rootStat;
  try {
    rootStat = statSync(root);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    diagnostics.push({ file: '', kind: missing ? 'not-found' : 'unreadable', reason: missing ? `path does not exist: ${root}` : `cannot read ${root}: ${(error as Error).message}` });
    return { files, excluded, diagnostics };
  }
  if (rootStat.isFile()) {
    considerFile(root, toPosix(relative(join(root, '..'), root)));
  } else {
    visit(root, '', []);
  }
  return { files, excluded, diagnostics };
}

function isVirtualenv(dir: string): boolean {
  return existsSync(join(dir, 'pyvenv.cfg'));
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
