import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { expandParts, pyBuiltString, pyLocalBuiltString, tsBuiltString, tsLocalBuiltString, type BuiltString } from '../../_shared/built-strings.js';
import { pyCarriesRequestInput, pyFunctionMaySeeRequest, tsCarriesRequestInput } from '../../_shared/request-input.js';
import { pyBindingsFor, unwrapTsExpression } from '../../_shared/static-values.js';
import { inValuePosition, pyIsSafePart, tsIsSafePart } from './dynamic.js';
import { looksLikeSql, pySqlSinks, tsSqlSinks, type SqlSink } from './sinks.js';

/** Files without any of these cannot show request input to the local checks (saves the search). */
const REQUEST_HINT = /\brequest\b|\breq\b|\bctx\b|searchParams|@\w+(\.\w+)*\.(get|post|put|patch|delete|route|api_route|websocket)\s*\(|\b(Query|Path|Body|Form)\s*\(|\bparams\b|\bc\.req\b/;

function listParts(parts: SgNode[]): string {
  const texts = [...new Set(parts.map((p) => p.text().replace(/\s+/g, ' ')))];
  const shown = texts.slice(0, 3).map((t) => `\`${t.length > 40 ? `${t.slice(0, 39)}…` : t}\``);
  return texts.length > 3 ? `${shown.join(', ')} and ${texts.length - 3} more` : shown.join(', ');
}

/** The SQL text a sink receives, followed through one local variable (`sql = f"..."; execute(sql)`). */
function builtQuery(query: SgNode, family: 'py' | 'ts'): { built: BuiltString; via?: string } | undefined {
  if (family === 'py') {
    // A plain literal (no f prefix) has nothing spliced: the common case, answered without walking it.
    if (query.kind() === 'string' && !/^[rRbBuU]*[fF]/.test(query.text())) return undefined;
    if (query.kind() === 'identifier') {
      const built = pyLocalBuiltString(query);
      return built ? { built, via: query.text() } : undefined;
    }
    const built = pyBuiltString(query);
    if (!built || !built.parts.length) return undefined;
    // `query + " AND x = %s"`: open the local variable only when the visible text does not say enough.
    return { built: looksLikeSql(built.template) ? built : expandParts(built, (part) => (part.kind() === 'identifier' ? pyLocalBuiltString(part) : undefined)) };
  }
  const node = unwrapTsExpression(query);
  if (node.kind() === 'string') return undefined;
  if (node.kind() === 'identifier') {
    const built = tsLocalBuiltString(node);
    return built ? { built, via: node.text() } : undefined;
  }
  const built = tsBuiltString(node);
  if (!built || !built.parts.length) return undefined;
  return { built: looksLikeSql(built.template) ? built : expandParts(built, (part) => (part.kind() === 'identifier' ? tsLocalBuiltString(part) : undefined)) };
}

function checkSink(call: SgNode, sink: SqlSink, family: 'py' | 'ts', context: RuleContext): void {
  const query = builtQuery(sink.query, family);
  if (!query) return;
  const { built, via } = query;
  if (sink.needsSqlText && !looksLikeSql(built.template)) return;
  // Without request input, only values spliced where SQL expects data are reported: names and
  // fragments (`FROM {table}`, `ORDER BY {column}`) are how code composes SQL it controls. Which
  // parts to examine is decided first, from cheap facts, before resolving any name.
  const mayHaveRequest = REQUEST_HINT.test(context.source) && (family === 'ts' || pyFunctionMaySeeRequest(call));
  const candidates = built.parts.filter((_part, i) => !built.numeric[i] && (mayHaveRequest || inValuePosition(built.template, i)));
  if (!candidates.length) return;
  const unsafeAll = candidates.filter((part) => !(family === 'py' ? pyIsSafePart(part) : tsIsSafePart(part)));
  if (!unsafeAll.length) return;
  const carries = (part: SgNode) => mayHaveRequest && (family === 'py' ? pyCarriesRequestInput(part) : tsCarriesRequestInput(part));
  const fromRequest = unsafeAll.some(carries);
  const unsafe = fromRequest ? unsafeAll.filter(carries) : unsafeAll.filter((part) => inValuePosition(built.template, built.parts.indexOf(part)));
  if (!unsafe.length) return;
  // Names (table, column, sort order) cannot be bound parameters: they need an allow-list.
  const advice = unsafe.some((part) => inValuePosition(built.template, built.parts.indexOf(part)))
    ? 'pass values as bound parameters'
    : 'names cannot be bound parameters, so pick them from an allow-list';
  const what = via ? `SQL text \`${via}\` built from ${listParts(unsafe)}` : `SQL text built from ${listParts(unsafe)}`;
  // In a builder chain (`repo.createQueryBuilder()\n  .where(...)`) blame the method, not the chain's first line.
  const property = family === 'ts' ? call.field('function')?.field('property') : undefined;
  const blamed = property && property.range().start.line !== call.range().start.line ? property : call;
  context.report({
    node: blamed,
    message: `\`${sink.display}\` runs ${what}${fromRequest ? ' (request input)' : ''}: quotes or SQL in ${unsafe.length > 1 ? 'these values' : 'that value'} change the query; ${advice}.`,
    severity: fromRequest ? 'critical' : undefined,
  });
}

/** Cheap pre-check on the callee text before resolving anything. */
const TS_SINK_NAME = /\.(query|execute|prepare|run|all|get|exec|each|queryAsync|raw|\w+Raw|\$\w+RawUnsafe|unsafe|where|andWhere|orWhere|having|andHaving|orHaving|orderBy|addOrderBy|groupBy|innerJoin|leftJoin|select|addSelect)$/;

export default defineRule({
  meta: {
    id: 'security/sql-injection',
    title: 'SQL built from variable values',
    area: 'security',
    severity: 'high',
    type: 'security',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'SQL text built with an f-string, `%`, `.format()`, `+` or a template literal from non-constant values reaches an execute/raw/query call.',
    why:
      'When a value is spliced into SQL text, the database cannot tell data from code: a quote in the value ends the string ' +
      'literal and the rest runs as SQL (`\' OR 1=1 --`, `; DROP TABLE ...`). Whoever controls the value can read or change ' +
      'any row the connection can reach. Critical when the value visibly comes from the request (query/body/path parameters, ' +
      'a FastAPI/Flask/Django handler argument, `req.params`); High otherwise, because values travel and today\'s internal ' +
      'id is tomorrow\'s API field. Without visible request input, only values spliced where SQL expects data are reported ' +
      '(inside quotes, after a comparison or LIKE, in IN/VALUES lists, LIMIT/OFFSET): names and fragments (`FROM {table}`, ' +
      '`ORDER BY {column}`, variables named `*_sql`, `where`, `placeholders`) are how code composes SQL it controls (Django\'s ' +
      'ORM and schema editors do it constantly) and are reported only when they come from the request. ' +
      'Not reported: text whose spliced parts are all constants (UPPER_CASE names, literals, ' +
      'a loop over a constant list), numbers (`int(...)`, `{n:d}`, a `number`-typed parameter), quoted identifiers ' +
      '(`quote_name`, `qn`, `quote_ident`, `sql.Identifier`, `escapeId`), generated placeholder lists ' +
      '(`", ".join(["%s"] * len(ids))`, `ids.map(() => "?").join()`), parameters passed separately ' +
      '(`cursor.execute("... %s", (x,))`) and tagged templates (`prisma.$queryRaw\\`...${x}\\``, `sql\\`...\\``) which bind their values.',
    recommendation:
      'Keep the SQL text constant and pass values as parameters: `cursor.execute("SELECT * FROM users WHERE email = %s", (email,))`, ' +
      '`session.execute(text("... WHERE id = :id"), {"id": user_id})`, `pool.query("... WHERE id = $1", [id])`, ' +
      '`knex.whereRaw("id = ?", [id])`, `prisma.$queryRaw\\`... ${id}\\``. Identifiers (table, column, sort order) cannot be ' +
      'parameters: pick them from an allow-list or quote them with the driver\'s identifier quoting.',
    examples: [
      {
        language: 'py',
        bad: 'from flask import request\n\n@app.get("/users")\ndef find_user():\n    name = request.args["name"]\n    cursor.execute(f"SELECT * FROM users WHERE name = \'{name}\'")\n',
        good: 'from flask import request\n\n@app.get("/users")\ndef find_user():\n    name = request.args["name"]\n    cursor.execute("SELECT * FROM users WHERE name = %s", (name,))\n',
      },
      {
        language: 'ts',
        bad: "app.get('/users/:id', async (req, res) => {\n  const rows = await pool.query(`SELECT * FROM users WHERE id = ${req.params.id}`);\n  res.json(rows);\n});\n",
        good: "app.get('/users/:id', async (req, res) => {\n  const rows = await pool.query('SELECT * FROM users WHERE id = $1', [req.params.id]);\n  res.json(rows);\n});\n",
      },
    ],
    references: [
      'seeds 000, 001, 004 (raw SQL and injection review)',
      'Bandit B608 hardcoded_sql_expressions',
      'Semgrep python.lang.security.audit.formatted-sql-query, python.sqlalchemy.security.sqlalchemy-execute-raw-query',
      'Semgrep javascript.sequelize.security.audit.sequelize-injection-express, javascript.knex raw injection rules',
      'OWASP SQL Injection Prevention Cheat Sheet',
    ],
    cwe: ['CWE-89'],
    nosec: ['B608'],
  },
  // Every sink is a method or wrapper with one of these names.
  // SQL text is written with its keywords (upper case by convention) or goes through a raw API.
  fileFilter: /\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|TRUNCATE|WHERE|PRAGMA|REFRESH|VACUUM)\b|\b(select\s[\s\S]{0,80}\sfrom|insert\s+into|delete\s+from)\s|Raw\s*\(|RawUnsafe|\.raw\s*\(|\.extra\s*\(|RawSQL|createQueryBuilder/,
  visitors: {
    py: {
      call(node, context) {
        const callee = node.field('function')?.text() ?? '';
        if (!/(^|\.)(execute|executemany|executescript|exec_driver_sql|fetch|fetchrow|fetchval|fetch_all|fetch_one|fetch_val|mogrify|raw|extra|text|RawSQL)$/.test(callee)) return;
        const sinks = pySqlSinks(node, () => pyBindingsFor(context.file, node, context.source));
        for (const sink of sinks) checkSink(node, sink, 'py', context);
      },
    },
    ts: {
      call_expression(node, context) {
        const callee = node.field('function');
        if (callee?.kind() !== 'member_expression' || !TS_SINK_NAME.test(callee.text())) return;
        const sinks = tsSqlSinks(node);
        for (const sink of sinks) checkSink(node, sink, 'ts', context);
      },
    },
  },
});
