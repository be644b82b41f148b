import { isMap, isScalar, type Node } from 'yaml';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { composeFileOf, nodeAt, type ComposeFile, type ComposeService } from '../../_shared/compose.js';
import { listItems, rangeOfNode, scalarText } from '../../_shared/compose-services.js';

const DOCKER_SOCKET = /^\/(var\/)?run\/docker\.sock$/;
const DANGEROUS_CAPABILITIES = /^(CAP_)?(ALL|SYS_ADMIN)$/i;
const UNCONFINED = /^(seccomp|apparmor)[:=]unconfined$|^label[:=]disable$/i;

function report(context: RuleContext, file: ComposeFile, node: Node | undefined, message: string): void {
  const range = node && rangeOfNode(file, node);
  if (range) context.report({ range: { ...range, endLine: range.line, endColumn: range.line === range.endLine ? range.endColumn : range.column + 1 }, message });
}

/** The host path of a volume entry: `/var/run/docker.sock:/var/run/docker.sock:ro` or `{ type: bind, source: … }`. */
function volumeSource(item: Node): string | undefined {
  const text = scalarText(item);
  if (text !== undefined) return text.split(':')[0];
  if (isMap(item)) {
    const source = item.get('source');
    return typeof source === 'string' ? source : undefined;
  }
  return undefined;
}

function checkService(context: RuleContext, file: ComposeFile, service: ComposeService): void {
  const who = `service "${service.name}"`;
  const privileged = nodeAt(service, ['privileged']);
  if (isScalar(privileged) && (privileged.value === true || privileged.value === 'true')) {
    report(context, file, privileged, `${who} runs privileged: every device and capability of the host, so root in the container is root on the host`);
  }
  for (const item of listItems(service, 'volumes')) {
    const source = volumeSource(item);
    if (source && DOCKER_SOCKET.test(source)) {
      report(context, file, item, `${who} mounts the Docker socket (${source}): whoever controls the container can start a privileged container on the host (":ro" does not prevent it)`);
    }
  }
  for (const key of ['network_mode', 'pid', 'ipc'] as const) {
    const node = nodeAt(service, [key]);
    if (isScalar(node) && node.value === 'host') {
      const what = key === 'network_mode' ? "the host's network stack (every host port and loopback service)" : key === 'pid' ? "the host's process namespace (it can see and signal host processes)" : "the host's IPC namespace";
      report(context, file, node, `${who} shares ${what} with \`${key}: host\``);
    }
  }
  for (const item of listItems(service, 'cap_add')) {
    const capability = scalarText(item);
    if (capability && DANGEROUS_CAPABILITIES.test(capability)) {
      report(context, file, item, `${who} adds capability ${capability.toUpperCase()}, which is close to running privileged`);
    }
  }
  for (const item of listItems(service, 'security_opt')) {
    const option = scalarText(item);
    if (option && UNCONFINED.test(option.replace(/\s+/g, ''))) {
      report(context, file, item, `${who} turns off a kernel confinement profile with \`${option}\``);
    }
  }
}

export default defineRule({
  meta: {
    id: 'infrastructure/privileged-container',
    title: 'Container runs with host-level privileges',
    area: 'infrastructure',
    severity: 'high',
    type: 'security',
    effort: 'small',
    confidence: 'high',
    languages: ['compose'],
    since: '0.1.0',
    description: 'A compose service is privileged, mounts the Docker socket, shares the host network/PID namespace or drops confinement.',
    why:
      'These settings remove the isolation between a container and its host: a compromised process in it (a vulnerable web app, ' +
      'a malicious dependency) becomes a compromise of the machine and of every other container on it (seed 004). Reported: ' +
      '`privileged: true`; a bind mount of `/var/run/docker.sock` (read-only too: the API still starts containers); ' +
      '`network_mode: host`, `pid: host`, `ipc: host`; `cap_add: [ALL]` or `[SYS_ADMIN]`; `security_opt` with ' +
      '`seccomp:unconfined`, `apparmor:unconfined` or `label:disable`. Not reported: narrower capabilities (`NET_ADMIN`, ' +
      '`NET_BIND_SERVICE`, `SYS_PTRACE`), `cap_drop`, `no-new-privileges`, named volumes, and other host paths.',
    recommendation:
      'Grant only the capability the process needs (`cap_add: [NET_ADMIN]`), publish ports instead of `network_mode: host`, and ' +
      'give tools that need the Docker API a restricted socket proxy (e.g. tecnativa/docker-socket-proxy) instead of the socket.',
    examples: [
      {
        language: 'compose',
        bad: 'services:\n  agent:\n    image: example/agent:1.4\n    privileged: true\n',
        good: 'services:\n  agent:\n    image: example/agent:1.4\n    cap_add:\n      - NET_ADMIN\n',
      },
    ],
    references: [
      'seed 004 (privileged containers)',
      'CIS Docker Benchmark 5.4 (privileged), 5.9 (host network), 5.15 (host PID), 5.31 (Docker socket)',
      'Semgrep yaml.docker-compose.security.privileged-service, exposing-docker-socket-volume, seccomp-confinement-disabled',
    ],
    cwe: ['CWE-250'],
  },
  fileFilter: /privileged|docker\.sock|:\s*["']?host\b|cap_add|security_opt/,
  onFile(context) {
    const file = composeFileOf(context);
    for (const service of file.services) checkService(context, file, service);
  },
});
