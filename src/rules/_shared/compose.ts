// docker-compose files read once per file for every compose rule: services with their settings and
// the 1-based line of each key, so findings point at the line that needs the change. Parsed with
// the `yaml` package (a Document keeps source ranges); `${VAR}` references resolve from the `.env`
// next to the file, as compose does (`interpolate(value, file.variables)`; unset → unknown).
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { RuleContext } from '../../core/rule.js';
import { composeLineOf, nodeAt, parseCompose, type ComposeFile, type ComposeService } from '../../parse/compose.js';

export { nodeAt, parseCompose, valueAt, type ComposeFile, type ComposeService } from '../../parse/compose.js';
export { interpolate, variablesFromDotenv } from '../../parse/dotenv.js';

const parsed = new WeakMap<object, ComposeFile>();

/** The compose file of this rule context, parsed once and shared by every compose rule. */
export function composeFileOf(context: RuleContext): ComposeFile {
  let file = parsed.get(context.file);
  if (!file) {
    file = parseCompose(context.source, context.file.composeVariables);
    parsed.set(context.file, file);
  }
  return file;
}

/** The line of the node at a path, or of the service key when the path is absent (what is missing is reported there). */
export function lineAt(file: ComposeFile, service: ComposeService, path: (string | number)[]): number {
  const node = nodeAt(service, path);
  return node ? composeLineOf(node, file.lineCounter) : service.line;
}

/** `environment:` as a map or as a `KEY=value` list, with each entry's line. */
export function environmentOf(file: ComposeFile, service: ComposeService): { name: string; value: string | undefined; line: number }[] {
  const environment = nodeAt(service, ['environment']);
  const entries: { name: string; value: string | undefined; line: number }[] = [];
  if (isMap(environment)) {
    for (const pair of environment.items) {
      if (!isScalar(pair.key)) continue;
      const raw = isScalar(pair.value) && pair.value.value !== null ? String(pair.value.value) : undefined;
      entries.push({ name: String(pair.key.value), value: raw, line: composeLineOf(pair.key as Node, file.lineCounter) });
    }
  } else if (isSeq(environment)) {
    for (const item of environment.items) {
      if (!isScalar(item)) continue;
      const [name, ...rest] = String(item.value).split('=');
      entries.push({ name, value: rest.length ? rest.join('=') : undefined, line: composeLineOf(item as Node, file.lineCounter) });
    }
  }
  return entries;
}

/** The image name without registry path and tag (`bitnami/redis:7` → `redis`), for recognising datastores. */
export function imageBaseName(image: string): string {
  const withoutTag = image.replace(/@sha256:[0-9a-f]+$/, '').replace(/:[^/:]+$/, '');
  return withoutTag.split('/').pop() ?? withoutTag;
}
