// Where a service's own code serves a health, readiness or liveness check: a route whose path is
// one (`@app.get("/health")`, `router.get('/healthz')`, `path("health/", ...)`, `@Get('health')`,
// a router mounted or prefixed there), a Next.js API route file named so, or a health-check library
// in its manifests or imports. Text patterns over the service's files, read once and shared
// (textOf), so the rule costs a regex pass per file of a server application and nothing elsewhere.
import { positionsOf } from '../../_shared/text-positions.js';

/** The last segment of a health path; `status` and `ping` only count at the root or under an ops prefix. */
const HEALTH_WORD = String.raw`(?:_?health(?:z|check|-check|_check|y)?|livez|liveness|readyz|ready|readiness|status|ping|heartbeat)`;
/**
 * Segments allowed before the health word: an API or version prefix, `-`/`_` (GitLab's `/-/health`),
 * an ops namespace, or an interpolated prefix (`${API_PREFIX}`, `{settings.API_V1_STR}`). Any other
 * segment makes it a business route (`/orders/:id/status` is not a health check).
 */
const PREFIX_SEGMENT = String.raw`(?:api|v\d+|-|_|internal|_internal|system|sys|monitoring|ops|management|actuator|probes?|k8s|\$?\{[^}'"\x60\n]*(?:prefix|base|api|root|version|str)[^}'"\x60\n]*\})`;
/** A sub-path after the health word (`/health/live`, `/health/ready`). */
const SUB_PATH = String.raw`(?:\/[\w{}:-]+)?`;

/** A string literal (Python prefixes, regex anchors of Django's `re_path`) holding a health path. */
const HEALTH_LITERAL = new RegExp(
  String.raw`(['"\x60])(\^?)(\/?)((?:${PREFIX_SEGMENT}\/)*)${HEALTH_WORD}${SUB_PATH}(?:\/\??)?\$?\1`,
  'gi',
);

/**
 * What must come right before the literal on its line for it to be a route. Method calls
 * (`app.get(`, `router.use(`, `web.get(`, `add_url_rule(`) and keyword options (`prefix=`,
 * `url_prefix=`, `url:`) need a leading slash: without one, `data.get("status")` is a dict lookup.
 */
const ROUTE_BEFORE_SLASHED = new RegExp(
  String.raw`(?:` +
    String.raw`(?<receiver>[\w$.]+)\.(?:get|head|route|api_route|add_api_route|add_get|add_head|add_route|add_url_rule|all|use|options|on)\s*\(\s*(?:\[\s*|['"\x60]GET['"\x60]\s*,\s*)?` +
    String.raw`|\b(?:Route|Mount|web\.get|web\.route)\s*\(\s*` +
    String.raw`|\b(?:url_prefix|prefix|url|path|route)\s*[:=]\s*` +
    String.raw`|\b(?:url|path|pathname|path_info|originalUrl)\s*(?:===?|!==?)\s*` +
    String.raw`|\bcase\s+` +
    String.raw`)[rfbRFB]{0,2}$`,
);
/** Nest decorators and Django URL patterns take paths without a leading slash. */
const ROUTE_BEFORE_BARE_TS = /@(?:Get|Head|All|Controller)\s*\(\s*(?:\{\s*path\s*:\s*)?$/;
const ROUTE_BEFORE_BARE_PY = /\b(?:path|re_path|url)\s*\(\s*[rR]?$/;
/** HTTP clients call health routes of other services; that is not this service serving one. */
const CLIENT_RECEIVER = /(^|\.)(axios|https?|client|api|apiClient|request|requests|httpx|session|fetch|supertest|agent|\$http|instance|got|ky|superagent|aiohttp|urllib|test_client|testClient)$/i;

/** Request options of an HTTP client on the same line (`http.get({ host, path: '/healthz' })`): a call out, not a route. */
const CLIENT_CALL = /\b(?:https?|axios|got|request|fetch|superagent|needle|undici|httpx|requests)\b\s*(?:\.\w+\s*)?\(/;

const HEALTH_HINT = /health|livez|liveness|readyz|ready|status|ping|heartbeat/i;

/** A health route in a file's code: its line, or undefined. */
export function healthRouteLine(text: string, python: boolean): number | undefined {
  if (!HEALTH_HINT.test(text)) return undefined;
  for (const match of text.matchAll(HEALTH_LITERAL)) {
    const lineStart = text.lastIndexOf('\n', match.index) + 1;
    const before = text.slice(lineStart, match.index);
    if (/^\s*(#|\/\/|\*)/.test(before)) continue;
    const slashed = match[3] === '/' || match[4] !== '';
    if (isRouteContext(before, slashed, python)) return positionsOf(text)(match.index).line;
  }
  return undefined;
}

function isRouteContext(before: string, slashed: boolean, python: boolean): boolean {
  if (!slashed) return (python ? ROUTE_BEFORE_BARE_PY : ROUTE_BEFORE_BARE_TS).test(before);
  if (!python && ROUTE_BEFORE_BARE_TS.test(before)) return true;
  if (python && ROUTE_BEFORE_BARE_PY.test(before)) return true;
  const call = ROUTE_BEFORE_SLASHED.exec(before);
  if (!call) return false;
  const receiver = call.groups?.receiver;
  if (receiver && CLIENT_RECEIVER.test(receiver)) return false;
  return receiver !== undefined || !CLIENT_CALL.test(before);
}

/** Next.js API routes are files: `pages/api/health.ts`, `app/api/healthz/route.ts`, `app/health/route.ts`. */
const NEXT_HEALTH_FILE = new RegExp(
  String.raw`(^|\/)(?:pages\/api\/(?:${PREFIX_SEGMENT}\/)*${HEALTH_WORD}(?:\/index)?|app\/(?:\([\w-]+\)\/)?(?:${PREFIX_SEGMENT}\/)*${HEALTH_WORD}(?:\/[\w-]+)?\/route)\.[cm]?[jt]sx?$`,
  'i',
);

export function isNextHealthRouteFile(path: string): boolean {
  return NEXT_HEALTH_FILE.test(path);
}

/**
 * Health-check libraries, by the name a manifest lists (`django-health-check`, `@godaddy/terminus`)
 * or the code imports or installs (`health_check` in INSTALLED_APPS, `createTerminus(`).
 */
export const HEALTH_LIBRARY_IN_MANIFEST =
  /(^|["'\s/])(@godaddy\/terminus|@nestjs\/terminus|express-healthcheck|express-health-check|express-actuator|fastify-healthcheck|@cloudnative\/health-connect|lightship|django-health-check|fastapi-health|py-healthcheck|flask-healthz|healthcheck)(["'\s=<>~!^@\[;]|$)/im;
export const HEALTH_LIBRARY_IN_CODE =
  /@godaddy\/terminus|@nestjs\/terminus|['"]express-healthcheck['"]|['"]fastify-healthcheck['"]|['"]express-actuator['"]|\bcreateTerminus\s*\(|\bTerminusModule\b|['"]health_check(?:\.[\w.]+)?['"]|\bfrom\s+health_check\b|\bfrom\s+fastapi_health\b|\bfrom\s+healthcheck\s+import\b|\bfrom\s+flask_healthz\b/;

