// Which TS/JS functions serve HTTP requests: a callback registered on an Express/Koa/Fastify-style
// router, or a Fastify route object's `handler`. Shared by the rules that judge work done per request.
import type { SgNode } from '@ast-grep/napi';
import { callArguments } from './typescript.js';
import { tsStaticString } from './static-values.js';

const ROUTE_REGISTRATION = /^(get|post|put|patch|delete|all|use|head|options|route)$/;

/**
 * How to name the route a function serves, or undefined when it is no request handler:
 * "request handler `GET /apps`" for `app.get('/apps', fn)`, "`use` handler" for middleware judged by
 * its `(req, res, next)` / Koa `(ctx, next)` parameters, "route handler" for Fastify `{ handler }`.
 */
export function tsRouteHandlerLabel(fn: SgNode): string | undefined {
  const args = fn.parent();
  const registration = args?.parent();
  if (args?.kind() === 'arguments' && registration?.kind() === 'call_expression') {
    const callee = registration.field('function');
    const method = callee?.kind() === 'member_expression' ? callee.field('property')?.text() ?? '' : '';
    if (!ROUTE_REGISTRATION.test(method)) return undefined;
    const path = tsStaticString(callArguments(registration)[0]);
    if (path !== undefined && path.startsWith('/')) return `request handler \`${method.toUpperCase()} ${path}\``;
    // `app.use(async (ctx, next) => ...)`, `router.get(path, ...)` with a computed path: judge by the parameters.
    const parameters = (fn.field('parameters') ?? fn.field('parameter'))?.text() ?? '';
    return /^\(?\s*(req|request|ctx|context)\b[\s\S]*\b(res|response|reply|next)\b/.test(parameters) ? `\`${method}\` handler` : undefined;
  }
  // Fastify `{ method: 'GET', url: '/x', handler: async (request, reply) => ... }`
  if (args?.kind() === 'pair' && args.field('key')?.text() === 'handler') return 'route handler';
  return undefined;
}
