// package.json: dependencies, devDependencies, optionalDependencies and peerDependencies, kept
// apart. Specs that name no registry version (`workspace:`, `file:`, `link:`, git URLs,
// tarball URLs) are recorded as such; `npm:` aliases resolve to the real package and range.
import { escapeRegExp, findLine } from './lines.js';
import type { DeclaredDependency, DependencySource, ManifestDiagnostic } from './types.js';

export const NPM_DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

export interface ParsedPackageJson {
  manifest: Record<string, unknown>;
  dependencies: DeclaredDependency[];
  diagnostics: ManifestDiagnostic[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where a spec points: the registry, or somewhere that has no registry version. */
export function npmSource(spec: string): DependencySource {
  if (spec.startsWith('workspace:')) return 'workspace';
  if (/^(file|link|portal):/.test(spec) || /^(\.{1,2}\/|\/|~\/)/.test(spec)) return 'path';
  if (/^(git(\+[a-z]+)?:|git@|github:|gitlab:|bitbucket:|gist:)/.test(spec)) return 'vcs';
  if (/^https?:\/\//.test(spec)) return /\.git(#.*)?$/.test(spec) ? 'vcs' : 'url';
  // `user/repo` and `user/repo#ref` are GitHub shorthands.
  if (/^[\w.-]+\/[\w.-]+(#.*)?$/.test(spec) && !spec.startsWith('@')) return 'vcs';
  return 'registry';
}

export function parsePackageJson(text: string, file: string): ParsedPackageJson {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    return { manifest: {}, dependencies: [], diagnostics: [{ file, reason: `invalid JSON: ${(error as Error).message}` }] };
  }
  if (!isRecord(manifest)) return { manifest: {}, dependencies: [], diagnostics: [{ file, reason: 'not a JSON object' }] };
  const lines = text.split(/\r?\n/);
  const dependencies: DeclaredDependency[] = [];
  const diagnostics: ManifestDiagnostic[] = [];
  for (const field of NPM_DEPENDENCY_FIELDS) {
    const table = manifest[field];
    if (table === undefined) continue;
    if (!isRecord(table)) {
      diagnostics.push({ file, reason: `"${field}" is not an object` });
      continue;
    }
    const fieldLine = findLine(lines, (line) => line.includes(`"${field}"`), 1, 1);
    for (const [name, value] of Object.entries(table)) {
      if (typeof value !== 'string') {
        diagnostics.push({ file, reason: `"${field}.${name}" is not a version string` });
        continue;
      }
      const keyPattern = new RegExp(`"${escapeRegExp(name)}"\\s*:`);
      const line = findLine(lines, (text) => keyPattern.test(text), fieldLine, fieldLine);
      const alias = /^npm:((?:@[^/@]+\/)?[^@]+)(?:@(.*))?$/.exec(value.trim());
      const realName = alias ? alias[1] : name;
      const spec = alias ? (alias[2] ?? '') : value.trim();
      dependencies.push({ ecosystem: 'npm', name: realName, spec, source: npmSource(spec), file, line, dev: field === 'devDependencies', group: field });
    }
  }
  return { manifest, dependencies, diagnostics };
}
