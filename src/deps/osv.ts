// Advisories from OSV (https://osv.dev): online through the batch query API (`POST
// /v1/querybatch` answers ids only; `GET /v1/vulns/<id>` gives each record), or offline from a
// folder of OSV records whose `affected` ranges and version lists are evaluated here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Severity } from '../core/types.js';
import { cvss3BaseScore, severityOfScore } from './cvss.js';
import type { HttpClient } from './http.js';
import { normalisePypiName } from './pypi-name.js';
import type { Ecosystem } from './types.js';
import { compareVersions, isValidVersion } from './versions.js';

export const OSV_API = 'https://api.osv.dev/v1';

/** The subset of an OSV record (https://ossf.github.io/osv-schema/) used here. */
export interface OsvRecord {
  id: string;
  aliases?: string[];
  summary?: string;
  details?: string;
  withdrawn?: string;
  severity?: { type: string; score: string }[];
  affected?: {
    package?: { ecosystem?: string; name?: string };
    ranges?: { type: string; events: Record<string, string>[] }[];
    versions?: string[];
  }[];
  database_specific?: { severity?: string };
}

export interface PackageVersion {
  ecosystem: Ecosystem;
  name: string;
  version: string;
}

export interface Advisory {
  id: string;
  /** CVE and GHSA/PYSEC ids of the same problem. */
  aliases: string[];
  summary: string;
  /** CVSS v3 base score, when the record has a vector. */
  score?: number;
  severity?: Severity;
  /** The lowest release that fixes it for this version, when the record names one. */
  fixed?: string;
}

export const versionKey = (p: PackageVersion): string => `${p.ecosystem}:${p.name}@${p.version}`;

function samePackage(affected: NonNullable<OsvRecord['affected']>[number], ecosystem: Ecosystem, name: string): boolean {
  const pkg = affected.package;
  if (!pkg?.name || pkg.ecosystem?.toLowerCase() !== ecosystem.toLowerCase()) return false;
  return ecosystem === 'PyPI' ? normalisePypiName(pkg.name) === name : pkg.name === name;
}

/** Sorted limits of one range: is `version` at or after an `introduced` and before its `fixed` (or at most `last_affected`)? */
function inRange(ecosystem: Ecosystem, events: Record<string, string>[], version: string): boolean {
  const cmp = (a: string, b: string) => (a === '0' ? (b === '0' ? 0 : -1) : b === '0' ? 1 : compareVersions(ecosystem, a, b));
  const usable = events.filter((event) => Object.values(event).every((v) => v === '0' || isValidVersion(ecosystem, v)));
  const sorted = [...usable].sort((a, b) => cmp(Object.values(a)[0], Object.values(b)[0]));
  let affected = false;
  for (const event of sorted) {
    if (event.introduced !== undefined && cmp(event.introduced, version) <= 0) affected = true;
    else if (event.fixed !== undefined && cmp(event.fixed, version) <= 0) affected = false;
    else if (event.last_affected !== undefined && cmp(event.last_affected, version) < 0) affected = false;
  }
  return affected;
}

export function affects(record: OsvRecord, target: PackageVersion): boolean {
  if (record.withdrawn) return false;
  return (record.affected ?? []).some(
    (affected) =>
      samePackage(affected, target.ecosystem, target.name) &&
      ((affected.versions ?? []).includes(target.version) ||
        (affected.ranges ?? []).some((range) => (range.type === 'ECOSYSTEM' || range.type === 'SEMVER') && inRange(target.ecosystem, range.events, target.version))),
  );
}

/** The lowest `fixed` version above `target.version` in the record's ranges for that package. */
export function fixedVersion(record: OsvRecord, target: PackageVersion): string | undefined {
  const fixes: string[] = [];
  for (const affected of record.affected ?? []) {
    if (!samePackage(affected, target.ecosystem, target.name)) continue;
    for (const range of affected.ranges ?? []) {
      if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') continue;
      for (const event of range.events) {
        if (event.fixed && isValidVersion(target.ecosystem, event.fixed) && compareVersions(target.ecosystem, event.fixed, target.version) > 0) fixes.push(event.fixed);
      }
    }
  }
  return fixes.sort((a, b) => compareVersions(target.ecosystem, a, b))[0];
}

const GITHUB_SEVERITY: Record<string, Severity> = { LOW: 'low', MODERATE: 'medium', MEDIUM: 'medium', HIGH: 'high', CRITICAL: 'critical' };

/** The record's summary, or the first sentence of its details, short enough for one finding line. */
function shortSummary(record: OsvRecord): string {
  const text = (record.summary ?? record.details ?? '').trim().split(/\n|(?<=\.)\s/)[0];
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

export function toAdvisory(record: OsvRecord, target: PackageVersion): Advisory {
  const vector = record.severity?.find((s) => s.type === 'CVSS_V3')?.score;
  const score = vector ? cvss3BaseScore(vector) : undefined;
  const severity = score !== undefined ? severityOfScore(score) : GITHUB_SEVERITY[record.database_specific?.severity?.toUpperCase() ?? ''];
  const fixed = fixedVersion(record, target);
  return {
    id: record.id,
    aliases: record.aliases ?? [],
    summary: shortSummary(record),
    ...(score !== undefined ? { score } : {}),
    ...(severity ? { severity } : {}),
    ...(fixed ? { fixed } : {}),
  };
}

/** All OSV records (`.json`, `.yaml`) under a folder, indexed by ecosystem and package name. */
export function loadAdvisoryFolder(dir: string): { index: Map<string, OsvRecord[]>; problems: { file: string; reason: string }[] } {
  const index = new Map<string, OsvRecord[]>();
  const problems: { file: string; reason: string }[] = [];
  const visit = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const full = join(folder, name);
      if (statSync(full).isDirectory()) {
        visit(full);
        continue;
      }
      if (!/\.(json|ya?ml)$/.test(name)) continue;
      let record: OsvRecord;
      try {
        const text = readFileSync(full, 'utf8');
        record = (name.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as OsvRecord;
      } catch (error) {
        problems.push({ file: full, reason: `not an OSV record: ${(error as Error).message.split('\n')[0]}` });
        continue;
      }
      if (typeof record?.id !== 'string' || !Array.isArray(record.affected)) {
        problems.push({ file: full, reason: 'not an OSV record: no id or affected list' });
        continue;
      }
      for (const affected of record.affected) {
        const ecosystem = affected.package?.ecosystem;
        const pkg = affected.package?.name;
        if (!ecosystem || !pkg) continue;
        const key = `${ecosystem.toLowerCase()}:${ecosystem.toLowerCase() === 'pypi' ? normalisePypiName(pkg) : pkg}`;
        const list = index.get(key) ?? [];
        if (!list.includes(record)) list.push(record);
        index.set(key, list);
      }
    }
  };
  visit(dir);
  return { index, problems };
}

export function matchOffline(index: Map<string, OsvRecord[]>, packages: readonly PackageVersion[]): Map<string, Advisory[]> {
  const out = new Map<string, Advisory[]>();
  for (const target of packages) {
    const records = index.get(`${target.ecosystem.toLowerCase()}:${target.name}`) ?? [];
    out.set(versionKey(target), records.filter((record) => affects(record, target)).map((record) => toAdvisory(record, target)));
  }
  return out;
}

/** Online: one batch query for all versions, then each distinct advisory once. */
export async function queryOsv(http: HttpClient, packages: readonly PackageVersion[]): Promise<Map<string, Advisory[]>> {
  const ids = new Map<string, string[]>();
  for (let start = 0; start < packages.length; start += 1000) {
    const chunk = packages.slice(start, start + 1000);
    const answer = (await http.json(`${OSV_API}/querybatch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ queries: chunk.map((p) => ({ package: { ecosystem: p.ecosystem, name: p.name }, version: p.version })) }),
    })) as { results?: { vulns?: { id: string }[] }[] } | undefined;
    chunk.forEach((p, index) => ids.set(versionKey(p), (answer?.results?.[index]?.vulns ?? []).map((v) => v.id)));
  }
  const unique = [...new Set([...ids.values()].flat())];
  const records = new Map<string, OsvRecord>();
  await Promise.all(
    unique.map(async (id) => {
      const record = (await http.json(`${OSV_API}/vulns/${encodeURIComponent(id)}`)) as OsvRecord | undefined;
      if (record) records.set(id, record);
    }),
  );
  const out = new Map<string, Advisory[]>();
  for (const target of packages) {
    const found = (ids.get(versionKey(target)) ?? []).map((id) => records.get(id)).filter((r): r is OsvRecord => r !== undefined && !r.withdrawn);
    out.set(versionKey(target), found.map((record) => toAdvisory(record, target)));
  }
  return out;
}
