// Loads every rule folder under src/rules/<area>/<name>/ (rule.yml or rule.ts), validates the
// metadata and returns one catalog. A broken rule is an error naming its file and the problem.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  ruleMetaSchema,
  type CompiledRule,
  type DeclarativeMatch,
  type ParsedFamily,
  type ProgrammaticRuleDefinition,
} from '../core/rule.js';

export class RuleLoadError extends Error {
  constructor(readonly problems: { file: string; problem: string }[]) {
    super(
      `invalid rule definitions:\n${problems.map((p) => `  ${p.file}: ${p.problem}`).join('\n')}`,
    );
  }
}

export interface Catalog {
  rules: CompiledRule[];
  byId: Map<string, CompiledRule>;
}

export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../rules/', import.meta.url));

const matchSchema = z.strictObject({
  rule: z.record(z.string(), z.unknown()),
  constraints: z.record(z.string(), z.unknown()).optional(),
  utils: z.record(z.string(), z.unknown()).optional(),
  transform: z.record(z.string(), z.unknown()).optional(),
});

const declarativeSchema = ruleMetaSchema.extend({
  /** Finding message; `$NAME` is replaced by the text of that metavariable. */
  message: z.string().min(5),
  /** A regular expression the file text must match for the rule to run (a cheap pre-filter). */
  filter: z.string().optional(),
  match: z.strictObject({ py: matchSchema.optional(), ts: matchSchema.optional() }),
});

function formatZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

function listRuleFolders(rulesDir: string): string[] {
  const folders: string[] = [];
  for (const area of readdirSync(rulesDir).sort()) {
    const areaDir = join(rulesDir, area);
    if (area.startsWith('_') || !statSync(areaDir).isDirectory()) continue;
    for (const name of readdirSync(areaDir).sort()) {
      const dir = join(areaDir, name);
      if (!name.startsWith('_') && statSync(dir).isDirectory()) folders.push(dir);
    }
  }
  return folders;
}

function ruleSourceIn(dir: string): string | undefined {
  for (const file of ['rule.yml', 'rule.ts', 'rule.js']) {
    if (existsSync(join(dir, file))) return join(dir, file);
  }
  return undefined;
}

function checkIdMatchesFolder(id: string, area: string, dir: string): string | undefined {
  const parts = dir.split(/[\\/]/).filter(Boolean);
  const expected = `${parts[parts.length - 2]}/${parts[parts.length - 1]}`;
  if (id !== expected) return `id "${id}" must match its folder "${expected}"`;
  if (!id.startsWith(`${area}/`)) return `area "${area}" must be the id's prefix`;
  return undefined;
}

async function loadRule(dir: string, source: string): Promise<CompiledRule> {
  if (source.endsWith('.yml')) {
    let raw: unknown;
    try {
      raw = parseYaml(await readFile(source, 'utf8'));
    } catch (error) {
      throw new Error(`YAML syntax error: ${(error as Error).message}`);
    }
    const parsed = declarativeSchema.safeParse(raw);
    if (!parsed.success) throw new Error(formatZodError(parsed.error));
    const { message, match, filter, ...meta } = parsed.data;
    let fileFilter: RegExp | undefined;
    try {
      fileFilter = filter === undefined ? undefined : new RegExp(filter);
    } catch (error) {
      throw new Error(`filter: ${(error as Error).message}`);
    }
    const families = Object.keys(match) as ParsedFamily[];
    if (families.length === 0) throw new Error('match: needs a "py" or "ts" section');
    for (const family of families) {
      if (!meta.languages.includes(family)) throw new Error(`match.${family}: "${family}" is not in languages`);
    }
    for (const language of meta.languages) {
      if (language !== 'any' && !(language in match)) throw new Error(`languages: "${language}" has no match section`);
    }
    return { meta, dir, source, kind: 'declarative', visitors: {}, matches: match as DeclarativeMatch, message, fileFilter };
  }
  const module = (await import(pathToFileURL(source).href)) as { default?: ProgrammaticRuleDefinition };
  const definition = module.default;
  if (!definition || typeof definition !== 'object' || !('meta' in definition)) {
    throw new Error('must `export default defineRule({ meta, visitors | onFile })`');
  }
  const parsed = ruleMetaSchema.safeParse(definition.meta);
  if (!parsed.success) throw new Error(formatZodError(parsed.error));
  const meta = parsed.data;
  const visitors = definition.visitors ?? {};
  for (const family of Object.keys(visitors)) {
    if (!meta.languages.includes(family as ParsedFamily)) throw new Error(`visitors.${family}: "${family}" is not in languages`);
  }
  if (!definition.onFile && !definition.onProject && Object.keys(visitors).length === 0) throw new Error('needs visitors, onFile or onProject');
  if (definition.onProject && !meta.languages.includes('repo')) throw new Error('onProject: "repo" is not in languages');
  if (definition.fileFilter !== undefined && !(definition.fileFilter instanceof RegExp)) throw new Error('fileFilter must be a RegExp');
  if (definition.needs?.length && !definition.onProject) throw new Error('needs: only onProject rules receive dependency data');
  return { meta, dir, source, kind: 'programmatic', visitors, matches: {}, onFile: definition.onFile, onProject: definition.onProject, ...(definition.needs?.length ? { needs: definition.needs } : {}), fileFilter: definition.fileFilter };
}

export async function loadCatalog(rulesDirs: string[] = [BUILTIN_RULES_DIR]): Promise<Catalog> {
  const problems: { file: string; problem: string }[] = [];
  const rules: CompiledRule[] = [];
  for (const rulesDir of rulesDirs) {
    for (const dir of listRuleFolders(rulesDir)) {
      const source = ruleSourceIn(dir);
      if (!source) {
        problems.push({ file: dir, problem: 'rule folder without rule.yml or rule.ts' });
        continue;
      }
      try {
        const rule = await loadRule(dir, source);
        const mismatch = checkIdMatchesFolder(rule.meta.id, rule.meta.area, dir);
        if (mismatch) throw new Error(mismatch);
        rules.push(rule);
      } catch (error) {
        problems.push({ file: source, problem: (error as Error).message });
      }
    }
  }
  const byId = new Map<string, CompiledRule>();
  const metricOwners = new Map<string, string>();
  for (const rule of rules) {
    if (byId.has(rule.meta.id)) problems.push({ file: rule.source, problem: `duplicate id ${rule.meta.id}` });
    byId.set(rule.meta.id, rule);
    for (const metric of rule.meta.metrics ?? []) {
      const owner = metricOwners.get(metric.id);
      if (owner) problems.push({ file: rule.source, problem: `metric id ${metric.id} is already declared by ${owner}` });
      metricOwners.set(metric.id, rule.meta.id);
    }
  }
  if (problems.length) throw new RuleLoadError(problems);
  return { rules, byId };
}
