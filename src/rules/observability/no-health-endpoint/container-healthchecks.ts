// A container health check that calls the service over HTTP (`HEALTHCHECK CMD curl -f
// http://localhost:8000/health`, a compose `healthcheck.test` doing the same): the path it calls is
// the service's health endpoint, whichever file serves it.
import { parseCompose, valueAt } from '../../_shared/compose.js';
import { parseDockerfile } from '../../_shared/dockerfile.js';

/** An HTTP call on a health-check command line. */
const HTTP_URL = /\bhttps?:\/\/[^\s'"]+/;

/** The URL the Dockerfile's HEALTHCHECK calls (`HEALTHCHECK NONE` and non-HTTP checks have none). */
export function dockerfileHealthcheckUrl(text: string): string | undefined {
  for (const instruction of parseDockerfile(text).instructions) {
    if (instruction.keyword !== 'HEALTHCHECK' || /^\s*NONE\b/i.test(instruction.arguments)) continue;
    const url = HTTP_URL.exec(instruction.arguments);
    if (url) return url[0];
  }
  return undefined;
}

export interface ComposeBuild {
  /** Folder the service is built from, relative to the audited root ('' for the root). */
  buildFolder: string;
  /** The URL its healthcheck calls, when it calls one over HTTP. */
  healthcheckUrl?: string;
}

/** Compose services built from this tree, with the URL their healthcheck calls; an error when the YAML does not parse. */
export function composeBuilds(path: string, text: string): { builds: ComposeBuild[]; error?: string } {
  const file = parseCompose(text);
  if (file.error) return { builds: [], error: file.error };
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const builds: ComposeBuild[] = [];
  for (const service of file.services) {
    const build = valueAt(service, ['build']);
    const context = typeof build === 'string' ? build : typeof build === 'object' && build !== null ? (build as { context?: unknown }).context : undefined;
    if (typeof context !== 'string') continue;
    const test = valueAt(service, ['healthcheck', 'test']);
    const command = Array.isArray(test) ? test.map(String).join(' ') : typeof test === 'string' ? test : '';
    builds.push({ buildFolder: joinFolder(folder, context), healthcheckUrl: HTTP_URL.exec(command)?.[0] });
  }
  return { builds };
}

/** `backend` from `deploy/` + `../backend`; POSIX segments, `.` and `..` resolved. */
function joinFolder(base: string, relative: string): string {
  const parts = base ? base.split('/') : [];
  for (const segment of relative.replace(/\\/g, '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') parts.pop();
    else parts.push(segment);
  }
  return parts.join('/');
}
