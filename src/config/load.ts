// Finds and validates the configuration of an audited tree. Errors name the file, the key and
// what is allowed there; they never fall back silently to defaults.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { z } from 'zod';
import { configSchema, type ProbityConfig } from './schema.js';

export class ConfigError extends Error {}

export interface LoadedConfig {
  config: ProbityConfig;
  /** Where it came from, for messages; undefined when no config file exists. */
  source?: string;
}

export const CONFIG_FILE_NAMES = ['probity.config.json', '.probityrc.json'];

/** Peels optional/default wrappers off a zod schema definition. */
function unwrap(schema: z.ZodType | undefined): any {
  let def = (schema as any)?._zod?.def;
  while (def && (def.type === 'optional' || def.type === 'default')) def = def.innerType._zod.def;
  return def;
}

/** The keys a config object accepts at `path`, for "allowed: ..." in error messages. */
function allowedKeysAt(path: PropertyKey[]): string[] {
  let def = unwrap(configSchema);
  for (const segment of path) {
    if (def?.type === 'union') def = def.options.map((o: z.ZodType) => unwrap(o)).find((d: any) => d.type === 'object' || d.type === 'record');
    if (def?.type === 'object') def = unwrap(def.shape[segment as string]);
    else if (def?.type === 'record') def = unwrap(def.valueType);
    else if (def?.type === 'array') def = unwrap(def.element);
    else return [];
  }
  if (def?.type === 'union') def = def.options.map((o: z.ZodType) => unwrap(o)).find((d: any) => d.type === 'object');
  return def?.type === 'object' ? Object.keys(def.shape) : [];
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
    let toml: Record<string, any> | undefined;
    try {
      toml = parseToml(readFileSync(pyproject, 'utf8')) as Record<string, any>;
    } catch {
      toml = undefined;
    }
    const section = toml?.tool?.probity;
    if (section !== undefined) return { config: validateConfig(section, `${pyproject} ([tool.probity])`), source: pyproject };
  }
  return { config: {} };
}

export function loadConfigFile(file: string): LoadedConfig {
  const path = resolve(file);
  if (!existsSync(path)) throw new ConfigError(`configuration file does not exist: ${file}`);
  if (path.endsWith('.toml')) {
    let toml: Record<string, any>;
    try {
      toml = parseToml(readFileSync(path, 'utf8')) as Record<string, any>;
    } catch (error) {
      throw new ConfigError(`cannot parse ${file}: ${(error as Error).message}`);
    }
    return { config: validateConfig(toml.tool?.probity ?? toml, path), source: path };
  }
  return { config: validateConfig(readJson(path), path), source: path };
}
