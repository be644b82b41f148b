import { isMap } from 'yaml';
import { defineRule } from '../../../core/rule.js';
import { composeFileOf, environmentOf, interpolate, nodeAt, type ComposeFile, type ComposeService } from '../../_shared/compose.js';
import {
  commandText,
  datastoreOf,
  imageOf,
  inheritsSettings,
  composeVariantOf,
  isPartialDefinition,
  lineRange,
  listItems,
  scalarText,
  serviceKeyRange,
} from '../../_shared/compose-services.js';

const REDIS_IMAGE = /^(redis|redis-stack|redis-stack-server|valkey|keydb)$/;
/** `--requirepass x` / `--aclfile …` / `--user …` turn on authentication; an empty requirepass does not. */
const AUTH_ARGUMENT = /--(requirepass\s+(?!(""|'')(\s|$))\S|aclfile\b|user\s+\S)/;
/** A redis.conf / ACL file mounted into the container may set `requirepass`: this file cannot tell. */
const CONFIG_MOUNT = /(\.conf|\.acl|users\.acl)$|\/(usr\/local\/)?etc\/(redis|valkey|keydb)\b|\/redis-stack\.conf|\/opt\/bitnami\/redis\/mounted-etc/;

/** Whether a port of the service is published on a non-loopback address (then anyone on the network can connect). */
function publishedOutsideLoopback(file: ComposeFile, service: ComposeService): boolean {
  return listItems(service, 'ports').some((item) => {
    const text = scalarText(item);
    if (text !== undefined) return !/^(127\.|localhost:|\[::1\]:|::1:)/.test(interpolate(text, file.variables) ?? text);
    const hostIp = isMap(item) ? item.get('host_ip') : undefined;
    return !(typeof hostIp === 'string' && /^(127\.|localhost$|::1$)/.test(hostIp));
  });
}

function hasConfigMount(service: ComposeService): boolean {
  return listItems(service, 'volumes').some((item) => {
    const text = scalarText(item);
    const target = text !== undefined ? text.split(':')[1] : isMap(item) ? String(item.get('target') ?? '') : '';
    const source = text !== undefined ? text.split(':')[0] : isMap(item) ? String(item.get('source') ?? '') : '';
    return CONFIG_MOUNT.test(target ?? '') || CONFIG_MOUNT.test(source ?? '');
  });
}

function check(file: ComposeFile, service: ComposeService, path: string) {
  const command = `${commandText(service, 'entrypoint')} ${commandText(service)}`;
  if (AUTH_ARGUMENT.test(command)) return undefined;
  // `redis-server /path/redis.conf`: the config file may set requirepass.
  if (/\S+\.conf\b/.test(command) || hasConfigMount(service)) return undefined;
  // Bitnami images read REDIS_PASSWORD from the environment, which an env_file may supply.
  if (/^bitnami\//.test(imageOf(service) ?? '') && nodeAt(service, ['env_file']) !== undefined) return undefined;
  let emptyAllowed: number | undefined;
  for (const entry of environmentOf(file, service)) {
    const value = entry.value === undefined ? undefined : interpolate(entry.value, file.variables) ?? '${…}';
    if (/^(REDIS|VALKEY|KEYDB)_PASSWORD(_FILE)?$/.test(entry.name) && (entry.value === undefined || value !== '')) return undefined;
    if (/^(REDIS|VALKEY|KEYDB)_(ARGS|EXTRA_FLAGS)$/.test(entry.name) && AUTH_ARGUMENT.test(entry.value ?? '')) return undefined;
    if (entry.name === 'ALLOW_EMPTY_PASSWORD' && /^(yes|true|1)$/i.test(value ?? '')) emptyAllowed = entry.line;
  }
  // Partial definitions and merged anchors may get their command from elsewhere; an explicit empty password is still one.
  if (emptyAllowed === undefined && (inheritsSettings(service) || isPartialDefinition(service))) return undefined;
  const published = publishedOutsideLoopback(file, service);
  const severity = published && composeVariantOf(path) === undefined ? ('high' as const) : ('medium' as const);
  return { emptyAllowed, published, severity };
}

export default defineRule({
  meta: {
    id: 'infrastructure/redis-without-auth',
    title: 'Redis without a password',
    area: 'infrastructure',
    severity: 'high',
    type: 'security',
    effort: 'small',
    confidence: 'medium',
    languages: ['compose'],
    since: '0.1.0',
    description: 'A Redis (or Valkey/KeyDB) service starts without `requirepass` or an ACL file, or with `ALLOW_EMPTY_PASSWORD=yes`.',
    why:
      'Redis accepts every command from anyone who can connect unless a password or ACL is configured: reading every cached ' +
      'session, `FLUSHALL`, and `CONFIG SET dir` + `SAVE`, the classic way to write files (SSH keys, cron jobs) on the host ' +
      '(seed 001: "Port 6379 exposed with no requirepass configured"). High when a port is published on a non-loopback ' +
      'address; Medium when Redis is reachable only on the compose network, or in a dev/test compose file. Not reported: ' +
      '`--requirepass`/`--aclfile`/`--user` in `command`/`entrypoint` (or in `REDIS_ARGS`), a non-empty `REDIS_PASSWORD` ' +
      '(Bitnami images, or an `env_file` that may hold it) or `REDIS_PASSWORD_FILE`, a `redis.conf`/ACL file mounted into the container or passed to ' +
      'redis-server (it may set requirepass, which this file cannot show), services built from a Dockerfile, and services ' +
      'completed by another file (override fragments, `extends`, YAML merge keys).',
    recommendation:
      'Start Redis with a password from the environment, e.g. `command: ["redis-server", "--requirepass", "${REDIS_PASSWORD:?}"]` ' +
      '(or an ACL file), put the password in the clients\' `REDIS_URL` (`redis://:password@redis:6379/0`), and do not publish 6379.',
    examples: [
      {
        language: 'compose',
        bad: 'services:\n  redis:\n    image: redis:7\n    ports:\n      - "6379:6379"\n',
        good: 'services:\n  redis:\n    image: redis:7\n    command: ["redis-server", "--requirepass", "${REDIS_PASSWORD:?set REDIS_PASSWORD}"]\n',
      },
    ],
    references: [
      'seed 001 (Redis port 6379 exposed without requirepass)',
      'Redis security documentation (protected mode, AUTH, ACL)',
      'CIS Redis Benchmark 1.x: require authentication',
    ],
    cwe: ['CWE-306'],
  },
  fileFilter: /redis|valkey|keydb/i,
  onFile(context) {
    const file = composeFileOf(context);
    for (const service of file.services) {
      const store = datastoreOf(service);
      if (!store || !REDIS_IMAGE.test(store)) continue;
      const finding = check(file, service, context.file.path);
      if (!finding) continue;
      if (finding.emptyAllowed !== undefined) {
        context.report({
          range: lineRange(context.lines, finding.emptyAllowed, 'ALLOW_EMPTY_PASSWORD'),
          severity: finding.severity,
          message: `${store} service "${service.name}" sets ALLOW_EMPTY_PASSWORD=yes: it accepts clients without a password`,
        });
        continue;
      }
      const exposure = finding.published ? 'and publishes its port' : 'on the compose network';
      context.report({
        range: serviceKeyRange(service, context.lines),
        severity: finding.severity,
        message: `${store} service "${service.name}" runs without requirepass or an ACL ${exposure}: any client that connects can read and overwrite all data`,
      });
    }
  },
});
