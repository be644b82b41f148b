import { defineRule } from '../../../core/rule.js';
import { describeServer, findFirst, serverAppsOf, serviceLabel, serviceSetupFiles, serviceUses } from '../../_shared/server-app.js';

/** Error-tracking and APM SDKs (stack names, see discover/stack.ts). */
export const ERROR_TRACKERS = ['Sentry', 'OpenTelemetry', 'Rollbar', 'Bugsnag', 'Honeybadger', 'Datadog APM', 'New Relic', 'Elastic APM', 'Airbrake'];

/**
 * Alerting wired by hand: chat/incident webhooks, admin notification helpers, Django's error
 * e-mails to a non-empty ADMINS, a Sentry DSN setting (the SDK may be loaded by a wrapper).
 */
const ALERT_HOOK =
  /hooks\.slack\.com|discord(app)?\.com\/api\/webhooks|\b(SLACK|DISCORD|TEAMS|ALERTS?)_WEBHOOK\w*|\bPAGERDUTY\w*|\bOPSGENIE\w*|\b(alert|notify)_?(admins?|owners?|on_?call|ops)\b|\b(alert|notify)(Admins?|Owners?|OnCall|Ops)\b|AdminEmailHandler|\bmail_admins\b|^\s*ADMINS\s*=\s*[[(]\s*[[("']|SENTRY_DSN|GLITCHTIP/m;

export default defineRule({
  meta: {
    id: 'observability/no-error-tracking',
    title: 'No error tracking or alerting',
    area: 'observability',
    severity: 'low',
    type: 'enhancement',
    effort: 'small',
    confidence: 'medium',
    languages: ['repo'],
    since: '0.1.0',
    description: 'A server with no error-tracking SDK (Sentry, OpenTelemetry, Rollbar, Bugsnag, Honeybadger, Datadog, New Relic…) and no alert hook.',
    why:
      'Without error tracking an unhandled exception in production is a log line nobody reads: no one is told, repeated ' +
      'failures are not grouped, and the stack trace with its request context is lost (seed 002: "Consider adding Sentry ' +
      'or similar for production error tracking"; its fix added admin alerts after consecutive failures). Reported per ' +
      'service: a web or bot framework its code starts, and neither an error-tracking or APM SDK in its dependencies or ' +
      'imports nor an alert hook in its setup modules (Slack/Discord/Teams webhooks, PagerDuty, Opsgenie, an ' +
      '`alert_admins`/`notifyAdmins` helper, Django `ADMINS` with its error e-mails, a `SENTRY_DSN` setting). Not reported: ' +
      'libraries, CLIs, trees of fewer than 3 source files.',
    recommendation:
      'Initialise an error tracker at start-up (`sentry_sdk.init(dsn=os.environ["SENTRY_DSN"], traces_sample_rate=0.1)`, ' +
      '`Sentry.init({ dsn: process.env.SENTRY_DSN })`, or OpenTelemetry with an exporter) and route alerts to the people ' +
      'on call; for a bot, at least notify the admins after repeated failures.',
    examples: [
      {
        language: 'py',
        bad: '# app/main.py (no Sentry, OpenTelemetry or alert hook anywhere)\napp = FastAPI()\n',
        good: 'import sentry_sdk\n\nsentry_sdk.init(dsn=os.environ["SENTRY_DSN"])\napp = FastAPI()\n',
      },
    ],
    references: ['seed 002 (add Sentry for production error tracking)', 'RULES.md observability/no-error-tracking', 'https://docs.sentry.io/platforms/python/'],
  },
  onProject(context) {
    for (const server of serverAppsOf(context)) {
      if (serviceUses(context, server, ERROR_TRACKERS)) continue;
      if (findFirst(context, serviceSetupFiles(context, server), ALERT_HOOK)) continue;
      context.report({
        path: server.path,
        line: server.line,
        message: `The ${describeServer(server)}${serviceLabel(server)} reports errors to no one: no Sentry, OpenTelemetry, Rollbar, Bugsnag, Datadog or similar SDK and no alert hook; an exception in production is only a log line.`,
      });
    }
  },
});
