// The service inventory of the architecture section: what every docker-compose file in the tree
// runs (image or build, published ports, dependencies, networks, volumes). A file that does not
// parse is left out here; the audit reports nothing about it beyond what the rules find.
import { readFileSync } from 'node:fs';
import type { ComposeServiceSummary } from '../core/audit-result.js';
import { parseCompose, valueAt } from '../parse/compose.js';
import { interpolate, readComposeDotenv, type ComposeVariables } from '../parse/dotenv.js';
import { textRuleLanguageOf } from './language.js';
import type { DiscoveredFile } from './walk.js';

function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' || typeof item === 'number' ? String(item) : JSON.stringify(item)));
  if (value && typeof value === 'object') return Object.keys(value);
  return typeof value === 'string' ? [value] : [];
}

/** `"8000:8000"`, `127.0.0.1:5432:5432`, long syntax `{ published: 80, target: 8080 }`: the host side. */
function publishedPorts(value: unknown, variables: ComposeVariables | undefined): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    // `${API_PORT:-8000}:8000` is resolved from the `.env` as compose would; an unset variable stays as written.
    const port = typeof item === 'string' ? (interpolate(item, variables) ?? item) : item;
    if (typeof port === 'number') return [String(port)];
    if (typeof port === 'string') return port.includes(':') ? [port.split(':').slice(0, -1).join(':')] : [];
    if (port && typeof port === 'object' && 'published' in port) {
      const { host_ip: hostIp, published } = port as { host_ip?: string; published?: unknown };
      return [hostIp ? `${hostIp}:${String(published)}` : String(published)];
    }
    return [];
  });
}

export function composeServices(files: readonly DiscoveredFile[]): ComposeServiceSummary[] {
  const services: ComposeServiceSummary[] = [];
  for (const file of files) {
    if (textRuleLanguageOf(file.path) !== 'compose') continue;
    let source: string;
    try {
      source = readFileSync(file.absolutePath, 'utf8');
    } catch {
      // Unreadable: auditing the file reports it as a diagnostic; the inventory just leaves it out.
      continue;
    }
    const variables = readComposeDotenv(file.absolutePath, file.path)?.variables;
    for (const service of parseCompose(source, variables).services) {
      const rawImage = valueAt(service, ['image']);
      const image = typeof rawImage === 'string' ? (interpolate(rawImage, variables) ?? rawImage) : rawImage;
      const build = valueAt(service, ['build']);
      services.push({
        file: file.path,
        name: service.name,
        ...(typeof image === 'string' ? { image } : {}),
        ...(build !== undefined ? { build: typeof build === 'string' ? build : String((build as { context?: unknown }).context ?? '.') } : {}),
        ports: publishedPorts(valueAt(service, ['ports']), variables),
        dependsOn: strings(valueAt(service, ['depends_on'])),
        networks: strings(valueAt(service, ['networks'])),
        volumes: strings(valueAt(service, ['volumes'])),
      });
    }
  }
  return services;
}
