// Dockerfiles read once per file for every docker rule: instructions (continuations joined the way
// BuildKit joins them), parser directives, heredoc bodies kept out of the instruction stream, and
// stages with their `FROM` image resolved against the ARGs declared before the first `FROM`.
import type { RuleContext } from '../../core/rule.js';

export interface DockerHeredoc {
  /** The terminator word (`EOF`). */
  name: string;
  /** The body lines, joined with `\n`. */
  body: string;
  /** 1-based line of the first body line. */
  line: number;
}

export interface DockerInstruction {
  /** Upper-case keyword (`RUN`, `COPY`); for `ONBUILD RUN x` the keyword is `ONBUILD`. */
  keyword: string;
  /** Everything after the keyword, continuation lines joined (escape char removed, as BuildKit does). */
  arguments: string;
  /** 1-based line of the keyword and 1-based column where the keyword starts. */
  line: number;
  column: number;
  /** 1-based last line of the instruction (heredoc bodies excluded). */
  endLine: number;
  /** The physical lines the instruction spans (comment lines inside continuations included), for locating a word. */
  physicalLines: { line: number; text: string }[];
  /** Leading `--name=value` flags (`--from=build`, `--chown=app`, `--mount=type=secret,id=x`); repeated flags keep every value. */
  flags: { name: string; value: string }[];
  /** The arguments after the flags. */
  rest: string;
  /** Exec (JSON) form of `CMD`/`ENTRYPOINT`/`RUN`/`SHELL`/`COPY`…, when the arguments are a JSON string array. */
  json?: string[];
  heredocs: DockerHeredoc[];
}

export interface DockerStage {
  /** 0-based position among the stages. */
  index: number;
  from: DockerInstruction;
  /** The image as written (`node:${NODE_VERSION}`). */
  image: string;
  /** The image with global ARGs substituted; undefined when an ARG without a default is used. */
  resolvedImage?: string;
  /** `AS name`, lower-cased (stage names are case-insensitive). */
  name?: string;
  /** The earlier stage this one is built `FROM`, if any. */
  parent?: DockerStage;
  /** Instructions after this `FROM` up to the next one. */
  instructions: DockerInstruction[];
}

export interface Dockerfile {
  instructions: DockerInstruction[];
  directives: Record<string, string>;
  /** The escape character: `\` unless `# escape=\``. */
  escape: string;
  /** ARGs declared before the first `FROM` (usable in `FROM` lines only): name → default (undefined when none). */
  globalArgs: Map<string, string | undefined>;
  stages: DockerStage[];
}

const parsed = new WeakMap<object, Dockerfile>();

/** The Dockerfile of this rule context, parsed once and shared by every docker rule. */
export function dockerfileOf(context: RuleContext): Dockerfile {
  let file = parsed.get(context.file);
  if (!file) {
    file = parseDockerfile(context.source);
    parsed.set(context.file, file);
  }
  return file;
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
/** Instructions whose arguments may open heredocs (BuildKit 1.4+). */
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
/** `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'`; not the here-string `<<<`. */
const HEREDOC_MARKER = /(?<!<)<<(?!<)(-?)\s*(["']?)([A-Za-z_][\w.-]*)\2/g;

export function parseDockerfile(source: string): Dockerfile {
  const lines = source.split(/\r?\n/);
  const directives: Record<string, string> = {};
  let index = 0;
  // Parser directives: `# key=value` lines at the very top, before any other comment, blank line or instruction.
  for (; index < lines.length; index++) {
    const match = DIRECTIVE.exec(lines[index].trim());
    if (!match || !lines[index].trim().startsWith('#')) break;
    const key = match[1].toLowerCase();
    if (key in directives) break;
    directives[key] = match[2];
  }
  const escape = directives.escape === '`' ? '`' : '\\';
  const continuation = new RegExp(`${escape === '`' ? '`' : '\\\\'}[ \\t]*$`);

  const instructions: DockerInstruction[] = [];
  while (index < lines.length) {
    const text = lines[index];
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      index++;
      continue;
    }
    const startLine = index + 1;
    const physicalLines = [{ line: startLine, text }];
    let logical = text;
    let endLine = startLine;
    // Join continuations; comment and blank lines inside a continuation are dropped.
    while (continuation.test(logical) && index + 1 < lines.length) {
      logical = logical.replace(continuation, '');
      index++;
      const next = lines[index];
      physicalLines.push({ line: index + 1, text: next });
      const nextTrimmed = next.trim();
      if (nextTrimmed === '' || nextTrimmed.startsWith('#')) {
        // Keep the continuation open: the logical line goes on after the comment.
        logical += escape;
        continue;
      }
      logical += next;
      endLine = index + 1;
    }
    logical = logical.replace(continuation, '');
    index++;

    const keywordMatch = /^(\s*)(\S+)\s*(.*)$/s.exec(logical)!;
    const keyword = keywordMatch[2].toUpperCase();
    const argumentsText = keywordMatch[3].trim();
    const heredocs: DockerHeredoc[] = [];
    const heredocKeyword = keyword === 'ONBUILD' ? (/^\s*(\S+)/.exec(argumentsText)?.[1] ?? '').toUpperCase() : keyword;
    if (HEREDOC_KEYWORDS.has(heredocKeyword)) {
      for (const marker of argumentsText.matchAll(HEREDOC_MARKER)) {
        const stripTabs = marker[1] === '-';
        const name = marker[3];
        const bodyStart = index;
        const body: string[] = [];
        while (index < lines.length) {
          const candidate = stripTabs ? lines[index].replace(/^\t+/, '') : lines[index];
          index++;
          if (candidate === name || candidate.trimEnd() === name) break;
          body.push(candidate);
        }
        heredocs.push({ name, body: body.join('\n'), line: bodyStart + 1 });
      }
    }
    const { flags, rest } = splitFlags(argumentsText);
    instructions.push({
      keyword,
      arguments: argumentsText,
      line: startLine,
      column: keywordMatch[1].length + 1,
      endLine,
      physicalLines,
      flags,
      rest,
      json: jsonForm(rest),
      heredocs,
    });
  }

  const globalArgs = new Map<string, string | undefined>();
  const stages: DockerStage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = splitWords(instruction.rest);
      const image = words[0] ?? '';
      const asIndex = words.findIndex((w, i) => i > 0 && w.toUpperCase() === 'AS');
      const name = asIndex > 0 ? words[asIndex + 1]?.toLowerCase() : undefined;
      const resolvedImage = substitute(image, globalArgs);
      const parent = resolvedImage ? stages.find((s) => s.name === resolvedImage.toLowerCase()) : undefined;
      stages.push({ index: stages.length, from: instruction, image, resolvedImage, name, parent, instructions: [] });
    } else if (stages.length) {
      stages[stages.length - 1].instructions.push(instruction);
    } else if (instruction.keyword === 'ARG') {
      for (const { name, value } of keyValuePairs(instruction)) {
        globalArgs.set(name, value === undefined ? undefined : substitute(value, globalArgs));
      }
    }
  }
  return { instructions, directives, escape, globalArgs, stages };
}

/** `--from=build --chown=app:app src dest` → flags and `src dest`. */
function splitFlags(text: string): { flags: { name: string; value: string }[]; rest: string } {
  const flags: { name: string; value: string }[] = [];
  let rest = text;
  for (;;) {
    const match = /^--([\w-]+)(?:=("[^"]*"|\S*))?\s*/.exec(rest);
    if (!match) break;
    flags.push({ name: match[1].toLowerCase(), value: (match[2] ?? '').replace(/^"|"$/g, '') });
    rest = rest.slice(match[0].length);
  }
  return { flags, rest: rest.trim() };
}

function jsonForm(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Words split on whitespace, quotes removed (`a "b c" d` → `a`, `b c`, `d`). */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else if (char === '\\' && i + 1 < text.length) {
      current += text[++i];
      inWord = true;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/**
 * `ENV`/`ARG`/`LABEL` pairs: `KEY=value KEY2="a b"`, `ARG NAME` (no value), and the legacy
 * `ENV KEY value with spaces`. Values keep `$VAR` references as written.
 */
export function keyValuePairs(instruction: DockerInstruction): { name: string; value: string | undefined }[] {
  const words = splitWords(instruction.rest);
  if (instruction.keyword === 'ENV' && words.length > 1 && !words[0].includes('=')) {
    // Legacy form: everything after the first word is the value.
    return [{ name: words[0], value: instruction.rest.slice(instruction.rest.indexOf(words[0]) + words[0].length).trim().replace(/^(["'])(.*)\1$/, '$2') }];
  }
  return words.map((word) => {
    const equals = word.indexOf('=');
    return equals < 0 ? { name: word, value: undefined } : { name: word.slice(0, equals), value: word.slice(equals + 1) };
  });
}

/**
 * Substitutes `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `${VAR:+alt}` from `vars`;
 * undefined when a variable without a value (and without a default) is used.
 */
export function substitute(text: string, vars: ReadonlyMap<string, string | undefined>): string | undefined {
  let unresolved = false;
  const result = text.replace(/\\\$|\$\{(\w+)(?:(:?)([-+])([^}]*))?\}|\$(\w+)/g, (whole, braced: string | undefined, colon: string, operator: string | undefined, word: string | undefined, bare: string | undefined) => {
    if (whole === '\\$') return '$';
    const name = braced ?? bare!;
    const value = vars.get(name);
    const isSet = value !== undefined && (colon !== ':' || value !== '');
    if (operator === '-') return isSet ? value! : word ?? '';
    if (operator === '+') return isSet ? word ?? '' : '';
    if (value === undefined) unresolved = true;
    return value ?? '';
  });
  return unresolved ? undefined : result;
}

/** The stage an image runs from: the last one. */
export function finalStage(file: Dockerfile): DockerStage | undefined {
  return file.stages[file.stages.length - 1];
}

/** The stage and the earlier stages it is built `FROM`, nearest first (settings such as `USER` are inherited). */
export function stageChain(stage: DockerStage): DockerStage[] {
  const chain: DockerStage[] = [];
  for (let current: DockerStage | undefined = stage; current && !chain.includes(current); current = current.parent) chain.push(current);
  return chain;
}

/** The line and 1-based column range of the first physical line of an instruction containing `needle` (else the keyword line). */
export function locate(instruction: DockerInstruction, needle: string): { line: number; column: number; endLine: number; endColumn: number } {
  for (const { line, text } of instruction.physicalLines) {
    const at = text.indexOf(needle);
    if (at >= 0 && !text.trim().startsWith('#')) return { line, column: at + 1, endLine: line, endColumn: at + 1 + needle.length };
  }
  const first = instruction.physicalLines[0];
  return { line: instruction.line, column: instruction.column, endLine: instruction.line, endColumn: first.text.trimEnd().length + 1 };
}

/** The range of an instruction's first line, from the keyword to the end of the line. */
export function instructionRange(instruction: DockerInstruction): { line: number; column: number; endLine: number; endColumn: number } {
  const first = instruction.physicalLines[0];
  return { line: instruction.line, column: instruction.column, endLine: instruction.line, endColumn: first.text.trimEnd().length + 1 };
}

/** `registry:5000/team/app:1.2@sha256:…` → its parts; tag and digest undefined when absent. */
export function imageReference(image: string): { name: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}

/** `Dockerfile.template`, `Dockerfile.j2`, or a file with `{placeholders}` in FROM: filled in by a generator, not built as is. */
export function isTemplateDockerfile(path: string, file: Dockerfile): boolean {
  if (/\.(template|tmpl|tpl|j2|jinja2?|example|sample|in|erb|mustache|hbs|ejs)$/i.test(path)) return true;
  return file.stages.some((stage) => /\{\{|(?<!\$)\{[\w.-]+\}|<%/.test(stage.image));
}

/** Development containers (`.devcontainer/`): their user, ports and probes are set by the editor's configuration. */
export function isDevContainerPath(path: string): boolean {
  return /(^|\/)\.devcontainer\//.test(path);
}
