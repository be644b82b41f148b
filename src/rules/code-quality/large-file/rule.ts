import type { SgNode } from '@ast-grep/napi';
import { defineRule } from '../../../core/rule.js';

const DEFAULT_MAX = 500;
/** Share of the file's lines one literal must cover for the file to be data, not code. */
const DATA_SHARE = 0.8;

/** Schema migrations: generated or append-only history, never refactored (Django, Alembic, TypeORM, knex). */
const MIGRATION_PATH = /(^|\/)(migrations|alembic\/versions)\//;

const LITERAL_KINDS = new Set(['dictionary', 'list', 'tuple', 'set', 'object', 'array']);
const WRAPPER_KINDS = new Set(['as_expression', 'satisfies_expression', 'parenthesized_expression']);

function unwrapLiteral(node: SgNode | null): SgNode | null {
  let current = node;
  while (current && WRAPPER_KINDS.has(String(current.kind()))) current = current.child(0);
  return current;
}

/** The literal a top-level statement assigns (`X = {...}`, `export const X = [...]`, `module.exports = {...}`). */
function assignedLiteral(statement: SgNode): SgNode | null {
  let node: SgNode | null = statement;
  if (node.kind() === 'export_statement') node = node.field('declaration') ?? node.field('value');
  if (!node) return null;
  if (node.kind() === 'expression_statement') node = node.child(0);
  if (!node) return null;
  const kind = String(node.kind());
  if (kind === 'assignment' || kind === 'assignment_expression') return unwrapLiteral(node.field('right'));
  if (kind === 'lexical_declaration' || kind === 'variable_declaration') {
    const declarators = node.children().filter((c) => c.kind() === 'variable_declarator');
    return declarators.length === 1 ? unwrapLiteral(declarators[0].field('value')) : null;
  }
  return unwrapLiteral(node);
}

function span(node: SgNode): number {
  const { start, end } = node.range();
  return end.line - start.line + 1;
}

/** A module that is mostly one big literal (fixtures, translations, lookup tables) is data. */
function isDataModule(largest: SgNode | undefined, largestSpan: number, totalLines: number): boolean {
  if (!largest || largestSpan < DATA_SHARE * totalLines) return false;
  const literal = assignedLiteral(largest);
  return literal !== null && LITERAL_KINDS.has(String(literal.kind()));
}

function isDocstring(statement: SgNode): boolean {
  return statement.kind() === 'expression_statement' && statement.child(0)?.kind() === 'string';
}

/** The named class or function a top-level statement declares, looking through decorators and `export`. */
function declaration(statement: SgNode): { label: string; node: SgNode } | undefined {
  let node: SgNode | null = statement;
  if (node.kind() === 'decorated_definition') node = node.field('definition');
  if (node?.kind() === 'export_statement') node = node.field('declaration');
  if (!node) return undefined;
  const kind = String(node.kind());
  const name = node.field('name')?.text();
  if (!name) return undefined;
  if (kind === 'class_definition' || kind === 'class_declaration' || kind === 'abstract_class_declaration') return { label: `class ${name}`, node: statement };
  if (kind === 'function_definition' || kind === 'function_declaration' || kind === 'generator_function_declaration') return { label: `function ${name}`, node: statement };
  return undefined;
}

export default defineRule({
  meta: {
    id: 'code-quality/large-file',
    title: 'Large file',
    area: 'code-quality',
    severity: 'medium',
    type: 'enhancement',
    effort: 'large',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'Source files with more code lines than the configured maximum (500 by default).',
    why:
      'A file this size usually holds several responsibilities: it is hard to review, every change touches it, merge ' +
      'conflicts concentrate there and tests for it grow slow and broad. Seed 001 lists its "4 large services (600+ LOC)" ' +
      'and seed 000 plans a review of a ~2000-line handler. Code lines are counted as in the inventory (blank lines, ' +
      'comments and docstrings do not count), and the finding names the count and the largest top-level class or ' +
      'function, where a split usually starts. It is reported on the first line of code, so a `probity-ignore` comment can ' +
      'sit in the header above it. The severity stays Medium whatever the size: size alone is maintenance cost, not a ' +
      'production risk, and the count in the message orders the files. Not reported: test files (a test module grows with ' +
      'the module it tests), schema migrations (`migrations/`, `alembic/versions/`: generated history that is never ' +
      'refactored), data modules where one literal (a dict, list or object of fixtures, translations or lookup tables) ' +
      'covers more than 80% of the lines, and generated or minified files, which discovery already leaves out.',
    recommendation:
      'Split the file along its responsibilities: move each cohesive group of functions or each class to its own module ' +
      'and keep the old module as a thin re-export while callers migrate. Start with the largest part named in the finding.',
    examples: [
      {
        language: 'py',
        bad: `"""Prompt building for every supported coin."""\n\n${Array.from({ length: 520 }, (_, i) => `LIMIT_${i} = ${i}`).join('\n')}\n`,
        good: `"""Prompt building for every supported coin."""\n\n${Array.from({ length: 400 }, (_, i) => `LIMIT_${i} = ${i}`).join('\n')}\n`,
      },
      {
        language: 'ts',
        bad: `export const first = 1;\n${Array.from({ length: 520 }, (_, i) => `export const limit${i} = ${i};`).join('\n')}\n`,
        good: `export const LIMITS = {\n${Array.from({ length: 520 }, (_, i) => `  limit${i}: ${i},`).join('\n')}\n};\n`,
      },
    ],
    references: ['seed 001 (4 large services, 600+ LOC)', 'seed 000 (claude.py, ~2000 lines)', 'pylint C0302 (too-many-lines)', 'ESLint max-lines', 'SonarQube S104 (too many lines of code)'],
    options: {
      maxLines: { default: DEFAULT_MAX, description: 'Most code lines a file may have (blank, comment and docstring lines do not count).' },
    },
  },
  onFile(context) {
    const { file, root } = context;
    if (!root || file.family === 'text') return;
    const option = Number(context.options.maxLines);
    const max = Number.isFinite(option) && option > 0 ? Math.floor(option) : DEFAULT_MAX;
    // Cheapest test first: a file with fewer physical lines cannot have more code lines.
    if (context.lines.length <= max || MIGRATION_PATH.test(file.path)) return;
    let nonBlank = 0;
    for (const line of context.lines) if (line.trim() !== '') nonBlank++;
    if (nonBlank <= max) return;
    const { codeLines } = file;
    if (codeLines <= max) return;
    const statements = root.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
    const bySize = statements.map((node) => ({ node, lines: span(node) })).sort((a, b) => b.lines - a.lines);
    if (isDataModule(bySize[0]?.node, bySize[0]?.lines ?? 0, context.lines.length)) return;
    const first = statements.find((s) => !(file.family === 'py' && isDocstring(s))) ?? statements[0];
    // The largest top-level class or function, looked for among the largest statements only.
    const largest = bySize
      .slice(0, 5)
      .map(({ node, lines }) => ({ part: declaration(node), lines }))
      .find(({ part }) => part !== undefined);
    const where =
      largest?.part && largest.lines >= 50
        ? `; the largest part is ${largest.part.label} (lines ${largest.part.node.range().start.line + 1}-${largest.part.node.range().end.line + 1})`
        : '';
    const line = first ? first.range().start.line : 0;
    context.report({
      range: { line: line + 1, column: 1, endLine: line + 1, endColumn: context.lines[line].length + 1 },
      message: `File has ${codeLines} code lines (limit ${max})${where}.`,
    });
  },
});
