import { defineRule } from '../../../core/rule.js';
import type { DeclaredDependency, ParsedManifest } from '../../../deps/types.js';
import { resolvedVersion } from '../../../deps/facts.js';
import { specFacts } from '../../../deps/versions.js';

/** Above this many in one manifest, one finding lists them all (a wall of identical findings helps nobody). */
const MAX_SEPARATE_FINDINGS = 5;

/** Runtime dependencies an application installs: not dev tooling, not peers (ranges are their point), not optional extras. */
function isRuntime(manifest: ParsedManifest, dependency: DeclaredDependency): boolean {
  if (dependency.dev) return false;
  if (manifest.kind === 'package.json') return dependency.group === 'dependencies';
  if (manifest.kind === 'pyproject') return dependency.group === 'dependencies';
  return true;
}

function describeSpec(dependency: DeclaredDependency): string {
  if (dependency.spec === '' || dependency.spec === '*') return `\`${dependency.name}\` has no version constraint`;
  return `\`${dependency.name}\` is declared as \`${dependency.spec}\`, which has no upper bound`;
}

function advice(manifest: ParsedManifest): string {
  switch (manifest.kind) {
    case 'package.json':
      return 'commit the lock file npm/yarn/pnpm writes and install with `npm ci`, or declare a bounded range (`^x.y.z`)';
    case 'requirements':
      return 'pin the version you tested (`name==x.y.z`), or compile the file into a pinned lock (`pip-compile`, `uv pip compile`) and install from that';
    case 'pipfile':
      return 'run `pipenv lock` and commit Pipfile.lock (install with `pipenv sync`), or pin it (`"==x.y.z"`)';
    default:
      return 'lock the environment (`uv lock`, `poetry lock`, `pdm lock`) and commit the lock file, or bound the range (`~=x.y`)';
  }
}

export default defineRule({
  meta: {
    id: 'dependencies/unpinned',
    title: 'Application dependency without a pinned version',
    area: 'dependencies',
    severity: 'medium',
    type: 'bug',
    effort: 'small',
    confidence: 'high',
    languages: ['repo'],
    since: '0.1.0',
    description: 'A runtime dependency of an application declared with no upper bound (`fastapi`, `>=`, `*`, `latest`) and pinned by no lock file.',
    why:
      'An application installs whatever is newest on the day of each build: a release with breaking changes or a compromised ' +
      'version reaches production without anyone choosing it, and two deploys of the same commit can run different code. ' +
      'Reported: runtime dependencies of an application (requirements files, Pipfile, pyproject, package.json `dependencies`) whose ' +
      'specifier admits every future release (a bare name, `>=`, `>`, `!=`, `*`, `x`, `latest`) when no lock file or `-c` constraints ' +
      'file beside it pins the package. Not reported: bounded ranges (`^4.18.2`, `~=2.0`, `>=1,<2`: the lock-file question is ' +
      'dependencies/missing-lockfile\'s), anything a lock file pins, libraries (a published package declares ranges on purpose), ' +
      'development, peer and optional dependencies, URL, VCS, path and workspace dependencies (no registry version to pin), and ' +
      'manifests inside test data (`tests/`, `fixtures/`: sample projects, not the project\'s own dependencies).',
    recommendation:
      'Pin what you run: exact versions in requirements files (`fastapi==0.115.2`), or a lock file (`package-lock.json`, ' +
      '`poetry.lock`, `uv.lock`, `Pipfile.lock`, a `pip-compile` output) committed and used by every install; let a bot (Dependabot, ' +
      'Renovate) propose upgrades so they arrive tested.',
    examples: [
      {
        language: 'text',
        bad: '# requirements.txt of a service\nfastapi>=0.100\nuvicorn\n',
        good: '# requirements.txt of a service\nfastapi==0.115.2\nuvicorn==0.30.6\n',
      },
    ],
    metrics: [
      { id: 'dependencies-declared', label: 'Declared dependencies', kind: 'count', note: 'Direct dependencies across all manifests, runtime and development: each is code someone else ships into yours.' },
      {
        id: 'dependencies-pinned',
        label: 'Application dependencies with a fixed version',
        kind: 'coverage',
        target: 100,
        note: 'Share of registry dependencies of applications whose installed version a lock file or an exact pin fixes.',
      },
    ],
    references: ['RULES.md dependencies/unpinned', 'https://pip.pypa.io/en/stable/topics/repeatable-installs/', 'https://docs.npmjs.com/cli/commands/npm-ci'],
  },
  needs: ['manifests'],
  onProject(context) {
    for (const manifest of context.dependencies?.inventory.manifests ?? []) {
      context.measure('dependencies-declared', manifest.dependencies.length, undefined, manifest.file);
      if (!manifest.application) continue;
      const registry = manifest.dependencies.filter((d) => d.source === 'registry' && d.group !== 'peerDependencies');
      context.measure('dependencies-pinned', registry.filter((d) => resolvedVersion(d) !== undefined).length, registry.length, manifest.file);
      const unpinned = manifest.dependencies.filter(
        (dependency) => isRuntime(manifest, dependency) && dependency.source === 'registry' && !dependency.locked && specFacts(dependency).unbounded,
      );
      if (unpinned.length === 0) continue;
      if (unpinned.length > MAX_SEPARATE_FINDINGS) {
        const names = unpinned.map((d) => (d.spec ? `${d.name} ${d.spec}` : d.name));
        context.report({
          path: manifest.file,
          line: unpinned[0].line,
          message: `${unpinned.length} runtime dependencies of \`${manifest.file}\` have no upper bound and no lock file pins them (${names.join(', ')}): ${advice(manifest)}.`,
        });
        continue;
      }
      for (const dependency of unpinned) {
        context.report({
          path: manifest.file,
          line: dependency.line,
          message: `${describeSpec(dependency)} and no lock file pins it: every install takes the newest release. ${advice(manifest).replace(/^./, (c) => c.toUpperCase())}.`,
        });
      }
    }
  },
});
