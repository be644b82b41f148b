// The `.env` file compose reads from the compose file's folder, and compose's variable
// interpolation (`${VAR}`, `$VAR`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`,
// `${VAR:+alt}`, `$$`), so the rules and the service inventory see the values compose would use.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ComposeVariables } from '../core/rule.js';

export type { ComposeVariables } from '../core/rule.js';

const NO_VARIABLES: ComposeVariables = { file: '', values: new Map(), lines: new Map() };

/** `KEY=value`, `export KEY="value"`, `KEY='literal'`, `KEY=value # comment`; later lines may use earlier ones. */
export function parseDotenv(text: string, file: string): ComposeVariables {
  const values = new Map<string, string>();
  const lines = new Map<string, number>();
  const variables: ComposeVariables = { file, values, lines };
  text.split(/\r?\n/).forEach((line, index) => {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!match) return;
    const raw = match[2].trim();
    let value: string;
    if (/^'.*'$/.test(raw)) value = raw.slice(1, -1); // single quotes: literal, as compose reads them
    else {
      const quoted = /^"(.*)"$/.exec(raw);
      const text = quoted ? quoted[1].replace(/\\n/g, '\n').replace(/\\"/g, '"') : raw.replace(/\s+#.*$/, '');
      value = interpolate(text, variables) ?? '';
    }
    values.set(match[1], value);
    lines.set(match[1], index + 1);
  });
  return variables;
}

/** One `$…` reference: `$$`, `${NAME}`, `${NAME<op>arg}` (op `:-`, `-`, `:?`, `?`, `:+`, `+`), `$NAME`. */
const REFERENCE = /\$\$|\$\{(\w+)(?:(:?[-?+])([^}]*))?\}|\$(\w+)/g;

/**
 * The value compose would use, or undefined when it depends on a variable that is not set in the
 * `.env` (the shell of whoever runs compose decides it: unknown here) or that compose requires
 * (`:?`). Without variables every reference is unset, so `${VAR:-default}` reads as its default.
 */
export function interpolate(value: string, variables: ComposeVariables = NO_VARIABLES): string | undefined {
  let unknown = false;
  const result = value.replace(REFERENCE, (whole, braced: string | undefined, operator: string | undefined, argument: string | undefined, bare: string | undefined) => {
    if (whole === '$$') return '$';
    const name = (braced ?? bare) as string;
    const set = variables.values.has(name);
    const current = variables.values.get(name) ?? '';
    const filled = set && current !== '';
    const resolve = (text: string) => {
      const inner = interpolate(text, variables);
      if (inner === undefined) unknown = true;
      return inner ?? '';
    };
    switch (operator) {
      case undefined:
        if (!set) unknown = true;
        return current;
      case ':-':
        return filled ? current : resolve(argument ?? '');
      case '-':
        return set ? current : resolve(argument ?? '');
      case ':?':
        if (!filled) unknown = true;
        return current;
      case '?':
        if (!set) unknown = true;
        return current;
      case ':+':
        return filled ? resolve(argument ?? '') : '';
      default: // '+'
        return set ? resolve(argument ?? '') : '';
    }
  });
  return unknown ? undefined : result;
}

/** The variables a value refers to that the `.env` sets (for messages: "from .env:3"). */
export function variablesFromDotenv(value: string, variables: ComposeVariables | undefined): string[] {
  if (!variables) return [];
  const names: string[] = [];
  for (const match of value.matchAll(REFERENCE)) {
    const name = match[1] ?? match[4];
    if (name && variables.values.has(name) && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * The `.env` in a compose file's folder (compose's own lookup), read from disk; its bytes are
 * part of the compose file's cache key. Absent or unreadable: no variables.
 */
export function readComposeDotenv(absoluteComposePath: string, composePath: string): { variables: ComposeVariables; bytes: Buffer } | undefined {
  const folder = composePath.includes('/') ? composePath.slice(0, composePath.lastIndexOf('/') + 1) : '';
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dirname(absoluteComposePath), '.env'));
  } catch {
    return undefined; // no .env: every unset variable stays unknown
  }
  return { variables: parseDotenv(bytes.toString('utf8'), `${folder}.env`), bytes };
}
