// One PEP 508 requirement string (`name[extra] (>=1,<2) ; python_version < "3.11"` or
// `name @ https://…`), as requirements files, PEP 621 arrays and setup.cfg write them.
import { normalisePypiName } from './pypi-name.js';
import type { DependencySource } from './types.js';

export interface Requirement {
  name: string;
  extras: string[];
  /** The specifier without spaces or parentheses (`>=1,<2`); `''` when there is none. */
  spec: string;
  source: DependencySource;
  marker?: string;
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*/;
const VCS = /^(git|hg|svn|bzr)\+/;

/** Undefined when the text is not a requirement (an option line, a bare path or URL). */
export function parseRequirement(text: string): Requirement | undefined {
  const match = NAME.exec(text.trim());
  if (!match) return undefined;
  const rest = text.trim().slice(match[0].length);
  const extras = (match[2] ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  const name = normalisePypiName(match[1]);
  if (rest.startsWith('@')) {
    const [url, marker] = splitMarker(rest.slice(1).trim());
    return { name, extras, spec: '', source: VCS.test(url) ? 'vcs' : url.startsWith('file:') ? 'path' : 'url', ...(marker ? { marker } : {}) };
  }
  const [specPart, marker] = splitMarker(rest);
  const spec = specPart.replace(/^\(|\)$/g, '').replace(/\s+/g, '');
  // Anything left that is not a specifier (`name junk`) is not a requirement.
  if (spec && !/^(===|==|~=|!=|<=|>=|<|>)/.test(spec)) return undefined;
  return { name, extras, spec, source: 'registry', ...(marker ? { marker } : {}) };
}

function splitMarker(text: string): [string, string | undefined] {
  const at = text.indexOf(';');
  if (at < 0) return [text.trim(), undefined];
  return [text.slice(0, at).trim(), text.slice(at + 1).trim() || undefined];
}
