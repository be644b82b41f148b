// Finding the node at a position by descending from the root: a handful of `children()` calls
// instead of a full-tree `findAll`, for line-based rules that only need the tree at a few places.
import type { SgNode } from '@ast-grep/napi';

function before(line: number, column: number, other: { line: number; column: number }): boolean {
  return line < other.line || (line === other.line && column < other.column);
}

/** Whether (line, column) lies in [start, end) of the node (0-based line, UTF-16 column). */
export function containsPosition(node: SgNode, line: number, column: number): boolean {
  const { start, end } = node.range();
  return !before(line, column, start) && before(line, column, end);
}

/**
 * The deepest node whose range contains the position; the root when nothing narrower does.
 * Children are probed one by one with `child(n)` (exponential, then binary search over their
 * start positions): materialising every child of a large module with `children()` costs more.
 */
export function deepestNodeAt(root: SgNode, line: number, column: number): SgNode {
  let node = root;
  for (;;) {
    let bound = 1;
    while (node.child(bound) !== null) bound *= 2;
    // The last child starting at or before the position.
    let low = 0;
    let high = bound;
    let candidate: SgNode | null = null;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const child = node.child(middle);
      if (child === null || before(line, column, child.range().start)) high = middle - 1;
      else {
        candidate = child;
        low = middle + 1;
      }
    }
    if (candidate === null || !before(line, column, candidate.range().end)) return node;
    node = candidate;
  }
}

/** The comment node covering the position, if the position is inside a comment. */
export function commentAt(root: SgNode, line: number, column: number): SgNode | undefined {
  const node = deepestNodeAt(root, line, column);
  return node.kind() === 'comment' ? node : undefined;
}
