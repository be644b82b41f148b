import { defineRule, type ProjectContext } from '../../../core/rule.js';
import { isNodeApplication } from '../../../deps/application.js';

const NODE_LOCKS = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock'];

function folderOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}

/** `a/b` → `a/b`, `a`, `` (workspaces keep one lock file at their root). */
function foldersUp(folder: string): string[] {
  const out = [folder];
  while (folder) {
    folder = folderOf(folder);
    out.push(folder);
  }
  return out;
}

const inFolder = (folder: string, name: string) => (folder ? `${folder}/${name}` : name);

function checkNode(context: ProjectContext, path: string): void {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(context.read(path) ?? '') as Record<string, unknown>;
  } catch {
    return; // not JSON: nothing can be said about its dependencies
  }
  const dependencies = { ...(manifest.dependencies as object | undefined), ...(manifest.devDependencies as object | undefined) };
  if (Object.keys(dependencies).length === 0 || !isNodeApplication(manifest)) return;
  const locked = foldersUp(folderOf(path)).some((folder) => NODE_LOCKS.some((lock) => context.exists(inFolder(folder, lock))));
  if (locked) return;
  context.report({
    path,
    line: 1,
    message: `\`${path}\` declares ${Object.keys(dependencies).length} dependencies and no lock file (package-lock.json, yarn.lock, pnpm-lock.yaml…) pins what gets installed: every install may resolve other versions.`,
  });
}

/** Python tools that write a lock file, by the table that marks their use in pyproject.toml. */
const PYTHON_TOOLS: { marker: RegExp; lock: string; tool: string }[] = [
  { marker: /^\[tool\.poetry\]/m, lock: 'poetry.lock', tool: 'Poetry' },
  { marker: /^\[tool\.pdm\]/m, lock: 'pdm.lock', tool: 'PDM' },
  { marker: /^\[tool\.uv\]/m, lock: 'uv.lock', tool: 'uv' },
];

function checkPython(context: ProjectContext, path: string): void {
  const folder = folderOf(path);
  const name = path.split('/').pop();
  if (name === 'Pipfile') {
    if (!context.exists(inFolder(folder, 'Pipfile.lock'))) {
      context.report({ path, line: 1, message: `\`${path}\` has no \`Pipfile.lock\` next to it: \`pipenv install\` resolves the dependencies anew each time.` });
    }
    return;
  }
  const text = context.read(path) ?? '';
  for (const { marker, lock, tool } of PYTHON_TOOLS) {
    if (marker.test(text) && !context.exists(inFolder(folder, lock))) {
      context.report({ path, line: 1, message: `\`${path}\` is managed with ${tool} but has no \`${lock}\`: each install resolves the dependency versions anew.` });
    }
  }
}

export default defineRule({
  meta: {
    id: 'dependencies/missing-lockfile',
    title: 'Application without a lock file',
    area: 'dependencies',
    severity: 'medium',
    type: 'bug',
    effort: 'small',
    confidence: 'high',
    languages: ['repo'],
    since: '0.1.0',
    description: 'An application manifest (package.json, Pipfile, a Poetry/PDM/uv pyproject) with dependencies and no lock file pinning them.',
    why:
      'Without a lock file every install resolves the dependency tree again: a new minor or patch release of any package, ' +
      'direct or transitive, lands in the next build or deploy untested, and two machines can run different code from the ' +
      'same commit. A lock file also makes vulnerability scans exact. Reported: a `package.json` of an application (private, ' +
      'or publishing no `main`/`exports`/`bin`) with dependencies and no package-lock.json, npm-shrinkwrap.json, yarn.lock, ' +
      'pnpm-lock.yaml or bun lock file in its folder or a parent (workspaces); a `Pipfile` without `Pipfile.lock`; a ' +
      '`pyproject.toml` managed by Poetry, PDM or uv without its lock file. Not reported: libraries (they leave resolution ' +
      'to their users on purpose) and `requirements.txt` files (pinning them is dependencies/unpinned\'s business).',
    recommendation:
      'Commit the lock file your tool writes (`npm install` → package-lock.json, `poetry lock`, `uv lock`, `pipenv lock`) and ' +
      'install from it in CI and images (`npm ci`, `poetry install --sync`, `uv sync --frozen`).',
    examples: [
      {
        language: 'text',
        bad: '# package.json with dependencies and no package-lock.json\n{ "private": true, "dependencies": { "express": "^4.19.0" } }\n',
        good: '# package.json committed together with package-lock.json\n{ "private": true, "dependencies": { "express": "^4.19.0" } }\n',
      },
    ],
    references: ['RULES.md dependencies/missing-lockfile', 'https://docs.npmjs.com/cli/configuring-npm/package-lock-json'],
  },
  onProject(context) {
    // Manifests are looked up in every folder that holds audited code (and its parents), whether
    // or not the walk audits the manifest itself (a Pipfile has no extension it would read).
    const folders = new Set<string>();
    for (const file of context.files) for (const folder of foldersUp(folderOf(file.path))) folders.add(folder);
    for (const folder of [...folders].sort()) {
      if (context.exists(inFolder(folder, 'package.json'))) checkNode(context, inFolder(folder, 'package.json'));
      for (const manifest of ['pyproject.toml', 'Pipfile']) {
        if (context.exists(inFolder(folder, manifest))) checkPython(context, inFolder(folder, manifest));
      }
    }
  },
});
