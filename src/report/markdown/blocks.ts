// Small GFM building blocks shared by the Markdown report's sections.

/** A table cell: pipes escaped, line breaks flattened, so every row keeps its column count. */
export function cell(text: string | number): string {
  return String(text).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim() || ' ';
}

/** A GFM table; every row has as many cells as the header. */
export function table(header: string[], rows: (string | number)[][]): string[] {
  const line = (cells: (string | number)[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => line(header.map((_, i) => row[i] ?? '')))];
}

/** Engineer-days as a reader writes them: 0.5, 2, 2.25. */
export function days(value: number): string {
  return String(Number(value.toFixed(2)));
}

/** "1 engineer-day", "2.5 engineer-days". */
export function engineerDays(value: number): string {
  return `${days(value)} engineer-day${value === 1 ? '' : 's'}`;
}

export const NOT_MEASURED = 'not measured';
