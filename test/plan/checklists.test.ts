// The checklists behind AUDIT_PLAN.md: every kind of component has one, every id is well formed,
// and every rule of the catalog has a home, so a new rule shows up in the plan with its counts.
import { describe, expect, it } from 'vitest';
import { COMPONENT_ROLES } from '../../src/core/audit-result.js';
import { AREAS } from '../../src/core/types.js';
import { loadCatalog } from '../../src/engine/catalog.js';
import { COMPONENT_CHECKLISTS, PROJECT_PARTS, checklistRuleIds } from '../../src/plan/checklists.js';

describe('checklists', () => {
  it('has a checklist for every component role ("other" split into application code and project files)', () => {
    for (const role of COMPONENT_ROLES.filter((r) => r !== 'other')) expect(COMPONENT_CHECKLISTS[role], role).toBeDefined();
    expect(COMPONENT_CHECKLISTS.application.length).toBeGreaterThan(0);
    expect(COMPONENT_CHECKLISTS['project-files'].length).toBeGreaterThan(0);
    for (const [kind, items] of Object.entries(COMPONENT_CHECKLISTS)) {
      expect(items.length, kind).toBeGreaterThanOrEqual(4);
      // A reviewer always has something no rule does for them.
      expect(items.some((item) => item.rules.length === 0), `${kind} has a manual item`).toBe(true);
    }
  });

  it('names rule ids as area/kebab-name with a known area', () => {
    for (const id of checklistRuleIds()) {
      expect(id).toMatch(/^[a-z-]+\/[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(AREAS as readonly string[]).toContain(id.split('/')[0]);
    }
  });

  it('names every rule of the catalog in a project-wide part, so its findings are always counted once for the project', async () => {
    const catalog = await loadCatalog();
    const projectIds = new Set(PROJECT_PARTS.flatMap((part) => part.sections.flatMap((s) => s.items.flatMap((item) => item.rules))));
    for (const rule of catalog.rules) expect(projectIds, rule.meta.id).toContain(rule.meta.id);
  });

  it("follows seed 000's project-wide parts", () => {
    expect(PROJECT_PARTS.map((p) => p.title)).toEqual([
      'Configuration',
      'Monitoring & Logging',
      'Infrastructure',
      'Testing',
      'Security',
      'Error Handling',
      'Performance',
      'Dependencies',
      'Code Quality',
    ]);
  });
});
