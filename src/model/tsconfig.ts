// The module resolution settings of a tsconfig.json/jsconfig.json: `compilerOptions.baseUrl` and
// `paths`, read tolerantly (comments and trailing commas are allowed there).
import { posix } from 'node:path';

export interface PathAliases {
  /** Folder of the config file, relative to the audited root ('' for the root). */
  folder: string;
  /** Folder non-relative specifiers resolve against, or undefined without `baseUrl`. */
  baseUrl?: string;
  /** `paths` patterns (one `*` at most) with their target patterns, relative to the root. */
  paths: { prefix: string; suffix: string; wildcard: boolean; targets: string[] }[];
}

/** JSON with comments and trailing commas, as TypeScript reads its config files. */
export function parseJsonWithComments(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += char;
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

/** Aliases declared by one config file, or an error message when it cannot be read as JSON. */
export function readPathAliases(configPath: string, text: string): PathAliases | string {
  let parsed: unknown;
  try {
    parsed = parseJsonWithComments(text);
  } catch (error) {
    return `not valid JSON: ${(error as Error).message}`;
  }
  const folder = posix.dirname(configPath) === '.' ? '' : posix.dirname(configPath);
  const options = (parsed as { compilerOptions?: { baseUrl?: unknown; paths?: unknown } } | null)?.compilerOptions;
  const aliases: PathAliases = { folder, paths: [] };
  if (!options || typeof options !== 'object') return aliases;
  if (typeof options.baseUrl === 'string') aliases.baseUrl = posix.normalize(posix.join(folder, options.baseUrl)).replace(/^\.$/, '');
  const base = aliases.baseUrl ?? folder;
  if (options.paths && typeof options.paths === 'object') {
    for (const [pattern, targets] of Object.entries(options.paths as Record<string, unknown>)) {
      if (!Array.isArray(targets)) continue;
      const star = pattern.indexOf('*');
      aliases.paths.push({
        prefix: star < 0 ? pattern : pattern.slice(0, star),
        suffix: star < 0 ? '' : pattern.slice(star + 1),
        wildcard: star >= 0,
        targets: targets.filter((t): t is string => typeof t === 'string').map((t) => posix.join(base, t)),
      });
    }
  }
  return aliases;
}

/** Candidate paths (without extension handling) an aliased specifier stands for, most specific pattern first. */
export function aliasCandidates(aliases: PathAliases, specifier: string): string[] {
  const out: string[] = [];
  const matching = aliases.paths
    .filter((p) => (p.wildcard ? specifier.startsWith(p.prefix) && specifier.endsWith(p.suffix) && specifier.length >= p.prefix.length + p.suffix.length : specifier === p.prefix))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  for (const pattern of matching) {
    const captured = pattern.wildcard ? specifier.slice(pattern.prefix.length, specifier.length - pattern.suffix.length) : '';
    for (const target of pattern.targets) out.push(posix.normalize(target.replace('*', captured)));
  }
  if (aliases.baseUrl !== undefined) out.push(posix.normalize(posix.join(aliases.baseUrl, specifier)));
  return out;
}
