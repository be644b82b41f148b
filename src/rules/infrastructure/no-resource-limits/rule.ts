import { defineRule } from '../../../core/rule.js';
import { composeFileOf, nodeAt, type ComposeService } from '../../_shared/compose.js';
import { composeVariantOf, inheritsSettings, isDevService, isOneShot, isPartialDefinition, serviceKeyRange } from '../../_shared/compose-services.js';

/** Settings that cap memory or CPU, in the Compose spec and the legacy v2 format. */
const LIMIT_PATHS = [['deploy', 'resources', 'limits'], ['mem_limit'], ['memswap_limit'], ['cpus'], ['cpu_quota'], ['cpu_count'], ['cpu_percent']];

function hasLimits(service: ComposeService): boolean {
  return LIMIT_PATHS.some((path) => nodeAt(service, path) !== undefined);
}

export default defineRule({
  meta: {
    id: 'infrastructure/no-resource-limits',
    title: 'Service without memory or CPU limits',
    area: 'infrastructure',
    severity: 'low',
    type: 'enhancement',
    effort: 'small',
    confidence: 'medium',
    languages: ['compose'],
    since: '0.1.0',
    description: 'A long-running compose service sets no memory or CPU limit (`deploy.resources.limits`, `mem_limit`, `cpus`).',
    why:
      'Without a limit one container can take all the host\'s memory or CPU: a leak or a traffic spike in one service ' +
      'slows down or gets the kernel OOM killer to kill its neighbours, often the database, instead of the culprit. ' +
      'Reported once per service, at its key. A limit is any of `deploy.resources.limits`, `mem_limit`, `memswap_limit`, ' +
      '`cpus`, `cpu_quota`, `cpu_count`, `cpu_percent` (`reservations` and `cpu_shares` are not caps). Not reported: ' +
      'one-shot jobs (migrations, seeding, init, tests, backups: a command that runs and exits, a service others wait on ' +
      'with `service_completed_successfully`, task `profiles` such as tools/test/debug, `restart: "no"` with a non-server ' +
      'command); services completed by another file (override fragments without image/build, `extends`, YAML merge keys, ' +
      'where limits are usually shared through an anchor); dev and test compose files and development services (the source ' +
      'tree bind-mounted, a dev server such as `runserver`/`--reload`/`npm run dev`).',
    recommendation:
      'Set `deploy.resources.limits` (`memory: 512M`, `cpus: "1.0"`) from the service\'s observed peak plus headroom; for ' +
      'datastores, size the limit together with their own memory settings (shared_buffers, maxmemory).',
    examples: [
      {
        language: 'compose',
        bad: 'services:\n  worker:\n    image: example/worker:1.8.0\n    restart: unless-stopped\n',
        good: 'services:\n  worker:\n    image: example/worker:1.8.0\n    restart: unless-stopped\n    deploy:\n      resources:\n        limits:\n          memory: 512M\n          cpus: "1.0"\n',
      },
    ],
    references: ['seed 000 (resource limits checklist), seed 004 ("No resource limits")', 'CIS Docker Benchmark 5.10 (memory) and 5.11 (CPU)', 'Docker Compose specification: deploy.resources'],
    cwe: ['CWE-770'],
  },
  onFile(context) {
    if (composeVariantOf(context.file.path)) return;
    const file = composeFileOf(context);
    for (const service of file.services) {
      if (hasLimits(service) || inheritsSettings(service) || isPartialDefinition(service) || isOneShot(file, service) || isDevService(service)) continue;
      context.report({
        range: serviceKeyRange(service, context.lines),
        message: `service "${service.name}" has no memory or CPU limit: a leak or load spike in it can starve every other container on the host`,
      });
    }
  },
});
