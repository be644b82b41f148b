// Python lock files: poetry.lock and uv.lock (`[[package]]` tables of name and version) and
// Pipfile.lock (JSON `default`/`develop` maps of `==version`).
import { parse as parseToml } from 'smol-toml';
import { normalisePypiName } from './pypi-name.js';
import type { LockParse } from './npm-locks.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function parsePackageListLock(text: string, file: string): LockParse {
  let toml: Record<string, unknown>;
  try {
    toml = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    return { diagnostics: [{ file, reason: `invalid TOML: ${(error as Error).message.split('\n')[0]}` }] };
  }
  const versions = new Map<string, string>();
  for (const entry of Array.isArray(toml.package) ? toml.package : []) {
    if (isRecord(entry) && typeof entry.name === 'string' && typeof entry.version === 'string') versions.set(normalisePypiName(entry.name), entry.version);
  }
  return { lock: { file, ecosystem: 'PyPI', versions }, diagnostics: [] };
}

export function parsePipfileLock(text: string, file: string): LockParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { diagnostics: [{ file, reason: `invalid JSON: ${(error as Error).message}` }] };
  }
  const versions = new Map<string, string>();
  if (isRecord(json)) {
    for (const section of ['default', 'develop']) {
      const table = json[section];
      if (!isRecord(table)) continue;
      for (const [name, entry] of Object.entries(table)) {
        const version = isRecord(entry) && typeof entry.version === 'string' ? /^==(.+)$/.exec(entry.version)?.[1] : undefined;
        if (version && !versions.has(normalisePypiName(name))) versions.set(normalisePypiName(name), version);
      }
    }
  }
  return { lock: { file, ecosystem: 'PyPI', versions }, diagnostics: [] };
}
