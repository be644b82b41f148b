// The manifest and lock-file parsers: what each format declares, on which line, and what a
// broken file turns into (a diagnostic naming the file and the reason, never an exception).
import { describe, expect, it } from 'vitest';
import { collectDependencies } from '../../src/deps/manifests.js';
import { parsePackageLock, parsePnpmLock, parseYarnLock } from '../../src/deps/npm-locks.js';
import { parsePackageJson } from '../../src/deps/package-json.js';
import { parsePipfile } from '../../src/deps/pipfile.js';
import { parsePyproject } from '../../src/deps/pyproject.js';
import { parsePackageListLock, parsePipfileLock } from '../../src/deps/python-locks.js';
import { parseRequirements } from '../../src/deps/requirements.js';
import { parseSetupCfg } from '../../src/deps/setup-cfg.js';
import { poetryToPep440, releaseLinesBehind, specFacts } from '../../src/deps/versions.js';

const pick = (deps: { name: string; spec: string; line: number; source: string }[]) => deps.map((d) => [d.name, d.spec, d.line, d.source]);

describe('requirements files', () => {
  it('reads specifiers, extras, markers, hashes, continuations, includes and non-registry lines', () => {
    const text = [
      '# comment',
      'Flask_SQLAlchemy[async]==3.1.1  # inline comment',
      'requests>=2.28 ; python_version >= "3.8"',
      'gunicorn==21.2.0 \\',
      '    --hash=sha256:abc',
      '-r base.txt',
      '-c constraints.txt',
      '--index-url https://example.org/simple',
      '-e git+https://github.com/acme/lib.git@v1#egg=acme-lib',
      'https://example.org/pkg.tar.gz#egg=pkg',
      'django-tenants @ git+https://github.com/x/y.git@v3',
      'arbitrary===1.0',
      '!!! not a requirement',
    ].join('\n');
    const parsed = parseRequirements(text, 'requirements.txt');
    expect(pick(parsed.dependencies)).toEqual([
      ['flask-sqlalchemy', '==3.1.1', 2, 'registry'],
      ['requests', '>=2.28', 3, 'registry'],
      ['gunicorn', '==21.2.0', 4, 'registry'],
      ['acme-lib', '', 9, 'editable'],
      ['pkg', '', 10, 'url'],
      ['django-tenants', '', 11, 'vcs'],
      ['arbitrary', '===1.0', 12, 'registry'],
    ]);
    expect(parsed.dependencies[1].marker).toBe('python_version >= "3.8"');
    expect(parsed.includes).toEqual([
      { target: 'base.txt', constraint: false, line: 6 },
      { target: 'constraints.txt', constraint: true, line: 7 },
    ]);
    expect(parsed.diagnostics).toEqual([{ file: 'requirements.txt', line: 13, reason: expect.stringContaining('not a requirement') }]);
  });

  it('marks development requirement files as dev', () => {
    expect(parseRequirements('pytest\n', 'requirements-dev.txt').dependencies[0].dev).toBe(true);
    expect(parseRequirements('pytest\n', 'requirements/test.txt').dependencies[0].dev).toBe(true);
    expect(parseRequirements('fastapi\n', 'requirements/prod.txt').dependencies[0].dev).toBe(false);
  });
});

describe('pyproject.toml', () => {
  it('reads PEP 621, optional dependencies, PEP 735 groups and Poetry tables without python', () => {
    const text = [
      '[project]', // 1
      'name = "svc"',
      'dependencies = [',
      '  "fastapi>=0.110",', // 4
      '  "httpx[http2]~=0.27 ; python_version < \'3.13\'",',
      ']',
      '[project.optional-dependencies]',
      'redis = ["redis>=5"]', // 8
      '[dependency-groups]',
      'dev = ["pytest>=8"]', // 10
      '[tool.poetry.dependencies]',
      'python = "^3.11"',
      'SQLAlchemy = {version = "^2.0", extras = ["asyncio"]}', // 13
      'internal = {git = "https://example.org/internal.git"}',
      '[tool.poetry.group.test.dependencies]',
      'pytest-cov = "*"', // 16
    ].join('\n');
    const parsed = parsePyproject(text, 'pyproject.toml');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.dependencies.map((d) => [d.name, d.spec, d.line, d.dev, d.group])).toEqual([
      ['fastapi', '>=0.110', 4, false, 'dependencies'],
      ['httpx', '~=0.27', 5, false, 'dependencies'],
      ['redis', '>=5', 8, false, 'redis'],
      ['pytest', '>=8', 10, true, 'dev'],
      ['sqlalchemy', '^2.0', 13, false, 'dependencies'],
      ['internal', '', 14, false, 'dependencies'],
      ['pytest-cov', '*', 16, true, 'test'],
    ]);
  });

  it('reports invalid TOML as a diagnostic', () => {
    const parsed = parsePyproject('[project\nname = ', 'svc/pyproject.toml');
    expect(parsed.dependencies).toEqual([]);
    expect(parsed.diagnostics[0]).toMatchObject({ file: 'svc/pyproject.toml', reason: expect.stringContaining('invalid TOML') });
  });
});

describe('Pipfile and setup.cfg', () => {
  it('reads packages and dev-packages with their lines', () => {
    const parsed = parsePipfile('[packages]\nrequests = "*"\ndjango = {version = "==5.0.6"}\n\n[dev-packages]\nblack = "==24.4.2"\n', 'Pipfile');
    expect(parsed.dependencies.map((d) => [d.name, d.spec, d.line, d.dev])).toEqual([
      ['requests', '', 2, false],
      ['django', '==5.0.6', 3, false],
      ['black', '==24.4.2', 6, true],
    ]);
  });

  it('reads install_requires and extras from setup.cfg', () => {
    const parsed = parseSetupCfg('[metadata]\nname = acme\n\n[options]\ninstall_requires =\n    requests>=2\n    attrs\n\n[options.extras_require]\ntest = pytest>=7\n', 'setup.cfg');
    expect(parsed.hasMetadata).toBe(true);
    expect(parsed.dependencies.map((d) => [d.name, d.spec, d.line, d.group])).toEqual([
      ['requests', '>=2', 6, 'install_requires'],
      ['attrs', '', 7, 'install_requires'],
      ['pytest', '>=7', 10, 'test'],
    ]);
  });
});

describe('package.json', () => {
  it('keeps the four tables apart and classifies non-registry specs', () => {
    const text = JSON.stringify(
      {
        name: 'app',
        dependencies: { express: '^4.19.2', ui: 'workspace:*', local: 'file:../local', linked: 'link:../l', charts: 'github:acme/charts#v2', tar: 'https://example.org/x.tgz', lodash4: 'npm:lodash@^4.17.21' },
        devDependencies: { vitest: '^1.6.0' },
        optionalDependencies: { fsevents: '^2.3.3' },
        peerDependencies: { react: '>=18' },
      },
      null,
      2,
    );
    const parsed = parsePackageJson(text, 'package.json');
    expect(parsed.dependencies.map((d) => [d.name, d.spec, d.source, d.group, d.dev])).toEqual([
      ['express', '^4.19.2', 'registry', 'dependencies', false],
      ['ui', 'workspace:*', 'workspace', 'dependencies', false],
      ['local', 'file:../local', 'path', 'dependencies', false],
      ['linked', 'link:../l', 'path', 'dependencies', false],
      ['charts', 'github:acme/charts#v2', 'vcs', 'dependencies', false],
      ['tar', 'https://example.org/x.tgz', 'url', 'dependencies', false],
      ['lodash', '^4.17.21', 'registry', 'dependencies', false],
      ['vitest', '^1.6.0', 'registry', 'devDependencies', true],
      ['fsevents', '^2.3.3', 'registry', 'optionalDependencies', false],
      ['react', '>=18', 'registry', 'peerDependencies', false],
    ]);
    expect(parsed.dependencies[0].line).toBe(4);
  });

  it('reports invalid JSON as a diagnostic', () => {
    expect(parsePackageJson('{ "dependencies": { "a": "1", } }', 'web/package.json').diagnostics[0]).toMatchObject({ file: 'web/package.json', reason: expect.stringContaining('invalid JSON') });
  });
});

describe('lock files', () => {
  it('reads package-lock v1, v2/v3 (top level only) and workspaces', () => {
    expect(parsePackageLock(JSON.stringify({ lockfileVersion: 1, dependencies: { lodash: { version: '4.17.15' } } }), 'package-lock.json').lock?.versions.get('lodash')).toBe('4.17.15');
    const v3 = JSON.stringify({
      lockfileVersion: 3,
      packages: { '': {}, 'node_modules/lodash': { version: '4.17.15' }, 'node_modules/a/node_modules/lodash': { version: '3.0.0' }, 'packages/api/node_modules/lodash': { version: '4.17.21' } },
    });
    expect(parsePackageLock(v3, 'package-lock.json').lock?.versions.get('lodash')).toBe('4.17.15');
    expect(parsePackageLock(v3, 'package-lock.json', 'packages/api').lock?.versions.get('lodash')).toBe('4.17.21');
  });

  it('reads yarn classic and berry descriptors', () => {
    const classic = parseYarnLock('# yarn lockfile v1\n\n"@babel/core@^7.0.0", "@babel/core@^7.1.0":\n  version "7.24.0"\n\nlodash@^4.17.15:\n  version "4.17.21"\n', 'yarn.lock').lock;
    expect(classic?.descriptors?.get('@babel/core@^7.1.0')).toBe('7.24.0');
    expect(classic?.versions.get('lodash')).toBe('4.17.21');
    const berry = parseYarnLock('__metadata:\n  version: 6\n\n"lodash@npm:^4.17.15":\n  version: 4.17.21\n  resolution: "lodash@npm:4.17.21"\n', 'yarn.lock').lock;
    expect(berry?.descriptors?.get('lodash@^4.17.15')).toBe('4.17.21');
  });

  it('reads pnpm v6 and v9 lock files, dropping peer suffixes', () => {
    const v6 = "lockfileVersion: '6.0'\ndependencies:\n  react-dom:\n    specifier: ^18.2.0\n    version: 18.2.0(react@18.2.0)\n";
    expect(parsePnpmLock(v6, 'pnpm-lock.yaml').lock?.versions.get('react-dom')).toBe('18.2.0');
    const v9 = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      express:\n        specifier: ^4.19.2\n        version: 4.19.2\n";
    expect(parsePnpmLock(v9, 'pnpm-lock.yaml').lock?.versions.get('express')).toBe('4.19.2');
    expect(parsePnpmLock(': : :\n  - [', 'pnpm-lock.yaml').diagnostics[0].reason).toContain('invalid YAML');
  });

  it('reads poetry.lock / uv.lock and Pipfile.lock', () => {
    expect(parsePackageListLock('[[package]]\nname = "Flask_Login"\nversion = "0.6.3"\n', 'poetry.lock').lock?.versions.get('flask-login')).toBe('0.6.3');
    expect(parsePipfileLock(JSON.stringify({ default: { requests: { version: '==2.32.3' } }, develop: {} }), 'Pipfile.lock').lock?.versions.get('requests')).toBe('2.32.3');
  });
});

describe('collectDependencies', () => {
  const tree = (files: Record<string, string>) => ({ exists: (p: string) => p in files, read: (p: string) => files[p] });

  it('follows -r includes relative to the file, applies -c constraints and reports missing includes', () => {
    const files = {
      'svc/requirements.txt': '-r requirements/base.txt\n-c constraints.txt\n-r missing.txt\nflask\n',
      'svc/requirements/base.txt': 'celery\n',
      'svc/constraints.txt': 'flask==3.0.3\ncelery==5.3.6\n',
      'svc/app.py': '',
    };
    const inventory = collectDependencies(tree(files), Object.keys(files));
    const byName = Object.fromEntries(inventory.manifests.flatMap((m) => m.dependencies).map((d) => [d.name, [d.file, d.locked, d.lockFile]]));
    expect(byName).toEqual({ flask: ['svc/requirements.txt', '3.0.3', 'svc/constraints.txt'], celery: ['svc/requirements/base.txt', '5.3.6', 'svc/constraints.txt'] });
    expect(inventory.diagnostics).toEqual([{ file: 'svc/requirements.txt', line: 3, reason: 'included file not found: missing.txt' }]);
  });

  it('ignores a stale lock entry the manifest no longer admits', () => {
    const files = {
      'package.json': '{"private": true, "dependencies": {"express": "^5.0.0", "lodash": "^4.17.0"}}',
      'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/express': { version: '4.17.1' }, 'node_modules/lodash': { version: '4.17.21' } } }),
      'index.js': '',
    };
    const deps = collectDependencies(tree(files), ['index.js']).manifests[0].dependencies;
    expect(deps.map((d) => [d.name, d.locked])).toEqual([['express', undefined], ['lodash', '4.17.21']]);
  });

  it('leaves manifests inside test data out (fixtures are not the project\'s dependencies)', () => {
    const files = { 'requirements.txt': 'fastapi==0.115.2\n', 'tests/fixtures/app/requirements.txt': 'flask\n', 'tests/fixtures/app/package.json': '{"dependencies": {"a": "*"}}', 'app.py': '' };
    expect(collectDependencies(tree(files), Object.keys(files)).manifests.map((m) => m.file)).toEqual(['requirements.txt']);
  });

  it('finds a workspace lock file at the root and tells applications from libraries', () => {
    const files = {
      'package.json': '{"private": true, "workspaces": ["packages/*"]}',
      'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/express': { version: '4.19.2' } } }),
      'packages/api/package.json': '{"name": "api", "private": true, "dependencies": {"express": "^4.19.0"}}',
      'packages/api/index.ts': '',
      'lib/package.json': '{"name": "lib", "main": "index.js", "dependencies": {"debug": ">=4"}}',
      'lib/index.js': '',
    };
    const inventory = collectDependencies(tree(files), ['packages/api/index.ts', 'lib/index.js']);
    expect(inventory.manifests.map((m) => [m.file, m.application, m.dependencies[0].locked])).toEqual([
      ['lib/package.json', false, undefined],
      ['packages/api/package.json', true, '4.19.2'],
    ]);
  });
});

describe('version specifiers', () => {
  const dep = (ecosystem: 'npm' | 'PyPI', spec: string, dialect?: 'poetry') => ({ ecosystem, name: 'x', spec, source: 'registry' as const, file: 'f', line: 1, dev: false, group: 'g', ...(dialect ? { dialect } : {}) });

  it('knows unbounded, bounded and exact specs in both ecosystems', () => {
    expect(['', '*', 'x', 'latest', '>=1.0.0', '>1'].map((s) => specFacts(dep('npm', s)).unbounded)).toEqual([true, true, true, true, true, true]);
    expect(['^4.17.1', '~1.2.3', '1.x', '>=1 <3', '4.17.15'].map((s) => specFacts(dep('npm', s)).unbounded)).toEqual([false, false, false, false, false]);
    expect(specFacts(dep('npm', '4.17.15')).exact).toBe('4.17.15');
    expect(['', '>=2', '!=1.2', '>1'].map((s) => specFacts(dep('PyPI', s)).unbounded)).toEqual([true, true, true, true]);
    expect(['~=1.4', '==1.2.*', '>=1,<2', '==0.68.0'].map((s) => specFacts(dep('PyPI', s)).unbounded)).toEqual([false, false, false, false]);
    expect(specFacts(dep('PyPI', '==0.68.0')).exact).toBe('0.68.0');
    expect(specFacts(dep('PyPI', '*', 'poetry')).unbounded).toBe(true);
    expect(specFacts(dep('PyPI', '^2.0', 'poetry')).unbounded).toBe(false);
    expect(specFacts(dep('PyPI', '2.0.1', 'poetry')).exact).toBe('2.0.1');
  });

  it('rewrites Poetry caret and tilde as Poetry documents them', () => {
    expect(poetryToPep440('^1.2.3')).toBe('>=1.2.3,<2');
    expect(poetryToPep440('^0.2.3')).toBe('>=0.2.3,<0.3');
    expect(poetryToPep440('~1.2.3')).toBe('>=1.2.3,<1.3');
    expect(poetryToPep440('>=1.2,<1.5')).toBe('>=1.2,<1.5');
  });

  it('counts release lines behind: majors, and minors on 0.x', () => {
    expect(releaseLinesBehind('PyPI', '0.68.0', '0.115.2')).toBe(47);
    expect(releaseLinesBehind('PyPI', '3.1.7', '4.2.0')).toBe(1);
    expect(releaseLinesBehind('npm', '4.17.15', '4.18.1')).toBe(0);
    expect(releaseLinesBehind('npm', '0.27.2', '1.7.0')).toBe(1);
  });
});
