// The environment variables a source file reads, found by a cheap text scan (no parse): the
// direct reads of Python and JavaScript, pydantic settings classes, django-environ and
// python-decouple, and small helpers that wrap a read (`requireEnv("X")`).
import { positionsOf } from '../../_shared/text-positions.js';

/** Offset → 1-based line number of `source`. */
function lineFinder(source: string): (offset: number) => number {
  const position = positionsOf(source);
  return (offset) => position(offset).line;
}

export interface EnvRead {
  name: string;
  path: string;
  line: number;
  /** Read without a fallback (`os.environ["X"]`, a settings field without default, `process.env.X!`). */
  required: boolean;
}

/** Text a file must contain to read the environment at all (most files are skipped on this). */
export const READS_ENVIRONMENT = /environ|getenv|process\.env|import\.meta\.env|BaseSettings|decouple/;

const NAME = '([A-Za-z_][A-Za-z0-9_]*[A-Za-z0-9])';
/** A quoted name that is the whole argument: `"X")`, `"X",`, `"X"]` (not `"PREFIX_" + field`). */
const QUOTED = `['"]${NAME}['"](?=\\s*[),\\]])`;

/**
 * Python direct reads: [pattern, required]. A bare `environ`/`getenv` counts only where the file
 * imports it from `os` (a WSGI `environ` dict holds request headers, not the process environment).
 */
function pythonReadPatterns(source: string): [RegExp, boolean][] {
  const bare = /^\s*from\s+os\s+import\s+[^\n]*\b(environ|getenv)\b/m.test(source);
  const environ = bare ? '(?:\\bos\\.|(?<![\\w.]))environ' : '\\bos\\.environ';
  const getenv = bare ? '(?:\\bos\\.|(?<![\\w.]))getenv' : '\\bos\\.getenv';
  return [
    [new RegExp(`${environ}\\[\\s*${QUOTED}\\s*\\]`, 'g'), true],
    [new RegExp(`${environ}\\.get\\(\\s*${QUOTED}`, 'g'), false],
    [new RegExp(`${getenv}\\(\\s*${QUOTED}`, 'g'), false],
  ];
}
/** Built-in Vite variables (`import.meta.env.MODE`): set by the bundler, not by anyone's .env. */
const VITE_BUILT_INS = new Set(['MODE', 'DEV', 'PROD', 'SSR', 'BASE_URL']);

/** pydantic `BaseSettings` classes: each field is a variable, upper-cased, with the class's `env_prefix`. */
function pydanticSettingsReads(source: string, path: string, lineAt: (offset: number) => number): EnvRead[] {
  const reads: EnvRead[] = [];
  for (const match of source.matchAll(/^class\s+\w+\s*\(\s*[\w.]*BaseSettings\s*\)\s*:[ \t]*\n((?:[ \t]+.*\n|[ \t]*\n)*)/gm)) {
    const body = match[1];
    const bodyStart = (match.index ?? 0) + match[0].length - body.length;
    const prefix = /env_prefix\s*=\s*['"]([^'"]*)['"]/.exec(body)?.[1] ?? '';
    // Fields at the class's own indentation (the first indented line's), not those of an inner `class Config`.
    const indent = /^([ \t]+)\S/m.exec(body)?.[1] ?? '    ';
    const field = new RegExp(`^${indent}([A-Za-z]\\w*)\\s*:\\s*([^=\\n]+?)\\s*(=\\s*(.*))?$`, 'gm');
    for (const f of body.matchAll(field)) {
      const [, fieldName, type, assignment, value] = f;
      if (fieldName === 'model_config' || /^ClassVar\b/.test(type)) continue;
      const alias = /\b(?:validation_)?alias\s*=\s*['"]([^'"]+)['"]/.exec(value ?? '')?.[1];
      // `Field(...)`/`Field()` with no default is required; `Field(default=…)`/`Field("x")` is not.
      const required = !assignment || /^Field\(\s*(\.\.\.|\)|alias|validation_alias|description)/.test(value ?? '');
      reads.push({ name: alias ?? `${prefix}${fieldName}`.toUpperCase(), path, line: lineAt(bodyStart + (f.index ?? 0)), required });
    }
  }
  return reads;
}

interface Wrapper {
  name: string;
  /** The wrapper fails without the variable (`os.environ[name]`, or a `throw`/`raise` in its body). */
  required: boolean;
}

/** Local functions that read the variable named by their first parameter (`requireEnv("X")`). */
function wrappers(source: string, python: boolean): Wrapper[] {
  const found: Wrapper[] = [];
  const definition = python
    ? /^[ \t]*def\s+(\w+)\s*\(\s*(\w+)[^)]*\)[^:]*:((?:\n[ \t]+.*){1,8})/gm
    : /\bfunction\s+(\w+)\s*\(\s*(\w+)[^)]*\)[^{]*\{([^}]{0,400})|\b(?:const|let)\s+(\w+)\s*=\s*\(\s*(\w+)[^)]*\)[^=]*=>\s*\{?([^}\n]{0,400})/g;
  for (const match of source.matchAll(definition)) {
    const name = match[1] ?? match[4];
    const parameter = match[2] ?? match[5];
    const body = match[3] ?? match[6] ?? '';
    const readsParameter = python
      ? new RegExp(`environ\\[\\s*${parameter}\\s*\\]|environ\\.get\\(\\s*${parameter}\\b|getenv\\(\\s*${parameter}\\b`)
      : new RegExp(`process\\.env\\[\\s*${parameter}\\s*\\]`);
    if (!name || !parameter || !readsParameter.test(body)) continue;
    const required = python ? new RegExp(`environ\\[\\s*${parameter}\\s*\\]`).test(body) || /\braise\b/.test(body) : /\bthrow\b/.test(body);
    found.push({ name, required });
  }
  return found;
}

/** An assignment right after the match: `os.environ["X"] = …`, `process.env.X ??= …` set a variable, they do not read it. */
const WRITE_AFTER = /^\s*(\?\?|\|\||&&)?=(?!=)/;

function isWrite(source: string, match: RegExpMatchArray): boolean {
  return WRITE_AFTER.test(source.slice((match.index ?? 0) + match[0].length, (match.index ?? 0) + match[0].length + 8));
}

export function pythonEnvReads(source: string, path: string): EnvRead[] {
  const lineAt = lineFinder(source);
  const reads: EnvRead[] = [];
  const add = (name: string, index: number, required: boolean) => reads.push({ name, path, line: lineAt(index), required });
  for (const [pattern, required] of pythonReadPatterns(source)) for (const m of source.matchAll(pattern)) if (!isWrite(source, m)) add(m[1], m.index ?? 0, required);
  if (/^\s*(from\s+decouple\s+import|import\s+decouple)/m.test(source)) {
    for (const m of source.matchAll(new RegExp(`\\bconfig\\(\\s*${QUOTED}([^)]*)`, 'g'))) add(m[1], m.index ?? 0, !/\bdefault\s*=/.test(m[2]));
  }
  if (/\benviron\.Env\(/.test(source)) {
    for (const m of source.matchAll(new RegExp(`\\benv(?:\\.\\w+)?\\(\\s*${QUOTED}([^)]*)`, 'g'))) add(m[1], m.index ?? 0, !/\bdefault\s*=/.test(m[2]));
  }
  for (const wrapper of wrappers(source, true)) {
    for (const m of source.matchAll(new RegExp(`(?<![\\w.])${wrapper.name}\\(\\s*${QUOTED}`, 'g'))) add(m[1], m.index ?? 0, wrapper.required);
  }
  if (source.includes('BaseSettings')) reads.push(...pydanticSettingsReads(source, path, lineAt));
  return reads;
}

export function javascriptEnvReads(source: string, path: string): EnvRead[] {
  const lineAt = lineFinder(source);
  const reads: EnvRead[] = [];
  const add = (name: string, index: number, required: boolean) => reads.push({ name, path, line: lineAt(index), required });
  for (const m of source.matchAll(new RegExp(`\\bprocess\\.env\\.${NAME}(!)?`, 'g'))) if (!isWrite(source, m)) add(m[1], m.index ?? 0, m[2] === '!');
  for (const m of source.matchAll(new RegExp(`\\bprocess\\.env\\[\\s*${QUOTED}\\s*\\](!)?`, 'g'))) if (!isWrite(source, m)) add(m[1], m.index ?? 0, m[2] === '!');
  for (const m of source.matchAll(new RegExp(`\\bimport\\.meta\\.env\\.${NAME}`, 'g'))) if (!VITE_BUILT_INS.has(m[1])) add(m[1], m.index ?? 0, false);
  // `const { DATABASE_URL, PORT = 3000, API_KEY: apiKey } = process.env`
  for (const m of source.matchAll(/\b(?:const|let|var)\s*\{([^}]*)\}\s*=\s*process\.env\b/g)) {
    for (const part of m[1].split(',')) {
      const name = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(part)?.[1];
      if (name) add(name, m.index ?? 0, false);
    }
  }
  for (const wrapper of wrappers(source, false)) {
    for (const m of source.matchAll(new RegExp(`(?<![\\w.$])${wrapper.name}\\(\\s*${QUOTED}`, 'g'))) add(m[1], m.index ?? 0, wrapper.required);
  }
  return reads;
}
