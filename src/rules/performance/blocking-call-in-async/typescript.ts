// The TS/JS half of blocking-call-in-async: `fs.*Sync`, `execSync` & co. inside async functions
// and web request handlers, where they stall Node's single event loop for every request.
import type { SgNode } from '@ast-grep/napi';
import type { RuleContext } from '../../../core/rule.js';
import { tsBindingsFor, tsExpressionBinding, tsStaticString } from '../../_shared/static-values.js';
import { FUNCTION_KINDS, callArguments, isAsyncFunction } from '../../_shared/typescript.js';
import { tsRouteHandlerLabel } from '../../_shared/ts-route-handlers.js';

type Kind = 'file' | 'process' | 'cpu';

/**
 * Sync calls that do real work: whole-file reads/writes, directory walks, child processes,
 * key derivation and compression. Metadata syscalls (`existsSync`, `statSync`, `mkdirSync`,
 * `unlinkSync`, `renameSync`) take microseconds and are left out on purpose.
 */
const BLOCKING: Record<string, Record<string, Kind>> = {
  fs: Object.fromEntries(
    ['readFileSync', 'writeFileSync', 'appendFileSync', 'copyFileSync', 'cpSync', 'rmSync', 'rmdirSync', 'readdirSync', 'readSync', 'writeSync', 'fsyncSync', 'readJsonSync', 'writeJsonSync', 'outputFileSync', 'copySync', 'removeSync', 'moveSync'].map((n) => [n, 'file' as Kind]),
  ),
  child_process: { execSync: 'process', execFileSync: 'process', spawnSync: 'process' },
  crypto: { pbkdf2Sync: 'cpu', scryptSync: 'cpu' },
  zlib: Object.fromEntries(['gzipSync', 'gunzipSync', 'deflateSync', 'inflateSync', 'brotliCompressSync', 'brotliDecompressSync', 'unzipSync'].map((n) => [n, 'cpu' as Kind])),
};
const MODULE_FAMILY: Record<string, string> = { fs: 'fs', 'fs-extra': 'fs', 'graceful-fs': 'fs', child_process: 'child_process', crypto: 'crypto', zlib: 'zlib' };

const ALTERNATIVE: Record<Kind, string> = {
  file: 'use `fs/promises` (`await readFile(...)`) or read it once at startup',
  process: 'use the async `execFile`/`spawn` (promisified) or a job queue',
  cpu: 'use the async variant (`crypto.pbkdf2`/`scrypt`, `zlib.gzip`) so the work runs on the thread pool',
};

/** Array methods that call their callback synchronously, in the caller's turn of the event loop. */
const SYNC_CALLBACK = /\.(forEach|map|filter|reduce|some|every|find|findIndex|flatMap|sort)$/;
/** Async functions that run once at startup: reading config or templates there stalls nobody. */
const ONE_SHOT = /^(main|bootstrap|start|startServer|init\w*|setup\w*|load\w*Config\w*|configure\w*|register\w*|onModuleInit|onApplicationBootstrap|createApp|createServer|build\w*|prepare\w*|migrate\w*|seed\w*|install\w*)$/;

interface Place {
  /** How the message names where the call runs. */
  label: string;
  handler: boolean;
}

function functionName(fn: SgNode): string | undefined {
  const own = fn.field('name')?.text();
  if (own) return own;
  const parent = fn.parent();
  if (parent?.kind() === 'variable_declarator') return parent.field('name')?.text();
  if (parent?.kind() === 'pair') return parent.field('key')?.text();
  return undefined;
}

/** Where a blocking call runs, if that is a place that serves requests. */
function placeOf(call: SgNode): Place | undefined {
  let node = call;
  for (;;) {
    const fn = node.ancestors().find((a) => FUNCTION_KINDS.has(String(a.kind())) || a.kind() === 'method_definition');
    if (!fn) return undefined;
    const route = tsRouteHandlerLabel(fn);
    if (route) return { label: route, handler: true };
    if (isAsyncFunction(fn)) {
      const name = functionName(fn);
      if (name && ONE_SHOT.test(name)) return undefined;
      return { label: name ? `async function \`${name}\`` : 'an async function', handler: false };
    }
    // A synchronous callback of an array method runs right there, in its caller.
    const invocation = fn.parent()?.parent();
    const callee = invocation?.kind() === 'call_expression' ? invocation.field('function')?.text() ?? '' : '';
    if (fn.parent()?.kind() === 'arguments' && SYNC_CALLBACK.test(callee)) {
      node = invocation!;
      continue;
    }
    return undefined;
  }
}

export function checkTypeScriptCall(call: SgNode, context: RuleContext): void {
  if (context.file.isScript) return;
  const callee = call.field('function');
  if (!callee || !/Sync$/.test(callee.text())) return;
  const binding = tsExpressionBinding(callee, tsBindingsFor(context.file, call, context.source));
  if (!binding) return;
  const family = MODULE_FAMILY[binding.module.replace(/\/promises$/, '')];
  const kind = family ? BLOCKING[family]?.[binding.imported] : undefined;
  if (!kind) return;
  const place = placeOf(call);
  if (!place) return;
  const name = `${binding.module === 'fs-extra' ? 'fs-extra' : family}.${binding.imported}`;
  const written = callee.text() === name || callee.text().endsWith(`.${binding.imported}`) ? `\`${callee.text()}()\`` : `\`${callee.text()}()\` (\`${name}\`)`;
  context.report({
    node: call,
    message: `${written} inside ${place.label} blocks the event loop${place.handler ? ' on every request' : ''}; ${ALTERNATIVE[kind]}.`,
    severity: place.handler ? undefined : 'medium',
  });
}
