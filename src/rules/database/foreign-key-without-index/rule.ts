import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext, type RuleFile } from '../../../core/rule.js';
import { keywordArgument, positionalArguments } from '../../_shared/python.js';
import { pyStaticBool, pyStaticString, tsStaticString } from '../../_shared/static-values.js';
import { callArguments, objectProperty } from '../../_shared/typescript.js';
import { unindexedPrismaRelations } from './prisma-schema.js';
import { scanDdl } from './sql-ddl.js';

const ADVICE_SQL = 'add `CREATE INDEX ... (column)`';

/** One-row tables (`settings`, `site_config`): a scan of them costs nothing, an index buys nothing. */
const SINGLETON_TABLE = /(^|_)(settings?|config|configuration|preferences)$/i;

/**
 * Code that restores an earlier schema (`down()`, `downgrade()`) or targets MySQL (InnoDB indexes every
 * foreign key itself) is not where an index is missing.
 */
function inRollbackOrMySqlCode(node: SgNode, context: RuleContext): boolean {
  for (const fn of node.ancestors()) {
    const kind = fn.kind();
    if (kind !== 'function_definition' && kind !== 'function_declaration' && kind !== 'method_definition' && kind !== 'arrow_function' && kind !== 'function_expression') continue;
    let name = fn.field('name')?.text();
    // exports.down = async function (knex) {...} / down: async (knex) => {...}
    const holder = fn.parent();
    if (!name && holder?.kind() === 'assignment_expression') name = holder.field('left')?.text().replace(/^.*\./, '');
    if (!name && holder?.kind() === 'pair') name = holder.field('key')?.text();
    if (name && /^(down|downgrade|rollback|revert)$/.test(name)) return true;
    const { start } = fn.range();
    const lead = context.source.slice(Math.max(0, start.index - 300), start.index).split(/\n\s*\n/).pop() ?? '';
    if (/mysql|mariadb|innodb/i.test(fn.text()) || /mysql|mariadb|innodb/i.test(lead)) return true;
  }
  return false;
}

function lastSegment(dotted: string): string {
  return dotted.slice(dotted.lastIndexOf('.') + 1);
}

/** Line/column range of `length` characters at `offset` of the source. */
function rangeAt(context: RuleContext, offset: number, length: number) {
  const before = context.source.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column, endLine: line, endColumn: column + length };
}

// ---------------------------------------------------------------------------------------------
// SQL DDL (.sql files and DDL strings in code) and Prisma schemas: text, no tree needed.
// ---------------------------------------------------------------------------------------------

/** DDL worth reading: a CREATE TABLE or ALTER TABLE that declares a REFERENCES clause. */
const DDL_WITH_REFERENCES = /\b(CREATE|ALTER)\s+TABLE\b[\s\S]*?\bREFERENCES\b/i;

function checkDdl(context: RuleContext): void {
  if (!DDL_WITH_REFERENCES.test(context.source)) return;
  const scan = scanDdl(context.source);
  for (const fk of scan.foreignKeys) {
    if (scan.leading.has(`${fk.table}.${fk.column}`) || SINGLETON_TABLE.test(fk.table)) continue;
    context.report({
      range: rangeAt(context, fk.offset, fk.column.length),
      message: `Foreign key column \`${fk.table}.${fk.column}\` (REFERENCES ${fk.references}) has no index: ${ADVICE_SQL.replace('column', fk.column)} next to it.`,
    });
  }
}

function checkPrisma(context: RuleContext): void {
  for (const fk of unindexedPrismaRelations(context.source)) {
    context.report({
      range: rangeAt(context, fk.offset, fk.field.length),
      message: `Relation \`${fk.model}.${fk.field}\` uses foreign key \`${fk.column}\` with no index: add \`@@index([${fk.column}])\` to model ${fk.model}.`,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Python: SQLAlchemy models and tables, Alembic operations, Django `db_index=False`.
// ---------------------------------------------------------------------------------------------

/** A column reference in an index definition: `'order_id'`, `OrderItem.order_id`, `orders.c.order_id`, `[...]`. */
function pyColumnName(node: SgNode | undefined): { column: string; owner?: string } | undefined {
  if (!node) return undefined;
  if (node.kind() === 'list' || node.kind() === 'tuple') return pyColumnName(node.children().find((c) => c.isNamed() && c.kind() !== 'comment'));
  const text = pyStaticString(node);
  if (text !== undefined) return /^\w+/.test(text) ? { column: /^\w+/.exec(text)![0].toLowerCase() } : undefined;
  if (node.kind() === 'identifier') return { column: node.text().toLowerCase() };
  if (node.kind() === 'attribute') {
    const owner = node.field('object');
    const ownerName = owner?.kind() === 'identifier' ? owner.text() : undefined;
    return { column: node.field('attribute')!.text().toLowerCase(), owner: ownerName };
  }
  return undefined;
}

/** `__tablename__ = "orders"` of a class body. */
function tableOfClass(classDefinition: SgNode): string | undefined {
  for (const statement of classDefinition.field('body')?.children() ?? []) {
    const assignment = statement.kind() === 'expression_statement' ? statement.children().find((c) => c.isNamed()) : undefined;
    if (assignment?.kind() === 'assignment' && assignment.field('left')?.text() === '__tablename__') {
      return pyStaticString(assignment.field('right'))?.toLowerCase();
    }
  }
  return undefined;
}

const TABLE_CALL = /(^|\.)(Table|create_table|add_column|batch_alter_table)$/;

/** The table a column or index belongs to: its class's `__tablename__`, or the enclosing `Table('x', ...)`/`op.create_table('x', ...)`. */
function pyTableOf(node: SgNode): string | undefined {
  for (const ancestor of node.ancestors()) {
    if (ancestor.kind() === 'class_definition') return tableOfClass(ancestor) ?? ancestor.field('name')?.text().toLowerCase();
    if (ancestor.kind() === 'call' && TABLE_CALL.test(ancestor.field('function')?.text() ?? '')) {
      return pyStaticString(positionalArguments(ancestor)[0])?.toLowerCase();
    }
    if (ancestor.kind() === 'with_statement') {
      const call = ancestor.find({ rule: { kind: 'call', regex: 'batch_alter_table' } });
      if (call) return pyStaticString(positionalArguments(call)[0])?.toLowerCase();
    }
  }
  return undefined;
}

interface PyIndexes {
  /** Lower-case column names leading an index, unique or primary key, each with its table when known. */
  leading: { table?: string; column: string }[];
}

const INDEX_CALL = /(^|\.)(Index|UniqueConstraint|PrimaryKeyConstraint|create_index|create_unique_constraint|create_primary_key)$/;
const pyIndexCache = new WeakMap<RuleFile, PyIndexes>();

function pyIndexes(context: RuleContext): PyIndexes {
  let indexes = pyIndexCache.get(context.file);
  if (indexes) return indexes;
  indexes = { leading: [] };
  const root = context.root!;
  const classTables = new Map<string, string>();
  for (const cls of root.findAll({ rule: { kind: 'class_definition' } })) {
    const table = tableOfClass(cls);
    if (table) classTables.set(cls.field('name')!.text(), table);
  }
  for (const call of root.findAll({ rule: { kind: 'call', has: { field: 'function', regex: INDEX_CALL.source } } })) {
    const kind = lastSegment(call.field('function')!.text());
    const args = positionalArguments(call);
    let table = pyTableOf(call);
    let first: SgNode | undefined;
    if (kind === 'Index') first = args[1];
    else if (kind === 'UniqueConstraint' || kind === 'PrimaryKeyConstraint') first = args[0];
    else {
      // op.create_index(name, table, [cols]) or, in batch mode, batch_op.create_index(name, [cols]).
      const columns = keywordArgument(call, 'columns');
      if (args[1] && (args[1].kind() === 'list' || args[1].kind() === 'tuple')) first = args[1];
      else {
        table = pyStaticString(args[1] ?? keywordArgument(call, 'table_name'))?.toLowerCase() ?? table;
        first = columns ?? args[2];
      }
    }
    const column = pyColumnName(first);
    if (!column) continue;
    indexes.leading.push({ table: (column.owner && classTables.get(column.owner)) ?? table, column: column.column });
  }
  pyIndexCache.set(context.file, indexes);
  return indexes;
}

function pyCovered(context: RuleContext, table: string | undefined, column: string): boolean {
  return pyIndexes(context).leading.some((entry) => entry.column === column && (!entry.table || !table || entry.table === table));
}

/** `order_id = mapped_column(...)` / `order_id: Mapped[int] = mapped_column(...)`: the attribute name. */
function assignedName(call: SgNode): string | undefined {
  const parent = call.parent();
  if (parent?.kind() !== 'assignment' || parent.field('right')?.id() !== call.id()) return undefined;
  const left = parent.field('left');
  return left?.kind() === 'identifier' ? left.text() : undefined;
}

const COLUMN_CALL = /(^|\.)(Column|mapped_column)$/;

function checkSqlAlchemyColumn(call: SgNode, context: RuleContext): void {
  const args = positionalArguments(call);
  const foreignKey = args.find((a) => a.kind() === 'call' && lastSegment(a.field('function')?.text() ?? '') === 'ForeignKey');
  if (!foreignKey) return;
  for (const flag of ['index', 'primary_key', 'unique']) {
    const value = keywordArgument(call, flag);
    if (value && pyStaticBool(value) !== false) return;
  }
  const explicitName = pyStaticString(args[0]) ?? pyStaticString(keywordArgument(call, 'name'));
  const name = (explicitName ?? assignedName(call))?.toLowerCase();
  if (!name || inRollbackOrMySqlCode(call, context)) return;
  const table = pyTableOf(call);
  if (table && SINGLETON_TABLE.test(table)) return;
  if (pyCovered(context, table, name)) return;
  const target = pyStaticString(positionalArguments(foreignKey)[0]) ?? positionalArguments(foreignKey)[0]?.text() ?? '?';
  context.report({
    node: call,
    message: `Foreign key column \`${table ? `${table}.` : ''}${name}\` (→ ${target}) has no index: add \`index=True\` or an \`Index\` on it.`,
  });
}

/** `op.create_foreign_key("fk", "payments", "orders", ["order_id"], ["id"])` with no index on `payments.order_id`. */
function checkAlembicForeignKey(call: SgNode, context: RuleContext): void {
  const args = positionalArguments(call);
  const table = pyStaticString(args[1] ?? keywordArgument(call, 'source_table'))?.toLowerCase();
  const referent = pyStaticString(args[2] ?? keywordArgument(call, 'referent_table'));
  const column = pyColumnName(args[3] ?? keywordArgument(call, 'local_cols'));
  if (!table || !column || SINGLETON_TABLE.test(table) || pyCovered(context, table, column.column) || inRollbackOrMySqlCode(call, context)) return;
  context.report({
    node: call,
    message: `Foreign key \`${table}.${column.column}\` (→ ${referent ?? '?'}) is created without an index: add \`op.create_index(...)\` on it in this migration.`,
  });
}

/**
 * Table-level `ForeignKeyConstraint(["order_id"], ["orders.id"])`, as Alembic autogenerate writes
 * it inside `op.create_table(...)` (and models in `__table_args__`).
 */
function checkForeignKeyConstraint(call: SgNode, context: RuleContext): void {
  const [local, remote] = positionalArguments(call);
  const column = pyColumnName(local ?? keywordArgument(call, 'columns'));
  const table = pyTableOf(call);
  if (!column || (table && SINGLETON_TABLE.test(table)) || pyCovered(context, table, column.column) || inRollbackOrMySqlCode(call, context)) return;
  const target = pyColumnName(remote ?? keywordArgument(call, 'refcolumns'));
  const targetText = remote ? (pyStaticString(remote.children().find((c) => c.kind() === 'string')) ?? target?.column ?? '?') : '?';
  context.report({
    node: call,
    message: `Foreign key \`${table ? `${table}.` : ''}${column.column}\` (→ ${targetText}) has no index: add \`op.create_index(...)\` / an \`Index\` on it.`,
  });
}

/** SQLModel: `user_id: int = Field(foreign_key="users.id")` without `index=True`. */
function checkSqlModelField(call: SgNode, context: RuleContext): void {
  const target = pyStaticString(keywordArgument(call, 'foreign_key'));
  if (target === undefined) return;
  for (const flag of ['index', 'primary_key', 'unique']) {
    const value = keywordArgument(call, flag);
    if (value && pyStaticBool(value) !== false) return;
  }
  const name = assignedName(call)?.toLowerCase();
  if (!name || inRollbackOrMySqlCode(call, context)) return;
  const table = pyTableOf(call);
  if ((table && SINGLETON_TABLE.test(table)) || pyCovered(context, table, name)) return;
  context.report({
    node: call,
    message: `Foreign key field \`${table ? `${table}.` : ''}${name}\` (→ ${target}) has no index: add \`index=True\` to the Field.`,
  });
}

/** Django indexes every ForeignKey unless told not to: `db_index=False` is the one case to report. */
function checkDjangoForeignKey(call: SgNode, context: RuleContext): void {
  const noIndex = keywordArgument(call, 'db_index');
  if (!noIndex || pyStaticBool(noIndex) !== false) return;
  const name = assignedName(call);
  if (name && pyCovered(context, pyTableOf(call), name.toLowerCase())) return;
  context.report({
    node: call,
    message: `ForeignKey \`${name ?? '?'}\` is declared with \`db_index=False\` and no index covers it: lookups from the related model scan the table.`,
  });
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript: TypeORM relations, knex schema builders.
// ---------------------------------------------------------------------------------------------

function decoratorName(decorator: SgNode): string {
  const expression = decorator.children().find((c) => c.isNamed());
  const callee = expression?.kind() === 'call_expression' ? expression.field('function') : expression;
  return lastSegment(callee?.text() ?? '');
}

function decoratorArgs(decorator: SgNode): SgNode[] {
  const expression = decorator.children().find((c) => c.isNamed());
  return expression?.kind() === 'call_expression' ? callArguments(expression) : [];
}

function decoratorsOf(node: SgNode | null): SgNode[] {
  return node?.children().filter((c) => c.kind() === 'decorator') ?? [];
}

/** First column of a class-level `@Index(['user', ...])` / `@Unique('uq', ['userId'])` / `@Index((p) => [p.user])`. */
function classIndexColumn(decorator: SgNode): string | undefined {
  for (const arg of decoratorArgs(decorator)) {
    const match = /^\(?[^)]*\)?\s*=>\s*\[\s*\w+\.(\w+)|^\[\s*['"`](\w+)/.exec(arg.text());
    if (match) return match[1] ?? match[2];
  }
  return undefined;
}

function propertyName(field: SgNode): string | undefined {
  return field.children().find((c) => c.kind() === 'property_identifier')?.text();
}

function checkTypeOrmRelation(decorator: SgNode, context: RuleContext): void {
  if (decoratorName(decorator) !== 'ManyToOne') return;
  const field = decorator.parent();
  const property = field && propertyName(field);
  if (!field || !property) return;
  const siblings = decoratorsOf(field).map(decoratorName);
  if (siblings.some((n) => n === 'Index' || n === 'Unique' || n === 'PrimaryColumn')) return;
  const joinColumn = decoratorsOf(field).find((d) => decoratorName(d) === 'JoinColumn');
  const joinOptions = joinColumn && decoratorArgs(joinColumn)[0];
  const columnName = (joinOptions && tsStaticString(objectProperty(joinOptions, 'name'))) ?? `${property}Id`;
  const names = new Set([property, columnName]);
  const body = field.parent();
  const classNode = body?.parent();
  // A separate `@Index() @Column() userId` property, or a class-level index starting with the relation.
  for (const other of body?.children() ?? []) {
    const otherName = propertyName(other);
    if (otherName && otherName !== property && names.has(otherName) && decoratorsOf(other).some((d) => /^(Index|Unique|PrimaryColumn)$/.test(decoratorName(d)))) return;
  }
  const classDecorators = [...decoratorsOf(classNode ?? null), ...(classNode?.parent()?.kind() === 'export_statement' ? decoratorsOf(classNode.parent()) : [])];
  for (const d of classDecorators) {
    if (/^(Index|Unique)$/.test(decoratorName(d))) {
      const first = classIndexColumn(d);
      if (first && names.has(first)) return;
    }
  }
  context.report({
    node: decorator,
    message: `\`@ManyToOne\` relation \`${property}\` creates foreign key \`${columnName}\` with no index: add \`@Index()\` to the property or \`@Index(['${property}'])\` to the entity.`,
  });
}

const KNEX_INDEX_CALL = /\.(index|unique|primary)\s*\(\s*\[?\s*['"`](\w+)['"`]/g;
const knexIndexCache = new WeakMap<RuleFile, Set<string>>();

/** Columns leading a `table.index([...])` / `.unique()` / `.primary()` anywhere in the migration. */
function knexIndexedColumns(context: RuleContext): Set<string> {
  let columns = knexIndexCache.get(context.file);
  if (!columns) {
    columns = new Set([...context.source.matchAll(KNEX_INDEX_CALL)].map((m) => m[2].toLowerCase()));
    knexIndexCache.set(context.file, columns);
  }
  return columns;
}

/** `t.integer('user_id').references('id').inTable('users')` / `t.foreign('user_id').references('users.id')`. */
function checkKnexReference(call: SgNode, context: RuleContext): void {
  const callee = call.field('function');
  if (callee?.kind() !== 'member_expression' || callee.field('property')?.text() !== 'references') return;
  const target = tsStaticString(callArguments(call)[0]);
  if (target === undefined) return;
  // Down the chain to the call that names the column.
  let column: string | undefined;
  for (let inner = callee.field('object'); inner?.kind() === 'call_expression'; inner = inner.field('function')?.field('object') ?? null) {
    const innerCallee = inner.field('function');
    if (innerCallee?.kind() !== 'member_expression') break;
    const named = tsStaticString(callArguments(inner)[0]);
    if (named !== undefined && innerCallee.field('object')?.kind() !== 'call_expression') column = named;
  }
  if (!column || !/^\w+$/.test(column)) return;
  // Up the chain: `.references('id').inTable('users').index()`.
  let chain: SgNode = call;
  while (chain.parent()?.kind() === 'member_expression' && chain.parent()!.parent()?.kind() === 'call_expression') chain = chain.parent()!.parent()!;
  if (/\.(index|unique|primary)\s*\(/.test(chain.text()) || /\.(unique|primary)\s*\(/.test(callee.text())) return;
  if (knexIndexedColumns(context).has(column.toLowerCase()) || inRollbackOrMySqlCode(call, context)) return;
  const owner = call.ancestors().find((a) => a.kind() === 'call_expression' && /\.(createTable|alterTable|table|createTableIfNotExists)$/.test(a.field('function')?.text() ?? ''));
  const ownerTable = owner && tsStaticString(callArguments(owner)[0]);
  if (ownerTable && SINGLETON_TABLE.test(ownerTable)) return;
  const inTable = /\.inTable\s*\(\s*['"`]([\w.]+)/.exec(chain.text())?.[1];
  context.report({
    node: call,
    message: `Foreign key column \`${column}\` (→ ${inTable ? `${inTable}.${target}` : target}) has no index: chain \`.index()\` or add \`table.index(['${column}'])\`.`,
  });
}

/**
 * What a file must contain for each visitor to have work: checked once per file, so the visitors on
 * frequent kinds (`call`, `call_expression`) return at once everywhere else.
 */
const NEEDS = {
  py: /\b(Column|mapped_column|create_foreign_key|ForeignKeyConstraint)\(|db_index\s*=\s*False|\bforeign_key\s*=/,
  /** MikroORM also spells it `@ManyToOne`, but indexes foreign keys by itself. */
  typeorm: /['"]typeorm['"]/,
  knex: /\.references\(/,
};
const needsCache = new WeakMap<RuleFile, Record<keyof typeof NEEDS, boolean>>();

function has(context: RuleContext, what: keyof typeof NEEDS): boolean {
  let flags = needsCache.get(context.file);
  if (!flags) {
    flags = { py: NEEDS.py.test(context.source), typeorm: NEEDS.typeorm.test(context.source) && /@ManyToOne\b/.test(context.source), knex: NEEDS.knex.test(context.source) };
    needsCache.set(context.file, flags);
  }
  return flags[what];
}

export default defineRule({
  meta: {
    id: 'database/foreign-key-without-index',
    title: 'Foreign key without an index',
    area: 'database',
    severity: 'medium',
    type: 'performance',
    effort: 'small',
    confidence: 'medium',
    languages: ['py', 'ts', 'sql'],
    since: '0.1.0',
    description: 'A foreign-key column (SQLAlchemy, Alembic, TypeORM, knex, Prisma, SQL DDL) that no index starts with.',
    why:
      'PostgreSQL and SQLite do not index the referencing side of a foreign key. Every join from the parent ' +
      '(`order.items`), every "children of X" query and every `DELETE`/`UPDATE` of a parent row (the FK check looks up ' +
      'its children) then scans the whole child table: fine with a thousand rows, a lock-holding full scan with a ' +
      'million. Covered columns are not reported: `index=True`, `unique=True`, `primary_key=True`, or an ' +
      '`Index`/`UniqueConstraint`/`PrimaryKeyConstraint`/`op.create_index`/`CREATE INDEX`/`@@index`/`@Index` whose FIRST ' +
      'column is the foreign key, anywhere in the same file. Django ForeignKeys are indexed by Django and only reported ' +
      'with `db_index=False`; MySQL DDL and MySQL Prisma schemas are skipped (InnoDB indexes foreign keys itself); ' +
      'TypeORM `@OneToOne` join columns get a unique constraint and are skipped.',
    recommendation:
      'Index the foreign-key column: `mapped_column(ForeignKey("orders.id"), index=True)`, `op.create_index(...)` in ' +
      'the same Alembic revision, `CREATE INDEX ix_order_items_order_id ON order_items (order_id)`, `@@index([authorId])` ' +
      'in Prisma, `@Index()` on a TypeORM relation, `.index()` on a knex column. A composite index serves it only when ' +
      'the foreign key is its first column.',
    examples: [
      {
        language: 'py',
        bad: 'class OrderItem(Base):\n    __tablename__ = "order_items"\n    id: Mapped[int] = mapped_column(primary_key=True)\n    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))\n',
        good: 'class OrderItem(Base):\n    __tablename__ = "order_items"\n    id: Mapped[int] = mapped_column(primary_key=True)\n    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)\n',
      },
      {
        language: 'ts',
        bad: "import { Entity, ManyToOne } from 'typeorm';\n\n@Entity()\nexport class Post {\n  @ManyToOne(() => User, (user) => user.posts)\n  author: User;\n}\n",
        good: "import { Entity, Index, ManyToOne } from 'typeorm';\n\n@Entity()\nexport class Post {\n  @Index()\n  @ManyToOne(() => User, (user) => user.posts)\n  author: User;\n}\n",
      },
    ],
    references: [
      'seed 000 (User model: indexes; proper foreign key relationships), seed 004 (missing indexes)',
      'PostgreSQL docs 5.5.5 Foreign Keys: "the declaration of a foreign key constraint does not automatically create an index on the referencing columns"',
      'Prisma docs: Indexes (relationMode = "prisma" needs @@index on relation scalars)',
      'Squawk / pgMustard: foreign keys without an index',
    ],
  },
  // Everything this rule can find names a foreign key in one of these spellings.
  fileFilter: /ForeignKey|create_foreign_key|foreign_key\s*=|\.references\(|@relation|ManyToOne|\breferences\s+[\w"`.[\]]+\s*\(/i,
  visitors: {
    py: {
      call(node, context) {
        if (!has(context, 'py')) return;
        const callee = node.field('function')?.text() ?? '';
        if (COLUMN_CALL.test(callee)) checkSqlAlchemyColumn(node, context);
        else if (/(^|\.)create_foreign_key$/.test(callee)) checkAlembicForeignKey(node, context);
        else if (/(^|\.)ForeignKeyConstraint$/.test(callee)) checkForeignKeyConstraint(node, context);
        else if (callee === 'Field') checkSqlModelField(node, context);
        else if (/(^|\.)models\.ForeignKey$|^ForeignKey$/.test(callee) && node.parent()?.kind() !== 'argument_list') checkDjangoForeignKey(node, context);
      },
    },
    ts: {
      decorator(node, context) {
        if (has(context, 'typeorm')) checkTypeOrmRelation(node, context);
      },
      call_expression(node, context) {
        if (has(context, 'knex')) checkKnexReference(node, context);
      },
    },
  },
  onFile(context) {
    if (context.file.family === 'text') {
      if (context.file.path.endsWith('.prisma')) checkPrisma(context);
      else if (context.file.path.endsWith('.sql')) checkDdl(context);
      return;
    }
    checkDdl(context);
  },
});
