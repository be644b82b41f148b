import { defineRule } from '../../../core/rule.js';
import { composeFileOf, nodeAt } from '../../_shared/compose.js';
import { composeVariantOf, inheritsSettings, isDevService, isOneShot, isPartialDefinition, isSwarmService, serviceKeyRange } from '../../_shared/compose-services.js';

export default defineRule({
  meta: {
    id: 'infrastructure/no-restart-policy',
    title: 'Long-running service without a restart policy',
    area: 'infrastructure',
    severity: 'low',
    type: 'enhancement',
    effort: 'small',
    confidence: 'high',
    languages: ['compose'],
    since: '0.1.0',
    description: 'A server, worker or datastore service has no `restart:` and no `deploy.restart_policy`, so it stays down after a crash or reboot.',
    why:
      'Compose\'s default is `restart: "no"`: a process that crashes (out of memory, an unhandled error) or a host that reboots ' +
      'leaves the service down until someone notices and runs `docker compose up` again. Reported once per service, at its ' +
      'key. Not reported: services with any `restart:` (an explicit `"no"` is a decision) or `deploy.restart_policy`; one-shot ' +
      'jobs (migrations, seeding, init, tests, backups: a command that runs and exits, a service others wait on with ' +
      '`service_completed_successfully`, task `profiles` such as tools/test/debug); services completed by another file ' +
      '(override fragments without image/build, `extends`, YAML merge keys); dev and test compose files ' +
      '(`docker-compose.dev.yml`, `compose.test.yaml`, `.devcontainer/`) and development services (the source tree bind-mounted, ' +
      'a dev server such as `runserver`/`--reload`/`npm run dev`), where containers are started by hand; Swarm stack services ' +
      '(`deploy.replicas`/`mode`/`placement`), which Swarm restarts by default.',
    recommendation:
      'Add `restart: unless-stopped` (or `always`) to servers, workers and datastores; in Swarm, `deploy.restart_policy.condition: any`.',
    examples: [
      {
        language: 'compose',
        bad: 'services:\n  api:\n    image: example/api:2.3.1\n    command: gunicorn app:app\n',
        good: 'services:\n  api:\n    image: example/api:2.3.1\n    command: gunicorn app:app\n    restart: unless-stopped\n',
      },
    ],
    references: ['Docker Compose specification: restart', 'Docker docs: Start containers automatically (restart policies)'],
  },
  onFile(context) {
    if (composeVariantOf(context.file.path)) return;
    const file = composeFileOf(context);
    for (const service of file.services) {
      if (nodeAt(service, ['restart']) !== undefined || nodeAt(service, ['deploy', 'restart_policy']) !== undefined) continue;
      if (inheritsSettings(service) || isPartialDefinition(service) || isOneShot(file, service) || isDevService(service) || isSwarmService(service)) continue;
      context.report({
        range: serviceKeyRange(service, context.lines),
        message: `service "${service.name}" has no restart policy: after a crash or a host reboot it stays down until restarted by hand`,
      });
    }
  },
});
