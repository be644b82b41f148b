// A rule that throws is contained: one diagnostic per rule and file, other rules keep running.
import { describe, expect, it } from 'vitest';
import type { CompiledRule } from '../../src/core/rule.js';
import { loadCatalog } from '../../src/engine/catalog.js';
import { runAudit } from '../../src/engine/audit.js';
import { makeTree } from '../helpers.js';

describe('a crashing rule', () => {
  it('yields one rule-error diagnostic per file and does not stop other rules', async () => {
    const catalog = await loadCatalog();
    const silent = catalog.byId.get('reliability/silent-exception')!;
    const crashing: CompiledRule = {
      ...silent,
      meta: { ...silent.meta, id: 'reliability/crashing-test-rule' },
      visitors: { py: { call: () => { throw new Error('boom'); } } },
    };
    const rules = [...catalog.rules, crashing];
    const root = makeTree({ 'a.py': 'f()\ng()\nh()\ntry:\n    f()\nexcept Exception:\n    pass\n' });
    const result = await runAudit({
      root,
      config: {},
      jobs: 1,
      cache: false,
      catalog: { rules, byId: new Map(rules.map((r) => [r.meta.id, r])) },
    });
    expect(result.diagnostics).toEqual([{ file: 'a.py', kind: 'rule-error', reason: 'rule reliability/crashing-test-rule failed: boom' }]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['reliability/silent-exception']);
  });
});
