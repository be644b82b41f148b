// Whether a Python path expression is fixed by the program itself (literals, `__file__`,
// `os.path`/`pathlib` over them): files at such paths are the project's own, not an attacker's.
import type { SgNode } from '@ast-grep/napi';
import { positionalArguments } from './python.js';
import { pyNameValues, pyQualifiedName, pyStaticString, type PyBindings } from './static-values.js';

/**
 * The value of a name assigned exactly once in the file, at module level (`HERE = os.path.dirname(__file__)`).
 * A fallback for names `pyNameValues` gives up on (it counts `with open(HERE) as f` as a rebinding).
 */
function pySingleModuleAssignment(identifier: SgNode): SgNode[] | undefined {
  const assignments = identifier
    .getRoot()
    .root()
    .findAll({ rule: { kind: 'assignment' } })
    .filter((a) => a.field('left')?.text() === identifier.text());
  const [only] = assignments;
  if (assignments.length !== 1 || only.ancestors().some((a) => a.kind() === 'function_definition' || a.kind() === 'class_definition')) return undefined;
  const value = only.field('right');
  return value ? [value] : undefined;
}

/** A path fixed by the code: literals, `__file__`, `os.path.*`/`Path(...)` over them, `.parent`. */
export function pyStaticPath(node: SgNode | null | undefined, bindings: PyBindings, depth = 0): boolean {
  if (!node || depth > 6) return false;
  if (pyStaticString(node) !== undefined) return true;
  switch (node.kind()) {
    case 'identifier': {
      if (node.text() === '__file__') return true;
      const values = pyNameValues(node) ?? pySingleModuleAssignment(node);
      return !!values && values.every((v) => pyStaticPath(v, bindings, depth + 1));
    }
    case 'attribute':
      return node.field('attribute')?.text() === 'parent' && pyStaticPath(node.field('object'), bindings, depth + 1);
    case 'binary_operator':
      return node.field('operator')?.text() === '/' && pyStaticPath(node.field('left'), bindings, depth + 1) && pyStaticPath(node.field('right'), bindings, depth + 1);
    case 'call': {
      const name = pyQualifiedName(node.field('function'), bindings) ?? '';
      if (!/^(os\.path\.(join|dirname|abspath|realpath|normpath)|(pathlib\.)?(Path|PurePath))$/.test(name) && !/\.(resolve|absolute)$/.test(node.field('function')?.text() ?? '')) return false;
      const receiver = node.field('function')?.kind() === 'attribute' && !name.startsWith('os.path') && !/Path$/.test(name) ? [node.field('function')!.field('object')] : [];
      return [...receiver, ...positionalArguments(node)].every((a) => pyStaticPath(a, bindings, depth + 1));
    }
    default:
      return false;
  }
}


const OPENERS = /^(open|io\.open|codecs\.open|gzip\.open|bz2\.open|lzma\.open)$/;

/** `open(<fixed path>)`-like call: the path it opens is fixed by the program. */
export function pyOpensStaticPath(call: SgNode | null | undefined, bindings: PyBindings): boolean {
  if (call?.kind() !== 'call') return false;
  return OPENERS.test(pyQualifiedName(call.field('function'), bindings) ?? '') && pyStaticPath(positionalArguments(call)[0], bindings);
}

/**
 * A file object or file content from a fixed path: `open(P)`, `open(P).read()`, `Path(P).read_bytes()`,
 * or a name bound by `with open(P) as f` around `node`.
 */
export function pyFromStaticFile(value: SgNode | null | undefined, bindings: PyBindings): boolean {
  if (!value) return false;
  if (pyOpensStaticPath(value, bindings)) return true;
  if (value.kind() === 'call') {
    const callee = value.field('function');
    if (callee?.kind() !== 'attribute' || !/^(read|read_text|read_bytes|open)$/.test(callee.field('attribute')?.text() ?? '')) return false;
    const receiver = callee.field('object');
    return !!receiver && (pyFromStaticFile(receiver, bindings) || pyStaticPath(receiver, bindings));
  }
  if (value.kind() === 'identifier') {
    for (const withItem of value.ancestors().filter((a) => a.kind() === 'with_statement').flatMap((w) => w.findAll({ rule: { kind: 'as_pattern' } }))) {
      if (withItem.find({ rule: { kind: 'as_pattern_target' } })?.text() !== value.text()) continue;
      const opened = withItem.children().find((c) => c.isNamed());
      return pyFromStaticFile(opened, bindings) || (opened?.kind() === 'call' && /\.open$/.test(opened.field('function')?.text() ?? '') && pyStaticPath(opened.field('function')?.field('object'), bindings));
    }
  }
  return false;
}
