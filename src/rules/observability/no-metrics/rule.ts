import { defineRule } from '../../../core/rule.js';
import { describeServer, findFirst, serverAppsOf, serviceLabel, serviceSetupFiles, serviceUses } from '../../_shared/server-app.js';

/** Metrics libraries and agents (stack names, see discover/stack.ts). */
const METRICS = ['Prometheus client', 'Prometheus instrumentation', 'StatsD', 'OpenTelemetry', 'Datadog APM', 'New Relic', 'Elastic APM'];
/** A metrics endpoint served by hand, or a metrics app wired in settings (`django_prometheus`). */
const METRICS_ENDPOINT = /['"`]\/metrics\/?['"`]|\bdjango_prometheus\b|\bmake_asgi_app\s*\(|\bmetrics_app\b/;

export default defineRule({
  meta: {
    id: 'observability/no-metrics',
    title: 'Server without metrics',
    area: 'observability',
    severity: 'low',
    type: 'enhancement',
    effort: 'medium',
    confidence: 'medium',
    languages: ['repo'],
    status: 'preview',
    since: '0.1.0',
    description: 'A server with no metrics library (Prometheus, StatsD, OpenTelemetry, Datadog, New Relic…) and no `/metrics` endpoint.',
    why:
      'Without metrics there is no request rate, latency, error rate or saturation to watch, so slow degradation (a pool ' +
      'running dry, a queue growing) is found by users, and alerting has nothing to fire on (seed 000: "Prometheus metrics", ' +
      '"Alerting rules"; seed 004: no monitoring). Reported per service: a web or bot framework its code starts, no metrics ' +
      'library or agent in its dependencies or imports (prometheus_client, prometheus-fastapi-instrumentator, ' +
      'django-prometheus, statsd/datadog, OpenTelemetry, prom-client, express-prom-bundle, hot-shots, dd-trace, newrelic…) ' +
      'and no `/metrics` route in its setup and route modules. Not reported: libraries, CLIs, trees of fewer than 3 source ' +
      'files. Preview (on with `--enable`): a platform (Cloud Run, Heroku, a service mesh) often measures requests from ' +
      'outside, which no file here shows.',
    recommendation:
      'Expose request and business metrics: `Instrumentator().instrument(app).expose(app)` for FastAPI, django-prometheus, ' +
      '`prom-client` with `collectDefaultMetrics()` and a `/metrics` route for Node, or OpenTelemetry metrics with an ' +
      'exporter; scrape them and alert on error rate and latency.',
    examples: [
      {
        language: 'py',
        bad: '# app/main.py (no metrics library, no /metrics route)\napp = FastAPI()\n',
        good: 'from prometheus_fastapi_instrumentator import Instrumentator\n\napp = FastAPI()\nInstrumentator().instrument(app).expose(app)\n',
      },
    ],
    references: ['seed 000 (Prometheus metrics, alerting rules)', 'seed 004 (monitoring)', 'RULES.md observability/no-metrics', 'https://prometheus.io/docs/practices/instrumentation/'],
  },
  onProject(context) {
    for (const server of serverAppsOf(context)) {
      if (serviceUses(context, server, METRICS)) continue;
      if (findFirst(context, serviceSetupFiles(context, server), METRICS_ENDPOINT)) continue;
      context.report({
        path: server.path,
        line: server.line,
        message: `The ${describeServer(server)}${serviceLabel(server)} exposes no metrics: no Prometheus, StatsD, OpenTelemetry or APM library and no \`/metrics\` route; request rate, latency and errors go unmeasured.`,
      });
    }
  },
});
