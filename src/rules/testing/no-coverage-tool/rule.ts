import { defineRule, type ProjectContext } from '../../../core/rule.js';
import {
  baseName,
  componentFolders,
  componentOf,
  describeFolder,
  findTestFiles,
  folderOf,
  foldersUp,
  groupBy,
  inFolder,
  listSome,
  type TestLanguage,
} from '../../_shared/project-tests.js';

/** Python coverage: the tools in a requirement list, their config tables, `--cov` and `coverage run`. */
const PY_REQUIREMENT = /^[ \t]*["']?(coverage|pytest-cov)\b/im;
const PY_CONFIG_TEXT = /^[ \t]*\[(tool\.coverage[\].]|coverage:)|(^|["'\s=])(coverage|pytest-cov)(\[[^\]]*\])?[ \t]*([<>=~!;,"'\]]|$)|--cov\b|\bcoverage\s+run\b/m;
const PY_CONFIG_FILES = ['pyproject.toml', 'setup.cfg', 'tox.ini', 'pytest.ini', 'Pipfile', 'noxfile.py', 'Makefile', 'setup.py'];
/** JavaScript coverage: c8, nyc, istanbul, Vitest's providers, `--coverage`, Jest's coverage options. */
const JS_PACKAGE = /^(c8|nyc|istanbul|@vitest\/coverage-[\w-]+|babel-plugin-istanbul|karma-coverage(-istanbul-reporter)?)$/;
const JS_COMMAND = /(^|[\s;&|])(c8|nyc)\s|--coverage\b|--code-coverage\b|--experimental-test-coverage\b/;
const JS_CONFIG_TEXT = /\bcollectCoverage\s*:\s*true|\b(collectCoverageFrom|coverageThreshold|coverageDirectory|coverageReporters|coverageProvider|coverageReporter|coverageIstanbulReporter)\b|\bcoverage\s*:\s*\{|--coverage\b/;
const JS_CONFIG_FILE = /^(jest|vitest|vite|vitest\.workspace)\.config\.[cm]?[jt]s$|^jest\.config\.json$|^karma\.conf\.[cm]?js$/;
const JS_CONFIG_NAMES = ['.nycrc', '.nycrc.json', '.nycrc.yml', '.c8rc', '.c8rc.json', '.istanbul.yml'];
/** CI and task files: a coverage command there covers every component of that language. */
const CI_FILE = /^(\.github\/workflows\/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|\.circleci\/config\.ya?ml|azure-pipelines\.ya?ml|bitbucket-pipelines\.ya?ml|\.travis\.ya?ml|Jenkinsfile|tox\.ini|noxfile\.py|Makefile|justfile)$/;
const CI_NAMES = ['.gitlab-ci.yml', 'Jenkinsfile', 'Makefile', 'justfile', 'tox.ini', '.travis.yml', 'azure-pipelines.yml', 'bitbucket-pipelines.yml', '.circleci/config.yml'];
const PY_CI_COMMAND = /--cov\b|\bcoverage\s+(run|report|xml|html)\b|\bpytest-cov\b/;

interface Evidence {
  python: boolean;
  javascript: boolean;
}

/** Coverage commands in CI or task files anywhere in the tree. */
function ciEvidence(context: ProjectContext): Evidence {
  const paths = new Set<string>(CI_NAMES.filter((name) => context.exists(name)));
  // Shell scripts too: `scripts/test.sh` running `coverage run -m pytest` is a common home for the command.
  for (const file of context.files) if (CI_FILE.test(file.path) || /\.(sh|bash)$/.test(file.path)) paths.add(file.path);
  const evidence: Evidence = { python: false, javascript: false };
  for (const path of paths) {
    const text = context.read(path) ?? '';
    evidence.python ||= PY_CI_COMMAND.test(text);
    evidence.javascript ||= JS_COMMAND.test(text);
  }
  return evidence;
}

function requirementFiles(context: ProjectContext, folder: string): string[] {
  return context.files
    .map((file) => file.path)
    .filter((path) => {
      const name = baseName(path);
      const parent = folderOf(path);
      // requirements-dev.txt or dev-requirements.txt next to the code, or requirements/dev.txt in a folder of its own.
      return (parent === folder && /^[\w.-]*requirements[\w.-]*\.txt$/.test(name)) || (parent === inFolder(folder, 'requirements') && name.endsWith('.txt'));
    });
}

/** Where a Python component shows a coverage tool: the component folder and those above it. */
function pythonCoverageIn(context: ProjectContext, folder: string): boolean {
  for (const at of foldersUp(folder)) {
    if (context.exists(inFolder(at, '.coveragerc'))) return true;
    if (requirementFiles(context, at).some((path) => PY_REQUIREMENT.test(context.read(path) ?? ''))) return true;
    for (const name of PY_CONFIG_FILES) {
      const text = context.read(inFolder(at, name));
      if (text && PY_CONFIG_TEXT.test(text)) return true;
    }
  }
  return false;
}

/** Test runners a package declares (or runs) when its test setup is its own. */
const JS_RUNNER_PACKAGE = /^(vitest|jest|mocha|ava|tap|jasmine|karma|uvu|@playwright\/test|cypress|@jest\/globals|ts-jest|@web\/test-runner)$/;
/** `node --test`, also with options before it (`node --import tsx --test`), `bun test`, `deno test`. */
const JS_BUILT_IN_RUNNER = /\bnode\s[^&|;]*--test\b|\bbun\s+test\b|\bdeno\s+test\b/;

const E2E_TEST = /(^|\/)(e2e|cypress|playwright)\//;
const E2E_IMPORT = /from\s+['"](@playwright\/test|cypress)['"]|require\(['"]@playwright\/test['"]\)/;

type PackageJsonReader = (path: string) => Record<string, unknown> | undefined;

/** Reads each package.json once; a malformed one becomes a diagnostic and reads as absent. */
function packageJsonReader(context: ProjectContext): PackageJsonReader {
  const cache = new Map<string, Record<string, unknown> | undefined>();
  return (path) => {
    if (cache.has(path)) return cache.get(path);
    const text = context.read(path);
    let manifest: Record<string, unknown> | undefined;
    if (text !== undefined) {
      try {
        manifest = JSON.parse(text) as Record<string, unknown>;
      } catch (error) {
        context.diagnose(path, `not valid JSON (${(error as Error).message}); its test and coverage setup could not be read`);
      }
    }
    cache.set(path, manifest);
    return manifest;
  };
}

const packagesOf = (manifest: Record<string, unknown>): string[] =>
  ['dependencies', 'devDependencies', 'optionalDependencies'].flatMap((field) => Object.keys((manifest[field] as object | undefined) ?? {}));
const scriptsOf = (manifest: Record<string, unknown>): string[] =>
  Object.values((manifest.scripts as Record<string, unknown> | undefined) ?? {}).filter((script): script is string => typeof script === 'string');

/** Coverage set up in a package.json: a coverage package, a script running one, or Jest's options. */
function packageJsonCoverage(manifest: Record<string, unknown>): boolean {
  if (packagesOf(manifest).some((name) => JS_PACKAGE.test(name))) return true;
  if (scriptsOf(manifest).some((script) => JS_COMMAND.test(script))) return true;
  const jest = manifest.jest as Record<string, unknown> | undefined;
  if (jest && (jest.collectCoverage === true || ['collectCoverageFrom', 'coverageThreshold', 'coverageDirectory', 'coverageReporters'].some((key) => key in jest))) return true;
  return 'nyc' in manifest || 'c8' in manifest;
}

/** Runner config files (jest.config.js, vitest.config.ts…) in one folder. */
function runnerConfigsIn(context: ProjectContext, folder: string): string[] {
  return context.files.filter((file) => folderOf(file.path) === folder && JS_CONFIG_FILE.test(baseName(file.path))).map((file) => file.path);
}

/**
 * Whether the JavaScript test setup is part of the audited tree: a runner declared or run by a
 * package.json, or a runner config, at the component or above. A workspace member whose runner
 * and config live in a root outside the tree (a published package's sources) cannot be judged.
 */
function javascriptRunnerInTree(context: ProjectContext, folder: string, readPackage: PackageJsonReader): boolean {
  for (const at of foldersUp(folder)) {
    const manifest = readPackage(inFolder(at, 'package.json'));
    if (manifest && (packagesOf(manifest).some((name) => JS_RUNNER_PACKAGE.test(name)) || scriptsOf(manifest).some((script) => JS_BUILT_IN_RUNNER.test(script)))) return true;
    if (runnerConfigsIn(context, at).length > 0) return true;
  }
  return false;
}

function javascriptCoverageIn(context: ProjectContext, folder: string, readPackage: PackageJsonReader): boolean {
  for (const at of foldersUp(folder)) {
    const manifest = readPackage(inFolder(at, 'package.json'));
    if (manifest && packageJsonCoverage(manifest)) return true;
    if (JS_CONFIG_NAMES.some((name) => context.exists(inFolder(at, name)))) return true;
    if (runnerConfigsIn(context, at).some((path) => JS_CONFIG_TEXT.test(context.read(path) ?? ''))) return true;
  }
  return false;
}

/** What to point at: the component's manifest (the file a fix edits), else the root. */
function manifestOf(context: ProjectContext, folder: string, language: TestLanguage): string {
  const names = language === 'python' ? ['pyproject.toml', 'setup.cfg', 'requirements.txt', 'requirements-dev.txt', 'Pipfile', 'setup.py'] : ['package.json'];
  return names.map((name) => inFolder(folder, name)).find((path) => context.exists(path)) ?? '.';
}

const RUNNER: Record<TestLanguage, string> = { python: 'Python (pytest/unittest)', javascript: 'JavaScript/TypeScript' };
const LOOKED_FOR: Record<TestLanguage, string> = {
  python: 'no `pytest-cov`/`coverage` requirement, `.coveragerc`, `[tool.coverage]`/`[coverage:*]` section or `--cov` option',
  javascript: 'no c8, nyc or @vitest/coverage-* package, `--coverage` script, `collectCoverage` or `coverage` block in the Jest/Vitest config',
};

export default defineRule({
  meta: {
    id: 'testing/no-coverage-tool',
    title: 'Tests without a coverage tool',
    area: 'testing',
    severity: 'low',
    type: 'enhancement',
    effort: 'small',
    confidence: 'high',
    languages: ['repo'],
    since: '0.1.0',
    description: 'A component has a test suite but nothing measures which code the tests run (no pytest-cov, coverage.py, c8, nyc, Vitest or Jest coverage).',
    why:
      'Without coverage nobody knows which modules the tests exercise: seed 001 found "21 services with only 1 formally ' +
      'tested" by hand because "no pytest-cov configured, coverage unknown for most modules". A coverage report makes the ' +
      'untested services visible on every run and lets CI stop coverage from falling. Judged per component (the folder of a ' +
      'package.json, pyproject.toml, setup.cfg, Pipfile or requirements file), per language of its tests. Recognised for ' +
      'Python: `coverage` or `pytest-cov` in a requirements file, pyproject or Pipfile, `.coveragerc`, `[tool.coverage.*]` ' +
      'or `[coverage:*]` sections, `--cov` in pytest options, tox, nox, a Makefile or a shell script. For JavaScript/TypeScript: c8, nyc, ' +
      'istanbul, karma-coverage or `@vitest/coverage-*` packages, a script with `--coverage`, `--code-coverage`, `c8` or `nyc`, ' +
      'Jest\'s coverage options (`collectCoverage`, `coverageThreshold`, `coverageDirectory`…), a `coverage: {…}` block in a Vitest/Vite config, `.nycrc`/`.c8rc`. A coverage command in CI ' +
      '(GitHub Actions, GitLab, CircleCI…) counts for every component of that language. Test files are recognised by name ' +
      '(`test_*.py`, `*_test.py`, Django\'s `tests.py`; `*.test.ts`, `*.spec.js` and scripts in `tests/`/`__tests__/`) and ' +
      'must contain a test. Not reported: components without tests (testing/no-tests covers those), a library\'s own ' +
      'testing package (`django/test/`), JavaScript tests whose runner no package.json or config in the tree declares ' +
      '(a workspace member configured from a root outside the audit), and components whose only JavaScript tests are ' +
      'browser end-to-end suites (Playwright, Cypress).',
    recommendation:
      'Python: add `pytest-cov` to the development requirements and `addopts = "--cov=app --cov-report=term-missing"` under ' +
      '`[tool.pytest.ini_options]` (or a `[tool.coverage.run]` section with `source`). JavaScript/TypeScript: `npm i -D ' +
      '@vitest/coverage-v8` with `coverage: { provider: "v8" }`, `jest --coverage`, or `c8 node --test`. Then publish the ' +
      'report in CI and set a threshold that only goes up.',
    examples: [
      {
        language: 'text',
        bad: '# backend/requirements.txt (tests in backend/tests/)\nfastapi==0.109.0\npytest==7.4.4\n',
        good: '# backend/requirements.txt\nfastapi==0.109.0\npytest==7.4.4\npytest-cov==4.1.0\n',
      },
    ],
    references: ['seed 001 ("Coverage Tool Missing: No pytest-cov configured")', 'RULES.md testing/no-coverage-tool', 'https://pytest-cov.readthedocs.io/', 'https://vitest.dev/guide/coverage'],
  },
  onProject(context) {
    const tests = findTestFiles(context);
    if (tests.length === 0) return;
    const components = componentFolders(context);
    const ci = ciEvidence(context);
    const readPackage = packageJsonReader(context);
    const byComponent = groupBy(tests, (test) => `${test.language}\u0000${componentOf(test.path, components)}`);
    for (const [key, files] of byComponent) {
      const [language, folder] = key.split('\u0000') as [TestLanguage, string];
      if (ci[language]) continue;
      if (language === 'javascript' && !javascriptRunnerInTree(context, folder, readPackage)) continue;
      // Browser end-to-end suites (Playwright, Cypress) drive a deployed app: line coverage is not what they are for.
      if (language === 'javascript' && files.every((test) => E2E_TEST.test(test.path) || E2E_IMPORT.test(test.source))) continue;
      const covered = language === 'python' ? pythonCoverageIn(context, folder) : javascriptCoverageIn(context, folder, readPackage);
      if (covered) continue;
      const count = files.length === 1 ? '1 test file' : `${files.length} test files`;
      context.report({
        path: manifestOf(context, folder, language),
        line: 1,
        message: `${RUNNER[language]} tests in ${describeFolder(folder)} (${count}: ${listSome(files.map((f) => f.path), 3)}) run without coverage: ${LOOKED_FOR[language]}.`,
      });
    }
  },
});
