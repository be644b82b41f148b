// Code-line counting in the manner of cloc: blank lines and comment-only lines are not code;
// Python docstrings (a string statement opening a line) count as comments.
import type { ParsedFamily } from '../core/rule.js';

export function splitLines(source: string): string[] {
  const lines = source.split(/\r\n|\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Text formats whose comments start with `#` (or `;` for ini). */
const HASH_COMMENTS = new Set(['yaml', 'toml', 'ini', 'shell', 'dockerfile', 'dotenv', 'make', 'text', 'graphql', 'python-stub']);

/** `textKind` (from `textKindOf`) tells how a non-source text file writes comments. */
export function countCodeLines(lines: readonly string[], family: ParsedFamily | 'text', textKind?: string): number {
  if (family === 'py') return countPythonCode(lines);
  if (family === 'ts') return countCStyleCode(lines);
  const hashComments = textKind !== undefined && HASH_COMMENTS.has(textKind);
  let code = 0;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (hashComments && (trimmed.startsWith('#') || (textKind === 'ini' && trimmed.startsWith(';')))) continue;
    code++;
  }
  return code;
}

function countPythonCode(lines: readonly string[]): number {
  let code = 0;
  /** The closing quote while inside a triple-quoted string, and whether it is a docstring. */
  let open: { quote: string; docstring: boolean } | undefined;
  for (const raw of lines) {
    const line = raw.trim();
    if (open) {
      if (!open.docstring) code++;
      if (line.includes(open.quote)) open = undefined;
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const docstring = /^[rRuUbBfF]{0,2}("""|''')/.exec(line);
    if (docstring) {
      const quote = docstring[1];
      const rest = line.slice(docstring[0].length);
      if (!rest.includes(quote)) open = { quote, docstring: true };
      continue;
    }
    code++;
    const triple = /("""|''')/g;
    let count = 0;
    let quote = '';
    for (let m = triple.exec(line); m; m = triple.exec(line)) {
      if (count % 2 === 0) quote = m[1];
      if (m[1] === quote) count++;
    }
    if (count % 2 === 1) open = { quote, docstring: false };
  }
  return code;
}

function countCStyleCode(lines: readonly string[]): number {
  let code = 0;
  let inBlock = false;
  for (const raw of lines) {
    let line = raw.trim();
    let hasCode = false;
    while (line.length > 0) {
      if (inBlock) {
        const end = line.indexOf('*/');
        if (end < 0) {
          line = '';
          break;
        }
        inBlock = false;
        line = line.slice(end + 2).trim();
        continue;
      }
      if (line.startsWith('//')) break;
      if (line.startsWith('/*')) {
        inBlock = true;
        line = line.slice(2);
        continue;
      }
      hasCode = true;
      // A block comment opened after code on the same line still opens a block.
      const open = line.lastIndexOf('/*');
      if (open > 0 && line.indexOf('*/', open) < 0 && !line.slice(0, open).includes('//')) inBlock = true;
      break;
    }
    if (hasCode) code++;
  }
  return code;
}
