// The health-route detector behind observability/no-health-endpoint: which route declarations are
// health checks, which look-alikes are not, and container health checks that call the service.
import { describe, expect, it } from 'vitest';
import { composeBuilds, dockerfileHealthcheckUrl } from '../../src/rules/observability/no-health-endpoint/container-healthchecks.js';
import { healthRouteLine, isNextHealthRouteFile } from '../../src/rules/observability/no-health-endpoint/health-routes.js';

const py = (code: string) => healthRouteLine(code, true);
const ts = (code: string) => healthRouteLine(code, false);

describe('healthRouteLine', () => {
  it('finds Python routes, prefixes and URL patterns', () => {
    expect(py('app = FastAPI()\n\n@app.get("/healthz")\ndef h(): ...')).toBe(3);
    expect(py('router = APIRouter(prefix="/api/v1/health", tags=["ops"])')).toBe(1);
    expect(py('health = Blueprint("health", __name__, url_prefix="/-/health")')).toBe(1);
    expect(py('@bp.route("/readyz", methods=["GET"])')).toBe(1);
    expect(py('urlpatterns = [\n    path("health/", views.health),\n]')).toBe(2);
    expect(py('re_path(r"^healthz/?$", views.health)')).toBe(1);
    expect(py('routes = [Route("/ping", ping)]')).toBe(1);
    expect(py('app.router.add_get("/health/live", live)')).toBe(1);
    expect(py('@router.get(f"{settings.API_V1_STR}/health")')).toBe(1);
  });

  it('finds TypeScript/JavaScript routes, mounts, Nest decorators and hand-written checks', () => {
    expect(ts("app.get('/healthz', (_req, res) => res.send('ok'));")).toBe(1);
    expect(ts("app.use('/health', healthRouter);")).toBe(1);
    expect(ts("app.get(['/livez', '/readyz'], ok);")).toBe(1);
    expect(ts('app.get(`${API_PREFIX}/status`, ok);')).toBe(1);
    expect(ts("@Controller('health')\nexport class HealthController {}")).toBe(1);
    expect(ts("fastify.route({\n  method: 'GET',\n  url: '/health',\n  handler,\n});")).toBe(3);
    expect(ts("if (req.url === '/ping') return res.end('pong');")).toBe(1);
    expect(ts("switch (ctx.path) {\n  case '/healthz':\n    ctx.body = 'ok';\n}")).toBe(2);
  });

  it('ignores business status routes, dict lookups, client calls and comments', () => {
    expect(py('@router.get("/{order_id}/status")')).toBeUndefined();
    expect(py('status = data.get("status")')).toBeUndefined();
    expect(py('response = await client.get("/health")')).toBeUndefined();
    expect(py('r = requests.get(f"{base}/health")')).toBeUndefined();
    expect(py('# @app.get("/health") is still to do')).toBeUndefined();
    expect(py('path("orders/<int:pk>/status/", views.status)')).toBeUndefined();
    expect(ts("router.get('/:id/status', handler);")).toBeUndefined();
    expect(ts("const res = await axios.get('/health');")).toBeUndefined();
    expect(ts("http.get({ host, path: '/healthz' }, resolve);")).toBeUndefined();
    expect(ts("// app.get('/health', ok);")).toBeUndefined();
    expect(ts("const path = require('path');\npath.join(dir, 'status');")).toBeUndefined();
    expect(ts("@Get(':sku/status')")).toBeUndefined();
  });
});

describe('isNextHealthRouteFile', () => {
  it('recognises Next.js API route files named for a health check', () => {
    expect(isNextHealthRouteFile('pages/api/health.ts')).toBe(true);
    expect(isNextHealthRouteFile('src/pages/api/healthz/index.js')).toBe(true);
    expect(isNextHealthRouteFile('app/api/health/route.ts')).toBe(true);
    expect(isNextHealthRouteFile('src/app/(ops)/readyz/route.ts')).toBe(true);
    expect(isNextHealthRouteFile('pages/status.tsx')).toBe(false);
    expect(isNextHealthRouteFile('app/orders/status/page.tsx')).toBe(false);
  });
});

describe('container health checks', () => {
  it('reads the URL a Dockerfile HEALTHCHECK calls, across continuation lines', () => {
    expect(dockerfileHealthcheckUrl('FROM node:20\nHEALTHCHECK --interval=30s \\\n  CMD curl -f http://localhost:3000/healthz || exit 1\n')).toBe('http://localhost:3000/healthz');
    expect(dockerfileHealthcheckUrl('FROM python:3.12\nHEALTHCHECK NONE\n')).toBeUndefined();
    expect(dockerfileHealthcheckUrl('FROM postgres:16\nHEALTHCHECK CMD pg_isready -U postgres\n')).toBeUndefined();
  });

  it('maps compose healthchecks to the folder the service is built from', () => {
    const compose = [
      'services:',
      '  api:',
      '    build: ../backend',
      '    healthcheck:',
      '      test: ["CMD", "curl", "-f", "http://localhost:8000/health"]',
      '  web:',
      '    build: { context: ., dockerfile: web.Dockerfile }',
      '    healthcheck:',
      '      test: wget -qO- http://127.0.0.1:3000/ || exit 1',
      '  db:',
      '    image: postgres:16',
      '    healthcheck:',
      '      test: ["CMD-SHELL", "pg_isready"]',
    ].join('\n');
    expect(composeBuilds('deploy/docker-compose.yml', compose).builds).toEqual([
      { buildFolder: 'backend', healthcheckUrl: 'http://localhost:8000/health' },
      { buildFolder: 'deploy', healthcheckUrl: 'http://127.0.0.1:3000/' },
    ]);
    const worker = 'services:\n  worker:\n    build:\n      context: ./worker\n    command: celery -A tasks worker\n';
    expect(composeBuilds('docker-compose.yml', worker).builds).toEqual([{ buildFolder: 'worker', healthcheckUrl: undefined }]);
  });

  it('reports a compose file that does not parse instead of guessing', () => {
    const result = composeBuilds('docker-compose.yml', 'services:\n  api:\n    build: .\n   healthcheck: [\n');
    expect(result.builds).toEqual([]);
    expect(result.error).toBeTruthy();
  });
});
