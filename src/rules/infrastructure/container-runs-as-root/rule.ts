import { defineRule } from '../../../core/rule.js';
import { dockerfileOf, finalStage, imageReference, instructionRange, isDevContainerPath, isTemplateDockerfile, splitWords, stageChain, type DockerStage } from '../../_shared/dockerfile.js';

/**
 * Base images whose default user is not root: distroless `:nonroot` tags, `*-nonroot` variants,
 * Chainguard images, nginx's unprivileged build, Bitnami's non-root images and .NET chiseled images.
 */
const NON_ROOT_IMAGE =
  /^gcr\.io\/distroless\/[^:@]+:(debug-)?nonroot\b|[:-]nonroot\b|^cgr\.dev\/|^nginxinc\/nginx-unprivileged\b|-unprivileged(:|@|$)|^(docker\.io\/)?bitnami\/(?!minideb\b)|-chiseled\b/i;

/**
 * Images that already run their service unprivileged: a `USER` in the image (keycloak, grafana,
 * elastic, jenkins, prometheus…) or an entrypoint that steps down with gosu/su-exec (the official
 * postgres, mysql, redis, mongo, rabbitmq… images). Matched on the repository without registry or tag.
 */
const NON_ROOT_REPOSITORY =
  /^(postgres|postgis\/postgis|timescale\/timescaledb[\w-]*|mysql|mariadb|percona|redis|redis\/redis-stack[\w-]*|valkey\/valkey|mongo|rabbitmq|memcached|cassandra|couchdb|neo4j|zookeeper|solr|haproxy|influxdb|clickhouse\/clickhouse-server|elasticsearch|kibana|logstash|docker\.elastic\.co\/.+|opensearchproject\/.+|quay\.io\/keycloak\/keycloak|keycloak\/keycloak|grafana\/[\w-]+|prom\/[\w-]+|quay\.io\/prometheus\/[\w-]+|jenkins\/jenkins|sonarqube|sonatype\/nexus3|selenium\/[\w-]+|nodered\/node-red|n8nio\/n8n|apache\/airflow|apache\/superset|dpage\/pgadmin4|confluentinc\/[\w-]+|(quay\.io\/)?jupyter\/[\w-]+|mcr\.microsoft\.com\/mssql\/server|hashicorp\/(vault|consul)|vault|consul)$/i;

function repositoryOf(image: string): string {
  return imageReference(image).name.replace(/^(docker\.io\/|index\.docker\.io\/|registry(-1)?\.docker\.(com|io)\/|registry\.hub\.docker\.com\/)/i, '').replace(/^library\//i, '');
}

/** Windows images: their accounts (ContainerAdministrator/ContainerUser) are not Unix root; a different check. */
const WINDOWS_IMAGE = /(^|\/)(windows|nanoserver|servercore)\b|\/dotnet\/framework\/|:.*(nanoserver|windowsservercore|ltsc20\d\d)/i;

/** Tools an entrypoint uses to drop to another user after root-only setup (the official images' pattern). */
const STEP_DOWN = /\b(gosu|su-exec|setpriv|runuser|s6-setuidgid|setuidgid|chpst\s+-u)\b/;

/** `root`, `0`, `root:root`, `0:0`. */
const ROOT_USER = /^(root|0)(:.*)?$/i;

/** The last `USER` of the stage or of the stages it is built from (USER is inherited), nearest first. */
function lastUser(stage: DockerStage): { user: string } | undefined {
  for (const current of stageChain(stage)) {
    const users = current.instructions.filter((i) => i.keyword === 'USER');
    const last = users[users.length - 1];
    if (last) return { user: splitWords(last.rest)[0] ?? '' };
  }
  return undefined;
}

/** The image at the root of the stage chain (what the final stage ultimately starts from). */
function baseImage(stage: DockerStage): string | undefined {
  const chain = stageChain(stage);
  return chain[chain.length - 1].resolvedImage;
}

export default defineRule({
  meta: {
    id: 'infrastructure/container-runs-as-root',
    title: 'Container runs as root',
    area: 'infrastructure',
    severity: 'medium',
    type: 'security',
    effort: 'small',
    confidence: 'high',
    languages: ['docker'],
    since: '0.1.0',
    description: 'The final stage of a Dockerfile sets no `USER` (or switches back to root), so the container process runs as root.',
    why:
      'Without a `USER` instruction the process runs as uid 0. Anything that compromises it (an injected command, a ' +
      'deserialisation bug, a malicious dependency) then owns the whole container filesystem, can install tools, and is one ' +
      'kernel or runtime bug away from root on the host; mounted volumes and sockets are writable as root too (seed 004 ' +
      'runs untrusted code and asks for `User: "node:node"`). Judged on the FINAL stage, the one the image runs: `USER` in a ' +
      'builder stage does not carry over, while a final stage built `FROM` an earlier stage inherits that stage\'s `USER`. ' +
      'Not reported: base images that already run as non-root (`gcr.io/distroless/*:nonroot`, `*-nonroot` tags, Chainguard ' +
      '`cgr.dev/*`, `nginx-unprivileged`, Bitnami, .NET `*-chiseled`, images with their own `USER` such as keycloak, grafana, ' +
      'prometheus, elastic, jenkins, and the official datastore images whose entrypoint steps down to their own user with ' +
      'gosu/su-exec: postgres, mysql, mariadb, redis, mongo, rabbitmq…); a final stage that installs or runs gosu/su-exec/setpriv ' +
      '(the entrypoint steps down itself); a final stage `FROM scratch` (no shell, no package ' +
      'manager, no setuid tools: root there gives an attacker almost nothing to use, and the usual fix is a numeric `USER` ' +
      'that is worth adding but not worth a finding); a `USER` set from a build argument (`USER ${APP_UID}`); a base image ' +
      'given entirely by a build argument without default (the base may set its own user); Dockerfiles under `.devcontainer/` ' +
      '(development containers, whose user `devcontainer.json` sets); Windows images (no Unix root); templates (`Dockerfile.template`, `{placeholders}` in `FROM`). A `user:` in docker-compose or `runAsNonRoot` in ' +
      'Kubernetes can override the image user at run time; the image default still applies everywhere else it runs.',
    recommendation:
      'Create an unprivileged user and switch to it after the steps that need root: `RUN useradd --uid 10001 --create-home app` ' +
      '(Alpine: `adduser -D -u 10001 app`), `COPY --chown=app:app ...`, then `USER app` before `CMD`. Official `node` images ' +
      'already ship a `node` user (`USER node`); distroless images have a `:nonroot` tag.',
    examples: [
      {
        language: 'docker',
        bad: 'FROM node:20-bookworm\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n',
        good: 'FROM node:20-bookworm\nWORKDIR /app\nCOPY --chown=node:node . .\nRUN npm ci\nUSER node\nCMD ["node", "server.js"]\n',
      },
    ],
    references: [
      'seed 004 (sandbox containers: `User: "node:node"`)',
      'hadolint DL3002 (last USER should not be root)',
      'Trivy misconfiguration DS002 (image user should not be root)',
      'CIS Docker Benchmark 4.1 (create a user for the container)',
    ],
    cwe: ['CWE-250'],
  },
  fileFilter: /^\s*FROM\s/im,
  onFile(context) {
    if (isDevContainerPath(context.file.path)) return;
    const file = dockerfileOf(context);
    if (isTemplateDockerfile(context.file.path, file)) return;
    const stage = finalStage(file);
    if (!stage) return;
    const image = baseImage(stage);
    // A base chosen entirely at build time may set its own user.
    if (image === undefined || image === '') return;
    if (image.toLowerCase() === 'scratch' || NON_ROOT_IMAGE.test(image) || NON_ROOT_REPOSITORY.test(repositoryOf(image)) || WINDOWS_IMAGE.test(image)) return;
    const user = lastUser(stage);
    if (user && !ROOT_USER.test(user.user)) return;
    // Installs or calls gosu/su-exec: the entrypoint drops privileges itself.
    if (!user && stageChain(stage).some((s) => s.instructions.some((i) => STEP_DOWN.test(i.arguments)))) return;
    const from = `FROM ${stage.image}${stage.resolvedImage && stage.resolvedImage !== stage.image ? ` (${stage.resolvedImage})` : ''}`;
    context.report({
      range: instructionRange(stage.from),
      message: user
        ? `final stage \`${from}\` switches back to \`USER ${user.user}\`: the container runs as root; end with an unprivileged USER`
        : `final stage \`${from}\` sets no USER: the container runs as root; add an unprivileged USER before CMD`,
    });
  },
});
