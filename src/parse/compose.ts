// docker-compose files parsed with the `yaml` package, keeping source ranges so every key has its
// 1-based line. Shared by the compose rules (through rules/_shared/compose.ts) and the service
// inventory (discover/services.ts).
import { isMap, isScalar, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { ComposeVariables } from '../core/rule.js';

export interface ComposeService {
  name: string;
  /** Line of the service's key (`  db:`). */
  line: number;
  /** The service's mapping node, for `valueAt`/`lineAt`. */
  node: YAMLMap;
}

export interface ComposeFile {
  services: ComposeService[];
  /** Set when the YAML does not parse; rules report nothing then (the audit keeps going). */
  error?: string;
  lineCounter: LineCounter;
  /** The `.env` next to the file, which `${VAR}` references resolve from (see parse/dotenv.ts). */
  variables?: ComposeVariables;
}

export function parseCompose(source: string, variables?: ComposeVariables): ComposeFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter, uniqueKeys: false });
  if (document.errors.length) return { services: [], error: document.errors[0].message, lineCounter, variables };
  const services = document.get('services', true);
  if (!isMap(services)) return { services: [], lineCounter, variables };
  const list: ComposeService[] = [];
  for (const pair of services.items) {
    if (!isScalar(pair.key) || !isMap(pair.value)) continue;
    list.push({ name: String(pair.key.value), line: composeLineOf(pair.key as Node, lineCounter), node: pair.value });
  }
  return { services: list, lineCounter, variables };
}

export function composeLineOf(node: Node | null | undefined, lineCounter: LineCounter): number {
  const offset = node?.range?.[0];
  return offset === undefined ? 1 : lineCounter.linePos(offset).line;
}

/** The node at a path inside a service (`['deploy', 'resources', 'limits', 'memory']`). */
export function nodeAt(service: ComposeService, path: (string | number)[]): Node | undefined {
  const node = service.node.getIn(path, true) as Node | undefined;
  return node ?? undefined;
}

/** The plain value at a path (strings, numbers, booleans, lists and maps as JS values). */
export function valueAt(service: ComposeService, path: (string | number)[]): unknown {
  const node = nodeAt(service, path);
  if (node === undefined) return undefined;
  return isScalar(node) ? node.value : (node as { toJSON(): unknown }).toJSON();
}
