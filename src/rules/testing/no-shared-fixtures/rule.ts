import { defineRule, type ProjectContext } from '../../../core/rule.js';
import {
  baseName,
  componentFolders,
  componentOf,
  describeFolder,
  findTestFiles,
  folderOf,
  groupBy,
  lineOf,
  listSome,
  type TestFile,
} from '../../_shared/project-tests.js';

/** Fewer test files than this is a small suite: building a client in each is no burden yet. */
const MIN_FILES = 3;

/**
 * Setup that belongs in a shared fixture once several files repeat it: test clients, mocks of
 * collaborators, app factories, database engines and sessions. Matched on the call text.
 */
const SETUP_CALLS: { label: string; pattern: RegExp }[] = [
  { label: 'TestClient(…)', pattern: /\bTestClient\s*\(/ },
  { label: 'AsyncClient(…)', pattern: /\bAsyncClient\s*\(/ },
  { label: '.test_client()', pattern: /\.test_client\s*\(/ },
  { label: 'create_app(…)', pattern: /\bcreate_app\s*\(/ },
  { label: 'MagicMock(…)', pattern: /\bMagicMock\s*\(/ },
  { label: 'AsyncMock(…)', pattern: /\bAsyncMock\s*\(/ },
  { label: 'Mock(…)', pattern: /(?<![\w.])Mock\s*\(/ },
  { label: 'create_autospec(…)', pattern: /\bcreate_autospec\s*\(/ },
  { label: 'create_engine(…)', pattern: /\bcreate_(async_)?engine\s*\(/ },
  { label: 'sessionmaker(…)', pattern: /\b(async_)?sessionmaker\s*\(/ },
];

/** unittest style: test classes deriving from a TestCase (setUp and base classes share the setup there). */
const UNITTEST_CLASS = /^class\s+\w+\s*\(\s*[\w.]*(TestCase|Tests?Base|Base\w*Tests?|\w*TestMixin)\b/m;
const MODULE_TEST_FUNCTION = /^(async\s+)?def\s+test\w*\s*\(/m;
/**
 * Imports of shared test support: `from tests.factories import …`, `from .helpers import …`,
 * `from conftest import …`, or a module named for fixtures, factories, test helpers, testing or
 * mocks (`myapp.testing`); an app module such as `app.helpers` is not test support.
 */
const SHARED_SUPPORT_IMPORT = /^\s*(from\s+(tests?\.[\w.]+|\.[\w.]*|conftest|(\w+\.)*(\w+_)?(fixtures?|factories|factory|test_?helpers|test_?utils|testing|mocks))\s+import\b|import\s+([\w]+\.)*(fixtures|factories)\b)|^\s*pytest_plugins\s*=/m;

/** A pytest module, not a unittest one: module-level test functions, or classes without a TestCase base. */
function isPytestStyle(test: TestFile): boolean {
  return MODULE_TEST_FUNCTION.test(test.source) || !UNITTEST_CLASS.test(test.source);
}

/** conftest.py at or below the component folder, or in a folder above it (pytest loads those too). */
function hasConftest(context: ProjectContext, component: string): boolean {
  return context.files.some((file) => {
    if (baseName(file.path) !== 'conftest.py') return false;
    const folder = folderOf(file.path);
    return component === '' || folder === component || folder.startsWith(`${component}/`) || component.startsWith(folder === '' ? '' : `${folder}/`);
  });
}

export default defineRule({
  meta: {
    id: 'testing/no-shared-fixtures',
    title: 'pytest suite without shared fixtures',
    area: 'testing',
    severity: 'low',
    type: 'enhancement',
    effort: 'small',
    confidence: 'medium',
    languages: ['repo'],
    status: 'preview',
    since: '0.1.0',
    description: 'A pytest suite of several files with no conftest.py or shared fixture module, where each file builds the same clients or mocks itself.',
    why:
      'When every test file creates its own `TestClient(app)`, `MagicMock()` collaborators or database session, a change ' +
      'to how the app is built or configured has to be made in every file, the copies drift apart, and tests stop ' +
      'testing the same thing (seed 001: "Missing conftest.py, fixtures, factories - each test manual setup"). A fixture ' +
      'in conftest.py is written once, cleaned up once, and can be overridden per test. Reported per component: ' + MIN_FILES +
      ' or more pytest files, no conftest.py in or above the component, no shared support module imported (`tests/' +
      'factories.py`, `helpers`, `pytest_plugins`), and one setup call (`TestClient`, `AsyncClient`, `.test_client()`, ' +
      '`create_app`, `MagicMock`, `AsyncMock`, `Mock`, `create_autospec`, `create_engine`, `sessionmaker`) repeated in ' + MIN_FILES +
      ' or more files. Not reported: unittest suites (TestCase classes share setup through setUp and base classes), ' +
      'suites of fewer files, and suites whose files repeat no setup.',
    recommendation:
      'Add `tests/conftest.py` with fixtures for what the files repeat (`@pytest.fixture def client(): return ' +
      'TestClient(app)`, a mocked exchange or database session with its cleanup after `yield`) and take them as test ' +
      'arguments; use `app.dependency_overrides` or `monkeypatch` in the fixture instead of patching in every test.',
    examples: [
      {
        language: 'py',
        bad: '# tests/test_orders.py, tests/test_users.py, tests/test_auth.py each start with\nclient = TestClient(app)\n',
        good: '# tests/conftest.py\n@pytest.fixture\ndef client():\n    return TestClient(app)\n',
      },
    ],
    references: ['seed 001 ("No Test Infrastructure: Missing conftest.py, fixtures, factories")', 'RULES.md testing/no-shared-fixtures', 'https://docs.pytest.org/en/stable/reference/fixtures.html#conftest-py-sharing-fixtures-across-multiple-files'],
  },
  onProject(context) {
    const tests = findTestFiles(context).filter((test) => test.language === 'python');
    if (tests.length < MIN_FILES) return;
    const components = componentFolders(context);
    for (const [component, files] of groupBy(tests, (test) => componentOf(test.path, components))) {
      const pytestFiles = files.filter(isPytestStyle);
      if (pytestFiles.length < MIN_FILES || hasConftest(context, component)) continue;
      if (pytestFiles.some((test) => SHARED_SUPPORT_IMPORT.test(test.source))) continue;
      const repeated = SETUP_CALLS.map(({ label, pattern }) => ({ label, pattern, files: pytestFiles.filter((test) => pattern.test(test.source)) }))
        .filter((setup) => setup.files.length >= MIN_FILES)
        .sort((a, b) => b.files.length - a.files.length);
      if (repeated.length === 0) continue;
      const [most] = repeated;
      const first = most.files[0];
      const setups = repeated.map((setup) => `\`${setup.label}\``).join(', ');
      context.report({
        path: first.path,
        line: lineOf(first.source, most.pattern),
        message:
          `${most.files.length === pytestFiles.length ? `All ${pytestFiles.length}` : `${most.files.length} of the ${pytestFiles.length}`} pytest files of ${describeFolder(component)} build their own ${setups} ` +
          `(${listSome(most.files.map((test) => `${test.path}:${lineOf(test.source, most.pattern)}`), 4)}) with no conftest.py or shared fixture.`,
      });
    }
  },
});
