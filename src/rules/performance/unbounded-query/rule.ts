import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { chainTop, tsCallee } from '../../_shared/data-access.js';
import { positionalArguments } from '../../_shared/python.js';
import { tsStaticString } from '../../_shared/static-values.js';
import { callArguments } from '../../_shared/typescript.js';

/** Anything that bounds, narrows or aggregates the result. */
const PY_BOUNDED = /\.(limit|offset|slice|paginate|where|filter|filter_by|get|first|one|one_or_none|scalar|scalar_one|count|exists|aggregate|get_or_404|first_or_404|fetch)\(|\[\s*[-\w.]*\s*:|\bpaginat|\bPaginator\b|\bLIMIT\b/i;
const TS_BOUNDED = /\.(limit|offset|where|whereIn|andWhere|first|paginate|count|countDistinct|findFirst|findUnique|take|skip|range|modify)\(|\b(take|limit|where|cursor|skip)\s*[:,}]|\bLIMIT\b/i;

/** Lookup tables that stay small by nature (settings, categories, countries, roles): listing them whole is normal. */
const LOOKUP_TABLE = /(select\(|query\(|\b|prisma\.|knex\(['"`]|\bdb\(['"`])[A-Za-z]*(setting|config|categor|countr|currenc|language|locale|role|permission|plan|feature_?flag|timezone)/i;

// ---- Python -------------------------------------------------------------------------------

const PY_ROUTE = /^@\s*[\w.]+\.(get|route|api_route)\s*\(/;
// (List endpoints are reads: POST/PUT handlers that load a table are exports or jobs, judged elsewhere.)
const PY_VIEW_DECORATOR = /^@\s*(api_view|require_(GET|POST|http_methods|safe)|login_required|permission_required|action)\b/;

/** A web request handler: a route-decorated function, a Django/DRF view function, or a class-based view's HTTP method. */
function pyHandler(node: SgNode): SgNode | undefined {
  const fn = node.ancestors().find((a) => a.kind() === 'function_definition');
  if (!fn || fn.ancestors().some((a) => a.kind() === 'function_definition')) return undefined;
  const decorated = fn.parent()?.kind() === 'decorated_definition' ? fn.parent()! : undefined;
  const decorators = decorated?.children().filter((c) => c.kind() === 'decorator').map((d) => d.text()) ?? [];
  if (decorators.some((d) => PY_ROUTE.test(d) || PY_VIEW_DECORATOR.test(d))) return fn;
  const parameters = fn.field('parameters')?.children().filter((c) => c.isNamed()).map((p) => p.text().split(/[:=]/)[0].trim()) ?? [];
  const inClass = fn.ancestors().some((a) => a.kind() === 'class_definition');
  if (inClass) {
    const name = fn.field('name')?.text() ?? '';
    return /^(get|list|post)$/.test(name) && parameters[0] === 'self' && parameters[1] === 'request' ? fn : undefined;
  }
  return parameters[0] === 'request' ? fn : undefined;
}

/** The value last assigned to `name` before `before` inside `fn`. */
function pyAssigned(fn: SgNode, name: string, before: SgNode): SgNode | undefined {
  let value: SgNode | undefined;
  for (const assignment of fn.findAll({ rule: { kind: 'assignment' } })) {
    if (assignment.range().start.index >= before.range().start.index) break;
    if (assignment.field('left')?.text() === name) value = assignment.field('right') ?? undefined;
  }
  return value;
}

/** The innermost receiver of a chain: `result` in `result.scalars().all()`. */
function chainRoot(expression: SgNode): SgNode {
  let current = expression;
  for (let i = 0; i < 20; i++) {
    const kind = current.kind();
    if (kind === 'call') current = current.field('function') ?? current;
    else if (kind === 'attribute') current = current.field('object') ?? current;
    else if (kind === 'await' || kind === 'parenthesized_expression') current = current.children().find((c) => c.isNamed()) ?? current;
    else break;
  }
  return current;
}

function checkPythonAll(call: SgNode, context: RuleContext): void {
  const callee = call.field('function');
  if (callee?.kind() !== 'attribute' || callee.field('attribute')?.text() !== 'all' || positionalArguments(call).length > 0) return;
  const handler = pyHandler(call);
  if (!handler) return;
  const top = chainTop(call, 'py');
  const topMethod = top.field('function')?.field('attribute')?.text() ?? '';
  if (/^(count|exists|first|last|aggregate|get|delete|update|none)$/.test(topMethod)) return;
  if (top.parent()?.kind() === 'subscript') return;
  let statement = top.text();
  const root = chainRoot(call);
  if (root.kind() === 'identifier') statement += ` ${pyAssigned(handler, root.text(), call)?.text() ?? ''}`;
  const django = /^[A-Z]\w*\.objects\.all\(\)/.test(top.text());
  const sqlalchemy = /\bselect\(|\.query\(|^[A-Z]\w*\.query\./.test(statement);
  if (!django && !sqlalchemy) return;
  if (PY_BOUNDED.test(statement) || LOOKUP_TABLE.test(statement)) return;
  if (django && !isServed(top, handler)) return;
  if (sqlalchemy && /\bselect\(\s*func\./.test(statement)) return;
  context.report({
    node: call,
    message: `\`${shortText(top)}\` in view \`${handler.field('name')?.text() ?? '?'}\` loads every row with no limit or pagination: the response and its query grow with the table.`,
  });
}

/** A Django queryset that is returned, serialised (`many=True`) or rendered, not only counted or filtered later. */
function isServed(top: SgNode, handler: SgNode): boolean {
  for (const ancestor of top.ancestors()) {
    if (ancestor.id() === handler.id()) break;
    const kind = ancestor.kind();
    if (kind === 'return_statement') return !/paginat/i.test(ancestor.text());
    if (kind === 'call' && /\bmany\s*=\s*True\b/.test(ancestor.field('arguments')?.text() ?? '')) return true;
    if (kind === 'expression_statement' || kind === 'assignment') break;
  }
  return false;
}

function shortText(node: SgNode): string {
  const text = node.text().replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// ---- TypeScript / JavaScript ---------------------------------------------------------------

const TS_ROUTE_METHOD = /^(get|all)$/;
const NEXT_ROUTE_EXPORT = /^GET$/;

/** The route a function handles: a callback passed to `app.get('/x', ...)`, a Next.js route export, a Nest `@Get()` method. */
function tsHandler(node: SgNode, context: RuleContext): { fn: SgNode; label: string } | undefined {
  for (const fn of node.ancestors()) {
    const kind = String(fn.kind());
    if (!/^(function_declaration|function_expression|arrow_function|method_definition|function)$/.test(kind)) continue;
    const args = fn.parent();
    const registration = args?.parent();
    if (args?.kind() === 'arguments' && registration?.kind() === 'call_expression') {
      const callee = registration.field('function');
      const method = callee?.kind() === 'member_expression' ? callee.field('property')?.text() ?? '' : '';
      const path = tsStaticString(callArguments(registration)[0]);
      if (TS_ROUTE_METHOD.test(method) && path !== undefined && path.startsWith('/')) return { fn, label: `${method.toUpperCase()} ${path}` };
      continue;
    }
    if (kind === 'function_declaration' && fn.parent()?.kind() === 'export_statement') {
      const name = fn.field('name')?.text() ?? '';
      if (NEXT_ROUTE_EXPORT.test(name) && /(^|\/)app\/.*route\.[jt]sx?$/.test(context.file.path)) return { fn, label: `${name} route` };
      if (/(^|\/)pages\/api\//.test(context.file.path) && /\bdefault\b/.test(fn.parent()!.text().slice(0, 30))) return { fn, label: 'API route' };
    }
    if (kind === 'method_definition') {
      const decorators = fn.parent()?.children().filter((c) => c.kind() === 'decorator') ?? [];
      const before = fn.prev();
      const decoratorText = [...decorators.map((d) => d.text()), before?.kind() === 'decorator' ? before.text() : ''].join(' ');
      const own = fn.children().filter((c) => c.kind() === 'decorator').map((d) => d.text()).join(' ');
      if (/@(Get)\(/.test(`${decoratorText} ${own}`)) return { fn, label: `${fn.field('name')?.text() ?? '?'}()` };
    }
    return undefined;
  }
  return undefined;
}

const FIND_ALL = /^(?:this\.)?(?:prisma|db|prismaClient)\.\w+\.findMany$|(^|\.)(\w*(repo|Repo|repository|Repository))\.find$|^[A-Z]\w*\.(findAll|find)$/;
const KNEX_TABLE = /^(?:this\.)?(knex|db|database|trx)$/;

function checkTypeScript(call: SgNode, context: RuleContext): void {
  const callee = tsCallee(call);
  if (!callee) return;
  const text = callee.text();
  const args = callArguments(call);
  let kind: 'orm' | 'builder' | undefined;
  if (FIND_ALL.test(text)) {
    const first = args[0];
    // `findMany(options)` with options built elsewhere: cannot tell.
    if (first && first.kind() !== 'object') return;
    if (first && first.kind() === 'object' && first.children().some((c) => c.isNamed() && c.kind() !== 'comment') && /^[A-Z]\w*\.find$/.test(text)) return;
    kind = 'orm';
  } else if (KNEX_TABLE.test(text) && args.length === 1 && tsStaticString(args[0]) !== undefined) {
    kind = 'builder';
  } else return;
  const handler = tsHandler(call, context);
  if (!handler) return;
  const top = chainTop(call, 'ts');
  if (TS_BOUNDED.test(top.text()) || LOOKUP_TABLE.test(top.text())) return;
  // A knex builder only runs when awaited, returned or sent.
  if (kind === 'builder') {
    let query = top;
    const topCallee = top.field('function');
    // `db('t').select('*').then((rows) => ...)`: `.then` runs the query too; judge the builder before it.
    const thenTarget = topCallee?.kind() === 'member_expression' && topCallee.field('property')?.text() === 'then' ? topCallee.field('object') : null;
    if (thenTarget?.kind() === 'call_expression') query = thenTarget;
    else {
      const parent = top.parent();
      if (!parent || !/^(await_expression|return_statement|arrow_function)$/.test(String(parent.kind()))) return;
    }
    const method = query.field('function')?.kind() === 'member_expression' ? query.field('function')?.field('property')?.text() ?? '' : '';
    if (method && !/^(select|orderBy|columns|column)$/.test(method)) return;
  }
  context.report({
    node: call,
    message: `\`${shortText(top)}\` in ${handler.label} loads every row with no \`take\`/\`limit\` or pagination: the response and its query grow with the table.`,
  });
}

export default defineRule({
  meta: {
    id: 'performance/unbounded-query',
    title: 'List endpoint returns every row without a limit',
    area: 'performance',
    severity: 'low',
    type: 'performance',
    effort: 'small',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A request handler loads a whole table (`.all()`, `findMany()`, `repo.find()`) with no filter, limit or pagination.',
    why:
      'A list endpoint that returns `Model.objects.all()` or `prisma.item.findMany()` is fine with 50 rows and a problem with ' +
      '500 000: the query, the ORM objects, the JSON encoding and the response all grow with the table, so latency and memory ' +
      'rise until requests time out, and any client can ask for the whole table at once. Reported inside read handlers (GET ' +
      'routes of FastAPI/Flask, Django/DRF views, Express/Fastify/Koa-router GET callbacks, Next.js `GET` route exports, ' +
      'Nest `@Get()`): SQLAlchemy `session.query(M).all()` / `select(M)` executed and `.all()`-ed, Flask-SQLAlchemy `M.query.all()`, ' +
      'Django `M.objects.all()` returned or serialised with `many=True`, Prisma `findMany()`, TypeORM `repo.find()`, Sequelize ' +
      '`findAll()`, Mongoose `find()`, knex `knex("table")` selects. Not reported: any `where`/`filter` (scoped queries), ' +
      '`.limit`/`take`/slicing/`Paginator`/`paginate`, aggregates and `.count()`, options built elsewhere, small lookup tables ' +
      '(settings, categories, countries, currencies, roles, permissions, plans, feature flags), code outside handlers ' +
      '(batch jobs, scripts), tests.',
    recommendation:
      'Paginate list endpoints: accept `limit`/`cursor` (or `page`) parameters with a server-side maximum and apply them to ' +
      'the query (`.limit(min(limit, 100))`, `take: Math.min(limit, 100)`, Django `Paginator` / DRF `pagination_class`).',
    examples: [
      {
        language: 'py',
        bad: '@router.get("/products")\nasync def list_products(session: AsyncSession = Depends(get_session)):\n    result = await session.execute(select(Product))\n    return result.scalars().all()\n',
        good:
          '@router.get("/products")\nasync def list_products(limit: int = 50, session: AsyncSession = Depends(get_session)):\n' +
          '    result = await session.execute(select(Product).order_by(Product.id).limit(min(limit, 200)))\n    return result.scalars().all()\n',
      },
      {
        language: 'ts',
        bad: "router.get('/products', async (req, res) => {\n  const products = await prisma.product.findMany();\n  res.json(products);\n});\n",
        good:
          "router.get('/products', async (req, res) => {\n  const take = Math.min(Number(req.query.limit ?? 50), 200);\n" +
          '  const products = await prisma.product.findMany({ take, orderBy: { id: "asc" } });\n  res.json(products);\n});\n',
      },
    ],
    references: [
      'OWASP API Security Top 10 2023: API4 Unrestricted Resource Consumption (no pagination limits)',
      'Django docs: Pagination; DRF docs: Pagination',
      'Prisma docs: Pagination (take/skip/cursor)',
    ],
  },
  // An ORM list call, a knex table, or `.all()` next to a query builder.
  fileFilter: /findMany|findAll|(repo|Repository)\.find\(|[A-Z]\w*\.find\(|knex|\bdb\(|database\(|trx\(|^(?=[\s\S]*?\.all\(\))(?=[\s\S]*?(select\(|\.query\b|\.objects\.))/,
  onFile(context) {
    const root = context.root;
    if (!root) return;
    // The parser picks the few calls worth a look (ASCII classes keep its regex cheap to compile).
    if (context.file.family === 'py') {
      for (const call of root.findAll({ rule: { kind: 'call', has: { field: 'function', regex: '\\.all$' } } })) checkPythonAll(call, context);
    } else if (context.file.family === 'ts') {
      const regex = `${FIND_ALL.source}|${KNEX_TABLE.source}`.replace(/\\w/g, '[A-Za-z0-9_]');
      for (const call of root.findAll({ rule: { kind: 'call_expression', has: { field: 'function', regex } } })) checkTypeScript(call, context);
    }
  },
});
