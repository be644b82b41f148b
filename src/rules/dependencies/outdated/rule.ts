import { defineRule } from '../../../core/rule.js';
import { resolvedVersion } from '../../../deps/facts.js';
import { packageKey } from '../../../deps/registry.js';
import { maxAdmitted, releaseLinesBehind } from '../../../deps/versions.js';

export default defineRule({
  meta: {
    id: 'dependencies/outdated',
    title: 'Dependency one or more major versions behind',
    area: 'dependencies',
    severity: 'medium',
    type: 'enhancement',
    effort: 'medium',
    confidence: 'high',
    languages: ['repo'],
    since: '0.1.0',
    description: 'A dependency whose installed, pinned or newest allowed version is one or more major releases (0.x: minor releases) behind the latest.',
    why:
      'Security fixes land on the current release line first and often only there; every major version skipped makes the ' +
      'eventual upgrade larger and riskier, and documentation, answers and integrations move on to the new API. The version ' +
      'compared is the one the lock file installs, else an exact pin, else the newest release the declared range allows. A ' +
      'major version counts as a breaking line; for 0.x packages each minor does (semver caret rules, and how 0.x projects ' +
      'such as FastAPI release). The latest release comes from the npm or PyPI registry (pre-releases and yanked releases ' +
      'ignored); offline the check is skipped and the report says so. Development dependencies are reported as Low. Not reported: ' +
      'URL, VCS, path and workspace dependencies, peer dependencies, `@types/*` packages (they follow the runtime or library they ' +
      'describe, e.g. `@types/node` 20 for Node 20), and patch or minor lags within a major.',
    recommendation:
      'Read the changelog between the two versions, upgrade on a branch with the test suite as the safety net, and keep a bot ' +
      '(Dependabot, Renovate) proposing upgrades so the gap does not grow again.',
    examples: [
      {
        language: 'text',
        bad: '# requirements.txt (latest FastAPI is 0.115.2)\nfastapi==0.68.0\n',
        good: '# requirements.txt\nfastapi==0.115.2\n',
      },
    ],
    metrics: [{ id: 'dependencies-outdated', label: 'Dependencies a major version or more behind', kind: 'count', target: 0, note: 'Each skipped major version makes the eventual upgrade larger; security fixes land on the current line first.' }],
    references: ['RULES.md dependencies/outdated', 'seed 001 (FastAPI 0.109 vs 0.115+, bcrypt 3.2 vs 4.x)', 'https://semver.org/'],
  },
  needs: ['manifests', 'latest-versions'],
  onProject(context) {
    const latest = context.dependencies?.latest;
    if (!latest) return;
    for (const manifest of context.dependencies?.inventory.manifests ?? []) {
      for (const dependency of manifest.dependencies) {
        if (dependency.source !== 'registry' || dependency.group === 'peerDependencies') continue;
        // Type packages follow the runtime or library they describe (`@types/node` 18 for Node 18), not their own latest.
        if (dependency.ecosystem === 'npm' && dependency.name.startsWith('@types/')) continue;
        const info = latest.get(packageKey(dependency.ecosystem, dependency.name));
        if (!info) continue;
        const exact = resolvedVersion(dependency);
        const version = exact ?? maxAdmitted(dependency, info.versions);
        if (!version) continue;
        const behind = releaseLinesBehind(dependency.ecosystem, version, info.latest);
        if (behind < 1) continue;
        context.measure('dependencies-outdated', 1, undefined, manifest.file);
        const shown = exact ? version : `${dependency.spec} (newest allowed ${version})`;
        const zeroMajor = /^0\./.test(version) && /^0\./.test(info.latest);
        const lag = zeroMajor ? `${behind} minor release${behind === 1 ? '' : 's'} behind on the 0.x line, where each minor may break the API` : `${behind} major version${behind === 1 ? '' : 's'} behind`;
        context.report({
          path: manifest.file,
          line: dependency.line,
          // Development tools lagging behind cost less than what runs in production.
          ...(dependency.dev ? { severity: 'low' as const } : {}),
          message: `${dependency.name} ${shown} → latest ${info.latest}: ${lag}${dependency.locked ? ` (installed from ${dependency.lockFile})` : ''}.`,
        });
      }
    }
  },
});
