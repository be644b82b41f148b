import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { tsBindingsFor, tsExpressionBinding } from '../../_shared/static-values.js';
import { FUNCTION_KINDS, isAsyncFunction } from '../../_shared/typescript.js';
import { calleeOf, lastName, shortText } from '../../_shared/logged-failures.js';
import { positionsOf } from '../../_shared/text-positions.js';

/**
 * Without a type checker, a call is known to return a promise when it is:
 * - a function declared `async` (or made by `promisify(...)`) in the same file, or an `async`
 *   method of the same class called through `this.`;
 * - `fetch(...)`, `axios(...)`/`axios.get(...)`, a `fs/promises` (or `timers/promises`,
 *   `stream/promises`) function, `fs.promises.*`;
 * - a Prisma model operation (`prisma.user.create(...)`);
 * - a method named `*Async` (`readFileAsync`, `saveAsync`).
 * Database drivers (`pool.query`, `redis.set`) are left out: callback and promise APIs share names.
 */
const PROMISE_MODULES = new Set(['fs/promises', 'timers/promises', 'stream/promises', 'dns/promises', 'readline/promises', 'axios', 'node-fetch', 'got', 'ky']);
const PROMISE_MODULE_IMPORT = /['"](node:)?(fs\/promises|timers\/promises|stream\/promises|dns\/promises|readline\/promises|axios|node-fetch|got|ky)['"]/;
const PRISMA_OPERATION = /^(create|createMany|update|updateMany|upsert|delete|deleteMany|findMany|findUnique|findFirst|findUniqueOrThrow|findFirstOrThrow|count|aggregate|groupBy|\$executeRaw|\$executeRawUnsafe|\$queryRaw|\$queryRawUnsafe|\$transaction|\$connect|\$disconnect)$/;

interface FileFacts {
  /** Local names bound to promise-returning functions (async declarations, promisify results). */
  asyncNames: Set<string>;
  /** Callees worth a closer look: known promise APIs and this file's async names. */
  candidateCallee: RegExp;
  /** Lines (0-based) where such a callee is called: statements elsewhere are skipped unread. */
  candidateLines: Set<number>;
  /** Whether import bindings are worth resolving (a walk over the tree). */
  importsPromiseModule: boolean;
}

const factsCache = new WeakMap<object, FileFacts>();

function escape(name: string): string {
  return name.replace(/\$/g, (dollar) => `\\${dollar}`);
}

function allMatches(source: string, pattern: RegExp): string[] {
  return [...source.matchAll(pattern)].map((m) => m[1]);
}

/**
 * Read from the text, once per file (a tree walk per file costs more than the whole rule): names
 * declared `async function x`, `const x = async (...) =>`, `x = promisify(...)`, and `async x(...)`
 * methods. Exact checks happen later on the few calls that match.
 */
function fileFacts(context: RuleContext, anyNode: SgNode): FileFacts {
  const cached = factsCache.get(context.file);
  if (cached) return cached;
  const source = context.source;
  const asyncNames = new Set([
    ...allMatches(source, /\basync\s+function\s*\*?\s*([\w$]+)/g),
    ...allMatches(source, /\b(?:const|let|var)\s+([\w$]+)\s*(?::[^=]+)?=\s*async\b/g),
    ...allMatches(source, /\b([\w$]+)\s*=\s*(?:util\.)?promisify\(/g),
  ]);
  // A name also declared without `async` (another scope, an overload) is ambiguous: drop it.
  for (const name of allMatches(source, /(?<!async\s+)\bfunction\s+([\w$]+)/g)) asyncNames.delete(name);
  const methods = new Set(allMatches(source, /\basync\s+(?:\*\s*)?([\w$]+)\s*[(<]/g).filter((n) => n !== 'function'));
  const importsPromiseModule = PROMISE_MODULE_IMPORT.test(source);
  const promiseBindings = !importsPromiseModule ? [] : [...tsBindingsFor(context.file, anyNode, source)].filter(([, b]) => PROMISE_MODULES.has(b.module)).map(([local]) => local);
  const names = [...asyncNames, ...promiseBindings].map(escape);
  const alternatives = [
    'fetch', 'fs\\.promises\\.[\\w$]+', '(this\\.)?prisma\\..+', '.+\\.[a-z]\\w*Async',
    ...(names.length ? [`(${names.join('|')})(\\..+)?`] : []),
    ...(methods.size ? [`this\\.(${[...methods].map(escape).join('|')})`] : []),
  ];
  const candidateCallee = new RegExp(`^(${alternatives.join('|')})$`);
  const candidateLines = new Set<number>();
  const calls = new RegExp(`(?<![\\w$.])(${alternatives.join('|').replace(/\.\+/g, '[\\w$.]+')})\\s*\\(`, 'g');
  const position = positionsOf(source);
  // 0-based lines, as the tree numbers them.
  for (const match of source.matchAll(calls)) candidateLines.add(position(match.index).line - 1);
  const facts = { asyncNames, candidateCallee, candidateLines, importsPromiseModule };
  factsCache.set(context.file, facts);
  return facts;
}

/** `this.save()` inside a class whose `save` method is `async`. */
function isAsyncMethodOfThisClass(callee: SgNode): boolean {
  if (callee.kind() !== 'member_expression' || callee.field('object')?.text() !== 'this') return false;
  const name = callee.field('property')?.text();
  const body = callee.ancestors().find((a) => a.kind() === 'class_body');
  if (!name || !body) return false;
  const methods = body.children().filter((m) => m.kind() === 'method_definition' && m.field('name')?.text() === name);
  return methods.length > 0 && methods.every((m) => isAsyncFunction(m));
}

/** Whether the call is known to return a promise. */
function promiseSource(call: SgNode, context: RuleContext): boolean {
  const callee = call.field('function');
  if (!callee) return false;
  const text = calleeOf(call);
  if (callee.kind() === 'identifier') {
    if (text === 'fetch') return true;
    if (fileFacts(context, call).asyncNames.has(text)) return true;
  }
  if (isAsyncMethodOfThisClass(callee)) return true;
  if (/^fs\.promises\.\w+$/.test(text)) return true;
  // prisma.user.create(...), this.prisma.$executeRaw(...)
  if ((/^(this\.)?prisma\.\w+\.\w+$/.test(text) || /^(this\.)?prisma\.\$\w+$/.test(text)) && PRISMA_OPERATION.test(text.slice(text.lastIndexOf('.') + 1))) return true;
  if (callee.kind() === 'member_expression' && /^[a-z]\w*Async$/.test(lastName(text))) return true;
  if (!fileFacts(context, call).importsPromiseModule) return false;
  const binding = tsExpressionBinding(callee, tsBindingsFor(context.file, call, context.source));
  return !!binding && PROMISE_MODULES.has(binding.module) && !/Sync$/.test(binding.imported) && binding.imported !== 'constants';
}

/**
 * The call at the root of `f().then(a).finally(b)`, or undefined when the chain handles rejection
 * (`.catch(...)`, `.then(onFulfilled, onRejected)`).
 */
function unhandledRoot(expression: SgNode): SgNode | undefined {
  let current = expression;
  for (;;) {
    if (current.kind() !== 'call_expression') return undefined;
    const callee = current.field('function');
    if (callee?.kind() !== 'member_expression') return current;
    const property = callee.field('property')?.text();
    const args = current.field('arguments')?.children().filter((c) => c.isNamed()) ?? [];
    if (property === 'catch' || (property === 'then' && args.length >= 2)) return undefined;
    if (property !== 'then' && property !== 'finally') return current;
    current = callee.field('object')!;
  }
}

/** Inside an `async` function, or a callback of `.then(...)`: code that already deals in promises. */
function inAsyncContext(node: SgNode): boolean {
  const fn = node.ancestors().find((a) => FUNCTION_KINDS.has(String(a.kind())));
  if (!fn) return false;
  if (isAsyncFunction(fn)) return true;
  const call = fn.parent()?.parent();
  return call?.kind() === 'call_expression' && /\.then$/.test(calleeOf(call));
}

export default defineRule({
  meta: {
    id: 'reliability/floating-promise',
    title: 'Promise neither awaited nor handled',
    area: 'reliability',
    severity: 'medium',
    type: 'bug',
    effort: 'small',
    confidence: 'medium',
    languages: ['ts'],
    since: '0.1.0',
    description: 'A promise-returning call in an async function is neither awaited, returned, assigned nor given a rejection handler.',
    why:
      'A floating promise runs detached: the function goes on (and may answer the request, commit, or exit) before the ' +
      'work is done, and if it rejects nobody catches it, which ends a Node process on an unhandled rejection. Without a ' +
      'type checker the rule only reports calls known to return a promise: functions declared `async` (or made by ' +
      '`promisify`) in the same file, `async` methods called through `this.`, `fetch`, axios, `fs/promises` and ' +
      '`fs.promises`, Prisma model operations and `*Async` methods. Only inside `async` functions and `.then` callbacks. ' +
      'Not reported: `await`, `return`, assignment, `void promise` (an explicit fire-and-forget), a `.catch(...)` or a ' +
      '`.then(ok, fail)` in the chain, `Promise.all([...])` arrays, top-level statements, and database drivers whose ' +
      'methods take callbacks as well (`pool.query`, `redis.set`).',
    recommendation:
      'Await the call (or return it). If it is meant to run in the background, say so with `void` and attach a ' +
      '`.catch()` that logs the failure.',
    examples: [
      {
        language: 'ts',
        bad: 'async function saveAll(items: Item[]) {\n  for (const item of items) {\n    fetch("/api/items", { method: "POST", body: JSON.stringify(item) });\n  }\n}\n',
        good: 'async function saveAll(items: Item[]) {\n  for (const item of items) {\n    await fetch("/api/items", { method: "POST", body: JSON.stringify(item) });\n  }\n}\n',
      },
    ],
    references: ['typescript-eslint no-floating-promises', 'typescript-eslint no-misused-promises', 'Node.js unhandled rejections (--unhandled-rejections=throw)'],
  },
  fileFilter: /\basync\b|\.then\(/,
  visitors: {
    ts: {
      expression_statement(node, context) {
        if (!fileFacts(context, node).candidateLines.has(node.range().start.line)) return;
        let expression = node.child(0);
        while (expression?.kind() === 'parenthesized_expression') expression = expression.child(1);
        if (expression?.kind() !== 'call_expression') return;
        const call = unhandledRoot(expression);
        if (!call || !fileFacts(context, node).candidateCallee.test(calleeOf(call))) return;
        if (!promiseSource(call, context) || !inAsyncContext(node)) return;
        context.report({
          node: expression,
          message: `Promise from \`${shortText(call.field('function') ?? call, 50)}(...)\` is neither awaited nor handled: if it rejects nothing catches it, and the code after it does not wait for it.`,
        });
      },
    },
  },
});
