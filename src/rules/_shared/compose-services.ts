// What the infrastructure rules need to know about a compose service beyond its raw settings:
// which datastore it runs, whether it is a one-shot job, whether a setting may come from
// elsewhere (YAML merge keys, `extends`, an override fragment), and where a node sits in the file.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { imageBaseName, nodeAt, valueAt, type ComposeFile, type ComposeService } from './compose.js';
import type { ReportRange } from '../../core/rule.js';

/** Image base names of databases, caches and brokers (`bitnami/redis` → `redis`). */
const DATASTORE_IMAGE =
  /^(postgres|postgresql|postgis|pgvector|timescaledb|mysql|mysql-server|mariadb|percona(-server)?|redis|redis-stack(-server)?|valkey|keydb|mongo|mongodb|mongodb-community-server|elasticsearch|opensearch|rabbitmq|memcached|couchdb|neo4j|cassandra|scylla|clickhouse(-server)?|influxdb|cockroach|mssql-server|server|kafka|cp-kafka|zookeeper|nats|etcd|arangodb|questdb|surrealdb|dragonfly)$/;

/** Default ports of datastores, for services built locally whose image says nothing. */
export const DATASTORE_PORTS: Record<number, string> = {
  5432: 'PostgreSQL',
  3306: 'MySQL/MariaDB',
  6379: 'Redis',
  27017: 'MongoDB',
  9200: 'Elasticsearch',
  9300: 'Elasticsearch transport',
  5672: 'RabbitMQ',
  11211: 'Memcached',
  1433: 'SQL Server',
  5984: 'CouchDB',
  7687: 'Neo4j Bolt',
  9042: 'Cassandra',
  8123: 'ClickHouse HTTP',
  9000: 'ClickHouse native',
  8086: 'InfluxDB',
  26257: 'CockroachDB',
  9092: 'Kafka',
  2181: 'ZooKeeper',
  4222: 'NATS',
  2379: 'etcd',
};

/** Ports that are datastore ports only next to a datastore image (9000 is also MinIO, PHP-FPM, SonarQube…). */
const AMBIGUOUS_PORTS = new Set([8123, 9000, 8086, 2379, 4222]);

export function imageOf(service: ComposeService): string | undefined {
  const image = valueAt(service, ['image']);
  return typeof image === 'string' ? image : undefined;
}

/** `postgres` for `postgres:15`, `redis` for `bitnami/redis:7`; `mssql-server` for `mcr.microsoft.com/mssql/server`. */
export function datastoreOf(service: ComposeService): string | undefined {
  const image = imageOf(service);
  if (!image) return undefined;
  const base = imageBaseName(image).toLowerCase();
  if (base === 'server') return /mssql\/server/i.test(image) ? 'mssql-server' : undefined;
  return DATASTORE_IMAGE.test(base) ? base : undefined;
}

export function isDatastorePort(port: number, datastoreImage: boolean): boolean {
  if (!(port in DATASTORE_PORTS)) return false;
  return datastoreImage || !AMBIGUOUS_PORTS.has(port);
}

/** `command:` / `entrypoint:` as one line of text (list form joined by spaces). */
export function commandText(service: ComposeService, key: 'command' | 'entrypoint' = 'command'): string {
  const value = valueAt(service, [key]);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(String).join(' ');
  return '';
}

/** Whether a setting may be supplied by something this file does not show: `<<: *anchor`, `extends:`. */
export function inheritsSettings(service: ComposeService): boolean {
  if (nodeAt(service, ['extends']) !== undefined) return true;
  return service.node.items.some((pair) => isScalar(pair.key) && pair.key.value === '<<');
}

/**
 * A service with neither `image:` nor `build:` only adjusts a service defined in another compose
 * file (`docker-compose.override.yml`, `-f base.yml -f prod.yml`): what it lacks may be set there.
 */
export function isPartialDefinition(service: ComposeService): boolean {
  return nodeAt(service, ['image']) === undefined && nodeAt(service, ['build']) === undefined;
}

/** What a compose file is for, from its name: `docker-compose.test.yml` → test, `compose.dev.yaml` → dev. */
export function composeVariantOf(path: string): 'test' | 'dev' | undefined {
  if (/(^|\/)\.devcontainer\//.test(path)) return 'dev';
  const name = (path.split('/').pop() ?? path).replace(/^(docker-)?compose/i, '').replace(/\.ya?ml$/i, '');
  const words = name.toLowerCase().split(/[.-]/);
  if (words.some((word) => ['test', 'tests', 'testing', 'ci', 'e2e', 'integration'].includes(word))) return 'test';
  if (words.some((word) => ['dev', 'develop', 'development', 'local', 'debug'].includes(word))) return 'dev';
  return undefined;
}

const ONE_SHOT_COMMAND =
  /\b(migrat\w*|alembic|flyway|liquibase|db:(migrate|seed|setup|create|push)|db\s+push|seed\w*|init(ialize|ialise)?[-_]?\w*|setup|bootstrap|createsuperuser|collectstatic|loaddata|pytest|jest|vitest|mocha|tox|npm\s+(run\s+)?test|yarn\s+test|pnpm\s+test|wait-for\w*|backup|restore|pg_dump|pg_restore|mongodump|mongorestore|mc\s+(mb|alias|admin|policy))\b/i;
const SERVER_COMMAND =
  /\b(uvicorn|gunicorn|hypercorn|daphne|runserver|serve|server|start|worker|celery|beat|nginx|httpd|caddy|supervisord|pm2|nodemon|watch|dev|listen|-server|tail\s+-f|sleep\s+infinity)\b/i;
const ONE_SHOT_IMAGE = /^(flyway|migrate|liquibase|mc|curl|atlas|dbmate|goose|sqitch)$/;
/** Profiles that mark a service started by hand for a task (`docker compose --profile tools run …`). */
const TASK_PROFILE = /^(tools?|tasks?|test|tests|ci|debug|dev|setup|migrate|migrations?|init|seed|cli|admin|manual|jobs?|scripts?|backup|ops)$/i;

/** Services other services wait on to finish (`condition: service_completed_successfully`). */
function completedDependencies(file: ComposeFile): Set<string> {
  const names = new Set<string>();
  for (const service of file.services) {
    const dependsOn = nodeAt(service, ['depends_on']);
    if (!isMap(dependsOn)) continue;
    for (const pair of dependsOn.items) {
      if (!isScalar(pair.key) || !isMap(pair.value)) continue;
      if (pair.value.get('condition') === 'service_completed_successfully') names.add(String(pair.key.value));
    }
  }
  return names;
}

/**
 * A job that runs and exits (migrations, seeding, tests, backups, bucket setup) rather than a
 * server, worker or datastore: restart policies and resource limits are about what keeps running.
 */
export function isOneShot(file: ComposeFile, service: ComposeService): boolean {
  if (completedDependencies(file).has(service.name)) return true;
  const profiles = valueAt(service, ['profiles']);
  if (Array.isArray(profiles) && profiles.length > 0 && profiles.every((p) => TASK_PROFILE.test(String(p)))) return true;
  const image = imageOf(service);
  if (image && ONE_SHOT_IMAGE.test(imageBaseName(image).toLowerCase())) return true;
  const command = `${commandText(service, 'entrypoint')} ${commandText(service)}`;
  if (ONE_SHOT_COMMAND.test(command) && !SERVER_COMMAND.test(command)) return true;
  const restart = valueAt(service, ['restart']);
  const condition = valueAt(service, ['deploy', 'restart_policy', 'condition']);
  // `restart: "no"` on a service without a server command: written to run once.
  return (restart === 'no' || restart === false || condition === 'none') && command.trim() !== '' && !SERVER_COMMAND.test(command);
}

/** The source range of a YAML node (its value, without trailing comment), 1-based. */
export function rangeOfNode(file: ComposeFile, node: Node): ReportRange | undefined {
  if (!node.range) return undefined;
  const start = file.lineCounter.linePos(node.range[0]);
  const end = file.lineCounter.linePos(node.range[1]);
  return { line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
}

/** The range of the service's key line (`  db:`), where a missing setting is reported. */
export function serviceKeyRange(service: ComposeService, lines: readonly string[]): ReportRange {
  return lineRange(lines, service.line, service.name);
}

/** A range on one line that starts at `text` when it is found there (else at the first non-blank). */
export function lineRange(lines: readonly string[], line: number, text?: string): ReportRange {
  const content = lines[line - 1] ?? '';
  const found = text ? content.indexOf(text) : -1;
  const column = found >= 0 ? found + 1 : content.search(/\S|$/) + 1;
  return { line, column, endLine: line, endColumn: Math.max(column + 1, content.trimEnd().length + 1) };
}

/** Items of a list setting (`ports:`, `volumes:`, `cap_add:`) with their nodes. */
export function listItems(service: ComposeService, key: string): Node[] {
  const node = nodeAt(service, [key]);
  return isSeq(node) ? (node.items as Node[]) : [];
}

/** A scalar item's text, or undefined for maps. */
export function scalarText(node: Node): string | undefined {
  return isScalar(node) && node.value !== null ? String(node.value) : undefined;
}

/** Compose files for local development or tests (`docker-compose.dev.yml`, `compose.test.yaml`, `.devcontainer/`). */
export function isDevOrTestComposePath(path: string): boolean {
  return composeVariantOf(path) !== undefined;
}

/** Source bind mounts (`.:/app`, `./:/code`, `..:/workspace`) and dev servers: a development container. */
const SOURCE_MOUNT = /^\.{1,2}\/?(:|$)/;
const DEV_SERVER = /\b(runserver|--reload|npm\s+run\s+dev|yarn\s+dev|pnpm\s+dev|next\s+dev|vite(\s|$)|nodemon|flask\s+run|watchmedo|air\b|sleep\s+infinity|tail\s+-f\s+\/dev\/null)/i;

/**
 * A service set up for development on a laptop: the source tree mounted into it or a dev server
 * with auto-reload. Restart policies and resource limits are production settings there.
 */
export function isDevService(service: ComposeService): boolean {
  const command = `${commandText(service, 'entrypoint')} ${commandText(service)}`;
  if (DEV_SERVER.test(command)) return true;
  return listItems(service, 'volumes').some((item) => {
    const text = scalarText(item);
    const source = text !== undefined ? text : isMap(item) ? String(item.get('source') ?? '') : '';
    return SOURCE_MOUNT.test(source);
  });
}

/** Swarm stack services (`deploy.replicas`/`mode`/`placement`/`update_config`): Swarm restarts tasks by default. */
export function isSwarmService(service: ComposeService): boolean {
  return ['replicas', 'mode', 'placement', 'update_config'].some((key) => nodeAt(service, ['deploy', key]) !== undefined);
}
