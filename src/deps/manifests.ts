// Finds the dependency manifests of a tree, parses them, reads the lock file that belongs to
// each and records the installed version on every dependency. The folders looked at are those
// that hold audited files and their parents (a Pipfile or a lock file is not audited itself).
import { isNodeApplication, isPythonApplication } from './application.js';
import { parsePackageLock, parsePnpmLock, parseYarnLock, type LockParse } from './npm-locks.js';
import { parsePackageJson } from './package-json.js';
import { parsePipfile } from './pipfile.js';
import { parsePyproject, type PyprojectTables } from './pyproject.js';
import { parsePackageListLock, parsePipfileLock } from './python-locks.js';
import { parseRequirements } from './requirements.js';
import { parseSetupCfg } from './setup-cfg.js';
import { admits, specFacts } from './versions.js';
import type { DeclaredDependency, LockedVersions, ManifestDiagnostic, ParsedManifest } from './types.js';

export interface TreeReader {
  exists(path: string): boolean;
  /** Text of a file, or undefined when absent or unreadable. */
  read(path: string): string | undefined;
}

export interface DependencyInventory {
  manifests: ParsedManifest[];
  diagnostics: ManifestDiagnostic[];
}

const REQUIREMENTS_FILE = /(^|\/)([^/]*requirements[^/]*\.txt|requirements\/[^/]+\.txt)$/i;

export function isRequirementsFile(path: string): boolean {
  return REQUIREMENTS_FILE.test(path);
}

export function folderOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}

export const inFolder = (folder: string, name: string): string => (folder ? `${folder}/${name}` : name);

/** `a/b` → `a/b`, `a`, `` (workspaces keep one lock file at their root). */
export function foldersUp(folder: string): string[] {
  const out = [folder];
  while (folder) {
    folder = folderOf(folder);
    out.push(folder);
  }
  return out;
}

/** `a/b/../c.txt` → `a/c.txt`; undefined when it climbs out of the root. */
function joinRelative(folder: string, target: string): string | undefined {
  const parts = folder ? folder.split('/') : [];
  for (const part of target.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!parts.length) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** Manifests inside test data (fixtures of a parser, sample projects of a test) are not the project's dependencies. */
const TEST_DATA_FOLDER = /(^|\/)(tests?|__tests__|fixtures?|testdata|test-data|__fixtures__)(\/|$)/;

export function isTestDataFolder(folder: string): boolean {
  return TEST_DATA_FOLDER.test(folder);
}

const NODE_LOCKS = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock'] as const;

export function collectDependencies(reader: TreeReader, filePaths: readonly string[]): DependencyInventory {
  const manifests: ParsedManifest[] = [];
  const diagnostics: ManifestDiagnostic[] = [];
  const folders = new Set<string>();
  for (const path of filePaths) for (const folder of foldersUp(folderOf(path))) if (!isTestDataFolder(folder)) folders.add(folder);
  const lockCache = new Map<string, LockParse>();
  const reported = new Set<string>();
  /** One parse per lock file and importer (workspace); a broken lock file is reported once. */
  const readLock = (path: string, parse: (text: string, file: string) => LockParse, importer = ''): LockedVersions | undefined => {
    const key = `${path}\u0000${importer}`;
    let parsed = lockCache.get(key);
    if (!parsed) {
      const text = reader.read(path);
      parsed = text === undefined ? { diagnostics: [{ file: path, reason: 'unreadable lock file' }] } : parse(text, path);
      lockCache.set(key, parsed);
      if (!reported.has(path)) diagnostics.push(...parsed.diagnostics);
      reported.add(path);
    }
    return parsed.lock;
  };

  const requirementsByFolder = new Map<string, string[]>();
  for (const path of filePaths) {
    if (!isRequirementsFile(path) || isTestDataFolder(folderOf(path))) continue;
    // `requirements/base.txt` belongs to the project folder above `requirements/`.
    const owner = /(^|\/)requirements\/[^/]+$/i.test(path) ? folderOf(folderOf(path)) : folderOf(path);
    const list = requirementsByFolder.get(owner) ?? [];
    list.push(path);
    requirementsByFolder.set(owner, list);
  }

  for (const folder of [...folders].sort()) {
    const packageJson = inFolder(folder, 'package.json');
    if (reader.exists(packageJson)) readNodeManifest(folder, packageJson);
    readPythonFolder(folder);
  }
  return { manifests, diagnostics };

  function readNodeManifest(folder: string, path: string): void {
    const text = reader.read(path);
    if (text === undefined) return;
    const parsed = parsePackageJson(text, path);
    diagnostics.push(...parsed.diagnostics);
    if (!parsed.dependencies.length) return;
    let lock: LockedVersions | undefined;
    for (const lockFolder of foldersUp(folder)) {
      const found = NODE_LOCKS.find((name) => reader.exists(inFolder(lockFolder, name)));
      if (!found) continue;
      const importer = folder === lockFolder ? '' : lockFolder ? folder.slice(lockFolder.length + 1) : folder;
      const lockPath = inFolder(lockFolder, found);
      lock =
        found === 'yarn.lock'
          ? readLock(lockPath, parseYarnLock)
          : found === 'pnpm-lock.yaml'
            ? readLock(lockPath, (t) => parsePnpmLock(t, lockPath, importer || '.'), importer)
            : readLock(lockPath, (t) => parsePackageLock(t, lockPath, importer), importer);
      break;
    }
    if (lock) for (const dependency of parsed.dependencies) applyLock(dependency, lock);
    manifests.push({ file: path, kind: 'package.json', ecosystem: 'npm', dependencies: parsed.dependencies, application: isNodeApplication(parsed.manifest) });
  }

  function readPythonFolder(folder: string): void {
    const pyprojectPath = inFolder(folder, 'pyproject.toml');
    const setupCfgPath = inFolder(folder, 'setup.cfg');
    const pipfilePath = inFolder(folder, 'Pipfile');
    let pyproject: PyprojectTables | undefined;
    let pyprojectDeps: DeclaredDependency[] = [];
    const pyprojectText = reader.exists(pyprojectPath) ? reader.read(pyprojectPath) : undefined;
    if (pyprojectText !== undefined) {
      const parsed = parsePyproject(pyprojectText, pyprojectPath);
      diagnostics.push(...parsed.diagnostics);
      pyproject = parsed.tables;
      pyprojectDeps = parsed.dependencies;
    }
    const setupCfgText = reader.exists(setupCfgPath) ? reader.read(setupCfgPath) : undefined;
    const setupCfg = setupCfgText === undefined ? undefined : parseSetupCfg(setupCfgText, setupCfgPath);
    if (setupCfg) diagnostics.push(...setupCfg.diagnostics);
    const application = isPythonApplication({ hasSetupPy: reader.exists(inFolder(folder, 'setup.py')), setupCfgHasMetadata: setupCfg?.hasMetadata ?? false, pyproject });

    if (pyprojectDeps.length) {
      const lockName = ['poetry.lock', 'uv.lock', 'pdm.lock'].find((name) => reader.exists(inFolder(folder, name)));
      const lock = lockName ? readLock(inFolder(folder, lockName), parsePackageListLock) : undefined;
      if (lock) for (const dependency of pyprojectDeps) applyLock(dependency, lock);
      manifests.push({ file: pyprojectPath, kind: 'pyproject', ecosystem: 'PyPI', dependencies: pyprojectDeps, application });
    }
    if (setupCfg?.dependencies.length) {
      manifests.push({ file: setupCfgPath, kind: 'setup.cfg', ecosystem: 'PyPI', dependencies: setupCfg.dependencies, application: false });
    }
    if (reader.exists(pipfilePath)) {
      const text = reader.read(pipfilePath);
      if (text !== undefined) {
        const parsed = parsePipfile(text, pipfilePath);
        diagnostics.push(...parsed.diagnostics);
        const lockPath = inFolder(folder, 'Pipfile.lock');
        const lock = reader.exists(lockPath) ? readLock(lockPath, parsePipfileLock) : undefined;
        if (lock) for (const dependency of parsed.dependencies) applyLock(dependency, lock);
        if (parsed.dependencies.length) manifests.push({ file: pipfilePath, kind: 'pipfile', ecosystem: 'PyPI', dependencies: parsed.dependencies, application });
      }
    }
    const seen = new Set(manifests.map((m) => m.file));
    for (const path of (requirementsByFolder.get(folder) ?? []).sort()) readRequirements(path, application, seen, new Map());
  }

  /** A requirements file and what it includes; `-c` constraints pin the including file's packages. */
  function readRequirements(path: string, application: boolean, seen: Set<string>, inheritedPins: Map<string, [string, string]>): void {
    if (seen.has(path)) return;
    seen.add(path);
    const text = reader.read(path);
    if (text === undefined) return;
    const parsed = parseRequirements(text, path);
    diagnostics.push(...parsed.diagnostics);
    const pins = new Map(inheritedPins);
    // pip applies constraints to the whole install, so they are read before any `-r` include.
    const ordered = [...parsed.includes].sort((a, b) => Number(b.constraint) - Number(a.constraint));
    for (const include of ordered) {
      const target = joinRelative(folderOf(path), include.target);
      if (target === undefined || !reader.exists(target)) {
        diagnostics.push({ file: path, line: include.line, reason: `included file not found: ${include.target}` });
        continue;
      }
      if (include.constraint) {
        const constraints = reader.read(target);
        if (constraints === undefined) continue;
        for (const dependency of parseRequirements(constraints, target).dependencies) {
          const exact = specFacts(dependency).exact;
          if (exact) pins.set(dependency.name, [exact, target]);
        }
      } else readRequirements(target, application, seen, pins);
    }
    for (const dependency of parsed.dependencies) {
      const pin = pins.get(dependency.name);
      if (pin && dependency.source === 'registry') Object.assign(dependency, { locked: pin[0], lockFile: pin[1] });
    }
    if (parsed.dependencies.length) manifests.push({ file: path, kind: 'requirements', ecosystem: 'PyPI', dependencies: parsed.dependencies, application });
  }
}

function applyLock(dependency: DeclaredDependency, lock: LockedVersions): void {
  if (dependency.source !== 'registry') return;
  const version = lock.descriptors?.get(`${dependency.name}@${dependency.spec}`) ?? lock.versions.get(dependency.name);
  // A lock entry the manifest no longer admits is stale (`npm ci` refuses it): it says nothing about what gets installed.
  if (version && admits(dependency, version) !== false) Object.assign(dependency, { locked: version, lockFile: lock.file });
}
