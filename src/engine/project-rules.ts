// Runs the rules about the repository as a whole (`onProject`, `languages: ['repo']`) once per
// audit, after discovery, and turns what they report into findings like any other: a file and
// line to point at, or the project root when the finding is about something missing.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, normalize, sep } from 'node:path';
import type { CompiledRule, ProjectContext, ProjectFile, ProjectGitFacts, ProjectReport } from '../core/rule.js';
import type { Diagnostic, Finding } from '../core/types.js';
import { maskSecrets } from './mask.js';
import type { DependencyFacts } from '../deps/facts.js';
import type { FileResult, RuleSettings } from './run-file.js';
import type { ImportStatement } from './imports.js';
import { buildImportGraph, type ImportGraph } from '../model/imports.js';

const MAX_READ_BYTES = 1024 * 1024;

export interface ProjectInput {
  root: string;
  files: readonly ProjectFile[];
  stack: readonly { name: string; category: string; evidence?: readonly string[] }[];
  git?: ProjectGitFacts;
  /** Gathered before the rules run when a selected rule declares `needs`. */
  dependencies?: DependencyFacts;
  /** Import statements by file, as collected during the file audit (for the import graph). */
  importStatements?: ReadonlyMap<string, readonly ImportStatement[]>;
}

/** A path inside the root, or undefined for one that climbs out of it. */
function inside(root: string, path: string): string | undefined {
  const full = normalize(join(root, path));
  return full === root || full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : undefined;
}

/** Text of a file inside the root (at most 1 MiB), or undefined when absent, unreadable or outside. */
export function readTreeFile(root: string, path: string): string | undefined {
  const full = inside(root, path);
  try {
    if (!full || statSync(full).size > MAX_READ_BYTES) return undefined;
    return readFileSync(full, 'utf8');
  } catch {
    return undefined; // absent or unreadable: the caller treats it as not there
  }
}

export function runProjectRules(
  rules: readonly CompiledRule[],
  settings: Record<string, RuleSettings>,
  input: ProjectInput,
  /** `--timing`: milliseconds per rule id are added here, as for file rules. */
  timings?: Map<string, number>,
): { findings: Finding[]; diagnostics: Diagnostic[]; measured: Pick<FileResult, 'path' | 'measurements'>[] } {
  const findings: Finding[] = [];
  const diagnostics: Diagnostic[] = [];
  // Metrics of repository rules, per file they are attributed to, in the shape file results have.
  const measuredByPath = new Map<string, Pick<FileResult, 'path' | 'measurements'>>();
  // Shared by the rules and built only if one of them asks for it.
  let importGraph: ImportGraph | undefined;
  const importGraphOf = () =>
    (importGraph ??= buildImportGraph({
      files: input.files,
      statements: input.importStatements ?? new Map(),
      read: (path) => readTreeFile(input.root, path),
      rootName: basename(input.root),
      diagnose: (path, reason) => diagnostics.push({ file: path, kind: 'parse-error', reason: `import graph: ${reason}` }),
    }));
  for (const rule of rules) {
    if (!rule.onProject) continue;
    const options: Record<string, unknown> = {};
    for (const [name, option] of Object.entries(rule.meta.options ?? {})) options[name] = option.default;
    Object.assign(options, settings[rule.meta.id]?.options);
    const reports: ProjectReport[] = [];
    const context: ProjectContext = {
      files: input.files,
      stack: input.stack,
      options,
      exists: (path) => {
        const full = inside(input.root, path);
        return full !== undefined && existsSync(full);
      },
      read: (path) => readTreeFile(input.root, path),
      ...(input.git ? { git: input.git } : {}),
      ...(rule.needs?.length && input.dependencies ? { dependencies: input.dependencies } : {}),
      list: (folder) => {
        const full = inside(input.root, folder || '.');
        try {
          return full ? readdirSync(full).sort() : [];
        } catch {
          return []; // absent or not a folder
        }
      },
      get imports() {
        return importGraphOf();
      },
      report: (report) => reports.push(report),
      measure: (metricId, count, total, path) => {
        const metric = rule.meta.metrics?.find((m) => m.id === metricId);
        if (!metric) throw new Error(`metric ${metricId} is not declared in the rule's metadata`);
        if (metric.kind === 'coverage' && total === undefined) throw new Error(`coverage metric ${metricId} needs a total`);
        const entry = measuredByPath.get(path) ?? { path, measurements: {} };
        measuredByPath.set(path, entry);
        const sum = (entry.measurements![metricId] ??= metric.kind === 'coverage' ? { count: 0, total: 0 } : { count: 0 });
        sum.count += count;
        if (sum.total !== undefined) sum.total += total ?? 0;
      },
      diagnose: (path, reason) => diagnostics.push({ file: path, kind: 'parse-error', reason: `${rule.meta.id}: ${reason}` }),
    };
    const started = performance.now();
    try {
      rule.onProject(context);
    } catch (error) {
      diagnostics.push({ file: '', kind: 'rule-error', reason: `rule ${rule.meta.id} failed: ${(error as Error).message}` });
      continue;
    } finally {
      timings?.set(rule.meta.id, (timings.get(rule.meta.id) ?? 0) + performance.now() - started);
    }
    for (const report of reports) findings.push(toFinding(rule, report, settings, context));
  }
  return { findings, diagnostics, measured: [...measuredByPath.values()].sort((a, b) => a.path.localeCompare(b.path)) };
}

function toFinding(rule: CompiledRule, report: ProjectReport, settings: Record<string, RuleSettings>, context: ProjectContext): Finding {
  const { meta } = rule;
  const file = report.path ?? '.';
  const line = report.line ?? 1;
  const read = report.snippet ?? (report.path && report.line ? (context.read(report.path)?.split(/\r?\n/)[line - 1] ?? '') : '');
  const secrets = report.secrets ?? [];
  const snippet = secrets.length ? maskSecrets(read, secrets) : read;
  const message = secrets.length ? maskSecrets(report.message, secrets) : report.message;
  return {
    ruleId: meta.id,
    area: meta.area,
    severity: settings[meta.id]?.severity ?? report.severity ?? meta.severity,
    type: meta.type,
    effort: meta.effort,
    file,
    line,
    endLine: line,
    column: report.column ?? 1,
    endColumn: report.column ?? 1,
    message,
    snippet,
    // No code to anchor on: the rule, the place and what is said (masked) identify the finding.
    fingerprint: createHash('sha256').update(`${meta.id}\u0000${file}\u0000${message}`).digest('hex').slice(0, 20),
  };
}
