// Finds and validates the configuration of an audited tree. Errors name the file, the key and
// what is allowed there; they never fall back silently to defaults.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';

/** A parsed TOML document; Probity reads only a few known tables from it. */
interface TomlTable {
  tool?: { probity?: unknown };
  [key: string]: unknown;
}
import type { z } from 'zod';
import { configSchema, type ProbityConfig } from './schema.js';

export class ConfigError extends Error {}

export interface LoadedConfig {
  config: ProbityConfig;
  /** Where it came from, for messages; undefined when no config file exists. */
  source?: string;
}

export const CONFIG_FILE_NAMES = ['probity.config.json', '.probityrc.json'];

type SchemaDef = z.core.$ZodTypeDef;

/** Peels optional/default wrappers off a zod schema definition. */
function unwrap(schema: z.core.$ZodType | undefined): SchemaDef | undefined {
  let def = schema?._zod.def;
  while (def && (def.type === 'optional' || def.type === 'default')) def = (def as z.core.$ZodOptionalDef).innerType._zod.def;
  return def;
}

/** In a union (a rule setting is "off" | severity | object), the member that has keys. */
function keyedMember(def: SchemaDef | undefined): SchemaDef | undefined {
  if (def?.type !== 'union') return def;
  return (def as z.core.$ZodUnionDef).options.map((option) => unwrap(option)).find((d) => d?.type === 'object' || d?.type === 'record');
}

/** The keys a config object accepts at `path`, for "allowed: ..." in error messages. */
function allowedKeysAt(path: PropertyKey[]): string[] {
  let def = unwrap(configSchema);
  for (const segment of path) {
    def = keyedMember(def);
    if (def?.type === 'object') def = unwrap((def as z.core.$ZodObjectDef).shape[segment as string]);
    else if (def?.type === 'record') def = unwrap((def as z.core.$ZodRecordDef).valueType);
    else return [];
  }
  def = keyedMember(def);
  return def?.type === 'object' ? Object.keys((def as z.core.$ZodObjectDef).shape) : [];
}

export function validateConfig(raw: unknown, source: string): ProbityConfig {
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    if (issue.code === 'unrecognized_keys') {
      const keys = (issue as { keys: string[] }).keys;
      return `unknown key ${keys.map((k) => `"${k}"`).join(', ')} at ${where}; allowed: ${allowedKeysAt(issue.path).join(', ')}`;
    }
    return `${where}: ${issue.message}`;
  });
  throw new ConfigError(`invalid configuration in ${source}:\n  ${messages.join('\n  ')}`);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read configuration ${file}: ${(error as Error).message}`);
  }
}

/** Looks in the audited root: probity.config.json, .probityrc.json, package.json#probity, pyproject [tool.probity]. */
export function findConfig(root: string): LoadedConfig {
  const dir = existsSync(root) && statSync(root).isFile() ? dirname(root) : root;
  for (const name of CONFIG_FILE_NAMES) {
    const file = join(dir, name);
    if (existsSync(file)) return { config: validateConfig(readJson(file), file), source: file };
  }
  const pkg = join(dir, 'package.json');
  if (existsSync(pkg)) {
    try {
      const json = JSON.parse(readFileSync(pkg, 'utf8')) as { probity?: unknown };
      if (json.probity !== undefined) return { config: validateConfig(json.probity, `${pkg} ("probity" key)`), source: pkg };
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      // A broken package.json is the project's problem, not a Probity configuration.
    }
  }
  const pyproject = join(dir, 'pyproject.toml');
  if (existsSync(pyproject)) {
    const section = readTomlTable(pyproject)?.tool?.probity;
    if (section !== undefined) return { config: validateConfig(section, `${pyproject} ([tool.probity])`), source: pyproject };
  }
  return { config: {} };
}

/** A pyproject.toml that does not parse holds no configuration we could honour; the audit reports the file itself. */
function readTomlTable(file: string): TomlTable | undefined {
  const text = readFileSync(file, 'utf8');
  try {
    return parseToml(text) as TomlTable;
  } catch (error) {
    if (error instanceof TomlError) return undefined;
    throw error;
  }
}

export function loadConfigFile(file: string): LoadedConfig {
  const path = resolve(file);
  if (!existsSync(path)) throw new ConfigError(`configuration file does not exist: ${file}`);
  if (path.endsWith('.toml')) {
    let toml: TomlTable;
    try {
      toml = parseToml(readFileSync(path, 'utf8')) as TomlTable;
    } catch (error) {
      throw new ConfigError(`cannot parse ${file}: ${(error as Error).message}`);
    }
    return { config: validateConfig(toml.tool?.probity ?? toml, path), source: path };
  }
  return { config: validateConfig(readJson(path), path), source: path };
}
