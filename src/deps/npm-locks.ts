// Node lock files: package-lock.json / npm-shrinkwrap.json (v1 nested `dependencies`, v2/v3
// flat `packages`), yarn.lock (classic v1 and berry), pnpm-lock.yaml (v5/v6 root maps, v9
// `importers`). Each yields the installed version of the packages a manifest declares.
import { parse as parseYaml } from 'yaml';
import type { LockedVersions, ManifestDiagnostic } from './types.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface LockParse {
  lock?: LockedVersions;
  diagnostics: ManifestDiagnostic[];
}

/**
 * `importer` is the manifest's folder relative to the lock file's folder (`''` for the same
 * folder): workspaces keep one lock file at their root, with one entry per workspace.
 */
export function parsePackageLock(text: string, file: string, importer = ''): LockParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { diagnostics: [{ file, reason: `invalid JSON: ${(error as Error).message}` }] };
  }
  if (!isRecord(json)) return { diagnostics: [{ file, reason: 'not a JSON object' }] };
  const versions = new Map<string, string>();
  if (isRecord(json.packages)) {
    // v2/v3: `node_modules/<name>` entries; a workspace's own copies sit under `<ws>/node_modules/`.
    const prefixes = importer ? [`${importer}/node_modules/`, 'node_modules/'] : ['node_modules/'];
    for (const prefix of prefixes) {
      for (const [path, entry] of Object.entries(json.packages)) {
        if (!path.startsWith(prefix) || !isRecord(entry) || typeof entry.version !== 'string') continue;
        const name = path.slice(prefix.length);
        if (name.includes('/node_modules/')) continue; // nested copy of a transitive dependency
        if (!versions.has(name)) versions.set(name, entry.version);
      }
    }
  } else if (isRecord(json.dependencies)) {
    for (const [name, entry] of Object.entries(json.dependencies)) {
      if (isRecord(entry) && typeof entry.version === 'string') versions.set(name, entry.version);
    }
  }
  return { lock: { file, ecosystem: 'npm', versions }, diagnostics: [] };
}

/** `"@scope/name@^1.0.0"` → [`@scope/name`, `^1.0.0`]; berry's `npm:` protocol prefix is dropped. */
function splitDescriptor(descriptor: string): [string, string] | undefined {
  const at = descriptor.indexOf('@', descriptor.startsWith('@') ? 1 : 0);
  if (at <= 0) return undefined;
  return [descriptor.slice(0, at), descriptor.slice(at + 1).replace(/^npm:/, '')];
}

export function parseYarnLock(text: string, file: string): LockParse {
  const descriptors = new Map<string, string>();
  const versions = new Map<string, string>();
  let current: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || raw.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(raw)) {
      // `"a@^1", a@~1.2:` (classic) or `"a@npm:^1, a@npm:~1.2":` (berry)
      current = raw
        .replace(/:\s*$/, '')
        .split(/,\s*/)
        .map((d) => d.trim().replace(/^"|"$/g, ''))
        .filter((d) => d && d !== '__metadata');
      continue;
    }
    const version = /^\s+version:?\s+"?([^"\s]+)"?\s*$/.exec(raw);
    if (version && current.length) {
      for (const descriptor of current) {
        const parts = splitDescriptor(descriptor);
        if (!parts) continue;
        descriptors.set(`${parts[0]}@${parts[1]}`, version[1]);
        // With several versions of one package, only a descriptor match says which one is direct.
        const known = versions.get(parts[0]);
        versions.set(parts[0], known === undefined || known === version[1] ? version[1] : '');
      }
      current = [];
    }
  }
  for (const [name, version] of versions) if (!version) versions.delete(name);
  if (descriptors.size === 0 && text.trim() && !/yarn lockfile|__metadata/.test(text)) {
    return { diagnostics: [{ file, reason: 'no package entries found: not a yarn.lock' }] };
  }
  return { lock: { file, ecosystem: 'npm', versions, descriptors }, diagnostics: [] };
}

/** pnpm writes `1.2.3(react@18.2.0)` (v6+) or `1.2.3_react@18.2.0` (v5) for peer-resolved copies. */
function pnpmVersion(value: unknown): string | undefined {
  const raw = isRecord(value) ? value.version : value;
  if (typeof raw !== 'string') return undefined;
  if (raw.startsWith('link:') || raw.startsWith('file:')) return undefined;
  return raw.replace(/\(.*$/, '').replace(/_.*$/, '');
}

export function parsePnpmLock(text: string, file: string, importer = '.'): LockParse {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    return { diagnostics: [{ file, reason: `invalid YAML: ${(error as Error).message.split('\n')[0]}` }] };
  }
  if (!isRecord(doc)) return { diagnostics: [{ file, reason: 'not a YAML mapping' }] };
  const root = isRecord(doc.importers) ? doc.importers[importer || '.'] : importer === '.' || !importer ? doc : undefined;
  const versions = new Map<string, string>();
  if (isRecord(root)) {
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      const table = root[field];
      if (!isRecord(table)) continue;
      for (const [name, value] of Object.entries(table)) {
        const version = pnpmVersion(value);
        if (version) versions.set(name, version);
      }
    }
  }
  return { lock: { file, ecosystem: 'npm', versions }, diagnostics: [] };
}
