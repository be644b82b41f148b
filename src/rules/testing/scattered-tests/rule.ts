import { defineRule, type ProjectContext } from '../../../core/rule.js';
import {
  baseName,
  componentFolders,
  componentOf,
  describeFolder,
  findTestFiles,
  folderOf,
  groupBy,
  inFolder,
  inTestFolder,
  JS_TEST_CODE,
  listSome,
  PY_TEST_CODE,
  TEST_FOLDER,
  type TestFile,
} from '../../_shared/project-tests.js';

/** Names of hand-run test scripts: `test_okx.py`, `okx_test.py`, `check_db.py`, `try_order.py`, `test-api.js`. */
const PY_TEST_NAME = /^test_\w*\.py$|^\w+_test\.py$/;
const PY_PROBE_NAME = /^(check|try|manual_test|debug)_\w*\.py$/;
const JS_SCRIPT_NAME = /^(test|check|try)[-_][\w.-]*\.[cm]?[jt]s$/;
/** Support files whose names start with "test": helpers, setup, data, not tests. */
const JS_SUPPORT_NAME = /^test[-_](utils?|helpers?|setup|data|fixtures?|config|server|env|globals?|db|factory|factories|mocks?)\b/i;
/** Folders of CLI and operations scripts: a `scripts/check_db.py` is a tool, not a test. */
const SCRIPT_FOLDER = /(^|\/)(scripts?|bin|tools|cli|management\/commands|bench|benchmarks?|examples?|docs?)\//;
/** Roots counted when tests are split: `tests/`, `test/`, `spec/` (`__tests__` and `e2e/` are conventions of their own). */
const ROOT_FOLDER = /^(tests?|specs?)$/;

const PY_PRINTS = /^[ \t]*print\(|\bpprint\(/m;
const PY_MAIN = /^if __name__ == ['"]__main__['"]\s*:/m;
/** A top-level call statement: `main()`, `asyncio.run(check())`. */
const PY_TOP_LEVEL_CALL = /^[A-Za-z_][\w.]*\([^\n]*\)\s*$/m;
const LOCAL_URL = /https?:\/\/(localhost|127\.0\.0\.1|0\.0\.0\.0)\b/;
const JS_PRINTS = /\bconsole\.(log|info|table|dir)\(/;
const JS_EXPORTS = /^\s*export\s|\bmodule\.exports\b|\bexports\.\w+\s*=/m;

interface Stray {
  path: string;
  why: string;
}

/** Python modules and packages of a component: what `from <name> import …` names when it imports the app. */
function localPythonModules(context: ProjectContext, component: string): Set<string> {
  const names = new Set<string>();
  const prefix = component ? `${component}/` : '';
  for (const file of context.files) {
    if (!file.path.endsWith('.py') || !file.path.startsWith(prefix)) continue;
    const first = file.path.slice(prefix.length).split('/')[0];
    names.add(first.replace(/\.py$/, ''));
  }
  return names;
}

function importsTheApp(source: string, modules: ReadonlySet<string>): boolean {
  if (/^from\s+\.+\w*\s+import\b/m.test(source)) return true;
  for (const match of source.matchAll(/^(?:from|import)\s+([A-Za-z_]\w*)/gm)) if (modules.has(match[1])) return true;
  return false;
}

/** Hand-run Python scripts named for testing: no test function pytest would collect, and code that runs and prints. */
function pythonStray(context: ProjectContext, path: string, source: string, component: string, hasPythonTestRoot: boolean): Stray | undefined {
  const name = baseName(path);
  const runs = PY_PRINTS.test(source) && (PY_MAIN.test(source) || PY_TOP_LEVEL_CALL.test(source));
  const hasTests = PY_TEST_CODE.test(source);
  if (PY_TEST_NAME.test(name)) {
    if (!hasTests && runs) return { path, why: 'a script that prints, no test function' };
    // A pytest module next to the code while the project keeps its tests in a test folder.
    if (hasTests && hasPythonTestRoot) return { path, why: 'a pytest module away from the other tests' };
    return undefined;
  }
  if (PY_PROBE_NAME.test(name) && !hasTests && runs) {
    if (importsTheApp(source, localPythonModules(context, component)) || LOCAL_URL.test(source)) return { path, why: 'calls the app and prints the result' };
  }
  return undefined;
}

function javascriptStray(path: string, source: string): Stray | undefined {
  const name = baseName(path);
  if (!JS_SCRIPT_NAME.test(name) || JS_SUPPORT_NAME.test(name) || /\.(test|spec)\./.test(name)) return undefined;
  if (JS_TEST_CODE.test(source) || JS_EXPORTS.test(source) || !JS_PRINTS.test(source)) return undefined;
  return { path, why: 'a script that logs, no test runner' };
}

/** `backend/tests/unit/test_x.py` → `backend/tests`: the folder up to the first test-folder name. */
function testRootOf(path: string): string | undefined {
  const parts = path.split('/');
  const index = parts.slice(0, -1).findIndex((part) => TEST_FOLDER.test(part));
  return index < 0 ? undefined : parts.slice(0, index + 1).join('/');
}

/** Django apps keep their tests inside the app (`shop/tests/`): that is the framework's layout. */
function isDjangoApp(context: ProjectContext, folder: string): boolean {
  return context.exists(inFolder(folder, 'apps.py')) || (context.exists(inFolder(folder, 'models.py')) && context.exists(inFolder(folder, 'views.py')));
}

/** The test roots of one component, when they are several and one sits at the component's top. */
function splitRoots(context: ProjectContext, component: string, tests: readonly TestFile[]): Map<string, TestFile[]> | undefined {
  const roots = groupBy(
    tests.filter((test) => {
      const root = testRootOf(test.path);
      return root !== undefined && ROOT_FOLDER.test(baseName(root)) && !isDjangoApp(context, folderOf(root));
    }),
    (test) => testRootOf(test.path)!,
  );
  if (roots.size < 2) return undefined;
  const topLevel = [...roots.keys()].some((root) => folderOf(root) === component);
  return topLevel ? roots : undefined;
}

export default defineRule({
  meta: {
    id: 'testing/scattered-tests',
    title: 'Ad-hoc test scripts or tests split across several roots',
    area: 'testing',
    severity: 'low',
    type: 'enhancement',
    effort: 'small',
    confidence: 'medium',
    languages: ['repo'],
    status: 'preview',
    since: '0.1.0',
    description: 'Hand-run test scripts outside the test folder (test_*.py that prints, check_*.py calling the app) or one component\'s tests split across tests/, test/ and nested test folders.',
    why:
      'A script named `test_orders.py` that prints results is run by hand, if at all: the test runner does not collect it, ' +
      'CI never runs it, and it rots silently while looking like coverage. Tests split across several roots (seed 001: ' +
      '"split between /backend/tests/, /backend/scripts/tests/, and the root directory") get different configuration, ' +
      'fixtures and discovery, so some are never run. Reported per component: `test_*.py`/`*_test.py` outside test ' +
      'folders that print and run code but define no test function; pytest modules outside the test folder when the ' +
      'project has one; `check_*.py`/`try_*.py` that import the app (or call it on localhost) and print; `test-*.js`/' +
      '`check-*.js` scripts that log and use no test runner; several `tests/`/`test/`/`spec/` roots of which one is at the ' +
      'component\'s top. Not reported: co-located `*.test.ts`/`*.spec.js` and `__tests__/` folders (a JavaScript ' +
      'convention), Django apps\' own `tests.py`/`tests/`, `e2e/` suites next to unit tests, per-package test folders without ' +
      'a top-level one, helper files (`test-utils.ts`), and scripts in `scripts/`, `bin/`, `tools/` or examples.',
    recommendation:
      'Turn each useful script into a test in the test folder (assert what it printed; mark network checks with a pytest ' +
      'marker so they can be skipped), delete the rest, and keep one test root per component configured in one place ' +
      '(`testpaths = ["tests"]`, Jest `roots`, Vitest `include`).',
    examples: [
      {
        language: 'text',
        bad: '# backend/test_okx.py (next to backend/tests/)\nfrom app.exchange import client\n\nprint(client.balance())\n',
        good: '# backend/tests/test_exchange.py\nfrom app.exchange import client\n\ndef test_balance_is_a_number(fake_exchange):\n    assert client.balance() >= 0\n',
      },
    ],
    references: ['seed 001 ("10 ad-hoc test files at root level", "Test Location Fragmentation")', 'RULES.md testing/scattered-tests', 'https://docs.pytest.org/en/stable/explanation/goodpractices.html#choosing-a-test-layout'],
  },
  onProject(context) {
    const components = componentFolders(context);
    const tests = findTestFiles(context);
    const hasPythonTestRoot = tests.some((test) => test.language === 'python' && testRootOf(test.path) !== undefined);

    const strays: Stray[] = [];
    for (const file of context.files) {
      if (inTestFolder(file.path) || SCRIPT_FOLDER.test(file.path)) continue;
      const name = baseName(file.path);
      const isPython = PY_TEST_NAME.test(name) || PY_PROBE_NAME.test(name);
      const isJavaScript = !isPython && JS_SCRIPT_NAME.test(name);
      if (!isPython && !isJavaScript) continue;
      const source = context.read(file.path);
      if (source === undefined) continue;
      const stray = isPython
        ? pythonStray(context, file.path, source, componentOf(file.path, components), hasPythonTestRoot)
        : javascriptStray(file.path, source);
      if (stray) strays.push(stray);
    }
    for (const [component, found] of groupBy(strays, (stray) => componentOf(stray.path, components))) {
      const count = found.length === 1 ? 'A test script' : `${found.length} test scripts`;
      context.report({
        path: found[0].path,
        line: 1,
        message: `${count} of ${describeFolder(component)} outside its test folders: ${listSome(found.map((s) => `${s.path} (${s.why})`), 5)}.`,
      });
    }

    for (const [component, inComponent] of groupBy(tests, (test) => componentOf(test.path, components))) {
      const roots = splitRoots(context, component, inComponent);
      if (!roots) continue;
      const bySize = [...roots.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
      const stray = bySize[bySize.length - 1];
      context.report({
        path: stray[1][0].path,
        line: 1,
        message: `Tests of ${describeFolder(component)} are split across ${roots.size} test folders: ${bySize.map(([root, files]) => `${root}/ (${files.length} ${files.length === 1 ? 'file' : 'files'})`).join(', ')}.`,
      });
    }
  },
});
