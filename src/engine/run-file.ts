// Audits one file: read and decode it once, parse it once, run every applicable rule on the
// same tree through the kind-dispatch table, then suppress, fingerprint and mask.
import { readFileSync } from 'node:fs';
import type { SgNode } from '@ast-grep/napi';
import type { CompiledRule, ComposeVariables, ParsedFamily, RuleContext, RuleFile } from '../core/rule.js';
import type { Diagnostic, FileLanguage, Finding, RuleLanguage, Severity, SourceLanguage, SuppressedFinding } from '../core/types.js';
import { familyOf, isScriptPath, isTestPath, textKindOf, textRuleLanguageOf } from '../discover/language.js';
import { countCodeLines } from '../discover/lines.js';
import type { DiscoveredFile } from '../discover/walk.js';
import { parseSource } from '../parse/parse.js';
import { readComposeDotenv } from '../parse/dotenv.js';
import { buildDispatchTable, runUnkeyed, type DispatchTable } from './dispatch.js';
import { decodeSource, type SkipReason } from './decode.js';
import { toFindings, type RuleReport } from './findings.js';
import { applyInlineSuppressions } from './suppress.js';
import { collectImportStatements, importedModules, type ImportStatement } from './imports.js';
import { hashContent, type CachedFile } from './cache.js';

export interface RuleSettings {
  severity?: Severity;
  options?: Record<string, unknown>;
}

/** Everything a thread needs to audit files; built once per thread. */
export interface FileAuditSetup {
  rules: CompiledRule[];
  settings: Record<string, RuleSettings>;
  /** Dispatch tables by language and applicable rule set. */
  tables: Map<string, DispatchTable>;
  /** When set, milliseconds spent per rule are added here (`--timing`). */
  timings?: Map<string, number>;
}

export interface FileResult {
  path: string;
  /** Undefined when the file was not audited (binary, undecodable, not a known type). */
  language?: FileLanguage;
  lines: number;
  codeLines: number;
  findings: Finding[];
  suppressed: SuppressedFinding[];
  diagnostics: Diagnostic[];
  /** Modules this file imports (Python dotted names, npm specifiers). */
  imports: string[];
  /** The same imports as statements (line, relative level, when they run), for the project model; absent when none. */
  importStatements?: ImportStatement[];
  /** Set when the file turned out not to be auditable text. */
  skipped?: SkipReason;
  /** Rule metrics measured in this file, by metric id. */
  measurements?: Record<string, FileMeasurement>;
  /** Hash of the content this result was computed from (for the result cache). */
  contentHash?: string;
}

export interface FileMeasurement {
  count: number;
  total?: number;
}

export function createFileAuditSetup(rules: CompiledRule[], settings: Record<string, RuleSettings>, timing = false): FileAuditSetup {
  return { rules, settings, tables: new Map(), timings: timing ? new Map() : undefined };
}

/**
 * The dispatch table for the rules that apply to one file. Files differ in which rules apply
 * (tests, scripts, file filters), and a table built only for those keeps the traversal from
 * materialising nodes no rule will look at. Tables are cached per language and rule set.
 */
function tableFor(setup: FileAuditSetup, language: SourceLanguage, applies: (rule: CompiledRule) => boolean): DispatchTable {
  const family = familyOf(language) as ParsedFamily;
  const rules = setup.rules.filter((rule) => (rule.matches[family] || rule.visitors[family]) && applies(rule));
  const key = `${language}:${rules.map((rule) => rule.meta.id).join(',')}`;
  let table = setup.tables.get(key);
  if (!table) {
    table = buildDispatchTable(rules, language);
    setup.tables.set(key, table);
  }
  return table;
}

/** Whether a rule's `onFile` reads this file: its language family, or the rule language of a text file (`sql`, `compose`…). */
function readsWithOnFile(rule: CompiledRule, family: string, path: string): boolean {
  const { languages } = rule.meta;
  if (languages.includes('any') || languages.includes(family as ParsedFamily)) return true;
  const textLanguage = family === 'text' ? textRuleLanguageOf(path) : undefined;
  return textLanguage !== undefined && languages.includes(textLanguage as RuleLanguage);
}

function emptyResult(path: string): FileResult {
  return { path, lines: 0, codeLines: 0, findings: [], suppressed: [], diagnostics: [], imports: [] };
}

/** Audits a file from disk; a cached result is reused when the content hash still matches. */
export function auditFile(file: DiscoveredFile, setup: FileAuditSetup, cached?: CachedFile): FileResult {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file.absolutePath);
  } catch (error) {
    const result = emptyResult(file.path);
    result.diagnostics.push({ file: file.path, kind: 'unreadable', reason: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
    result.skipped = 'unreadable';
    return result;
  }
  // A compose file's findings depend on the `.env` next to it (compose resolves `${VAR}` from
  // it), so that file is part of what the cached result is keyed on.
  const dotenv = textRuleLanguageOf(file.path) === 'compose' ? readComposeDotenv(file.absolutePath, file.path) : undefined;
  const hash = dotenv ? hashContent(Buffer.concat([bytes, Buffer.from(`\u0000${dotenv.variables.file}\u0000`), dotenv.bytes])) : hashContent(bytes);
  if (cached && cached.hash === hash) return { ...cached.result, contentHash: hash };
  const result = auditContent(file, bytes, setup, dotenv?.variables);
  result.contentHash = hash;
  return result;
}

/** Audits content already in memory (also used for rule examples and fixtures). */
export function auditContent(file: Pick<DiscoveredFile, 'path' | 'language'>, bytes: Uint8Array, setup: FileAuditSetup, composeVariables?: ComposeVariables): FileResult {
  const result = emptyResult(file.path);
  const decoded = decodeSource(file.path, bytes, file.language);
  if (!decoded.ok) {
    result.skipped = decoded.skipped;
    if (decoded.diagnostic) result.diagnostics.push(decoded.diagnostic);
    return result;
  }
  const { source, lines, language } = decoded;
  const family = familyOf(language);
  result.language = language;
  result.lines = lines.length;
  result.codeLines = countCodeLines(lines, family, family === 'text' ? textKindOf(file.path) : undefined);

  const ruleFile: RuleFile = {
    path: file.path,
    language,
    family,
    isTest: isTestPath(file.path),
    isScript: family !== 'text' && isScriptPath(file.path, source),
    codeLines: result.codeLines,
    ...(composeVariables ? { composeVariables } : {}),
  };
  const reports: RuleReport[] = [];
  let root: SgNode | undefined;
  const contexts = new Map<CompiledRule, RuleContext>();
  const contextFor = (rule: CompiledRule): RuleContext => {
    let context = contexts.get(rule);
    if (!context) {
      const options: Record<string, unknown> = {};
      for (const [name, option] of Object.entries(rule.meta.options ?? {})) options[name] = option.default;
      Object.assign(options, setup.settings[rule.meta.id]?.options);
      context = {
        file: ruleFile,
        source,
        lines,
        options,
        root,
        report: (descriptor) => reports.push({ ...descriptor, rule }),
        measure: (metricId, count, total) => {
          const metric = rule.meta.metrics?.find((m) => m.id === metricId);
          if (!metric) throw new Error(`metric ${metricId} is not declared in the rule's metadata`);
          if (metric.kind === 'coverage' && total === undefined) throw new Error(`coverage metric ${metricId} needs a total`);
          const measurements = (result.measurements ??= {});
          const sum = (measurements[metricId] ??= metric.kind === 'coverage' ? { count: 0, total: 0 } : { count: 0 });
          sum.count += count;
          if (sum.total !== undefined) sum.total += total ?? 0;
        },
      };
      contexts.set(rule, context);
    }
    return context;
  };
  const applicable = new Map<CompiledRule, boolean>();
  const applies = (rule: CompiledRule) => {
    let verdict = applicable.get(rule);
    if (verdict === undefined) {
      verdict =
        (rule.meta.appliesTo.tests || !ruleFile.isTest) &&
        (rule.meta.appliesTo.scripts || !ruleFile.isScript) &&
        (!rule.fileFilter || rule.fileFilter.test(source));
      applicable.set(rule, verdict);
    }
    return verdict;
  };
  const { timings } = setup;
  const guard = (rule: CompiledRule, run: () => void) => {
    const started = timings ? performance.now() : 0;
    try {
      run();
    } catch (error) {
      // One report per rule and file: the rule sits out the rest of this file.
      applicable.set(rule, false);
      result.diagnostics.push({ file: file.path, kind: 'rule-error', reason: `rule ${rule.meta.id} failed: ${(error as Error).message}` });
    } finally {
      if (timings) timings.set(rule.meta.id, (timings.get(rule.meta.id) ?? 0) + performance.now() - started);
    }
  };

  if (family !== 'text') {
    const parseStarted = timings ? performance.now() : 0;
    root = parseSource(language as SourceLanguage, source).root();
    if (timings) timings.set('(parse)', (timings.get('(parse)') ?? 0) + performance.now() - parseStarted);
    const statements = collectImportStatements(root, family, language === 'typescript' || language === 'tsx');
    result.imports = importedModules(statements, family);
    if (statements.length) result.importStatements = statements;
    const table = tableFor(setup, language as SourceLanguage, applies);
    let errorLine: number | undefined;
    const traversalStarted = timings ? performance.now() : 0;
    const candidates = root.findAll(table.candidateQuery);
    if (timings) timings.set('(traversal)', (timings.get('(traversal)') ?? 0) + performance.now() - traversalStarted);
    for (const node of candidates) {
      const handlers = table.byKind.get(String(node.kind()));
      if (!handlers) {
        // Not a rule's kind, so the query matched it as ERROR or as an empty (MISSING) token;
        // only the root of an empty file is empty without being an error.
        if (errorLine === undefined && node.parent() !== null) errorLine = node.range().start.line + 1;
        continue;
      }
      for (const handler of handlers) {
        if (applies(handler.rule)) guard(handler.rule, () => handler.run(node, contextFor(handler.rule)));
      }
    }
    if (errorLine !== undefined) {
      result.diagnostics.push({ file: file.path, kind: 'parse-error', line: errorLine, reason: `syntax error near line ${errorLine}; findings in this file may be incomplete` });
    }
    runUnkeyed({ ...table, unkeyed: table.unkeyed.filter(({ rule }) => applies(rule)) }, root!, contextFor);
  }
  for (const rule of setup.rules) {
    if (rule.onFile && applies(rule) && readsWithOnFile(rule, family, file.path)) {
      guard(rule, () => rule.onFile!(contextFor(rule)));
    }
  }

  const findings = toFindings(reports, file.path, lines, setup.settings);
  const { kept, suppressed, diagnostics } = applyInlineSuppressions(findings, lines, setup.rules);
  result.findings = kept;
  result.suppressed = suppressed;
  result.diagnostics.push(...diagnostics.map((d) => ({ ...d, file: file.path })));
  return result;
}
