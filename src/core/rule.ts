// What a rule is: validated metadata plus either an ast-grep match (declarative) or visitors
// (programmatic). Both kinds meet the engine through `CompiledRule`.
import type { NapiConfig, SgNode } from '@ast-grep/napi';
import type { ImportGraph } from '../model/imports.js';
import type { DependencyFacts, DependencyNeed } from '../deps/facts.js';
import { z } from 'zod';
import type { GitHistory } from '../discover/git-facts.js';
import {
  AREAS,
  CONFIDENCES,
  EFFORTS,
  FINDING_TYPES,
  RULE_LANGUAGES,
  SEVERITIES,
  type FileLanguage,
  type ProjectCondition,
  type RuleLanguage,
  type Severity,
} from './types.js';

const oneLine = z
  .string()
  .min(10)
  .max(200)
  .refine((s) => !s.includes('\n'), 'must be one line (it feeds tables)');

const ruleOption = z.strictObject({
  default: z.union([z.number(), z.string(), z.boolean()]),
  description: z.string().min(10),
});

/** A quantity a rule measures besides its findings (type-hint coverage, `any` count…). */
const ruleMetric = z.strictObject({
  /** Unique across the catalog; what `context.measure` names. */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case'),
  label: z.string().min(5).max(60),
  /** coverage: share of items that meet the bar (a percentage); count: occurrences. */
  kind: z.enum(['coverage', 'count']),
  /** The value to reach: at least this percentage (coverage) or at most this count. */
  target: z.number().min(0).optional(),
  /** Why it is worth tracking (one line). */
  note: oneLine,
});
export type RuleMetric = z.infer<typeof ruleMetric>;

const example = z.strictObject({
  language: z.enum(['py', 'ts', 'sql', 'compose', 'docker', 'env', 'text']),
  /** Code the rule flags. */
  bad: z.string().min(1),
  /** The corrected code: the rule stays silent on it. */
  good: z.string().min(1),
});

export const ruleMetaSchema = z.strictObject({
  id: z.string().regex(/^[a-z-]+\/[a-z0-9]+(-[a-z0-9]+)*$/, 'must be area/kebab-name'),
  title: z.string().min(5).max(80),
  area: z.enum(AREAS),
  severity: z.enum(SEVERITIES),
  type: z.enum(FINDING_TYPES),
  effort: z.enum(EFFORTS),
  confidence: z.enum(CONFIDENCES),
  languages: z.array(z.enum(RULE_LANGUAGES)).min(1),
  status: z.enum(['stable', 'preview']).default('stable'),
  since: z.string().regex(/^\d+\.\d+\.\d+$/),
  description: oneLine,
  why: z.string().min(20),
  recommendation: z.string().min(20),
  examples: z.array(example).min(1),
  references: z.array(z.string().min(3)).default([]),
  cwe: z.array(z.string().regex(/^CWE-\d+$/)).optional(),
  /** Bandit test ids whose `# nosec <id>` also silences this rule. */
  nosec: z.array(z.string().regex(/^B\d{3}$/)).optional(),
  /** Where the rule runs: tests are judged by test rules only; CLI scripts may print. */
  appliesTo: z
    .strictObject({ tests: z.boolean().default(false), scripts: z.boolean().default(true) })
    .default({ tests: false, scripts: true }),
  options: z.record(z.string(), ruleOption).optional(),
  metrics: z.array(ruleMetric).optional(),
});

export type RuleMeta = z.infer<typeof ruleMetaSchema>;
export type RuleMetaInput = z.input<typeof ruleMetaSchema>;

/** Parsed-language families a visitor or match targets. */
export type ParsedFamily = 'py' | 'ts';

export interface RuleFile {
  /** POSIX path relative to the audited root. */
  path: string;
  language: FileLanguage;
  family: ParsedFamily | 'text';
  isTest: boolean;
  isScript: boolean;
  /** Code lines (blank and comment lines excluded), as the inventory counts them. */
  codeLines: number;
  /**
   * Compose files: the variables of the `.env` next to the file, which compose itself uses to
   * resolve `${VAR}` (the engine keys the file's cached result on that `.env` too).
   */
  composeVariables?: ComposeVariables;
}

/** Variables of a compose project's `.env`, with where each is set. */
export interface ComposeVariables {
  /** POSIX path of the `.env` file relative to the audited root. */
  file: string;
  values: ReadonlyMap<string, string>;
  /** 1-based line of each variable in the file. */
  lines: ReadonlyMap<string, number>;
}

export interface ReportRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ReportDescriptor {
  /** The node to blame; its range becomes the finding's range unless `range` is given. */
  node?: SgNode;
  range?: ReportRange;
  message: string;
  /** Context can raise or lower the default severity (RULES.md). */
  severity?: Severity;
  /** Literal secret values to mask wherever the finding is shown. */
  secrets?: string[];
  /**
   * Keep the finding only when the project-wide value of one of the rule's metrics reaches a
   * level (a file without type hints matters in a typed codebase, not in one that uses none).
   */
  onlyIfProject?: ProjectCondition;
}

export interface RuleContext {
  file: RuleFile;
  source: string;
  /** The file's lines, without line terminators. */
  lines: readonly string[];
  options: Readonly<Record<string, unknown>>;
  /** The parsed tree (Python, TypeScript, JavaScript); undefined for other text files. */
  root?: SgNode;
  report(descriptor: ReportDescriptor): void;
  /**
   * Adds to one of the rule's declared metrics for this file: for a coverage metric `count` of
   * `total` items meet the bar; for a count metric `total` is left out. Summed over files.
   */
  measure(metricId: string, count: number, total?: number): void;
}

/** A file of the audited tree, as project-level rules see it. */
export interface ProjectFile {
  /** POSIX path relative to the audited root. */
  path: string;
  /** Undefined for a file whose kind the path does not tell (decided from its content when audited). */
  language?: FileLanguage;
}

/** What a project-level rule reports: a file (and line) to point at, or the project as a whole. */
export interface ProjectReport {
  /** Relative path; the project root (`.`) when the finding is about something missing. */
  path?: string;
  line?: number;
  message: string;
  severity?: Severity;
  column?: number;
  /** The code to show, when the file is not in the tree any more (a line from git history). */
  snippet?: string;
  /** Literal secret values to mask in the message and snippet. */
  secrets?: string[];
}

/** What git knows about the audited tree (absent outside a work tree or without git). */
export interface ProjectGitFacts {
  /** Paths git tracks under the audited root (ignored files included, if they were added). */
  trackedFiles(): readonly string[] | undefined;
  /** Lines added by recent commits, when the audit was asked to read history (`--history`). */
  history?: GitHistory;
}

/**
 * What a rule about the repository as a whole sees (`languages: ['repo']`): the audited files
 * (default excludes left out), whether any path exists (lock files are excluded from the audit
 * but count here), the text of a file, and the detected stack.
 */
export interface ProjectContext {
  files: readonly ProjectFile[];
  /** Detected stack entries with their evidence (the manifests and first files that import them). */
  stack: readonly { name: string; category: string; evidence?: readonly string[] }[];
  options: Readonly<Record<string, unknown>>;
  exists(path: string): boolean;
  /** Text of a file in the tree (at most 1 MiB), or undefined when absent or unreadable. */
  read(path: string): string | undefined;
  git?: ProjectGitFacts;
  /**
   * Parsed manifests, lock files, advisories and latest versions, gathered before the rules run
   * for rules that declare `needs`. A part that could not be had (offline, no network) is absent.
   */
  dependencies?: DependencyFacts;
  /**
   * Names in a folder of the tree (`''` for the root), including files the audit does not read
   * (Markdown docs); empty when absent or unreadable.
   */
  list(folder: string): string[];
  /**
   * The module dependency graph: each source file's imports resolved to files of the tree, with
   * their lines and whether they run at import time. Built on first use, once per audit.
   */
  readonly imports: ImportGraph;
  report(report: ProjectReport): void;
  /**
   * Adds to one of the rule's declared metrics, attributed to a file (a manifest), exactly as
   * `RuleContext.measure` does for file rules; summed into the audit's measurements.
   */
  measure(metricId: string, count: number, total: number | undefined, path: string): void;
  /** A file the rule could not make sense of (a malformed manifest): a diagnostic naming it and why. */
  diagnose(path: string, reason: string): void;
}

export type NodeVisitor = (node: SgNode, context: RuleContext) => void;
export type Visitors = Record<string, NodeVisitor>;

export interface ProgrammaticRuleDefinition {
  meta: RuleMetaInput;
  /** Node-kind handlers per language family: the engine only calls them for those kinds. */
  visitors?: Partial<Record<ParsedFamily, Visitors>>;
  /** Whole-file hook for line-based rules; runs on every file in the rule's languages. */
  onFile?: (context: RuleContext) => void;
  /** Runs once per audit for rules about the repository as a whole (`languages: ['repo']`). */
  onProject?: (context: ProjectContext) => void;
  /**
   * Dependency data an `onProject` rule uses (`context.dependencies`): the audit gathers it first
   * (advisories and latest versions over the network) and lists the rule as skipped without it.
   */
  needs?: DependencyNeed[];
  /**
   * Text a file must contain for the rule to have anything to find (Semgrep's "required
   * strings"): files without a match skip the rule entirely, which keeps it cheap.
   */
  fileFilter?: RegExp;
}

export function defineRule(definition: ProgrammaticRuleDefinition): ProgrammaticRuleDefinition {
  return definition;
}

/** The declarative part of a `rule.yml`: ast-grep's own rule core, one per language family. */
export type DeclarativeMatch = Partial<Record<ParsedFamily, NapiConfig>>;

/** A rule after loading and validation, whichever way it was written. */
export interface CompiledRule {
  meta: RuleMeta;
  /** Absolute path of the rule's folder. */
  dir: string;
  /** `rule.yml` or `rule.ts`/`rule.js`. */
  source: string;
  kind: 'declarative' | 'programmatic';
  visitors: Partial<Record<ParsedFamily, Visitors>>;
  /** Declarative matches; the engine dispatches them by the node kinds they can match. */
  matches: DeclarativeMatch;
  message?: string;
  onFile?: (context: RuleContext) => void;
  onProject?: (context: ProjectContext) => void;
  needs?: DependencyNeed[];
  fileFilter?: RegExp;
}

export function appliesToLanguage(meta: RuleMeta, family: ParsedFamily | 'text'): boolean {
  if (meta.languages.includes('any')) return true;
  return family !== 'text' && meta.languages.includes(family as RuleLanguage);
}
