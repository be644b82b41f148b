// Cycles of an import graph: its strongly connected components (Tarjan's algorithm, iterative so
// a deep graph cannot overflow the stack), each shown by one shortest loop through its first file.

export interface ImportCycleStep {
  file: string;
  /** Line of the import that leads to the next file of the loop. */
  line: number;
}

export interface ImportCycle {
  /** One loop, starting at the component's first file (in path order); the last step imports the first. */
  path: ImportCycleStep[];
  /** Files in the strongly connected component (at least the loop's). */
  members: number;
}

interface Edge {
  to: string;
  line: number;
}

/** Components of two or more files, each as its sorted list of files, sorted by first file. */
export function stronglyConnected(edges: ReadonlyMap<string, readonly Edge[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const nodes = [...edges.keys()].sort();
  for (const start of nodes) {
    if (index.has(start)) continue;
    // Each frame: a node and the position of the next edge to follow.
    const frames: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (frames.length) {
      const frame = frames[frames.length - 1];
      const out = edges.get(frame.node) ?? [];
      if (frame.next < out.length) {
        const to = out[frame.next++].to;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          frames.push({ node: to, next: 0 });
        } else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        continue;
      }
      frames.pop();
      if (frames.length) {
        const parent = frames[frames.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1) components.push(component.sort());
      }
    }
  }
  return components.sort((a, b) => a[0].localeCompare(b[0]));
}

/** Shortest loop from `start` back to itself inside a component (breadth-first, first import wins ties). */
function shortestLoop(start: string, members: ReadonlySet<string>, edges: ReadonlyMap<string, readonly Edge[]>): ImportCycleStep[] {
  const reachedBy = new Map<string, { from: string; line: number }>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    for (const edge of edges.get(node) ?? []) {
      if (!members.has(edge.to) || reachedBy.has(edge.to)) continue;
      reachedBy.set(edge.to, { from: node, line: edge.line });
      if (edge.to === start) {
        const path: ImportCycleStep[] = [];
        let at = start;
        do {
          const step = reachedBy.get(at)!;
          path.unshift({ file: step.from, line: step.line });
          at = step.from;
        } while (at !== start);
        return path;
      }
      queue.push(edge.to);
    }
  }
  return []; // unreachable for a member of a strongly connected component
}

/** One cycle per group of files that import one another. */
export function importCycles(edges: ReadonlyMap<string, readonly Edge[]>): ImportCycle[] {
  const cycles: ImportCycle[] = [];
  for (const component of stronglyConnected(edges)) {
    const path = shortestLoop(component[0], new Set(component), edges);
    if (path.length) cycles.push({ path, members: component.length });
  }
  return cycles;
}

/** Files listed in a message before the rest are only counted. */
const MAX_LISTED = 8;

/** `Import cycle of 2 modules …: a.py:3 → b.py:5 → a.py`, the first files only of a long loop. */
export function cycleMessage(cycle: ImportCycle, maxListed = MAX_LISTED): string {
  const steps = cycle.path.map((step) => `${step.file}:${step.line}`);
  const listed = steps.length > maxListed ? [...steps.slice(0, maxListed), `… ${steps.length - maxListed} more`] : steps;
  const loop = [...listed, cycle.path[0].file].join(' → ');
  const tangle = cycle.members > cycle.path.length ? `; ${cycle.members} modules in all import one another through such loops` : '';
  return `Import cycle of ${cycle.path.length} modules loaded at import time: ${loop}${tangle}.`;
}
