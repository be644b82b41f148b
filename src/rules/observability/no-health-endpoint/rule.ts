import { defineRule, type ProjectContext } from '../../../core/rule.js';
import { describeServer, inService, serverAppsOf, serviceLabel, serviceSetupFiles, sourceFilesOf, textOf, type ServerEntry } from '../../_shared/server-app.js';
import { composeBuilds, dockerfileHealthcheckUrl } from './container-healthchecks.js';
import { HEALTH_LIBRARY_IN_CODE, HEALTH_LIBRARY_IN_MANIFEST, healthRouteLine, isNextHealthRouteFile } from './health-routes.js';

/** Source files read per service for routes: enough for any real service's route modules, cheap on a monorepo. */
const MAX_ROUTE_FILES = 400;
/** Code that never serves the running service's routes. */
const NOT_SERVED = /(^|\/)(scripts?|examples?|docs?|migrations?|alembic|fixtures?|__mocks__)\//;
const MANIFEST = /^(package\.json|requirements[\w.-]*\.(txt|in)|pyproject\.toml|Pipfile|setup\.cfg|setup\.py)$/;
const DOCKERFILE = /^(Dockerfile([.-][\w.-]+)?|[\w.-]+\.Dockerfile)$/i;
const COMPOSE_FILE = /(^|\/)(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i;

export default defineRule({
  meta: {
    id: 'observability/no-health-endpoint',
    title: 'Web service without a health endpoint',
    area: 'observability',
    severity: 'low',
    type: 'enhancement',
    effort: 'small',
    confidence: 'medium',
    languages: ['repo'],
    since: '0.1.0',
    description: 'A web service with no health, readiness or liveness route (`/health`, `/healthz`, `/readyz`…), no health-check library and no container HEALTHCHECK calling it over HTTP.',
    why:
      'Load balancers, Kubernetes probes, Docker and uptime monitors decide whether to send traffic to a process, or restart it, ' +
      'by calling a health route; without one a hung or half-started instance (database unreachable, pool exhausted) keeps ' +
      'receiving requests and is only noticed by its users (seed 004: "Missing health checks"). Reported per service folder: ' +
      'a web framework its code starts (FastAPI, Starlette, Flask, Django, aiohttp, Express, Fastify, Koa, NestJS, Next.js) with ' +
      'no route whose path is a health check in its source files (`@app.get("/health")`, an `APIRouter(prefix="/health")` or ' +
      'blueprint `url_prefix`, `path("healthz/", ...)` in urls.py, `app.get(\'/healthz\')`, `router.use(\'/health\', …)`, ' +
      '`@Controller(\'health\')`, `pages/api/health.ts`, `app/api/health/route.ts`, `req.url === \'/ping\'`), no health-check ' +
      'library (django-health-check, fastapi-health, py-healthcheck, flask-healthz, @godaddy/terminus, @nestjs/terminus, ' +
      'express-healthcheck, fastify-healthcheck, lightship) and no Dockerfile or compose `healthcheck` calling the service over ' +
      'HTTP. Not reported: bots (Telegram, Discord: no HTTP traffic to route), libraries, CLIs, trees of fewer than 3 source ' +
      'files, and Next.js apps with no Dockerfile or compose build in their folder (a platform such as Vercel serves them ' +
      'without probes); `/status` or `/ping` under a business path (`/orders/:id/status`) is not a health route and does not count.',
    recommendation:
      'Add a cheap unauthenticated route for liveness (`GET /healthz` returning 200) and one for readiness that checks the ' +
      'dependencies the service cannot work without (`SELECT 1`, a Redis PING) and returns 503 when they fail; point the ' +
      'orchestrator\'s probes or the container HEALTHCHECK at them.',
    examples: [
      {
        language: 'py',
        bad: '# app/main.py (no /health route anywhere in the service)\napp = FastAPI()\napp.include_router(orders.router, prefix="/orders")\n',
        good: 'app = FastAPI()\n\n@app.get("/health")\nasync def health() -> dict[str, str]:\n    return {"status": "ok"}\n',
      },
      {
        language: 'ts',
        bad: "// src/server.ts (no health route)\nconst app = express();\napp.use('/api/orders', ordersRouter);\n",
        good: "const app = express();\napp.get('/healthz', (_req, res) => res.json({ status: 'ok' }));\n",
      },
    ],
    references: [
      'seed 004 (Missing health checks)',
      'RULES.md observability/no-health-endpoint',
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
      'https://docs.docker.com/reference/dockerfile/#healthcheck',
    ],
  },
  onProject(context) {
    // Bots answer chat updates, not HTTP requests: nothing to probe.
    const webServers = serverAppsOf(context).filter((server) => server.kind === 'web');
    if (webServers.length === 0) return;
    const compose = composeFactsOf(context);
    if (compose === 'unknown') return;
    for (const server of webServers) {
      const dockerfiles = dockerfilesOf(context, server);
      // A Next.js app is usually deployed to a platform that serves it without probes (Vercel,
      // Netlify); only one shipped as a container is expected to answer them.
      if (server.framework === 'Next.js' && dockerfiles.length === 0 && !compose.built.has(server.root)) continue;
      if (compose.httpChecked.has(server.root) || dockerfiles.some((text) => dockerfileHealthcheckUrl(text) !== undefined)) continue;
      if (usesHealthLibrary(context, server) || servesHealthRoute(context, server)) continue;
      context.report({
        path: server.path,
        line: server.line,
        message: `The ${describeServer(server)}${serviceLabel(server)} has no health or readiness route (\`/health\`, \`/healthz\`, \`/readyz\`…), no health-check library and no container HEALTHCHECK calling it: probes and load balancers cannot tell a hung instance from a working one.`,
      });
    }
  },
});

/** The service's own files that can hold routes, its setup and route modules first, bounded. */
function routeFilesOf(context: ProjectContext, server: ServerEntry): string[] {
  const paths = serviceSetupFiles(context, server);
  const seen = new Set(paths);
  for (const file of sourceFilesOf(context)) {
    if (paths.length >= MAX_ROUTE_FILES) break;
    if (!seen.has(file.path) && inService(server, file.path) && !NOT_SERVED.test(file.path)) paths.push(file.path);
  }
  return paths;
}

function servesHealthRoute(context: ProjectContext, server: ServerEntry): boolean {
  for (const path of routeFilesOf(context, server)) {
    if (isNextHealthRouteFile(path)) return true;
    const text = textOf(context, path);
    if (text === undefined) continue;
    if (HEALTH_LIBRARY_IN_CODE.test(text) || healthRouteLine(text, path.endsWith('.py')) !== undefined) return true;
  }
  return false;
}

/** A health-check library in a manifest of the service or of a folder above it (a workspace root). */
function usesHealthLibrary(context: ProjectContext, server: ServerEntry): boolean {
  for (const folder of foldersUp(server.root)) {
    for (const name of context.list(folder)) {
      if (!MANIFEST.test(name)) continue;
      const text = textOf(context, folder ? `${folder}/${name}` : name);
      if (text && HEALTH_LIBRARY_IN_MANIFEST.test(text)) return true;
    }
  }
  return false;
}

/** The Dockerfiles in the service's folder (`Dockerfile`, `Dockerfile.prod`, `api.Dockerfile`). */
function dockerfilesOf(context: ProjectContext, server: ServerEntry): string[] {
  return context
    .list(server.root)
    .filter((name) => DOCKERFILE.test(name))
    .map((name) => textOf(context, server.root ? `${server.root}/${name}` : name))
    .filter((text): text is string => text !== undefined);
}

/**
 * Folders compose services are built from, and those whose healthcheck calls them over HTTP. A
 * compose file with a healthcheck that does not parse leaves it unknown: a diagnostic, and no
 * finding that the file could contradict.
 */
function composeFactsOf(context: ProjectContext): { built: Set<string>; httpChecked: Set<string> } | 'unknown' {
  const built = new Set<string>();
  const httpChecked = new Set<string>();
  for (const file of context.files) {
    if (!COMPOSE_FILE.test(file.path)) continue;
    const text = textOf(context, file.path);
    if (text === undefined || !/\bbuild\s*:/.test(text)) continue;
    const { builds, error } = composeBuilds(file.path, text);
    if (error) {
      context.diagnose(file.path, `compose file does not parse (${error.split('\n')[0]}); its healthchecks could not be read`);
      if (/healthcheck/i.test(text)) return 'unknown';
      continue;
    }
    for (const build of builds) {
      built.add(build.buildFolder);
      if (build.healthcheckUrl) httpChecked.add(build.buildFolder);
    }
  }
  return { built, httpChecked };
}

function foldersUp(folder: string): string[] {
  const folders = [folder];
  while (folder) {
    folder = folder.includes('/') ? folder.slice(0, folder.lastIndexOf('/')) : '';
    folders.push(folder);
  }
  return folders;
}
