// Line lookup for formats whose parsers keep no positions (TOML, JSON): the declaration is found
// again in the text, after the header of the table it belongs to.

/** 1-based line of the first line matching `test` at or after `fromLine` (1-based); `fallback` when none. */
export function findLine(lines: readonly string[], test: (line: string) => boolean, fromLine = 1, fallback = fromLine): number {
  for (let index = Math.max(0, fromLine - 1); index < lines.length; index++) if (test(lines[index])) return index + 1;
  return fallback;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** 1-based line of a TOML table header (`[tool.poetry.dependencies]`), or 1. */
export function tomlTableLine(lines: readonly string[], table: string): number {
  const header = new RegExp(`^\\s*\\[\\s*${table.split('.').map((part) => `"?${escapeRegExp(part)}"?`).join('\\s*\\.\\s*')}\\s*\\]`);
  return findLine(lines, (line) => header.test(line), 1, 1);
}

/** The line of `key = …` (key bare or quoted) at or after a table header. */
export function tomlKeyLine(lines: readonly string[], key: string, fromLine: number): number {
  const pattern = new RegExp(`^\\s*["']?${escapeRegExp(key)}["']?\\s*=`, 'i');
  return findLine(lines, (line) => pattern.test(line), fromLine, fromLine);
}

/** The line where a quoted string literal appears at or after `fromLine`. */
export function quotedLine(lines: readonly string[], value: string, fromLine: number): number {
  return findLine(lines, (line) => line.includes(`"${value}"`) || line.includes(`'${value}'`), fromLine, fromLine);
}
