// Whether an expression visibly carries request input: `request.args[...]`, a web handler's own
// parameters (FastAPI/Flask/Django views), `req.params.x` or a name destructured from it (Node).
// Local and syntactic on purpose (one level of variable); a taint engine can replace it.
import type { SgNode } from '@ast-grep/napi';
import { pyNameValues, tsDeclaredValue, unwrapTsExpression } from './static-values.js';
import { PY_REQUEST_INPUT, TS_REQUEST_INPUT, tsValueOrigin } from './untrusted-sources.js';
import { FUNCTION_KINDS } from './typescript.js';

/** `@app.get("/x")`, `@router.post(...)`, `@bp.route(...)`, `@api_view([...])`. */
const PY_ROUTE_DECORATOR = /^@\s*(\w+\.)*(get|post|put|patch|delete|route|api_route|websocket|api_view)\s*\(/;
/** FastAPI parameter markers that read the request (a `Depends(...)` default is injected, not sent). */
const PY_REQUEST_MARKERS = /^(fastapi\.)?(Query|Path|Body|Form|File|Header|Cookie)\s*\(/;
/** Annotations whose values cannot carry text an attacker shapes (FastAPI validates them). */
const PY_NON_TEXT_TYPES = /^(int|float|bool|UUID|uuid\.UUID|date|datetime|Decimal|PositiveInt|NonNegativeInt|Request|Response|Session|AsyncSession|BackgroundTasks|WebSocket|HttpRequest|Optional\[(int|float|bool|UUID)\]|(int|float|bool|UUID) \| None)$/;

function pyParameterNode(fn: SgNode, name: string): SgNode | undefined {
  const parameters = fn.field('parameters');
  return parameters?.children().find((p) => {
    if (p.kind() === 'identifier') return p.text() === name;
    const id = p.field('name') ?? p.children().find((c) => c.kind() === 'identifier');
    return id?.kind() === 'identifier' && id.text() === name;
  });
}

function pyIsRouteHandler(fn: SgNode): boolean {
  const decorated = fn.parent();
  if (decorated?.kind() === 'decorated_definition' && decorated.children().some((d) => d.kind() === 'decorator' && PY_ROUTE_DECORATOR.test(d.text()))) return true;
  // Django function views: `def download(request, name)`; URL kwargs follow the request.
  const names = fn.field('parameters')?.children().filter((p) => p.isNamed()).map((p) => (p.kind() === 'identifier' ? p.text() : p.field('name')?.text() ?? p.children().find((c) => c.kind() === 'identifier')?.text())) ?? [];
  return names[0] === 'request' || (names[0] === 'self' && names[1] === 'request');
}

/** Whether `identifier` is a parameter of the web handler it sits in, filled from the request. */
export function pyIsHandlerParameter(identifier: SgNode): boolean {
  if (identifier.kind() !== 'identifier') return false;
  const fn = identifier.ancestors().find((a) => a.kind() === 'function_definition');
  if (!fn || !pyIsRouteHandler(fn)) return false;
  const name = identifier.text();
  if (name === 'self' || name === 'cls') return false;
  const parameter = pyParameterNode(fn, name);
  if (!parameter) return false;
  const annotation = parameter.field('type')?.text() ?? '';
  // `request: Request` is the request object (its fields are matched by PY_REQUEST_INPUT);
  // `request: ChatRequest` in FastAPI is the parsed body.
  if (name === 'request' && (!annotation || /(^|\.)(Request|HttpRequest|WSGIRequest|ASGIRequest|WebSocket)$/.test(annotation))) return false;
  if (PY_NON_TEXT_TYPES.test(annotation)) return false;
  const fallback = parameter.field('value');
  return !fallback || PY_REQUEST_MARKERS.test(fallback.text());
}

/** The name an expression starts from: `payload.path` → `payload`, `data["k"]` → `data`. */
function pyRootName(node: SgNode): SgNode | undefined {
  let current: SgNode | null = node;
  for (let i = 0; current && i < 8; i++) {
    if (current.kind() === 'identifier') return current;
    if (current.kind() === 'attribute') current = current.field('object');
    else if (current.kind() === 'subscript') current = current.field('value');
    else if (current.kind() === 'call' && current.field('function')?.kind() === 'attribute') current = current.field('function')!.field('object');
    else return undefined;
  }
  return undefined;
}

/**
 * Cheap gate: request input can only show up inside a handler or a function that mentions the
 * request; elsewhere the name-by-name search below cannot succeed.
 */
export function pyFunctionMaySeeRequest(node: SgNode): boolean {
  const fn = node.ancestors().find((a) => a.kind() === 'function_definition');
  if (!fn) return false;
  return pyIsRouteHandler(fn) || PY_REQUEST_INPUT.test(fn.text());
}

/** Whether a Python expression visibly carries request input (directly, or through one local name). */
export function pyCarriesRequestInput(node: SgNode, depth = 0): boolean {
  if (depth > 2) return false;
  if (PY_REQUEST_INPUT.test(node.text())) return true;
  if (depth === 0 && !pyFunctionMaySeeRequest(node)) return false;
  const names = node.kind() === 'identifier' ? [node] : node.findAll({ rule: { kind: 'identifier' } });
  for (const name of names) {
    // Only names used as values (not `x` in `x.attr` calls' attribute part).
    if (name.parent()?.kind() === 'attribute' && name.parent()?.field('attribute')?.id() === name.id()) continue;
    if (name.parent()?.kind() === 'keyword_argument' && name.parent()?.field('name')?.id() === name.id()) continue;
    if (pyIsHandlerParameter(name)) return true;
    const values = pyNameValues(name);
    if (values?.some((v) => pyCarriesRequestInput(v, depth + 1))) return true;
  }
  const root = pyRootName(node);
  return !!root && root.id() !== node.id() && pyIsHandlerParameter(root);
}

/** Node request input, also through `searchParams.get(...)` and Next.js route `params`. */
const TS_MORE_REQUEST_INPUT = /\bsearchParams\.get\(|\b(req|request)\.(url|originalUrl|path)\b|\bctx\.(params|query)\b|\bc\.req\.(param|query|json|parseBody)\(/;

/** Whether a TS/JS expression visibly carries request input (directly, or through one local name). */
export function tsCarriesRequestInput(input: SgNode, depth = 0): boolean {
  if (depth > 2) return false;
  const node = unwrapTsExpression(input);
  if (TS_REQUEST_INPUT.test(node.text()) || TS_MORE_REQUEST_INPUT.test(node.text())) return true;
  // Cheap gate: the outermost function must mention the request somewhere.
  if (depth === 0) {
    const outer = [...node.ancestors()].reverse().find((a) => FUNCTION_KINDS.has(String(a.kind())));
    if (!outer || !/\b(req|request|ctx|c|params|searchParams)\b/.test(outer.text())) return false;
  }
  const names = node.kind() === 'identifier' ? [node] : node.findAll({ rule: { kind: 'identifier' } });
  for (const name of names) {
    const origin = tsValueOrigin(name);
    if (origin !== name.text() && (TS_REQUEST_INPUT.test(origin) || TS_MORE_REQUEST_INPUT.test(origin))) return true;
    const value = tsDeclaredValue(name);
    if (value && tsCarriesRequestInput(value, depth + 1)) return true;
    // Next.js route handlers: `export async function GET(req, { params })`.
    if (name.text() === 'params' && name.ancestors().some((a) => FUNCTION_KINDS.has(String(a.kind())) && /^(GET|POST|PUT|PATCH|DELETE)$/.test(a.field('name')?.text() ?? ''))) return true;
  }
  return false;
}
