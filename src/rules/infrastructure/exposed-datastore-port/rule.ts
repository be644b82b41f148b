import { isMap, isScalar, type Node } from 'yaml';
import { defineRule } from '../../../core/rule.js';
import type { ComposeVariables } from '../../../core/rule.js';
import { composeFileOf, interpolate } from '../../_shared/compose.js';
import { composeVariantOf, DATASTORE_PORTS, datastoreOf, isDatastorePort, listItems, rangeOfNode } from '../../_shared/compose-services.js';

/** Host addresses that keep a published port on this machine. */
const LOOPBACK = /^(127(\.\d{1,3}){3}|localhost|::1|\[::1\])$/i;

interface Publication {
  hostIp?: string;
  hostPort?: string;
  containerPorts: number[];
}

/** `8080-8081` → [8080, 8081]; `5432` → [5432]. */
function portRange(text: string): number[] {
  const [from, to] = text.split('-').map((part) => Number.parseInt(part, 10));
  if (!Number.isFinite(from)) return [];
  if (!Number.isFinite(to) || to < from || to - from > 1000) return [from];
  return Array.from({ length: to - from + 1 }, (_v, i) => from + i);
}

/** Short syntax: `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`, IPv6 host in brackets. */
function parseShort(raw: string, variables: ComposeVariables | undefined): Publication | undefined {
  // Resolved from the `.env` as compose does; a variable set nowhere here stays `$VAR` (set by
  // whoever deploys: a host address from a variable is a deliberate choice).
  const text =
    interpolate(raw, variables) ??
    raw.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_whole, name: string, fallback: string | undefined) => variables?.values.get(name) || fallback || `$${name}`);
  const withoutProtocol = text.replace(/\/(tcp|udp|sctp)$/i, '');
  const ipv6 = /^(\[[^\]]*\]):(.*)$/.exec(withoutProtocol);
  const parts = ipv6 ? [ipv6[1], ...ipv6[2].split(':')] : withoutProtocol.split(':');
  const container = parts.pop();
  if (container === undefined) return undefined;
  const hostPort = parts.pop();
  const hostIp = parts.length ? parts.join(':') : undefined;
  return { hostIp, hostPort, containerPorts: portRange(container) };
}

/** Long syntax: `{ target: 5432, published: 5432, host_ip: 127.0.0.1 }`. */
function parseLong(node: Node, variables: ComposeVariables | undefined): Publication | undefined {
  if (!isMap(node)) return undefined;
  const target = node.get('target');
  if (target === undefined || target === null) return undefined;
  const hostIp = node.get('host_ip');
  const published = node.get('published');
  return {
    hostIp: typeof hostIp === 'string' ? interpolate(hostIp, variables) ?? hostIp : undefined,
    hostPort: published === undefined || published === null ? undefined : String(published),
    containerPorts: portRange(String(target)),
  };
}

export default defineRule({
  meta: {
    id: 'infrastructure/exposed-datastore-port',
    title: 'Database or cache port published to the host',
    area: 'infrastructure',
    severity: 'high',
    type: 'security',
    effort: 'small',
    confidence: 'high',
    languages: ['compose'],
    since: '0.1.0',
    description: 'A database, cache or broker port is published on all host interfaces (`ports: ["5432:5432"]`).',
    why:
      'A port under `ports:` is bound to 0.0.0.0 on the host unless an address is given, and Docker inserts its own firewall ' +
      'rules ahead of ufw/firewalld: the database answers whoever can reach the machine. Other services of the same compose ' +
      'project reach it over the internal network without any published port (seed 001: "PostgreSQL and Redis ports exposed ' +
      '(5432, 6379)", with default credentials and no Redis password). Reported: published ports of services whose image is a ' +
      'datastore (postgres, mysql, mariadb, redis, mongo, elasticsearch, rabbitmq, memcached…) and datastore default ports ' +
      '(5432, 3306, 6379, 27017, 9200, 5672, 11211, 1433, 5984, 7687, 9042…) of other services, in short and long syntax and ' +
      'in override files (Medium in dev/test compose files such as `docker-compose.dev.yml`). A container port alone (`- "5432"`) is reported too: Docker publishes it on a random host port of ' +
      'every interface. Not reported: ports bound to loopback (`127.0.0.1:5432:5432`, `host_ip: 127.0.0.1`), `expose:` ' +
      '(visible only to other containers), a host address taken from a variable (`${BIND_IP}:5432:5432`), application ports (8000, 3000…) of services that are not datastores, and 9000/8086/8123 ' +
      '(also MinIO, PHP-FPM…) unless the image is a datastore.',
    recommendation:
      'Remove the `ports:` entry (the application reaches the database by service name on the compose network), or bind it to ' +
      'loopback for local tools: `"127.0.0.1:5432:5432"`.',
    examples: [
      {
        language: 'compose',
        bad: 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n',
        good: 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "127.0.0.1:5432:5432"\n',
      },
    ],
    references: [
      'seed 001 (PostgreSQL and Redis ports 5432/6379 exposed)',
      'Docker docs: Packet filtering and firewalls (published ports bypass ufw)',
      'CIS Docker Benchmark 5.13 (bind incoming container traffic to a specific host interface)',
    ],
    cwe: ['CWE-668'],
  },
  fileFilter: /ports\s*:/,
  onFile(context) {
    const file = composeFileOf(context);
    for (const service of file.services) {
      const datastore = datastoreOf(service);
      for (const item of listItems(service, 'ports')) {
        const publication = isScalar(item) ? parseShort(String(item.value), file.variables) : parseLong(item, file.variables);
        if (!publication) continue;
        if (publication.hostIp && (LOOPBACK.test(publication.hostIp) || publication.hostIp.includes('$'))) continue;
        const port = publication.containerPorts.find((p) => (datastore ? true : isDatastorePort(p, false)));
        if (port === undefined) continue;
        const range = rangeOfNode(file, item);
        if (!range) continue;
        const what = DATASTORE_PORTS[port] && (datastore || isDatastorePort(port, true)) ? `${DATASTORE_PORTS[port]} port ${port}` : `port ${port}`;
        const where = publication.hostPort ? `host port ${publication.hostPort}` : 'a random host port';
        const owner = datastore ? `${datastore} service "${service.name}"` : `service "${service.name}"`;
        context.report({
          // Dev and test compose files run on a laptop or CI runner: still reachable from its network, less exposed.
          ...(composeVariantOf(context.file.path) ? { severity: 'medium' as const } : {}),
          range: { ...range, endLine: range.line, endColumn: range.line === range.endLine ? range.endColumn : range.column + 1 },
          message: `${owner} publishes ${what} on ${where} of every host interface; drop the mapping or bind it to 127.0.0.1`,
        });
      }
    }
  },
});
