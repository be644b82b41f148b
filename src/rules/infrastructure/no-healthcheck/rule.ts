import { isMap, isScalar } from 'yaml';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { textRuleLanguageOf } from '../../../discover/language.js';
import { composeFileOf, nodeAt, type ComposeFile } from '../../_shared/compose.js';
import { datastoreOf, inheritsSettings, isDevOrTestComposePath, isOneShot, isPartialDefinition, serviceKeyRange } from '../../_shared/compose-services.js';
import { dockerfileOf, finalStage, instructionRange, isDevContainerPath, isTemplateDockerfile, splitWords, stageChain } from '../../_shared/dockerfile.js';

function checkDockerfile(context: RuleContext): void {
  if (isDevContainerPath(context.file.path)) return;
  const file = dockerfileOf(context);
  if (isTemplateDockerfile(context.file.path, file)) return;
  const stage = finalStage(file);
  if (!stage) return;
  const chain = stageChain(stage);
  const instructions = chain.flatMap((s) => s.instructions);
  // `HEALTHCHECK NONE` is a deliberate choice (the orchestrator probes instead), not an omission.
  if (instructions.some((i) => i.keyword === 'HEALTHCHECK')) return;
  // Only a server has something to probe: the image says so with EXPOSE.
  const exposed = instructions.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => splitWords(i.rest));
  if (!exposed.length) return;
  context.report({
    range: instructionRange(stage.from),
    message: `final stage \`FROM ${stage.image}\` exposes ${exposed.join(', ')} but defines no HEALTHCHECK: Docker reports a hung server as running`,
  });
}

/** Services others wait on with `condition: service_healthy`, with the services that wait. */
function healthyDependencies(file: ComposeFile): Map<string, string[]> {
  const waiting = new Map<string, string[]>();
  for (const service of file.services) {
    const dependsOn = nodeAt(service, ['depends_on']);
    if (!isMap(dependsOn)) continue;
    for (const pair of dependsOn.items) {
      if (!isScalar(pair.key) || !isMap(pair.value) || pair.value.get('condition') !== 'service_healthy') continue;
      const target = String(pair.key.value);
      waiting.set(target, [...(waiting.get(target) ?? []), service.name]);
    }
  }
  return waiting;
}

function checkCompose(context: RuleContext): void {
  const file = composeFileOf(context);
  const waitedOn = healthyDependencies(file);
  const devOrTest = isDevOrTestComposePath(context.file.path) || isDevContainerPath(context.file.path);
  for (const service of file.services) {
    if (nodeAt(service, ['healthcheck']) !== undefined) continue;
    // Built here: the Dockerfile's HEALTHCHECK (judged by the docker half of this rule) may provide it.
    if (nodeAt(service, ['build']) !== undefined) continue;
    if (isPartialDefinition(service) || inheritsSettings(service)) continue;
    const waiters = waitedOn.get(service.name);
    if (waiters) {
      context.report({
        range: serviceKeyRange(service, context.lines),
        message: `service "${service.name}" has no healthcheck, yet ${waiters.map((w) => `"${w}"`).join(', ')} waits for it with condition: service_healthy; compose cannot start them unless the image defines one`,
        severity: 'medium',
      });
      continue;
    }
    if (devOrTest || isOneShot(file, service)) continue;
    const datastore = datastoreOf(service);
    const serves = nodeAt(service, ['ports']) !== undefined || nodeAt(service, ['expose']) !== undefined;
    if (!datastore && !serves) continue;
    context.report({
      range: serviceKeyRange(service, context.lines),
      message: `${datastore ? `${datastore} service` : 'service'} "${service.name}" has no healthcheck: dependants cannot wait for it to be ready and a hung container still counts as running`,
    });
  }
}

export default defineRule({
  meta: {
    id: 'infrastructure/no-healthcheck',
    title: 'Service without a healthcheck',
    area: 'infrastructure',
    severity: 'low',
    type: 'enhancement',
    effort: 'small',
    confidence: 'medium',
    languages: ['compose', 'docker'],
    since: '0.1.0',
    description: 'A long-running compose service or a server image (Dockerfile with EXPOSE) has no healthcheck.',
    why:
      'Without a healthcheck Docker only knows whether the process exists: a deadlocked server, a database still replaying its ' +
      'WAL or an app that lost its connection pool all show as "running", `depends_on` can only wait for the container to ' +
      'start (not to be ready), and nothing restarts or reroutes around a hung instance. Reported in compose files: services ' +
      'that run a datastore (postgres, redis, mongo…) or publish/expose ports, without `healthcheck:`; a service that others ' +
      'wait for with `condition: service_healthy` and has no healthcheck is Medium (compose refuses to start the dependants ' +
      'unless the image itself defines one). Reported in Dockerfiles: a final stage that `EXPOSE`s a port with no ' +
      '`HEALTHCHECK` (inherited from an earlier stage counts). Not reported: `HEALTHCHECK NONE` and `healthcheck: {disable: ' +
      'true}` (deliberate: the orchestrator probes instead); compose services with `build:` (the image comes from a Dockerfile ' +
      'in the repository, judged on its own: one file cannot see the other); one-shot jobs (migrations, seeders, tests); ' +
      'workers without ports (no endpoint to probe without an application-specific command); services completed by `extends:` ' +
      'or YAML merge keys, or defined in another compose file; development and test compose files (`docker-compose.dev.yml`, ' +
      '`compose.test.yaml`, `.devcontainer/`), except for the `service_healthy` case; Dockerfiles without `EXPOSE`, under `.devcontainer/` or templates. ' +
      'Kubernetes ignores Dockerfile HEALTHCHECK and uses its own probes: there the Dockerfile finding is Low by nature.',
    recommendation:
      'Add a cheap readiness probe: compose `healthcheck: {test: ["CMD-SHELL", "pg_isready -U app"], interval: 10s, timeout: 5s, ' +
      'retries: 5}` (`redis-cli ping`, `curl -fsS http://localhost:8000/health`), and in the Dockerfile `HEALTHCHECK --interval=30s ' +
      'CMD curl -fsS http://localhost:8000/health || exit 1` (or a tiny script where the image has no curl). Then let dependants ' +
      'wait with `depends_on: {db: {condition: service_healthy}}`.',
    examples: [
      {
        language: 'compose',
        bad: 'services:\n  redis:\n    image: redis:7\n    ports:\n      - "127.0.0.1:6379:6379"\n',
        good: 'services:\n  redis:\n    image: redis:7\n    ports:\n      - "127.0.0.1:6379:6379"\n    healthcheck:\n      test: ["CMD", "redis-cli", "ping"]\n      interval: 10s\n',
      },
      {
        language: 'docker',
        bad: 'FROM python:3.12-slim\nCOPY . /srv\nEXPOSE 8000\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]\n',
        good: 'FROM python:3.12-slim\nCOPY . /srv\nEXPOSE 8000\nHEALTHCHECK --interval=30s CMD python -c "import urllib.request; urllib.request.urlopen(\'http://localhost:8000/health\')"\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]\n',
      },
    ],
    references: [
      'seed 000 (Docker checklist: health checks), seed 004 (missing health checks)',
      'Docker docs: HEALTHCHECK instruction; Compose file reference: healthcheck, depends_on condition service_healthy',
      'Trivy misconfiguration DS026 (no HEALTHCHECK defined); Checkov CKV_DOCKER_2',
    ],
  },
  fileFilter: /\b(services|EXPOSE)\b/i,
  onFile(context) {
    if (textRuleLanguageOf(context.file.path) === 'compose') checkCompose(context);
    else checkDockerfile(context);
  },
});
