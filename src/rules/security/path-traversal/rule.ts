import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { pyBuiltString, tsBuiltString } from '../../_shared/built-strings.js';
import { keywordArgument, positionalArguments, enclosingFunction as pyEnclosingFunction } from '../../_shared/python.js';
import { pyCarriesRequestInput, pyFunctionMaySeeRequest, tsCarriesRequestInput } from '../../_shared/request-input.js';
import { PY_REQUEST_INPUT } from '../../_shared/untrusted-sources.js';
import {
  pyBindingsFor,
  pyNameValues,
  pyQualifiedName,
  tsBindingsFor,
  tsDeclaredValue,
  tsExpressionBinding,
  unwrapTsExpression,
  type PyBindings,
  type TsBindings,
} from '../../_shared/static-values.js';
import { callArguments, enclosingFunction as tsEnclosingFunction, objectProperty } from '../../_shared/typescript.js';

function short(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

// ---------------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------------

/** Functions whose first argument is a path they open, send, list or delete. */
const PY_FILE_FUNCTIONS = new Set([
  'open', 'io.open', 'os.open', 'codecs.open', 'aiofiles.open',
  'os.remove', 'os.unlink', 'os.rmdir', 'os.listdir', 'os.scandir', 'os.rename', 'os.replace',
  'shutil.rmtree', 'shutil.copy', 'shutil.copyfile', 'shutil.copy2', 'shutil.move',
  'flask.send_file', 'fastapi.responses.FileResponse', 'starlette.responses.FileResponse', 'django.http.FileResponse',
]);
/** Path object methods that touch the file (`(BASE / name).read_text()`). */
const PY_PATH_METHODS = new Set(['open', 'read_text', 'read_bytes', 'write_text', 'write_bytes', 'unlink', 'rmdir', 'iterdir', 'touch']);
/** The function checks containment or strips directories itself. */
const PY_GUARD = /\bis_relative_to\s*\(|\bcommonpath\s*\(|\bsafe_join\s*\(|\bsecure_filename\s*\(|\bbasename\s*\(|\bget_valid_filename\s*\(|['"]\.\.['"]\s+(not\s+)?in\b|\b(realpath|abspath)\s*\([\s\S]*\.startswith\s*\(|\.resolve\s*\([\s\S]*(\.startswith|\.relative_to|\bparents)\b/;

/** The pieces a Python path expression is joined from. */
function pyPathPieces(node: SgNode, depth = 0): SgNode[] {
  if (depth > 4) return [node];
  if (node.kind() === 'parenthesized_expression') {
    const inner = node.children().find((c) => c.isNamed());
    return inner ? pyPathPieces(inner, depth + 1) : [];
  }
  if (node.kind() === 'binary_operator' && node.field('operator')?.text() === '/') {
    return [node.field('left'), node.field('right')].filter((n): n is SgNode => !!n).flatMap((n) => pyPathPieces(n, depth + 1));
  }
  if (node.kind() === 'call') {
    const callee = node.field('function')?.text() ?? '';
    if (/(^|\.)(path\.join|Path|PurePath|PosixPath|joinpath|join)$/.test(callee) && !/^['"]/.test(callee)) {
      const receiver = callee.endsWith('joinpath') ? node.field('function')?.field('object') : undefined;
      return [...(receiver ? pyPathPieces(receiver, depth + 1) : []), ...positionalArguments(node).flatMap((a) => pyPathPieces(a, depth + 1))];
    }
    return [node];
  }
  const built = pyBuiltString(node);
  if (built && built.parts.length) return built.parts.flatMap((p) => pyPathPieces(p, depth + 1));
  if (built) return [];
  if (node.kind() === 'identifier') {
    const values = pyNameValues(node);
    // One level of local variable: `path = os.path.join(BASE, name)` then `open(path)`.
    if (values && values.length === 1 && depth < 2) return pyPathPieces(values[0], depth + 1);
  }
  return [node];
}

/**
 * A route parameter matched as one URL segment (`/files/<name>`, `/files/{name}`): Flask's and
 * Starlette's default converters stop at `/`, so the value cannot climb out (`..` alone names a
 * directory, which open/send/delete refuse). `<path:name>` and `{name:path}` can.
 */
function pySingleSegmentParameter(piece: SgNode): boolean {
  let root: SgNode | null = piece;
  while (root && (root.kind() === 'attribute' || root.kind() === 'subscript')) root = root.field(root.kind() === 'attribute' ? 'object' : 'value');
  if (root?.kind() !== 'identifier' || root.id() !== piece.id()) return false;
  const fn = piece.ancestors().find((a) => a.kind() === 'function_definition');
  const decorated = fn?.parent();
  if (decorated?.kind() !== 'decorated_definition') return false;
  const name = piece.text();
  return decorated.children().some((d) => {
    if (d.kind() !== 'decorator') return false;
    const route = d.find({ rule: { kind: 'string' } })?.text() ?? '';
    return new RegExp(`<((string|int|float|uuid|slug)(\\([^)]*\\))?:)?${name}>|\\{${name}(:(str|int|float|uuid))?\\}`).test(route);
  });
}

function pyUntrustedPieces(path: SgNode): SgNode[] {
  return pyPathPieces(path).filter((piece) => {
    if (pySingleSegmentParameter(piece)) return false;
    if (piece.kind() === 'call') {
      const callee = piece.field('function')?.text() ?? '';
      if (callee === 'str' || callee === 'os.fspath') return pyUntrustedPieces(positionalArguments(piece)[0] ?? piece).length > 0 && piece.text() !== path.text();
      // Other calls produce something new (a file object, `secure_filename(...)`, `basename(...)`):
      // only request getters (`request.args.get("name")`) count.
      return PY_REQUEST_INPUT.test(callee);
    }
    if (piece.kind() === 'attribute' && /\.(name|stem|suffix)$/.test(piece.text())) return false;
    return pyCarriesRequestInput(piece);
  });
}

function pyFileSink(call: SgNode, bindings: PyBindings): { path: SgNode; display: string } | undefined {
  const callee = call.field('function');
  if (!callee) return undefined;
  const name = callee.kind() === 'identifier' && !bindings.has(callee.text()) ? callee.text() : pyQualifiedName(callee, bindings);
  if (name && PY_FILE_FUNCTIONS.has(name)) {
    const path = positionalArguments(call)[0] ?? keywordArgument(call, 'file') ?? keywordArgument(call, 'path') ?? keywordArgument(call, 'path_or_file');
    return path ? { path, display: `${callee.text()}()` } : undefined;
  }
  if (callee.kind() === 'attribute' && PY_PATH_METHODS.has(callee.field('attribute')?.text() ?? '')) {
    const receiver = callee.field('object');
    if (!receiver) return undefined;
    // Only receivers that visibly are paths: `Path(...)`, `BASE / name`, or a name assigned one.
    const value = receiver.kind() === 'identifier' ? pyNameValues(receiver)?.[0] : receiver;
    const isPath = !!value && (/^(pathlib\.)?(Path|PurePath)\s*\(/.test(value.text()) || (value.kind() === 'binary_operator' && value.field('operator')?.text() === '/') || /(^|\.)joinpath\s*\(/.test(value.text()));
    const unwrapped = value?.kind() === 'parenthesized_expression' ? value.children().find((c) => c.isNamed()) : value;
    const isPathExpr = isPath || (unwrapped?.kind() === 'binary_operator' && unwrapped.field('operator')?.text() === '/');
    return isPathExpr ? { path: receiver, display: `${short(receiver.text(), 30)}.${callee.field('attribute')?.text()}()` } : undefined;
  }
  return undefined;
}

/** Cheap pre-check on the callee's last name before resolving imports. */
const PY_SINK_NAME = /(^|\.)(open|remove|unlink|rmdir|listdir|scandir|rename|replace|rmtree|copy|copyfile|copy2|move|send_file|FileResponse|read_text|read_bytes|write_text|write_bytes|iterdir|touch)$/;
const TS_SINK_NAME = /(^|\.)(readFile|readFileSync|writeFile|writeFileSync|appendFile|appendFileSync|createReadStream|createWriteStream|unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|readdir|readdirSync|open|openSync|copyFile|copyFileSync|rename|renameSync|remove|removeSync|outputFile|readJson|readJSON|writeJson|sendFile|download)$/;

function pythonCall(node: SgNode, context: RuleContext): void {
  if (!PY_SINK_NAME.test(node.field('function')?.text() ?? '')) return;
  if (!pyFunctionMaySeeRequest(node)) return;
  const sink = pyFileSink(node, pyBindingsFor(context.file, node, context.source));
  if (!sink) return;
  const untrusted = pyUntrustedPieces(sink.path);
  if (!untrusted.length) return;
  const fn = pyEnclosingFunction(node);
  if (fn && PY_GUARD.test(fn.text())) return;
  context.report({
    node,
    message: `\`${sink.display}\` uses a path built from request input ${untrusted.map((u) => `\`${short(u.text())}\``).join(', ')} with no containment check: \`../\` or an absolute path in it reaches files outside the intended directory.`,
  });
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript
// ---------------------------------------------------------------------------------------------

const TS_FS_MODULES = new Set(['fs', 'fs/promises', 'fs-extra', 'graceful-fs']);
/** fs functions whose first argument is a path they read, write, list or delete. */
const TS_FS_FUNCTIONS = new Set([
  'readFile', 'readFileSync', 'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createReadStream', 'createWriteStream',
  'unlink', 'unlinkSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync', 'readdir', 'readdirSync', 'open', 'openSync', 'copyFile', 'copyFileSync',
  'rename', 'renameSync', 'remove', 'removeSync', 'outputFile', 'readJson', 'readJSON', 'writeJson',
]);
const TS_SANITISERS = /(^|\.)(basename|sanitize\w*|Number|parseInt|encodeURIComponent)$/;
/** The function canonicalises or compares itself (a weak `startsWith` is reported on its own). */
const TS_GUARD = /\brealpath(Sync)?\b|\brelative\s*\([\s\S]*(\.\.|isAbsolute)|\bbasename\s*\(|\.startsWith\s*\(|\.includes\s*\(\s*['"]\.\.['"]\s*\)/;

function tsPathPieces(input: SgNode, depth = 0): SgNode[] {
  const node = unwrapTsExpression(input);
  if (depth > 4) return [node];
  if (node.kind() === 'await_expression') {
    const inner = node.children().find((c) => c.isNamed());
    return inner ? tsPathPieces(inner, depth + 1) : [];
  }
  if (node.kind() === 'call_expression') {
    const callee = node.field('function')?.text() ?? '';
    if (/(^|\.)(join|resolve|normalize)$/.test(callee) && !/\]\.join$|\)\.join$/.test(callee)) {
      return callArguments(node).flatMap((a) => tsPathPieces(a, depth + 1));
    }
    return [node];
  }
  const built = tsBuiltString(node);
  if (built && built.parts.length) return built.parts.flatMap((p) => tsPathPieces(p, depth + 1));
  if (built) return [];
  if (node.kind() === 'identifier' && depth < 2) {
    const value = tsDeclaredValue(node);
    if (value) return tsPathPieces(value, depth + 1);
  }
  return [node];
}

function tsUntrustedPieces(path: SgNode): SgNode[] {
  return tsPathPieces(path).filter((piece) => {
    if (piece.kind() === 'call_expression' && TS_SANITISERS.test(piece.field('function')?.text() ?? '')) return false;
    return tsCarriesRequestInput(piece);
  });
}

function tsFileSink(call: SgNode, bindings: TsBindings): { path: SgNode; display: string } | undefined {
  const callee = call.field('function');
  if (!callee) return undefined;
  const [first, second] = callArguments(call);
  if (!first) return undefined;
  const display = `${short(callee.text())}()`;
  const binding = tsExpressionBinding(callee, bindings);
  if (binding && TS_FS_MODULES.has(binding.module) && TS_FS_FUNCTIONS.has(binding.imported)) return { path: first, display };
  if (callee.kind() !== 'member_expression') return undefined;
  const method = callee.field('property')?.text() ?? '';
  const receiver = callee.field('object');
  // `import { promises as fsp } from 'fs'`: `fsp.unlink(p)`.
  const receiverBinding = receiver ? tsExpressionBinding(receiver, bindings) : undefined;
  if (receiverBinding && TS_FS_MODULES.has(receiverBinding.module) && receiverBinding.imported === 'promises' && TS_FS_FUNCTIONS.has(method)) return { path: first, display };
  // `fs.promises.readFile(p)`.
  if (receiver?.kind() === 'member_expression' && receiver.field('property')?.text() === 'promises' && TS_FS_FUNCTIONS.has(method)) {
    const base = tsExpressionBinding(receiver.field('object')!, bindings);
    if (base && TS_FS_MODULES.has(base.module)) return { path: first, display };
  }
  // Express `res.sendFile(p)` / `res.download(p)`; `{ root }` makes Express refuse to leave the root.
  if ((method === 'sendFile' || method === 'download') && receiver && /^(res|response|reply)$/.test(receiver.text())) {
    const options = second ? unwrapTsExpression(second) : undefined;
    if (options?.kind() === 'object' && objectProperty(options, 'root')) return undefined;
    return { path: first, display };
  }
  return undefined;
}

function typescriptSink(node: SgNode, context: RuleContext): void {
  // Request input first (cheap, gated per function); import resolution only for the few left.
  const [first] = callArguments(node);
  if (!first || tsUntrustedPieces(first).length === 0) return;
  const sink = tsFileSink(node, tsBindingsFor(context.file, node, context.source));
  if (!sink) return;
  const untrusted = tsUntrustedPieces(sink.path);
  if (!untrusted.length) return;
  const fn = tsEnclosingFunction(node);
  if (fn && TS_GUARD.test(fn.text())) return;
  context.report({
    node,
    message: `\`${sink.display}\` uses a path built from request input ${untrusted.map((u) => `\`${short(u.text())}\``).join(', ')} with no containment check: \`../\` or an absolute path in it reaches files outside the intended directory.`,
  });
}

/** `path.resolve(...)`, `resolve(...)`, `path.normalize(...)`, `path.join(...)` from node:path. */
function tsIsPathComputation(node: SgNode, bindings: TsBindings): boolean {
  const value = unwrapTsExpression(node);
  if (value.kind() !== 'call_expression') return false;
  const callee = value.field('function');
  if (!callee) return false;
  const binding = tsExpressionBinding(callee, bindings);
  if (binding) return (binding.module === 'path' || binding.module === 'path/posix') && /^(resolve|normalize|join)$/.test(binding.imported);
  return /^path\.(resolve|normalize|join)$/.test(callee.text());
}

/** A base compared with a trailing separator: `root + path.sep`, `` `${root}/` ``, a name holding one. */
function tsEndsWithSeparator(node: SgNode, depth = 0): boolean {
  const value = unwrapTsExpression(node);
  const text = value.text();
  if (/\bsep\b|['"`]\/['"`]|\/`$|\/['"]$|\\\\['"]$/.test(text)) return true;
  if (value.kind() === 'identifier' && depth < 2) {
    const declared = tsDeclaredValue(value);
    if (declared) return tsEndsWithSeparator(declared, depth + 1);
  }
  return false;
}

function startsWithGuard(node: SgNode, context: RuleContext): void {
  const callee = node.field('function');
  if (callee?.kind() !== 'member_expression' || callee.field('property')?.text() !== 'startsWith') return;
  const checked = callee.field('object');
  const [base] = callArguments(node);
  if (!checked || !base) return;
  const bindings = tsBindingsFor(context.file, node, context.source);
  const checkedValue = unwrapTsExpression(checked).kind() === 'identifier' ? tsDeclaredValue(unwrapTsExpression(checked)) : checked;
  if (!checkedValue || !tsIsPathComputation(checkedValue, bindings)) return;
  // Only a path computed from something variable needs guarding.
  const pieces = tsPathPieces(checkedValue).filter((p) => !/^(['"`]).*\1$/.test(p.text()));
  if (pieces.length < 2 && !pieces.some((p) => tsCarriesRequestInput(p))) return;
  if (tsEndsWithSeparator(base)) return;
  const fn = tsEnclosingFunction(node);
  if (fn && /\brealpath(Sync)?\b|\brelative\s*\([\s\S]*(\.\.|isAbsolute)/.test(fn.text())) return;
  context.report({
    node,
    message: `\`${short(node.text(), 60)}\` is the only containment check for a path resolved from ${pieces.slice(1).map((p) => `\`${short(p.text())}\``).join(', ') || 'variable input'}: a sibling directory such as \`${short(base.text(), 30)} + "-evil/x"\` passes the prefix test and a symlink inside the base points anywhere; compare with the base plus \`path.sep\` after \`fs.realpath\`, or check \`path.relative()\` for \`..\`.`,
  });
}

export default defineRule({
  meta: {
    id: 'security/path-traversal',
    title: 'File path built from request input',
    area: 'security',
    severity: 'high',
    type: 'security',
    effort: 'small',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A file is opened, sent or deleted at a path joined from request input with no canonicalisation, or guarded only by a prefix `startsWith` check.',
    why:
      'Joining a directory with a name from the request (`os.path.join(UPLOADS, name)`, `path.join(dir, req.params.file)`) does not ' +
      'keep the result inside the directory: `../../etc/passwd` walks out of it and an absolute name replaces it entirely. The service ' +
      'then reads, serves, overwrites or deletes any file its account can reach (keys, `.env`, source). A check like ' +
      '`resolve(base, p).startsWith(base)` looks like a fix but is not one (seed 004): `/data/app-evil/x` starts with `/data/app`, ' +
      'and a symlink inside the directory still points anywhere. Not reported: `send_from_directory`, `safe_join`, ' +
      '`res.sendFile(name, { root })`, names reduced by `secure_filename`/`basename`, and functions that canonicalise ' +
      '(`realpath`/`resolve()`) and then check containment (`is_relative_to`, `commonpath`, `path.relative` without `..`, ' +
      'a base ending in `path.sep`). Values that do not visibly come from the request (handler parameters, `request.*`, ' +
      '`req.params/query/body`) are not reported: that is a taint engine\'s job.',
    recommendation:
      'Resolve the final path and check it stays inside the canonical base before touching the file: Python ' +
      '`target = (BASE / name).resolve(); if not target.is_relative_to(BASE.resolve()): abort(404)` (or `send_from_directory`, ' +
      '`werkzeug.utils.safe_join`); Node `const root = await realpath(base); const target = await realpath(resolve(root, name)); ' +
      'if (target !== root && !target.startsWith(root + path.sep)) throw ...`. For uploads, generate the stored name yourself.',
    examples: [
      {
        language: 'py',
        bad: 'import os\nfrom flask import request, send_file\n\n@app.get("/download")\ndef download():\n    return send_file(os.path.join(UPLOAD_DIR, request.args["name"]))\n',
        good: 'from flask import request, send_from_directory\n\n@app.get("/download")\ndef download():\n    return send_from_directory(UPLOAD_DIR, request.args["name"])\n',
      },
      {
        language: 'ts',
        bad: "import path from 'node:path';\nimport { readFile } from 'node:fs/promises';\n\nexport async function write(appDir: string, rel: string) {\n  const target = path.resolve(appDir, rel);\n  if (!target.startsWith(appDir)) throw new Error('bad path');\n  return readFile(target, 'utf8');\n}\n",
        good: "import path from 'node:path';\nimport { readFile } from 'node:fs/promises';\n\nexport async function write(appDir: string, rel: string) {\n  const target = path.resolve(appDir, rel);\n  if (!target.startsWith(appDir + path.sep)) throw new Error('bad path');\n  return readFile(target, 'utf8');\n}\n",
      },
    ],
    references: [
      'seed 004 (sandbox writeFiles: resolve(appDir, p).startsWith(appDir) bypassable by symlinks and prefix siblings)',
      'seed 000 (path traversal review)',
      'Semgrep python.flask.security.injection.path-traversal-open, javascript.express.security.audit.express-path-join-resolve-traversal',
      'ESLint security/detect-non-literal-fs-filename',
      'OWASP Path Traversal',
    ],
    cwe: ['CWE-22'],
  },
  // A file access (or node:path, for the startsWith guard) and request input (or the guard) in the same file.
  fileFilter: /^(?=[\s\S]*?(\bopen\s*\(|send_file|FileResponse|\bos\.(remove|unlink|rmdir|listdir|scandir|rename|replace)\b|\bshutil\.|\.(read_text|read_bytes|write_text|write_bytes|unlink|iterdir)\s*\(|\b(readFile|readFileSync|writeFile|writeFileSync|appendFile|appendFileSync|createReadStream|createWriteStream|unlink|unlinkSync|rm|rmSync|rmdir|readdir|readdirSync|copyFile|rename|remove|outputFile|readJson|sendFile|download)\s*\(|['"](node:)?path['"]))(?=[\s\S]*?(\brequest\b|\breq\b|\bctx\b|searchParams|@\w+(\.\w+)*\.(get|post|put|patch|delete|route|api_route)\s*\(|\b(Query|Path)\s*\(|\.startsWith\s*\())/,
  visitors: {
    py: { call: pythonCall },
    ts: {
      call_expression(node, context) {
        const callee = node.field('function')?.text() ?? '';
        if (TS_SINK_NAME.test(callee)) typescriptSink(node, context);
        else if (callee.endsWith('.startsWith')) startsWithGuard(node, context);
      },
    },
  },
});
