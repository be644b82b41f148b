// Application or library? An application pins what it runs (lock files, exact versions); a
// library declares ranges on purpose so its users can resolve one tree. The dependency rules
// (missing-lockfile, unpinned) ask the same question, so it is answered here once.
import type { PyprojectTables } from './pyproject.js';

/**
 * A package.json of an application: `"private": true`, or nothing a library publishes (`main`,
 * `exports`, `module`, `types`, `bin`).
 */
export function isNodeApplication(manifest: Record<string, unknown>): boolean {
  if (manifest.private === true) return true;
  return !['main', 'exports', 'module', 'types', 'typings', 'bin'].some((key) => key in manifest);
}

/**
 * A Python folder is a library when it builds a distribution: a `setup.py`, a `setup.cfg` with
 * `[metadata]`, or a pyproject with a `[build-system]` and a project name (Poetry's
 * `package-mode = false` says it is not one). Everything else (requirements files, uv/PDM apps
 * without a build backend, Pipfiles) is an application.
 */
export function isPythonApplication(folder: { hasSetupPy: boolean; setupCfgHasMetadata: boolean; pyproject?: PyprojectTables }): boolean {
  if (folder.hasSetupPy || folder.setupCfgHasMetadata) return false;
  const pyproject = folder.pyproject;
  if (!pyproject || pyproject['build-system'] === undefined) return true;
  const poetry = pyproject.tool?.poetry;
  if (poetry && poetry['package-mode'] === false) return true;
  return !(typeof pyproject.project?.name === 'string' || typeof poetry?.name === 'string');
}
