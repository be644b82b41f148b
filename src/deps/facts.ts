// Gathers what the dependency rules need before they run (rules are synchronous; the network is
// not): the parsed manifests, advisories for every installed or exactly pinned version, and the
// latest release of every declared package. What cannot be had is reported as a skipped need
// with its reason, never as an error: the audit goes on without those checks.
import { HttpClient, NetworkUnavailable, defaultCacheDir, type FetchLike } from './http.js';
import { collectDependencies, type DependencyInventory, type TreeReader } from './manifests.js';
import { loadAdvisoryFolder, matchOffline, queryOsv, versionKey, type Advisory, type PackageVersion } from './osv.js';
import { fetchRegistryInfo, packageKey, recordedRegistryFetch, type RegistryInfo } from './registry.js';
import type { DeclaredDependency, ManifestDiagnostic } from './types.js';
import { specFacts } from './versions.js';

export const DEPENDENCY_NEEDS = ['manifests', 'advisories', 'latest-versions'] as const;
export type DependencyNeed = (typeof DEPENDENCY_NEEDS)[number];

export interface DependencyFacts {
  inventory: DependencyInventory;
  /** By `versionKey` (`PyPI:fastapi@0.68.0`); absent when advisories could not be had. */
  advisories?: ReadonlyMap<string, Advisory[]>;
  /** By `packageKey` (`npm:express`); absent when registry data could not be had. */
  latest?: ReadonlyMap<string, RegistryInfo>;
}

export interface DependencyDataOptions {
  /** No network at all. */
  offline?: boolean;
  /** A folder of OSV records: advisories come from it, not from the network. */
  advisoriesDir?: string;
  /** A folder of recorded registry answers (`npm/<name>.json`, `pypi/<name>.json`) instead of the registries. */
  registryAnswersDir?: string;
  fetch?: FetchLike;
  /** false: no on-disk cache; a path: that folder; default: the user cache folder. */
  cacheDir?: string | false;
  requestTimeoutMs?: number;
  totalTimeoutMs?: number;
}

export interface GatheredDependencyFacts {
  facts: DependencyFacts;
  skipped: { need: DependencyNeed; reason: string }[];
  diagnostics: ManifestDiagnostic[];
}

/** The version an advisory lookup is about: what the lock file installs, or an exact pin. */
export function resolvedVersion(dependency: DeclaredDependency): string | undefined {
  if (dependency.source !== 'registry') return undefined;
  return dependency.locked ?? specFacts(dependency).exact;
}

function registryDependencies(inventory: DependencyInventory): DeclaredDependency[] {
  return inventory.manifests.flatMap((m) => m.dependencies).filter((d) => d.source === 'registry');
}

export async function gatherDependencyFacts(reader: TreeReader, filePaths: readonly string[], needs: ReadonlySet<DependencyNeed>, options: DependencyDataOptions): Promise<GatheredDependencyFacts> {
  const inventory = collectDependencies(reader, filePaths);
  const facts: DependencyFacts = { inventory };
  const skipped: GatheredDependencyFacts['skipped'] = [];
  const diagnostics = [...inventory.diagnostics];
  const dependencies = registryDependencies(inventory);
  const http = (fetch?: FetchLike) =>
    new HttpClient({
      fetch: fetch ?? options.fetch,
      cacheDir: options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir()),
      requestTimeoutMs: options.requestTimeoutMs,
      totalTimeoutMs: options.totalTimeoutMs,
    });

  const tasks: Promise<void>[] = [];
  if (needs.has('advisories')) {
    const seen = new Map<string, PackageVersion>();
    for (const dependency of dependencies) {
      const version = resolvedVersion(dependency);
      if (version) seen.set(versionKey({ ...dependency, version }), { ecosystem: dependency.ecosystem, name: dependency.name, version });
    }
    const packages = [...seen.values()];
    if (options.advisoriesDir) {
      try {
        const loaded = loadAdvisoryFolder(options.advisoriesDir);
        diagnostics.push(...loaded.problems);
        facts.advisories = matchOffline(loaded.index, packages);
      } catch (error) {
        skipped.push({ need: 'advisories', reason: `advisory folder ${options.advisoriesDir} unreadable: ${(error as Error).message}` });
      }
    } else if (options.offline) {
      skipped.push({ need: 'advisories', reason: 'offline: no advisory data (pass a folder of OSV records with --advisories)' });
    } else {
      tasks.push(
        queryOsv(http(), packages).then(
          (advisories) => void (facts.advisories = advisories),
          (error: unknown) => void skipped.push({ need: 'advisories', reason: `OSV not reachable: ${reasonOf(error)}` }),
        ),
      );
    }
  }
  if (needs.has('latest-versions')) {
    if (options.offline && !options.registryAnswersDir) {
      skipped.push({ need: 'latest-versions', reason: 'offline: latest versions come from the npm and PyPI registries' });
    } else {
      // One client per registry: npm answering while pypi.org is unreachable still checks the npm packages.
      const fetch = options.registryAnswersDir ? recordedRegistryFetch(options.registryAnswersDir) : undefined;
      const latest = new Map<string, RegistryInfo>();
      for (const ecosystem of ['npm', 'PyPI'] as const) {
        const names = new Map(dependencies.filter((d) => d.ecosystem === ecosystem).map((d) => [packageKey(d.ecosystem, d.name), d.name] as const));
        if (names.size === 0) continue;
        const client = http(fetch);
        const answers = new Map<string, RegistryInfo>();
        tasks.push(
          Promise.all(
            [...names].map(async ([key, name]) => {
              const info = await fetchRegistryInfo(client, ecosystem, name);
              if (info) answers.set(key, info);
            }),
          ).then(
            () => {
              for (const [key, info] of answers) latest.set(key, info);
              facts.latest = latest;
            },
            (error: unknown) => void skipped.push({ need: 'latest-versions', reason: `${ecosystem} packages not checked, registry not reachable: ${reasonOf(error)}` }),
          ),
        );
      }
    }
  }
  await Promise.all(tasks);
  return { facts, skipped, diagnostics };
}

function reasonOf(error: unknown): string {
  return error instanceof NetworkUnavailable ? error.message : (error as Error).message;
}
