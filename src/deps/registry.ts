// Latest releases from the package registries: npm's abbreviated metadata (`dist-tags.latest`
// and the version list) and PyPI's JSON API (`info.version`, releases without pre-releases and
// without yanked files).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FetchLike, HttpClient } from './http.js';
import type { Ecosystem } from './types.js';
import { compareVersions, isStableRelease } from './versions.js';

export interface RegistryInfo {
  latest: string;
  /** Stable, not yanked releases. */
  versions: string[];
}

export const NPM_REGISTRY = 'https://registry.npmjs.org';
export const PYPI_JSON = 'https://pypi.org/pypi';

export const packageKey = (ecosystem: Ecosystem, name: string): string => `${ecosystem}:${name}`;

export function registryUrl(ecosystem: Ecosystem, name: string): string {
  return ecosystem === 'npm' ? `${NPM_REGISTRY}/${name.replace('/', '%2f')}` : `${PYPI_JSON}/${encodeURIComponent(name)}/json`;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a registry answer; undefined when it says nothing usable. */
export function readRegistryAnswer(ecosystem: Ecosystem, answer: unknown): RegistryInfo | undefined {
  if (!isRecord(answer)) return undefined;
  if (ecosystem === 'npm') {
    const latest = isRecord(answer['dist-tags']) ? answer['dist-tags'].latest : undefined;
    const versions = isRecord(answer.versions) ? Object.keys(answer.versions).filter((v) => isStableRelease('npm', v)) : [];
    return typeof latest === 'string' ? { latest, versions } : undefined;
  }
  const releases = isRecord(answer.releases) ? answer.releases : {};
  const versions = Object.entries(releases)
    .filter(([version, files]) => isStableRelease('PyPI', version) && Array.isArray(files) && files.length > 0 && !files.every((f) => isRecord(f) && f.yanked === true))
    .map(([version]) => version)
    .sort((a, b) => compareVersions('PyPI', a, b));
  const info = isRecord(answer.info) ? answer.info.version : undefined;
  const latest = versions.at(-1) ?? (typeof info === 'string' && isStableRelease('PyPI', info) ? info : undefined);
  return latest ? { latest, versions } : undefined;
}

export async function fetchRegistryInfo(http: HttpClient, ecosystem: Ecosystem, name: string): Promise<RegistryInfo | undefined> {
  const headers: Record<string, string> = ecosystem === 'npm' ? { accept: 'application/vnd.npm.install-v1+json' } : { accept: 'application/json' };
  return readRegistryAnswer(ecosystem, await http.json(registryUrl(ecosystem, name), { headers }));
}

/**
 * A fetch that answers registry URLs from a folder of recorded answers (`npm/<name>.json`,
 * `pypi/<name>.json`) and 404 for anything else: the tests' registry, never the network.
 */
export function recordedRegistryFetch(dir: string): FetchLike {
  return async (url) => {
    const npm = url.startsWith(`${NPM_REGISTRY}/`) ? decodeURIComponent(url.slice(NPM_REGISTRY.length + 1)) : undefined;
    const pypi = /^https:\/\/pypi\.org\/pypi\/([^/]+)\/json$/.exec(url)?.[1];
    const file = npm ? join(dir, 'npm', `${npm}.json`) : pypi ? join(dir, 'pypi', `${decodeURIComponent(pypi)}.json`) : undefined;
    const text = file ? await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined; // not recorded: the registry does not know it
      throw error;
    }) : undefined;
    if (text === undefined) return { ok: false, status: 404, json: async () => ({}) };
    return { ok: true, status: 200, json: async () => JSON.parse(text) as unknown };
  };
}
