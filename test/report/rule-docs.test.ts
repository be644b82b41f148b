// Rule docs are generated from metadata and committed; this fails when they drift.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/engine/catalog.js';
import { renderCatalogDocs } from '../../src/report/rule-docs.js';
import { REPO_ROOT, runCli } from '../helpers.js';

const catalog = await loadCatalog();
const pages = renderCatalogDocs(catalog.rules, REPO_ROOT);
const docsDir = join(REPO_ROOT, 'docs', 'rules');

describe('docs/rules', () => {
  it('has exactly one page per rule plus the index (regenerate: npx probity rules --docs docs/rules)', () => {
    expect(readdirSync(docsDir).sort()).toEqual([...pages.keys()].sort());
  });

  for (const [name, page] of pages) {
    it(`${name} is fresh`, () => {
      expect(readFileSync(join(docsDir, name), 'utf8')).toBe(page);
    });
  }

  it('a page carries the Ruff-style sections', () => {
    const page = pages.get('reliability--silent-exception.md')!;
    for (const heading of ['## What it does', '## Why is this bad?', '## Example (Python)', 'Use instead:', '## Recommendation', '## Suppressing', '## References']) {
      expect(page).toContain(heading);
    }
    expect(page).toContain('Source: [`src/rules/reliability/silent-exception`]');
  });

  it('`probity rules` lists every rule', () => {
    const run = runCli(['rules']);
    expect(run.status).toBe(0);
    for (const rule of catalog.rules) expect(run.stdout).toContain(rule.meta.id);
    expect(run.stdout).toContain(`${catalog.rules.length} rules`);
  });
});
