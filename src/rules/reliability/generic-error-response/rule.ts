import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { blockOf, hasComment, keywordArgument, positionalArguments, statementsOf } from '../../_shared/python.js';
import { blockStatements, callArguments, FUNCTION_KINDS } from '../../_shared/typescript.js';
import { calleeOf, isLoggingStatement, lastName, shortText, statementCall } from '../../_shared/logged-failures.js';

/** Keys that let a client or support person find the failure again: an error code or a request/correlation id. */
const IDENTIFYING_KEY = /^['"]?(code|error_?code|errorCode|type|request_?id|requestId|correlation_?id|correlationId|trace_?id|traceId|error_?id|errorId|incident_?id|incidentId|reference|ref|event_?id|eventId|sentry_?id)['"]?$/i;
/** Anywhere in the handler: the id travels some other way (header, locals, a helper). */
const IDENTIFYING_TEXT = /\b(request_?id|requestId|correlation_?id|correlationId|trace_?id|traceId|req\.id|request\.id|x-request-id|x-correlation-id|error_?id|errorId|incident_?id|sentry_?id|event_?id)\b/i;
/** `'INTERNAL_ERROR'`, `"payment_provider_down"`: a machine-readable code. */
const ERROR_CODE = /^[A-Za-z]+(_[A-Za-z0-9]+)+$|^[A-Z][A-Z0-9]{3,}$/;

function literalString(node: SgNode): string | undefined {
  const kind = node.kind();
  if (kind === 'string') {
    if (node.children().some((c) => c.kind() === 'interpolation' || c.kind() === 'string_start' && /f/i.test(c.text()))) return undefined;
    return node.text().replace(/^[rbuRBU]*(['"]{1,3})|(['"]{1,3})$/g, '');
  }
  if (kind === 'template_string') return node.children().some((c) => c.kind() === 'template_substitution') ? undefined : node.text().slice(1, -1);
  return undefined;
}

/**
 * A body with nothing to identify the failure: absent, a fixed message, or an object/dict of fixed
 * messages without a code or id. A body carrying the error's text is another problem (exposure), not this one.
 */
function isGenericBody(body: SgNode | undefined): boolean {
  if (!body) return true;
  const kind = body.kind();
  const text = literalString(body);
  if (text !== undefined) return !ERROR_CODE.test(text.trim());
  if (kind === 'integer' || kind === 'number' || kind === 'true' || kind === 'false') return true;
  if (kind === 'object' || kind === 'dictionary') {
    const entries = body.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
    return entries.every((entry) => {
      if (entry.kind() !== 'pair') return false;
      const key = entry.field('key')?.text() ?? '';
      const value = entry.field('value');
      return !IDENTIFYING_KEY.test(key) && !!value && isGenericBody(value);
    });
  }
  // jsonify(error="Internal error") / jsonify({...}) / make_response(jsonify(...)) / JSON.stringify({...})
  if (kind === 'call' || kind === 'call_expression') {
    const name = lastName(calleeOf(body));
    if (!/^(jsonify|make_response|stringify|dict)$/.test(name)) return false;
    const args = body.field('arguments')?.children().filter((c) => c.isNamed() && c.kind() !== 'comment') ?? [];
    return args.every((arg) => arg.kind() === 'keyword_argument'
      ? !IDENTIFYING_KEY.test(arg.field('name')?.text() ?? '') && isGenericBody(arg.field('value') ?? undefined)
      : isGenericBody(arg));
  }
  return false;
}

function is500(node: SgNode | undefined | null): boolean {
  return !!node && /^(500|(status\.)?HTTP_500_INTERNAL_SERVER_ERROR|HTTPStatus\.INTERNAL_SERVER_ERROR|StatusCodes\.INTERNAL_SERVER_ERROR|HttpStatus\.INTERNAL_SERVER_ERROR)$/.test(node.text());
}

/** The generic 500 a TS statement answers with, as text for the message; undefined if it is not one. */
function tsGeneric500(statement: SgNode): string | undefined {
  let expression: SgNode | undefined = statement.children().find((c) => c.isNamed());
  if (!expression || (statement.kind() !== 'expression_statement' && statement.kind() !== 'return_statement')) return undefined;
  if (expression.kind() === 'await_expression') expression = expression.children().find((c) => c.isNamed());
  if (!expression) return undefined;
  if (expression.kind() === 'call_expression') {
    const callee = expression.field('function');
    const name = callee?.kind() === 'member_expression' ? callee.field('property')?.text() : undefined;
    const args = callArguments(expression);
    // res.sendStatus(500)
    if (name === 'sendStatus' && is500(args[0])) return shortText(expression);
    // res.status(500).json(body) / .send(body) / .end(); reply.code(500).send(body)
    if (name && /^(json|send|end)$/.test(name)) {
      const target = callee!.field('object');
      if (target?.kind() === 'call_expression' && /^(status|code)$/.test(target.field('function')?.field('property')?.text() ?? '') && is500(callArguments(target)[0])) {
        return isGenericBody(args[0]) ? shortText(expression) : undefined;
      }
      // c.json(body, 500) (Hono), NextResponse.json(body, { status: 500 })
      const status = args[1]?.kind() === 'object' ? args[1].children().find((p) => p.kind() === 'pair' && p.field('key')?.text() === 'status')?.field('value') : args[1];
      if (name === 'json' && is500(status)) return isGenericBody(args[0]) ? shortText(expression) : undefined;
    }
  }
  // new Response('Internal error', { status: 500 })
  if (expression.kind() === 'new_expression' && /^(Response|NextResponse)$/.test(expression.field('constructor')?.text() ?? '')) {
    const args = callArguments(expression);
    const status = args[1]?.kind() === 'object' ? args[1].children().find((p) => p.kind() === 'pair' && p.field('key')?.text() === 'status')?.field('value') : undefined;
    if (is500(status) && isGenericBody(args[0])) return shortText(expression);
  }
  return undefined;
}

/** Koa: `ctx.status = 500; ctx.body = { error: '...' }`. */
function koaGeneric500(statements: SgNode[]): string | undefined {
  const assignments = statements.map((s) => s.children().find((c) => c.isNamed())).filter((e): e is SgNode => e?.kind() === 'assignment_expression');
  const status = assignments.find((a) => /\.status$/.test(a.field('left')?.text() ?? '') && is500(a.field('right')));
  if (!status) return undefined;
  const body = assignments.find((a) => /\.body$/.test(a.field('left')?.text() ?? ''));
  if (body && !isGenericBody(body.field('right') ?? undefined)) return undefined;
  return shortText(body ?? status);
}

/** The generic 500 a Python statement answers with (FastAPI, Starlette, Flask, Django, aiohttp). */
function pyGeneric500(statement: SgNode): string | undefined {
  const kind = statement.kind();
  const value = statement.children().find((c) => c.isNamed());
  if (kind === 'raise_statement' && value?.kind() === 'call') {
    // raise HTTPException(status_code=500, detail="Internal error")
    const name = lastName(calleeOf(value));
    if (name === 'HTTPException') {
      const status = keywordArgument(value, 'status_code') ?? positionalArguments(value)[0];
      const detail = keywordArgument(value, 'detail') ?? positionalArguments(value)[1];
      return is500(status) && isGenericBody(detail) ? shortText(value) : undefined;
    }
    if (/^(HTTPInternalServerError|InternalServerError)$/.test(name)) {
      const args = value.field('arguments')?.children().filter((c) => c.isNamed()) ?? [];
      return args.every((a) => a.kind() === 'keyword_argument' ? isGenericBody(a.field('value') ?? undefined) : isGenericBody(a)) ? shortText(value) : undefined;
    }
    return undefined;
  }
  if (kind === 'expression_statement' && value?.kind() === 'call' && lastName(calleeOf(value)) === 'abort') {
    // abort(500) / abort(500, "Internal error") / abort(500, description="...")
    const [status, message] = positionalArguments(value);
    return is500(status) && isGenericBody(message ?? keywordArgument(value, 'description')) ? shortText(value) : undefined;
  }
  if (kind !== 'return_statement' || !value) return undefined;
  // return jsonify(error="..."), 500 / return {"error": "..."}, 500
  if (value.kind() === 'expression_list' || value.kind() === 'tuple') {
    const parts = value.children().filter((c) => c.isNamed());
    return parts.length === 2 && is500(parts[1]) && isGenericBody(parts[0]) ? shortText(value) : undefined;
  }
  if (value.kind() !== 'call') return undefined;
  const name = lastName(calleeOf(value));
  const positional = positionalArguments(value);
  if (name === 'HttpResponseServerError') return isGenericBody(positional[0] ?? keywordArgument(value, 'content')) ? shortText(value) : undefined;
  if (/^(JSONResponse|JsonResponse|Response|PlainTextResponse|HttpResponse|json_response|make_response)$/.test(name)) {
    const status = keywordArgument(value, 'status_code') ?? keywordArgument(value, 'status') ?? positional[1];
    const body = keywordArgument(value, 'content') ?? keywordArgument(value, 'data') ?? keywordArgument(value, 'text') ?? positional[0];
    return is500(status) && isGenericBody(body) ? shortText(value) : undefined;
  }
  return undefined;
}

/** Express's central error handler `(err, req, res, next) => ...` is where a generic 500 belongs. */
function inErrorMiddleware(node: SgNode): boolean {
  const fn = node.ancestors().find((a) => FUNCTION_KINDS.has(String(a.kind())));
  const params = fn?.field('parameters')?.children().filter((c) => c.isNamed() && c.kind() !== 'comment') ?? [];
  return params.length === 4;
}

function report(handler: SgNode, response: string, logged: SgNode | undefined, context: RuleContext): void {
  const after = logged ? `after only \`${calleeOf(logged)}(...)\`` : 'with nothing logged';
  context.report({
    node: handler,
    message: `Generic 500 \`${response}\` answered ${after}: no error code or correlation id ties the failure the client sees to the log.`,
  });
}

/**
 * Splits a handler into its logging statements and one response statement (plus an optional bare
 * `return`); undefined when the handler does anything else (branches on the error, cleans up, retries).
 */
function soleResponse(statements: SgNode[], answer: (s: SgNode) => string | undefined): { response: string; logged?: SgNode } | undefined {
  let response: string | undefined;
  let logged: SgNode | undefined;
  for (const statement of statements) {
    if (isLoggingStatement(statement)) {
      logged ??= statementCall(statement);
      continue;
    }
    if (statement.kind() === 'return_statement' && !statement.children().some((c) => c.isNamed())) continue;
    const answered = response === undefined ? answer(statement) : undefined;
    if (!answered) return undefined;
    response = answered;
  }
  return response ? { response, logged } : undefined;
}

export default defineRule({
  meta: {
    id: 'reliability/generic-error-response',
    title: 'Generic 500 without error code or correlation id',
    area: 'reliability',
    severity: 'low',
    type: 'consistency',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A catch block that only logs and answers a fixed 500 message, with no error code or correlation id.',
    why:
      'Seed 004 ("Error Handling, HIGH"): `catch (error) { console.error(\'Error:\', error); res.status(500).json({ error: \'Failed\' }) }`. ' +
      'The client gets the same answer for every failure, and nothing in it (a code, a request or correlation id) lets ' +
      'anyone find the matching log line; each route also re-implements error handling that belongs in one place. ' +
      'Reported: Express/Fastify/Koa/Hono/Next handlers and FastAPI/Starlette/Flask/Django/aiohttp `except` blocks whose only ' +
      'statements are logging and one 500 response with a fixed body. Not reported: responses carrying an error code ' +
      '(`INTERNAL_ERROR`, a `code` field) or a request/correlation/trace id, handlers that pass the error on with ' +
      '`next(err)` or re-raise, 4xx and other status codes, handlers that branch on the error, bodies that carry the ' +
      'error text (an exposure problem, not this one), and Express\'s central 4-argument error middleware itself.',
    recommendation:
      'Pass the error to one central handler (`next(err)` in Express, an exception handler in FastAPI/Flask) that logs it ' +
      'with a correlation id and answers `{ error: "INTERNAL_ERROR", correlationId }`, as seed 004 recommends; or include ' +
      'an error code and the request id in this response.',
    examples: [
      {
        language: 'ts',
        bad: "router.post('/apps', async (req, res) => {\n  try {\n    res.status(201).json(await createApp(req.body));\n  } catch (error) {\n    console.error('Error:', error);\n    res.status(500).json({ error: 'Failed' });\n  }\n});\n",
        good: "router.post('/apps', async (req, res, next) => {\n  try {\n    res.status(201).json(await createApp(req.body));\n  } catch (error) {\n    next(error);\n  }\n});\n",
      },
      {
        language: 'py',
        bad: '@app.post("/orders")\nasync def create_order(body: OrderIn):\n    try:\n        return await orders.create(body)\n    except Exception:\n        logger.exception("order creation failed")\n        raise HTTPException(status_code=500, detail="Internal error")\n',
        good: '@app.post("/orders")\nasync def create_order(body: OrderIn, request: Request):\n    try:\n        return await orders.create(body)\n    except Exception:\n        logger.exception("order creation failed")\n        raise HTTPException(status_code=500, detail={"code": "ORDER_CREATE_FAILED", "request_id": request.state.request_id})\n',
      },
    ],
    references: [
      'seed 004 (Error Handling: generic 500 responses; structured errors with correlation ids)',
      'OWASP Logging Cheat Sheet (correlation ids)',
      'Express guide: error handling (central error middleware)',
    ],
  },
  fileFilter: /500|INTERNAL_SERVER_ERROR|HTTPInternalServerError|HttpResponseServerError/,
  visitors: {
    py: {
      except_clause(node, context) {
        const block = blockOf(node);
        if (!block || hasComment(node) || IDENTIFYING_TEXT.test(block.text())) return;
        const found = soleResponse(statementsOf(block), pyGeneric500);
        if (found) report(node, found.response, found.logged, context);
      },
    },
    ts: {
      catch_clause(node, context) {
        const body = node.field('body');
        if (!body || IDENTIFYING_TEXT.test(body.text()) || inErrorMiddleware(node)) return;
        const statements = blockStatements(body);
        const koa = statements.filter((s) => !isLoggingStatement(s));
        const koaAnswer = koa.length > 0 && koa.every((s) => s.kind() === 'expression_statement' && s.children()[0]?.kind() === 'assignment_expression') ? koaGeneric500(koa) : undefined;
        if (koaAnswer) {
          report(node, koaAnswer, statements.filter(isLoggingStatement).map(statementCall)[0], context);
          return;
        }
        const found = soleResponse(statements, tsGeneric500);
        if (found) report(node, found.response, found.logged, context);
      },
    },
  },
});
