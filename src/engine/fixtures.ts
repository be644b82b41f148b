// Annotated fixtures (Semgrep's ruleid/ok convention): a comment on the line before the code
// says what must happen there.
//   # expect: <id>            the rule must report a finding starting on the next code line
//   # expect: <id> (critical) ...with that severity
//   # ok: <id>                a look-alike: the rule must stay silent there
//   # todo-expect: <id>       a known false negative (fails once it starts passing)
//   # todo-ok: <id>           a known false positive (fails once it stops firing)
//   {/* expect: <id> */}     the same inside JSX
//   # measure: <metric> 3/5   the file's measurement of a rule metric (`3` for a count metric)
// Any finding of the rule on a line without `expect` is "noisy"; any `expect` without one is
// "missing" (ast-grep's words).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { CompiledRule, ComposeVariables } from '../core/rule.js';
import type { FileLanguage, Finding, Severity, TextRuleLanguage } from '../core/types.js';
import { familyOf, languageFromPath, textRuleLanguageOf } from '../discover/language.js';
import { splitLines } from '../discover/lines.js';
import type { Measurement } from '../core/audit-result.js';
import { aggregateMeasurements, applyProjectConditions } from './measurements.js';
import { auditContent, createFileAuditSetup } from './run-file.js';
import { readComposeDotenv } from '../parse/dotenv.js';

export type AnnotationKind = 'expect' | 'ok' | 'todo-expect' | 'todo-ok';

export interface Annotation {
  kind: AnnotationKind;
  ruleId: string;
  severity?: Severity;
  /** The line the annotation is about (1-based): the next line that is not an annotation. */
  line: number;
}

export interface FixtureOutcome {
  file: string;
  /** The rule language the fixture exercises: `sql`, `compose`, `docker`, `env` for those text files, `text` for other text. */
  family: 'py' | 'ts' | TextRuleLanguage | 'text';
  annotations: Annotation[];
  findings: Finding[];
  /** Expected, not found. */
  missing: Annotation[];
  /** Found where nothing was expected (includes `ok` violations). */
  noisy: Finding[];
  /** Expected with a severity, found with another. */
  wrongSeverity: { annotation: Annotation; finding: Finding }[];
  /** todo annotations that now pass and should be promoted. */
  promotable: Annotation[];
  /** Known gaps still present (todo-expect missing, todo-ok firing). */
  knownGaps: Annotation[];
  /** The rule threw on this file (the engine turned it into a `rule-error` diagnostic). */
  ruleErrors: string[];
  /** `measure:` annotations, and what the rule measured instead when it differs. */
  measureAnnotations: MeasureAnnotation[];
  wrongMeasurements: string[];
}

export interface MeasureAnnotation {
  metricId: string;
  count: number;
  total?: number;
}

const MEASURE_ANNOTATION = /^\s*(?:#|\/\/|\/\*)\s*measure:\s*([a-z0-9-]+)\s+(\d+)(?:\/(\d+))?/;

export function parseMeasureAnnotations(lines: readonly string[]): MeasureAnnotation[] {
  return lines.flatMap((text) => {
    const match = MEASURE_ANNOTATION.exec(text);
    return match ? [{ metricId: match[1], count: Number(match[2]), ...(match[3] ? { total: Number(match[3]) } : {}) }] : [];
  });
}

const ANNOTATION = /(?:#|\/\/|\/\*|<!--)\s*(todo-expect|todo-ok|expect|ok):\s*(.+?)\s*(?:\*\/\}?|-->)?\s*$/;

export function parseAnnotations(lines: readonly string[]): Annotation[] {
  const annotations: Annotation[] = [];
  const pending: Omit<Annotation, 'line'>[] = [];
  lines.forEach((text, index) => {
    const match = ANNOTATION.exec(text);
    if (match && text.trim().match(/^(#|\/\/|\/\*|\{\/\*|<!--)/)) {
      for (const part of match[2].split(',')) {
        const item = /^([\w/-]+)(?:\s*\((critical|high|medium|low)\))?$/.exec(part.trim());
        if (item) pending.push({ kind: match[1] as AnnotationKind, ruleId: item[1], severity: item[2] as Severity | undefined });
      }
      return;
    }
    for (const annotation of pending) annotations.push({ ...annotation, line: index + 1 });
    pending.length = 0;
  });
  return annotations;
}

export function listFixtureFiles(rule: CompiledRule): string[] {
  const dir = join(rule.dir, 'fixtures');
  const files: string[] = [];
  const visit = (current: string) => {
    let names: string[];
    try {
      names = readdirSync(current).sort();
    } catch {
      // No fixtures folder: the catalog test reports the missing cases by name.
      return;
    }
    for (const name of names) {
      const full = join(current, name);
      if (statSync(full).isDirectory()) visit(full);
      else files.push(full);
    }
  };
  visit(dir);
  return files;
}

function fixtureFamily(language: FileLanguage | undefined, path: string): FixtureOutcome['family'] {
  const family = language ? familyOf(language) : 'text';
  if (family !== 'text') return family;
  return textRuleLanguageOf(path) ?? 'text';
}

/** A compose fixture resolves `${VAR}` from the `.env` beside it, as an audit does. */
function fixtureComposeVariables(absolutePath: string, path: string): ComposeVariables | undefined {
  return textRuleLanguageOf(path) === 'compose' ? readComposeDotenv(absolutePath, path)?.variables : undefined;
}

const projectMeasurements = new Map<string, Measurement[]>();

/** The rule's metrics over all its fixture files: the fixtures folder is the project `onlyIfProject` conditions see. */
function fixtureProjectMeasurements(rule: CompiledRule): Measurement[] {
  let measured = projectMeasurements.get(rule.dir);
  if (!measured) {
    const fixturesDir = join(rule.dir, 'fixtures');
    const setup = createFileAuditSetup([rule], {});
    const results = listFixtureFiles(rule).map((file) => {
      const path = relative(fixturesDir, file).split(sep).join('/');
      const byPath = languageFromPath(path);
      return auditContent({ path, language: byPath === 'binary' ? undefined : byPath }, readFileSync(file), setup, fixtureComposeVariables(file, path));
    });
    measured = aggregateMeasurements([rule], results);
    projectMeasurements.set(rule.dir, measured);
  }
  return measured;
}

/** Runs one rule over one fixture file (path relative to the fixtures folder) and compares. */
export function checkFixture(rule: CompiledRule, absolutePath: string): FixtureOutcome {
  const fixturesDir = join(rule.dir, 'fixtures');
  const path = relative(fixturesDir, absolutePath).split(sep).join('/');
  const bytes = readFileSync(absolutePath);
  const byPath = languageFromPath(path);
  const language = byPath === 'binary' ? undefined : byPath;
  const setup = createFileAuditSetup([rule], {});
  const result = auditContent({ path, language }, bytes, setup, fixtureComposeVariables(absolutePath, path));
  const lines = splitLines(bytes.toString('utf8'));
  const annotations = parseAnnotations(lines).filter((a) => a.ruleId === rule.meta.id);
  const findings = applyProjectConditions(
    result.findings.filter((f) => f.ruleId === rule.meta.id),
    fixtureProjectMeasurements(rule),
  );
  const at = (line: number) => findings.filter((f) => f.line === line);
  const outcome: FixtureOutcome = {
    file: path,
    family: fixtureFamily(result.language, path),
    annotations,
    findings,
    missing: [],
    noisy: [],
    wrongSeverity: [],
    promotable: [],
    knownGaps: [],
    ruleErrors: result.diagnostics.filter((d) => d.kind === 'rule-error').map((d) => d.reason),
    measureAnnotations: parseMeasureAnnotations(lines),
    wrongMeasurements: [],
  };
  for (const expected of outcome.measureAnnotations) {
    const measured = result.measurements?.[expected.metricId] ?? { count: 0, ...(expected.total !== undefined ? { total: 0 } : {}) };
    const show = (m: { count: number; total?: number }) => (m.total === undefined ? String(m.count) : `${m.count}/${m.total}`);
    if (show(measured) !== show(expected)) outcome.wrongMeasurements.push(`${expected.metricId}: expected ${show(expected)}, measured ${show(measured)}`);
  }
  const expectedLines = new Set<number>();
  for (const annotation of annotations) {
    const found = at(annotation.line);
    if (annotation.kind === 'expect') {
      expectedLines.add(annotation.line);
      if (found.length === 0) outcome.missing.push(annotation);
      else if (annotation.severity && !found.some((f) => f.severity === annotation.severity)) {
        outcome.wrongSeverity.push({ annotation, finding: found[0] });
      }
    } else if (annotation.kind === 'todo-expect') {
      if (found.length) outcome.promotable.push(annotation);
      else outcome.knownGaps.push(annotation);
    } else if (annotation.kind === 'todo-ok') {
      expectedLines.add(annotation.line);
      if (found.length) outcome.knownGaps.push(annotation);
      else outcome.promotable.push(annotation);
    }
  }
  outcome.noisy = findings.filter((f) => !expectedLines.has(f.line));
  return outcome;
}

/** Runs a rule on an in-memory snippet (rule examples in metadata are executed this way). */
export function runRuleOnSnippet(rule: CompiledRule, path: string, source: string): Finding[] {
  const byPath = languageFromPath(path);
  const setup = createFileAuditSetup([rule], {});
  const result = auditContent({ path, language: byPath === 'binary' ? undefined : byPath }, Buffer.from(source), setup);
  // The snippet is the whole project.
  return applyProjectConditions(result.findings.filter((f) => f.ruleId === rule.meta.id), aggregateMeasurements([rule], [result]));
}

/**
 * Rules about the repository as a whole (`languages: ['repo']`) are checked on small projects:
 * each folder under `fixtures/` is one, and its `EXPECTED` file lists what must happen there:
 *   expect: <id> <path>   a finding of the rule at that path (`.` for the project root)
 *   ok: <id>              no finding of the rule in this project
 * The project is copied to a temporary folder first, outside any repository. A `git-commits/`
 * folder in it becomes a git history: each subfolder (in name order) is one commit's tree, and
 * the audit reads that history (`--history`).
 */
export interface ProjectFixtureOutcome {
  project: string;
  expects: number;
  oks: number;
  missing: string[];
  noisy: string[];
}

const PROJECT_EXPECTATION = /^\s*(expect|ok):\s*([\w/-]+)(?:\s+(\S+))?\s*$/;

export function listProjectFixtures(rule: CompiledRule): string[] {
  const dir = join(rule.dir, 'fixtures');
  try {
    return readdirSync(dir)
      .sort()
      .filter((name) => !name.startsWith('_')) // `_advisories/`, `_registry/`: data the projects share
      .map((name) => join(dir, name))
      .filter((path) => statSync(path).isDirectory());
  } catch {
    // No fixtures folder: the rules test reports the missing projects by name.
    return [];
  }
}

export async function checkProjectFixture(rule: CompiledRule, projectDir: string): Promise<ProjectFixtureOutcome> {
  const { runAudit } = await import('./audit.js');
  const project = relative(join(rule.dir, 'fixtures'), projectDir).split(sep).join('/');
  const text = await readFile(join(projectDir, 'EXPECTED'), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return { project, expects: 0, oks: 0, missing: [`${project}: no EXPECTED file`], noisy: [] };
  const lines = splitLines(text);
  const expected = lines.map((line) => PROJECT_EXPECTATION.exec(line)).filter((m): m is RegExpExecArray => m !== null && m[2] === rule.meta.id);
  // Never the network: advisories come from `fixtures/_advisories/` (OSV records) and latest
  // versions from `fixtures/_registry/` (recorded npm/PyPI answers) when the rule has them.
  const shared = (name: string) => (existsSync(join(rule.dir, 'fixtures', name)) ? join(rule.dir, 'fixtures', name) : undefined);
  const advisories = shared('_advisories');
  const registryAnswersDir = shared('_registry');
  const workDir = mkdtempSync(join(tmpdir(), 'probity-fixture-'));
  let result;
  try {
    const hasHistory = materialiseProject(projectDir, workDir);
    result = await runAudit({
      root: workDir,
      config: {},
      jobs: 1,
      cache: false,
      only: [rule.meta.id],
      catalog: { rules: [rule], byId: new Map([[rule.meta.id, rule]]) },
      offline: true,
      ...(advisories ? { advisories } : {}),
      dependencyData: { cacheDir: false, ...(registryAnswersDir ? { registryAnswersDir } : {}) },
      ...(hasHistory ? { history: 50 } : {}),
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  const found = result.findings.filter((f) => f.ruleId === rule.meta.id).map((f) => f.file);
  const wanted = expected.filter((m) => m[1] === 'expect').map((m) => m[3] ?? '.');
  return {
    project,
    expects: wanted.length,
    oks: expected.filter((m) => m[1] === 'ok').length,
    missing: wanted.filter((path) => !found.includes(path)).map((path) => `${project}: expected ${rule.meta.id} at ${path}`),
    noisy: found.filter((path) => !wanted.includes(path)).map((path) => `${project}: unexpected ${rule.meta.id} at ${path}`),
  };
}

const FIXTURE_GIT = ['-c', 'user.name=Probity Fixture', '-c', 'user.email=fixture@probity.invalid', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];

/**
 * Copies a fixture project to `workDir`; replays `git-commits/<n>/` as successive commits
 * (each folder is the whole tree of that commit), then lays the other files on top,
 * untracked. Returns whether there was a history.
 */
function materialiseProject(projectDir: string, workDir: string): boolean {
  const commitsDir = join(projectDir, 'git-commits');
  let commits: string[] = [];
  try {
    commits = readdirSync(commitsDir).sort();
  } catch {
    // no history: a plain folder
  }
  const git = (...args: string[]) => execFileSync('git', [...FIXTURE_GIT, '-C', workDir, ...args], { stdio: 'ignore' });
  if (commits.length) {
    git('init', '-q');
    for (const [index, commit] of commits.entries()) {
      if (index > 0) git('rm', '-r', '-q', '--cached', '--ignore-unmatch', '.');
      for (const entry of readdirSync(workDir)) if (entry !== '.git') rmSync(join(workDir, entry), { recursive: true, force: true });
      cpSync(join(commitsDir, commit), workDir, { recursive: true });
      git('add', '-A', '-f');
      git('commit', '-q', '--allow-empty', '-m', commit, '--date', `2026-01-${String(index + 1).padStart(2, '0')}T12:00:00Z`);
    }
  }
  for (const entry of readdirSync(projectDir)) {
    if (entry === 'git-commits' || entry === 'EXPECTED') continue;
    cpSync(join(projectDir, entry), join(workDir, entry), { recursive: true });
  }
  return commits.length > 0;
}
