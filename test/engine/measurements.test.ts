// Rule metrics: `context.measure` per file, summed per metric over the audit, with the files
// that weigh most; an undeclared metric is a rule error, not a silent zero.
import { describe, expect, it } from 'vitest';
import type { CompiledRule } from '../../src/core/rule.js';
import { runAudit } from '../../src/engine/audit.js';
import { loadCatalog } from '../../src/engine/catalog.js';
import { makeTree } from '../helpers.js';

const catalog = await loadCatalog();
const base = catalog.byId.get('reliability/silent-exception')!;

/** A test rule measuring how many top-level functions have a docstring, and counting `pass`. */
const measuring: CompiledRule = {
  ...base,
  meta: {
    ...base.meta,
    id: 'documentation/measuring-test-rule',
    metrics: [
      { id: 'test-docstring-share', label: 'Documented functions', kind: 'coverage', target: 50, note: 'a test metric for the engine' },
      { id: 'test-pass-count', label: 'pass statements', kind: 'count', note: 'a test metric for the engine' },
    ],
  },
  fileFilter: undefined,
  visitors: {
    py: {
      function_definition: (node, context) => {
        const documented = node.field('body')?.child(0)?.child(0)?.kind() === 'string';
        context.measure('test-docstring-share', documented ? 1 : 0, 1);
      },
      pass_statement: (_node, context) => context.measure('test-pass-count', 1),
    },
  },
};

async function audit(files: Record<string, string>, rule: CompiledRule) {
  const root = makeTree(files);
  return runAudit({ root, config: {}, jobs: 1, cache: false, catalog: { rules: [rule], byId: new Map([[rule.meta.id, rule]]) } });
}

describe('rule measurements', () => {
  it('sums per-file counts into one measurement per declared metric, worst files first', async () => {
    const result = await audit(
      {
        'a.py': 'def f():\n    """Doc."""\n    pass\n\ndef g():\n    pass\n',
        'b.py': 'def h():\n    pass\n\ndef i():\n    pass\n\ndef j():\n    return 1\n',
        'c.py': 'x = 1\n',
      },
      measuring,
    );
    expect(result.measurements).toEqual([
      {
        id: 'test-docstring-share',
        ruleId: 'documentation/measuring-test-rule',
        label: 'Documented functions',
        kind: 'coverage',
        count: 1,
        total: 5,
        value: 20,
        target: 50,
        note: 'a test metric for the engine',
        files: 2,
        worstFiles: [
          { path: 'b.py', count: 0, total: 3 },
          { path: 'a.py', count: 1, total: 2 },
        ],
      },
      {
        id: 'test-pass-count',
        ruleId: 'documentation/measuring-test-rule',
        label: 'pass statements',
        kind: 'count',
        count: 4,
        value: 4,
        note: 'a test metric for the engine',
        files: 2,
        worstFiles: [
          { path: 'a.py', count: 2 },
          { path: 'b.py', count: 2 },
        ],
      },
    ]);
    const tracked = result.report.metrics.find((m) => m.id === 'test-docstring-share');
    expect(tracked).toMatchObject({ current: 20, target: 50, direction: 'at-least' });
  });

  it('reports nothing-measured coverage as null, not as 0%', async () => {
    const result = await audit({ 'c.py': 'x = 1\n' }, measuring);
    expect(result.measurements[0]).toMatchObject({ count: 0, total: 0, value: null, files: 0, worstFiles: [] });
    expect(result.report.metrics.some((m) => m.id === 'test-docstring-share')).toBe(false);
  });

  it('turns a measurement of an undeclared metric into a rule-error diagnostic', async () => {
    const typo: CompiledRule = { ...measuring, visitors: { py: { pass_statement: (_node, context) => context.measure('test-pas-count', 1) } } };
    const result = await audit({ 'a.py': 'def f():\n    pass\n' }, typo);
    expect(result.diagnostics.map((d) => d.reason)).toEqual([
      "rule documentation/measuring-test-rule failed: metric test-pas-count is not declared in the rule's metadata",
    ]);
  });

  it('keeps a finding with a project condition only when the project-wide metric reaches it, and never outputs the condition', async () => {
    const gated: CompiledRule = {
      ...measuring,
      visitors: {
        py: {
          function_definition: (node, context) => {
            const documented = node.field('body')?.child(0)?.child(0)?.kind() === 'string';
            context.measure('test-docstring-share', documented ? 1 : 0, 1);
            if (!documented) context.report({ node, message: 'undocumented in a documented codebase', onlyIfProject: { metric: 'test-docstring-share', atLeast: 50 } });
          },
        },
      },
    };
    const mostlyDocumented = await audit({ 'a.py': 'def f():\n    """Doc."""\n\ndef g():\n    """Doc."""\n\ndef h():\n    return 1\n' }, gated);
    expect(mostlyDocumented.findings.map((f) => [f.file, f.line])).toEqual([['a.py', 7]]);
    expect(Object.keys(mostlyDocumented.findings[0])).not.toContain('projectCondition');
    const undocumented = await audit({ 'a.py': 'def f():\n    return 1\n\ndef g():\n    """Doc."""\n\ndef h():\n    return 1\n' }, gated);
    expect(undocumented.findings).toEqual([]);
  });
});
