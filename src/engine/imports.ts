// The modules a file imports, read from its top-level statements only (cheap: no full walk).
// Feeds stack detection; the cross-file project model will resolve them to files.
import type { SgNode } from '@ast-grep/napi';
import type { ParsedFamily } from '../core/rule.js';

const PY_IMPORT = /^\s*import\s+([\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)/;
const PY_FROM = /^\s*from\s+([\w.]+)\s+import\b/;
const JS_SOURCE = /(?:from\s*|import\s*\(?\s*|require\s*\(\s*)['"]([^'"\n]+)['"]/g;

function pythonImports(text: string, into: Set<string>): void {
  for (const line of text.split('\n')) {
    const from = PY_FROM.exec(line);
    if (from) {
      if (!from[1].startsWith('.')) into.add(from[1]);
      continue;
    }
    const plain = PY_IMPORT.exec(line);
    if (plain) for (const part of plain[1].split(',')) into.add(part.trim().split(/\s+/)[0]);
  }
}

export function collectImports(root: SgNode, family: ParsedFamily): string[] {
  const found = new Set<string>();
  for (const statement of root.children()) {
    const kind = String(statement.kind());
    if (family === 'py') {
      if (kind === 'import_statement' || kind === 'import_from_statement' || kind === 'try_statement' || kind === 'if_statement') {
        pythonImports(statement.text(), found);
      }
      continue;
    }
    if (kind === 'comment' || kind === 'function_declaration' || kind === 'class_declaration') continue;
    const text = statement.text();
    if (!text.includes('import') && !text.includes('require')) continue;
    for (const match of text.matchAll(JS_SOURCE)) found.add(match[1]);
  }
  return [...found].sort();
}
