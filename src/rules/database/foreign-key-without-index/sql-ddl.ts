// Foreign keys and indexes declared in SQL DDL text (a `.sql` migration, or DDL held in a Python or
// TypeScript string). A plain scan, not a SQL parser: it reads CREATE TABLE bodies, CREATE INDEX and
// ALTER TABLE ... ADD, which is where schema files declare both.

export interface DdlForeignKey {
  table: string;
  column: string;
  references: string;
  /** Offset of the column (or FOREIGN KEY clause) in the scanned text. */
  offset: number;
}

export interface DdlScan {
  foreignKeys: DdlForeignKey[];
  /** `table.column` (lower-case) of every column that leads an index, unique or primary key. */
  leading: Set<string>;
}

const IDENT = String.raw`(?:"[^"]+"|\x60[^\x60]+\x60|\[[^\]]+\]|[A-Za-z_][\w$]*)`;
const QUALIFIED = String.raw`${IDENT}(?:\s*\.\s*${IDENT})?`;
const CREATE_TABLE = new RegExp(String.raw`\bCREATE\s+(?:(?:GLOBAL\s+|LOCAL\s+)?(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(${QUALIFIED})\s*\(`, 'gi');
const CREATE_INDEX = new RegExp(String.raw`\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:${QUALIFIED}\s+)?ON\s+(?:ONLY\s+)?(${QUALIFIED})\s*(?:USING\s+\w+\s*)?\(\s*(${IDENT})`, 'gi');
const ALTER_TABLE = new RegExp(String.raw`\bALTER\s+TABLE\s+(?:ONLY\s+)?(?:IF\s+EXISTS\s+)?(${QUALIFIED})\s+([^;]*)`, 'gi');
/** InnoDB creates an index for every foreign key by itself: MySQL/MariaDB DDL has nothing to report. */
const MYSQL_DIALECT = /\bENGINE\s*=|\bAUTO_INCREMENT\b|\x60\w+\x60\s*\(/i;

function unquote(name: string): string {
  return name.trim().replace(/^["\x60[]|["\x60\]]$/g, '').toLowerCase();
}

/** `public.orders` → `orders`: schemas are left out, files rarely mix two with one table name. */
function tableName(qualified: string): string {
  const parts = qualified.split('.');
  return unquote(parts[parts.length - 1]);
}

/** Blanks out `-- ...` and `/* ... *\/` comments, keeping every offset. */
function withoutComments(text: string): string {
  return text.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
}

/** Index of the `)` closing the `(` at `open`, or -1. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
    else if (c === ';') return -1;
  }
  return -1;
}

/** Top-level comma-separated items of a CREATE TABLE body, with their offsets. */
function splitItems(text: string, start: number, end: number): { text: string; offset: number }[] {
  const items: { text: string; offset: number }[] = [];
  let depth = 0;
  let itemStart = start;
  for (let i = start; i <= end; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (i === end || (c === ',' && depth === 0)) {
      const raw = text.slice(itemStart, i);
      const lead = raw.length - raw.trimStart().length;
      if (raw.trim()) items.push({ text: raw.trim(), offset: itemStart + lead });
      itemStart = i + 1;
    }
  }
  return items;
}

const FIRST_IN_PARENS = new RegExp(String.raw`^\(\s*(${IDENT})`);
const TABLE_FOREIGN_KEY = new RegExp(String.raw`^(?:CONSTRAINT\s+${IDENT}\s+)?FOREIGN\s+KEY\s*(?:${IDENT}\s*)?(\([^)]*\))\s*REFERENCES\s+(${QUALIFIED})`, 'i');
const TABLE_KEY = new RegExp(String.raw`^(?:CONSTRAINT\s+${IDENT}\s+)?(?:PRIMARY\s+KEY|UNIQUE(?:\s+(?:KEY|INDEX))?|KEY|INDEX)\s*(?:${IDENT}\s*)?(\([^)]*\))`, 'i');
const COLUMN = new RegExp(String.raw`^(${IDENT})\s+([\s\S]*)$`);
const INLINE_REFERENCES = new RegExp(String.raw`\bREFERENCES\s+(${QUALIFIED})`, 'i');
const SELF_KEYED = /\bPRIMARY\s+KEY\b|\bUNIQUE\b/i;
const NOT_A_COLUMN = /^(CONSTRAINT|CHECK|EXCLUDE|LIKE|PERIOD)$/i;

function firstColumn(parenthesised: string): string | undefined {
  const match = FIRST_IN_PARENS.exec(parenthesised);
  return match ? unquote(match[1]) : undefined;
}

/** Reads one table element (column or constraint) into the scan. */
function readItem(scan: DdlScan, table: string, item: { text: string; offset: number }): void {
  const foreignKey = TABLE_FOREIGN_KEY.exec(item.text);
  if (foreignKey) {
    const column = firstColumn(foreignKey[1]);
    if (column) scan.foreignKeys.push({ table, column, references: tableName(foreignKey[2]), offset: item.offset });
    return;
  }
  const key = TABLE_KEY.exec(item.text);
  if (key) {
    const column = firstColumn(key[1]);
    if (column) scan.leading.add(`${table}.${column}`);
    return;
  }
  const column = COLUMN.exec(item.text);
  if (!column || NOT_A_COLUMN.test(column[1])) return;
  const name = unquote(column[1]);
  if (SELF_KEYED.test(column[2])) {
    scan.leading.add(`${table}.${name}`);
    return;
  }
  const references = INLINE_REFERENCES.exec(column[2]);
  if (references) scan.foreignKeys.push({ table, column: name, references: tableName(references[1]), offset: item.offset });
}

/** Foreign keys and leading index columns in DDL text; nothing for MySQL DDL (InnoDB indexes FKs itself). */
export function scanDdl(rawText: string): DdlScan {
  const scan: DdlScan = { foreignKeys: [], leading: new Set() };
  if (MYSQL_DIALECT.test(rawText)) return scan;
  const text = withoutComments(rawText);
  for (const match of text.matchAll(CREATE_TABLE)) {
    const table = tableName(match[1]);
    const open = match.index + match[0].length - 1;
    const close = closingParen(text, open);
    if (close < 0 || !/^[\w$]+$/.test(table)) continue;
    for (const item of splitItems(text, open + 1, close)) readItem(scan, table, item);
  }
  for (const match of text.matchAll(CREATE_INDEX)) scan.leading.add(`${tableName(match[1])}.${unquote(match[2])}`);
  for (const match of text.matchAll(ALTER_TABLE)) {
    const table = tableName(match[1]);
    if (!/^[\w$]+$/.test(table)) continue;
    const bodyOffset = match.index + match[0].length - match[2].length;
    // `ADD COLUMN x ...`, `ADD CONSTRAINT ... FOREIGN KEY (x) ...`, `ADD UNIQUE (x)`, one clause per comma.
    for (const item of splitItems(text, bodyOffset, bodyOffset + match[2].length)) {
      const clause = /^ADD\s+(?:COLUMN\s+(?:IF\s+NOT\s+EXISTS\s+)?)?/i.exec(item.text);
      if (!clause) continue;
      readItem(scan, table, { text: item.text.slice(clause[0].length), offset: item.offset + clause[0].length });
    }
  }
  return scan;
}
