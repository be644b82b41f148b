// The audit pipeline: discover → audit files in parallel → inventory and stack → one AuditResult.
// It never prints and never exits; the CLI decides what to do with the result.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_VERSION, type AuditResult, type Inventory, type RuleSummary } from '../core/audit-result.js';
import type { CompiledRule, ProjectGitFacts } from '../core/rule.js';
import { SEVERITIES, severityRank, type Diagnostic, type Finding, type Severity } from '../core/types.js';
import { DEFAULT_MAX_FILE_BYTES, type FailOn, type ProbityConfig } from '../config/schema.js';
import { detectStack, readManifests } from '../discover/stack.js';
import { detectComponents, type InventoriedFile } from '../discover/components.js';
import { composeServices } from '../discover/services.js';
import { readHeadCommit } from '../discover/git.js';
import { listTrackedFiles, readHistory, type GitHistory } from '../discover/git-facts.js';
import { textKindOf } from '../discover/language.js';
import { selectedByConfig, walk } from '../discover/walk.js';
import { BUILTIN_RULES_DIR, loadCatalog, type Catalog } from './catalog.js';
import { cacheKey, readCache, writeCache } from './cache.js';
import { auditFiles, defaultJobs } from './pool.js';
import { buildReportData } from '../score/roadmap.js';
import { computeScores } from '../score/scores.js';
import { selectRules } from './select.js';
import { aggregateMeasurements, applyProjectConditions } from './measurements.js';
import { runProjectRules } from './project-rules.js';
import type { ImportStatement } from './imports.js';
import { applyConfigIgnores } from './suppress.js';
import { gatherRuleDependencyFacts } from './dependency-facts.js';
import type { DependencyDataOptions } from '../deps/facts.js';

export interface AuditOptions {
  /** The folder (or file) to audit. */
  root: string;
  config: ProbityConfig;
  /** Folder of the config file, for resolving `rulesDirs`. */
  configDir?: string;
  enable?: string[];
  disable?: string[];
  /** Run only these rules or areas. */
  only?: string[];
  /** Overrides for the config's include/exclude/failOn/jobs. */
  include?: string[];
  exclude?: string[];
  failOn?: FailOn;
  jobs?: number;
  /** Reuse and update the per-file result cache in `<root>/.probity/cache/` (default true). */
  cache?: boolean;
  /** Measure milliseconds per rule (and parsing) into `AuditResult.timings`; implies no cache. */
  timing?: boolean;
  /** Read the lines added by the last N commits for secrets (`--history`). */
  history?: number;
  /** No network for the dependency checks (also config `offline`, or PROBITY_OFFLINE=1). */
  offline?: boolean;
  /** Folder of OSV records to use instead of the OSV API (also config `advisories`). */
  advisories?: string;
  /** Recorded registry answers, an injected fetch, the cache folder (tests and embedding). */
  dependencyData?: Pick<DependencyDataOptions, 'registryAnswersDir' | 'fetch' | 'cacheDir' | 'requestTimeoutMs' | 'totalTimeoutMs'>;
  /** A catalog already loaded (tests); otherwise the built-in rules plus `rulesDirs`. */
  catalog?: Catalog;
  onProgress?: (done: number, total: number) => void;
}

export class AuditInputError extends Error {}

export function probityVersion(): string {
  const pkg = fileURLToPath(new URL('../../package.json', import.meta.url));
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

export function summariseRule(rule: CompiledRule): RuleSummary {
  const { meta } = rule;
  return {
    id: meta.id,
    title: meta.title,
    area: meta.area,
    severity: meta.severity,
    type: meta.type,
    effort: meta.effort,
    confidence: meta.confidence,
    languages: meta.languages,
    description: meta.description,
    why: meta.why,
    recommendation: meta.recommendation,
    example: meta.examples[0],
    references: meta.references,
    ...(meta.cwe ? { cwe: meta.cwe } : {}),
  };
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const started = Date.now();
  const root = resolve(options.root);
  if (!existsSync(root)) throw new AuditInputError(`path does not exist: ${options.root}`);
  const { config } = options;
  const rulesDirs = [BUILTIN_RULES_DIR, ...(config.rulesDirs ?? []).map((dir) => (isAbsolute(dir) ? dir : resolve(options.configDir ?? root, dir)))];
  const catalog = options.catalog ?? (await loadCatalog(rulesDirs));
  const selection = selectRules(catalog, config, options.enable, options.disable, options.only);

  const walked = walk(root, {
    include: options.include ?? config.include,
    exclude: [...(config.exclude ?? []), ...(options.exclude ?? [])],
    maxFileBytes: config.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  });
  const useCache = options.cache !== false && !options.timing && statSync(root).isDirectory();
  const timings = options.timing ? new Map<string, number>() : undefined;
  const key = useCache ? cacheKey(selection.rules, selection.settings, rulesDirs) : '';
  const fileResults = await auditFiles(walked.files, {
    rules: selection.rules,
    rulesDirs,
    settings: selection.settings,
    jobs: options.jobs ?? config.jobs ?? defaultJobs(),
    cache: useCache ? readCache(root, key) : undefined,
    timings,
    onProgress: options.onProgress,
  });
  if (useCache) writeCache(root, key, fileResults);
  fileResults.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const inventory: Inventory = { files: 0, lines: 0, codeLines: 0, languages: {}, excluded: { ...walked.excluded }, stack: [], components: [], services: [] };
  const inventoried: InventoriedFile[] = [];
  const importsByFile = new Map<string, string[]>();
  const importStatements = new Map<string, ImportStatement[]>();
  const collected: Finding[] = [];
  const fileSuppressed: AuditResult['suppressed'] = [];
  const diagnostics = [...walked.diagnostics];
  for (const file of fileResults) {
    diagnostics.push(...file.diagnostics);
    if (!file.language) {
      if (file.skipped) inventory.excluded[file.skipped] = (inventory.excluded[file.skipped] ?? 0) + 1;
      continue;
    }
    const label = file.language === 'text' ? textKindOf(file.path) : file.language;
    const stats = (inventory.languages[label] ??= { files: 0, lines: 0, codeLines: 0 });
    inventoried.push({ path: file.path, language: label, codeLines: file.codeLines });
    stats.files++;
    stats.lines += file.lines;
    stats.codeLines += file.codeLines;
    inventory.files++;
    inventory.lines += file.lines;
    inventory.codeLines += file.codeLines;
    if (file.imports.length) importsByFile.set(file.path, file.imports);
    if (file.importStatements) importStatements.set(file.path, file.importStatements);
    collected.push(...file.findings);
    fileSuppressed.push(...file.suppressed);
  }
  const fileMeasurements = aggregateMeasurements(selection.rules, fileResults);
  const conditioned = applyProjectConditions(collected, fileMeasurements);
  const conditionedSuppressed = applyProjectConditions(fileSuppressed, fileMeasurements);
  inventory.components = detectComponents(inventoried);
  inventory.services = composeServices(walked.files);
  inventory.stack = detectStack(readManifests(root, walked.files.map((f) => f.path)), importsByFile);
  const projectRoot = statSync(root).isDirectory() ? root : dirname(root);
  const selected = selectedByConfig(options.include ?? config.include, [...(config.exclude ?? []), ...(options.exclude ?? [])]);
  const git = gitFactsFor(projectRoot, options.history, selected, diagnostics);
  const projectFiles = walked.files.map((f) => ({ path: f.path, language: f.language }));
  const advisories = options.advisories ?? (config.advisories ? resolve(options.configDir ?? root, config.advisories) : undefined);
  const dependencyData = await gatherRuleDependencyFacts(selection.rules, projectRoot, projectFiles.map((f) => f.path), {
    ...options.dependencyData,
    offline: options.offline ?? config.offline ?? process.env.PROBITY_OFFLINE === '1',
    ...(advisories ? { advisoriesDir: advisories } : {}),
    ...(options.cache === false && !options.dependencyData?.cacheDir ? { cacheDir: false } : {}),
  });
  diagnostics.push(...dependencyData.diagnostics);
  const project = runProjectRules(selection.rules, selection.settings, {
    root: projectRoot,
    files: projectFiles,
    stack: inventory.stack,
    git,
    importStatements,
    ...(dependencyData.facts ? { dependencies: dependencyData.facts } : {}),
  }, timings);
  conditioned.push(...project.findings);
  // Repository rules measure too (dependency counts): their metrics join the file rules' ones.
  // A rule skipped for want of data measured nothing: its metrics are absent, not 0.
  const skippedRules = new Set(dependencyData.skippedChecks.map((s) => s.rule));
  const measurements = (project.measured.length ? aggregateMeasurements(selection.rules, [...fileResults, ...project.measured]) : fileMeasurements).filter(
    (m) => !skippedRules.has(m.ruleId),
  );
  diagnostics.push(...project.diagnostics);
  const configIgnored = applyConfigIgnores(conditioned, config);
  const findings = configIgnored.kept;
  const suppressed = [...conditionedSuppressed, ...configIgnored.suppressed];
  findings.sort(compareFindings);
  suppressed.sort(compareFindings);
  diagnostics.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));

  const commit = readHeadCommit(root);
  const ruleSummaries = selection.rules.map(summariseRule);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byArea: AuditResult['summary']['byArea'] = {};
  for (const finding of findings) {
    bySeverity[finding.severity]++;
    byArea[finding.area] = (byArea[finding.area] ?? 0) + 1;
  }
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'probity', version: probityVersion() },
    project: { name: basename(root), root: options.root, ...(commit ? { commit } : {}) },
    generatedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    failOn: options.failOn ?? config.failOn ?? 'high',
    inventory,
    rules: ruleSummaries,
    findings,
    suppressed,
    diagnostics,
    measurements,
    scores: computeScores({ findings, inventory, rules: ruleSummaries }),
    report: buildReportData({ findings, rules: ruleSummaries, inventory, suppressed, diagnostics, measurements }),
    skippedChecks: dependencyData.skippedChecks,
    ...(timings ? { timings: Object.fromEntries([...timings].sort((a, b) => b[1] - a[1]).map(([id, ms]) => [id, Math.round(ms * 10) / 10])) } : {}),
    summary: {
      total: findings.length,
      bySeverity,
      byArea,
      filesWithFindings: new Set(findings.map((f) => f.file)).size,
      suppressed: suppressed.length,
      diagnostics: diagnostics.length,
    },
  };
}

/** Git facts for the repository rules: tracked files on first use, history only when asked for. */
function gitFactsFor(root: string, history: number | undefined, selected: (path: string) => boolean, diagnostics: Diagnostic[]): ProjectGitFacts {
  let tracked: string[] | undefined | null = null;
  // Files the user excluded stay out, even when git tracks them; a .gitignore does not hide them.
  const facts: ProjectGitFacts = { trackedFiles: () => (tracked === null ? (tracked = listTrackedFiles(root)?.filter(selected)) : tracked) };
  if (history === undefined) return facts;
  const note = (reason: string) => diagnostics.push({ file: '', kind: 'git', reason: `--history: ${reason}` });
  let read: GitHistory | undefined;
  try {
    read = readHistory(root, history);
  } catch (error) {
    note(`${(error as Error).message}; history was not scanned`);
    return facts;
  }
  if (!read) {
    note('not a git work tree, or git is not installed; history was not scanned');
    return facts;
  }
  if (read.truncated) note(`stopped early (${read.truncated}); ${read.commitsRead} of ${history} commits scanned`);
  facts.history = { ...read, additions: read.additions.filter((addition) => selected(addition.path)) };
  return facts;
}

/** Exit code policy: 1 when any finding is at or above `failOn`, else 0. */
export function shouldFail(result: AuditResult): boolean {
  if (result.failOn === 'none') return false;
  const threshold = severityRank(result.failOn);
  return result.findings.some((finding) => severityRank(finding.severity) >= threshold);
}
