// What a version specifier allows, with the ecosystem's own rules: `semver` for npm ranges,
// `@renovatebot/pep440` for Python specifiers. Poetry's caret and tilde are rewritten into
// PEP 440 first (Poetry documents them as exactly these bounds).
import * as pep440 from '@renovatebot/pep440';
import semver from 'semver';
import type { DeclaredDependency, Ecosystem } from './types.js';

/** A version far beyond any release: a specifier that admits it has no upper bound. */
const NPM_FAR_FUTURE = '999999.0.0';
const PYPI_FAR_FUTURE = '999999';

function bump(parts: number[], index: number): string {
  const out = parts.slice(0, index + 1);
  out[index] += 1;
  return out.join('.');
}

/** Poetry constraint → PEP 440 specifier; undefined for what cannot be expressed (`||` unions). */
export function poetryToPep440(spec: string): string | undefined {
  const trimmed = spec.trim();
  if (trimmed === '' || trimmed === '*') return '';
  if (trimmed.includes('|')) return undefined;
  const out: string[] = [];
  for (const part of trimmed.split(/\s*,\s*|\s+(?=[<>=!~^])/)) {
    const caret = /^\^\s*(\d+(?:\.\d+)*)$/.exec(part);
    const tilde = /^~(?!=)\s*(\d+(?:\.\d+)*)$/.exec(part);
    if (caret) {
      const parts = caret[1].split('.').map(Number);
      const first = parts.findIndex((n) => n !== 0);
      out.push(`>=${caret[1]}`, `<${bump(parts, first < 0 ? parts.length - 1 : first)}`);
    } else if (tilde) {
      const parts = tilde[1].split('.').map(Number);
      out.push(`>=${tilde[1]}`, `<${bump(parts, parts.length === 1 ? 0 : 1)}`);
    } else if (/^\d/.test(part)) out.push(`==${part}`);
    else out.push(part);
  }
  return out.join(',');
}

/** The PEP 440 specifier of a Python dependency, or undefined when it is not one. */
function pep440Spec(dependency: DeclaredDependency): string | undefined {
  const spec = dependency.dialect === 'poetry' ? poetryToPep440(dependency.spec) : dependency.spec;
  if (spec === undefined) return undefined;
  return spec === '' || pep440.validRange(spec) ? spec : undefined;
}

function npmRange(spec: string): string | undefined {
  const range = spec.trim() === '' || spec.trim() === 'x' ? '*' : spec;
  return semver.validRange(range) ?? undefined;
}

export interface SpecFacts {
  /** The one version the spec allows (`==1.2.3`, `1.2.3`), when it is exact. */
  exact?: string;
  /** No upper bound: every future release is accepted (`>=1`, `*`, a bare name, `latest`). */
  unbounded: boolean;
  /** Understood by the ecosystem's version rules. */
  valid: boolean;
}

export function specFacts(dependency: DeclaredDependency): SpecFacts {
  if (dependency.ecosystem === 'npm') {
    const range = npmRange(dependency.spec);
    // A dist-tag (`latest`, `next`) follows whatever is published under it.
    if (!range) return { unbounded: /^[a-z][\w.-]*$/i.test(dependency.spec.trim()), valid: false };
    const exact = semver.valid(semver.clean(dependency.spec.trim(), { loose: true }) ?? '') ?? undefined;
    return { ...(exact ? { exact } : {}), unbounded: semver.satisfies(NPM_FAR_FUTURE, range), valid: true };
  }
  const spec = pep440Spec(dependency);
  if (spec === undefined) return { unbounded: false, valid: false };
  const exact = /^(?:===?)([^,*]+)$/.exec(spec)?.[1];
  return { ...(exact ? { exact } : {}), unbounded: pep440.satisfies(PYPI_FAR_FUTURE, spec), valid: true };
}

/** Whether the spec admits `version`; undefined when the spec is not one the ecosystem's rules read. */
export function admits(dependency: DeclaredDependency, version: string): boolean | undefined {
  if (dependency.ecosystem === 'npm') {
    const range = npmRange(dependency.spec);
    return range ? semver.satisfies(version, range, { includePrerelease: true }) : undefined;
  }
  const spec = pep440Spec(dependency);
  return spec === undefined ? undefined : pep440.satisfies(version, spec);
}

/** The newest of `versions` the spec admits. */
export function maxAdmitted(dependency: DeclaredDependency, versions: readonly string[]): string | undefined {
  if (dependency.ecosystem === 'npm') {
    const range = npmRange(dependency.spec);
    return range ? (semver.maxSatisfying([...versions], range) ?? undefined) : undefined;
  }
  const spec = pep440Spec(dependency);
  return spec === undefined ? undefined : (pep440.maxSatisfying([...versions], spec) ?? undefined);
}

/** A stable release (no pre-release, dev or local part). */
export function isStableRelease(ecosystem: Ecosystem, version: string): boolean {
  if (ecosystem === 'npm') return semver.valid(version) !== null && semver.prerelease(version) === null;
  const parsed = pep440.explain(version);
  return parsed !== null && !parsed.is_prerelease && !parsed.is_devrelease && parsed.local === null;
}

/** Release number parts (`[4, 17, 1]`), or undefined for a version the ecosystem does not accept. */
function releaseParts(ecosystem: Ecosystem, version: string): number[] | undefined {
  if (ecosystem === 'npm') {
    const parsed = semver.parse(version, { loose: true });
    return parsed ? [parsed.major, parsed.minor, parsed.patch] : undefined;
  }
  return pep440.explain(version)?.release;
}

/**
 * How many breaking release lines `version` is behind `latest`: major versions, or for 0.x the
 * minor (semver's caret treats 0.x minors as breaking, and 0.x projects release that way).
 */
export function releaseLinesBehind(ecosystem: Ecosystem, version: string, latest: string): number {
  const current = releaseParts(ecosystem, version);
  const newest = releaseParts(ecosystem, latest);
  if (!current || !newest) return 0;
  const [major, minor = 0] = current;
  const [latestMajor, latestMinor = 0] = newest;
  if (latestMajor > major) return latestMajor - major;
  if (latestMajor === major && major === 0 && latestMinor > minor) return latestMinor - minor;
  return 0;
}

export function compareVersions(ecosystem: Ecosystem, a: string, b: string): number {
  if (ecosystem === 'npm') return semver.compare(a, b, { loose: true });
  return pep440.compare(a, b);
}

export function isValidVersion(ecosystem: Ecosystem, version: string): boolean {
  return ecosystem === 'npm' ? semver.valid(version, { loose: true }) !== null : pep440.valid(version) !== null;
}
