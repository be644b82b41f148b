// What the repository rules about testing share: the components of a repository (the folders
// that hold a dependency manifest) and its test files, recognised by name and confirmed by what
// they contain (a `tests/` folder also holds helpers and data, and `django/test/` is a library).
import type { ProjectContext } from '../../core/rule.js';
import { folderOf, foldersUp, inFolder } from '../../deps/manifests.js';

export type TestLanguage = 'python' | 'javascript';

export interface TestFile {
  path: string;
  language: TestLanguage;
  source: string;
}

/** Dependency manifests: the folder holding one is a component (a backend, a frontend, a package). */
const MANIFEST = /(^|\/)(package\.json|pyproject\.toml|setup\.py|setup\.cfg|Pipfile|requirements[^/]*\.txt)$/;
const PY = /\.pyw?$/;
const JS = /\.([cm]?[jt]sx?)$/;
/** Folder names test runners and people use for tests (one path segment). */
export const TEST_FOLDER = /^(tests?|__tests__|specs?|e2e|integration_tests|unit_tests|functional_tests)$/;
/** Tests are bounded so a vendored tree cannot make the scan slow. */
const MAX_TEST_FILES = 3000;
const MAX_TEST_BYTES = 512 * 1024;

/** A pytest/unittest test function or method: `def test_x(`, `async def test_x(`. */
export const PY_TEST_CODE = /^[ \t]*(async[ \t]+)?def[ \t]+test\w*[ \t]*\(/m;
/** A jest/vitest/mocha/node:test test or suite call. */
export const JS_TEST_CODE = /(^|[^\w$.])(describe|it|test|suite)(\.(only|skip|each|concurrent|todo))?[ \t]*\(|from[ \t]+['"]node:test['"]|require\(['"]node:test['"]\)/m;

export { folderOf, foldersUp, inFolder } from '../../deps/manifests.js';

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A folder as people name it in a message: the root is "the repository". */
export function describeFolder(folder: string): string {
  return folder ? `\`${folder}/\`` : 'the repository';
}

/**
 * Component folders: every folder holding a dependency manifest, and the root (the component of
 * files no manifest claims). A `Pipfile` has no extension the walk lists, so it is looked up.
 */
export function componentFolders(context: ProjectContext): Set<string> {
  const folders = new Set<string>(['']);
  const codeFolders = new Set<string>();
  for (const file of context.files) {
    if (MANIFEST.test(file.path)) folders.add(folderOf(file.path));
    else if (PY.test(file.path) || JS.test(file.path)) codeFolders.add(folderOf(file.path));
  }
  for (const folder of codeFolders) if (!folders.has(folder) && context.exists(inFolder(folder, 'Pipfile'))) folders.add(folder);
  return folders;
}

/** The nearest component folder at or above a file. */
export function componentOf(path: string, components: ReadonlySet<string>): string {
  for (const folder of foldersUp(folderOf(path))) if (components.has(folder)) return folder;
  return '';
}

/** Whether a path lies inside a test folder (`tests/`, `__tests__/`, `e2e/`…). */
export function inTestFolder(path: string): boolean {
  return path.split('/').slice(0, -1).some((part) => TEST_FOLDER.test(part));
}

/**
 * Python test modules by the names pytest collects (`test_*.py`, `*_test.py`) and Django's
 * `tests.py`: other modules of a `tests/` folder are helpers, and a library's own testing
 * package (`django/test/testcases.py`, `runner.py`) is not a test suite.
 */
function isPythonTestCandidate(path: string): boolean {
  return /^test_\w*\.py$|^\w+_test\.py$|^tests\.py$/.test(baseName(path));
}

function isJsTestCandidate(path: string): boolean {
  if (/\.d\.[cm]?ts$/.test(path)) return false;
  return /\.(test|spec)\.[cm]?[jt]sx?$/.test(path) || (inTestFolder(path) && JS.test(path));
}

/**
 * Test files of the tree: a test-like name or place, and at least one test in the text. Files
 * that cannot be read are left out (the file audit reports them).
 */
export function findTestFiles(context: ProjectContext): TestFile[] {
  const found: TestFile[] = [];
  for (const file of context.files) {
    if (found.length >= MAX_TEST_FILES) break;
    const language: TestLanguage | undefined = isPythonTestCandidate(file.path) ? 'python' : isJsTestCandidate(file.path) ? 'javascript' : undefined;
    if (!language) continue;
    const source = context.read(file.path);
    if (source === undefined || source.length > MAX_TEST_BYTES) continue;
    if ((language === 'python' ? PY_TEST_CODE : JS_TEST_CODE).test(source)) found.push({ path: file.path, language, source });
  }
  return found;
}

/** Groups items by a key, keeping first-seen order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** `a, b, c and 4 more` for messages. */
export function listSome(items: readonly string[], shown = 4): string {
  const head = items.slice(0, shown).join(', ');
  return items.length > shown ? `${head} and ${items.length - shown} more` : head;
}

/** 1-based line of the first match of a pattern in a text (1 when absent). */
export function lineOf(source: string, pattern: RegExp): number {
  const match = pattern.exec(source);
  if (!match) return 1;
  let line = 1;
  for (let i = 0; i < match.index; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}
