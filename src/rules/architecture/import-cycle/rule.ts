import { defineRule } from '../../../core/rule.js';
import { isTestPath } from '../../../discover/language.js';
import type { ImportGraph, ResolvedImport } from '../../../model/imports.js';
import { cycleMessage, importCycles } from './cycles.js';

const folderOf = (path: string) => {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
};

/**
 * A submodule importing its own package (`pkg/sub.py` → `pkg/__init__.py`, `src/a/b.ts` →
 * `src/a/index.ts`): the package is already being initialised when its submodule runs, so the
 * import either finds the names it wants or fails on every start (no order dependence to hide).
 * These re-export loops are the ordinary shape of a package, not a design problem.
 */
function isOwnPackage(from: string, to: string): boolean {
  const name = to.slice(to.lastIndexOf('/') + 1);
  if (name !== '__init__.py' && !/^index\.[cm]?[jt]sx?$/.test(name)) return false;
  const pkg = folderOf(to);
  return pkg === '' || from.startsWith(`${pkg}/`);
}

/** Imports that run when the module is loaded, between non-test files, minus own-package ones. */
function loadTimeEdges(graph: ImportGraph): Map<string, ResolvedImport[]> {
  const edges = new Map<string, ResolvedImport[]>();
  for (const [from, imports] of graph.edges) {
    if (isTestPath(from)) continue;
    const kept = imports.filter((edge) => edge.timing === 'runtime' && !isTestPath(edge.to) && !isOwnPackage(from, edge.to));
    if (kept.length) edges.set(from, kept);
  }
  return edges;
}

export default defineRule({
  meta: {
    id: 'architecture/import-cycle',
    title: 'Import cycle between modules',
    area: 'architecture',
    severity: 'medium',
    type: 'enhancement',
    effort: 'medium',
    confidence: 'high',
    languages: ['repo'],
    since: '0.1.0',
    description: 'Modules that import one another, directly or through others, when they are loaded (Python and TS/JS).',
    why:
      'In a cycle the module loaded first sees the others half-initialised: Python raises `ImportError: cannot import name` ' +
      '(partially initialized module) and ESM throws `ReferenceError: Cannot access before initialization` or hands out ' +
      '`undefined`, depending on which file happens to be imported first — an entry point, a test, a worker. Cycles also ' +
      'mean the modules cannot be understood, tested or split apart one without the others. Reported: each group of ' +
      'modules that import one another (a strongly connected component of the load-time import graph), once, at its ' +
      'first file, with one concrete loop and the import lines. Not counted: `import type` and imports TypeScript drops ' +
      "because their names are only used as types, imports under `if TYPE_CHECKING:` or `if __name__ == '__main__':`, " +
      'imports inside functions and dynamic `import()` (the usual way to break a cycle), a submodule importing its own ' +
      "package's `__init__.py` or `index` (re-exports: the package is already loading), and test files.",
    recommendation:
      'Move what both modules need into a third module they both import, or invert the dependency (pass a callback, ' +
      'register the implementation). Where that is not worth it, make one import lazy (inside the function using it, or ' +
      '`import()`), or type-only (`import type`, `if TYPE_CHECKING:`) when only types are shared.',
    examples: [
      {
        language: 'text',
        bad: '# app/orders.py\nfrom app.customers import Customer\n# app/customers.py\nfrom app.orders import Order\n',
        good: '# app/orders.py\nfrom app.customers import Customer\n# app/customers.py\ndef orders_of(customer):\n    from app.orders import Order  # loaded when called\n',
      },
    ],
    metrics: [
      { id: 'project-modules', label: 'Source modules', kind: 'count', note: 'Python and TS/JS files of the module dependency graph, counted per folder.' },
      {
        id: 'import-edges',
        label: 'Imports between project modules',
        kind: 'count',
        note: 'Imports resolved to files of the project (packages excluded), counted per importing file: the edges of the module dependency graph.',
      },
    ],
    references: [
      'RULES.md architecture/import-cycle',
      'https://github.com/import-js/eslint-plugin-import/blob/main/docs/rules/no-cycle.md',
      'https://pylint.readthedocs.io/en/stable/user_guide/messages/refactor/cyclic-import.html',
    ],
  },
  onProject(context) {
    const graph = context.imports;
    // Modules are counted per folder: the report's "most" list then names the largest packages.
    const perFolder = new Map<string, number>();
    for (const module of graph.modules) perFolder.set(folderOf(module) || '.', (perFolder.get(folderOf(module) || '.') ?? 0) + 1);
    for (const [folder, count] of perFolder) context.measure('project-modules', count, undefined, folder);
    for (const [from, imports] of graph.edges) context.measure('import-edges', imports.length, undefined, from);
    for (const cycle of importCycles(loadTimeEdges(graph))) {
      context.report({ path: cycle.path[0].file, line: cycle.path[0].line, message: cycleMessage(cycle) });
    }
  },
});
