// Relation fields of a Prisma schema whose scalar foreign key no index, unique or id starts with.

export interface PrismaForeignKey {
  model: string;
  field: string;
  column: string;
  /** Offset of the relation field's line in the schema text. */
  offset: number;
}

const MODEL = /^model\s+(\w+)\s*\{/gm;
const RELATION_FIELDS = /@relation\s*\([^)]*\bfields\s*:\s*\[\s*(\w+)/;
const BLOCK_KEY = /@@(?:index|unique|id)\s*\(\s*(?:fields\s*:\s*)?\[\s*(\w+)/g;

/** MySQL without `relationMode = "prisma"` gets an index per foreign key from InnoDB itself. */
function indexesItself(schema: string): boolean {
  return /provider\s*=\s*"mysql"/.test(schema) && !/relationMode\s*=\s*"prisma"/.test(schema);
}

export function unindexedPrismaRelations(schema: string): PrismaForeignKey[] {
  if (indexesItself(schema)) return [];
  const found: PrismaForeignKey[] = [];
  for (const model of schema.matchAll(MODEL)) {
    const bodyStart = model.index + model[0].length;
    const close = schema.indexOf('\n}', bodyStart);
    const body = schema.slice(bodyStart, close < 0 ? undefined : close);
    const leading = new Set([...body.matchAll(BLOCK_KEY)].map((m) => m[1]));
    let offset = bodyStart;
    const relations: PrismaForeignKey[] = [];
    for (const line of body.split('\n')) {
      const code = line.replace(/\/\/.*$/, '');
      const field = /^\s*(\w+)\s+\S/.exec(code);
      if (field && /@(id|unique)\b/.test(code)) leading.add(field[1]);
      const relation = RELATION_FIELDS.exec(code);
      if (field && relation) relations.push({ model: model[1], field: field[1], column: relation[1], offset: offset + code.length - code.trimStart().length });
      offset += line.length + 1;
    }
    found.push(...relations.filter((r) => !leading.has(r.column)));
  }
  return found;
}
