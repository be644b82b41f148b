// `probity rules`: the catalog as a table or JSON; `--docs <dir>` writes one page per rule.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../../engine/catalog.js';
import { summariseRule } from '../../engine/audit.js';
import { renderCatalogDocs } from '../../report/rule-docs.js';
import { EXIT_OK } from '../errors.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface RulesCommandOptions {
  docs?: string;
  format?: string;
}

export async function rulesCommand(options: RulesCommandOptions): Promise<number> {
  const catalog = await loadCatalog();
  if (options.docs) {
    const dir = resolve(options.docs);
    mkdirSync(dir, { recursive: true });
    for (const [name, page] of renderCatalogDocs(catalog.rules, REPO_ROOT)) writeFileSync(join(dir, name), page);
    process.stdout.write(`wrote ${catalog.rules.length} rule pages and an index to ${options.docs}\n`);
    return EXIT_OK;
  }
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify(catalog.rules.map(summariseRule), null, 2)}\n`);
    return EXIT_OK;
  }
  const width = Math.max(...catalog.rules.map((r) => r.meta.id.length));
  for (const rule of catalog.rules) {
    const { meta } = rule;
    const status = meta.status === 'preview' ? ' (preview)' : '';
    process.stdout.write(`${meta.id.padEnd(width)}  ${meta.severity.padEnd(8)} ${meta.languages.join(',').padEnd(6)} ${meta.description}${status}\n`);
  }
  process.stdout.write(`\n${catalog.rules.length} rules\n`);
  return EXIT_OK;
}
