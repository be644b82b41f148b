// Where a value visibly comes from someone else: the request being served or a language model's
// answer. Text patterns over an expression (and, in TS, what a destructured name was taken from),
// used to raise a finding's severity, never to decide whether there is one.
import type { SgNode } from '@ast-grep/napi';
import { enclosingFunction } from './typescript.js';

/** Python request input (Flask, Django, FastAPI/Starlette, aiohttp). */
export const PY_REQUEST_INPUT = /\brequest\.(args|form|json|values|data|files|body|GET|POST|query_params|path_params|headers|cookies|get_json|read|text|content)\b/;
/** Node request input (Express, Koa, Fastify, Next.js route handlers). */
export const TS_REQUEST_INPUT = /\b(req|request|ctx\.request)\.(body|query|params|headers|cookies)\b|\b(req|request)\.(json|text|formData)\(\)/;
/** A language model's answer: SDK response shapes and the names code gives them. */
export const LLM_OUTPUT =
  /\.choices\s*\[|\bmessage\.content\b|\.content\s*\[\s*0\s*\]\s*\.text\b|\.output_text\b|\b(generated|llm|ai|model|completion|assistant)_?(code|output|response|answer|text|result|script)\b/i;

/** Where a TS identifier came from: `input` from `const { input } = req.body` reads as `req.body.input`. */
export function tsValueOrigin(part: SgNode): string {
  if (part.kind() !== 'identifier') return part.text();
  const scope = enclosingFunction(part) ?? part.getRoot().root();
  for (const declarator of scope.findAll({ rule: { kind: 'variable_declarator' } })) {
    const pattern = declarator.field('name');
    const value = declarator.field('value');
    if (!value) continue;
    if (pattern?.kind() === 'identifier' && pattern.text() === part.text()) return `${value.text()}`;
    if (pattern?.kind() !== 'object_pattern') continue;
    const binds = pattern.children().some((p) =>
      p.kind() === 'shorthand_property_identifier_pattern' ? p.text() === part.text() : p.kind() === 'pair_pattern' && p.field('value')?.text() === part.text(),
    );
    if (binds) return `${value.text()}.${part.text()}`;
  }
  return part.text();
}
