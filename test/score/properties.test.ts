// The properties docs/scoring.md promises, checked on random inputs from a seeded PRNG and on
// hand-picked edges: monotone, capped, size-aware, order-independent, honest about what ran.
import { describe, expect, it } from 'vitest';
import { SCORE_AREAS } from '../../src/core/audit-result.js';
import { AREAS, SEVERITIES, type Finding, type RuleLanguage } from '../../src/core/types.js';
import { bucketPoints, SIZE_FLOOR_LINES, sizeFactor } from '../../src/score/formula.js';
import { computeScores, type ComputedScores, type ScoreInput } from '../../src/score/scores.js';
import { finding, findings, inventory, prng, rule, type TestRule } from './build.js';

const LANGUAGE_SETS: RuleLanguage[][] = [['py'], ['ts'], ['py', 'ts'], ['any']];
/** Three rules per rule area, with varied languages. */
const CATALOG: TestRule[] = AREAS.flatMap((area, a) =>
  [0, 1, 2].map((i) => rule(`${area}/rule-${i}`, LANGUAGE_SETS[(a + i) % LANGUAGE_SETS.length])),
);

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** Log-uniform from 0 to ~300 k lines, sometimes exactly 0. */
function lines(random: () => number): number {
  return random() < 0.1 ? 0 : Math.floor(Math.exp(random() * Math.log(300_000)));
}

function randomFinding(random: () => number, rules: readonly TestRule[]): Finding {
  // Mostly rules that ran; now and then one that did not (its area must stay unmeasured).
  const source = rules.length && random() < 0.9 ? rules : CATALOG;
  return finding(pick(random, source).id, pick(random, SEVERITIES));
}

function randomInput(random: () => number): ScoreInput {
  const rules = CATALOG.filter(() => random() < 0.5);
  const count = Math.floor(random() * random() * 80);
  // A few rules get most findings, as in real trees (saturation must stay monotone too).
  const hot = rules.filter(() => random() < 0.2);
  const list = Array.from({ length: count }, () =>
    hot.length && random() < 0.5 ? finding(pick(random, hot).id, pick(random, SEVERITIES)) : randomFinding(random, rules),
  );
  return {
    rules,
    findings: list,
    inventory: inventory({ python: lines(random), typescript: lines(random), tsx: lines(random), javascript: lines(random), yaml: lines(random) }),
  };
}

function expectNotHigher(after: ComputedScores, before: ComputedScores): void {
  for (const [i, area] of after.areas.entries()) {
    const previous = before.areas[i].score;
    if (previous === null) expect(area.score).toBeNull();
    else expect(area.score).toBeLessThanOrEqual(previous);
  }
  if (before.health === null) expect(after.health).toBeNull();
  else expect(after.health).toBeLessThanOrEqual(before.health);
}

function shuffled<T>(random: () => number, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

describe('monotonicity', () => {
  it('adding any finding never raises an area score or the health score (1 000 random cases)', () => {
    const random = prng(20261123);
    for (let run = 0; run < 1000; run++) {
      const input = randomInput(random);
      const before = computeScores(input);
      const added = randomFinding(random, input.rules);
      const after = computeScores({ ...input, findings: [...input.findings, added] });
      expectNotHigher(after, before);
    }
  });

  it('adding findings one by one walks every score down, never up', () => {
    const random = prng(7);
    for (let run = 0; run < 50; run++) {
      const input = randomInput(random);
      let previous = computeScores({ ...input, findings: [] });
      const list: Finding[] = [];
      for (let i = 0; i < 60; i++) {
        list.push(randomFinding(random, input.rules));
        const next = computeScores({ ...input, findings: list });
        expectNotHigher(next, previous);
        previous = next;
      }
    }
  });

  it('a rule\'s points saturate below its maximum and grow with every occurrence', () => {
    for (const severity of SEVERITIES) {
      let last = 0;
      for (let n = 1; n <= 200; n++) {
        const points = bucketPoints(severity, n, 1);
        expect(points).toBeGreaterThanOrEqual(last);
        last = points;
      }
      expect(last).toBeLessThanOrEqual(bucketPoints(severity, Number.MAX_SAFE_INTEGER, 1));
    }
  });
});

describe('caps', () => {
  const security = [rule('security/shell-injection')];
  it.each([100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000])(
    'an open Critical security finding keeps Security under 40 and health under 50 at %i lines',
    (size) => {
      const scores = computeScores({ rules: [...security, rule('code-quality/explicit-any', ['ts'])], findings: [finding('security/shell-injection', 'critical')], inventory: inventory({ python: size, typescript: size }) });
      const area = scores.areas.find((a) => a.area === 'security')!;
      expect(area.score).toBeLessThan(40);
      expect(area.cap).toEqual({ severity: 'critical', max: 39 });
      expect(scores.health).toBeLessThanOrEqual(49);
    },
  );

  it.each([
    ['high', 69],
    ['medium', 89],
    ['low', 99],
  ] as const)('an open %s finding caps the area at %i however large the tree', (severity, max) => {
    const scores = computeScores({ rules: security, findings: [finding('security/shell-injection', severity)], inventory: inventory({ python: 5_000_000 }) });
    expect(scores.areas[0].score).toBe(max);
    expect(scores.areas[0].cap).toEqual({ severity, max });
  });

  it('an area with no open finding scores 100 and carries no cap', () => {
    const scores = computeScores({ rules: security, findings: [], inventory: inventory({ python: 10 }) });
    expect(scores.areas[0]).toMatchObject({ score: 100, findings: 0, topCosts: [] });
    expect(scores.areas[0].cap).toBeUndefined();
    expect(scores.health).toBe(100);
  });
});

describe('size awareness', () => {
  const rules = [rule('security/shell-injection'), rule('security/cors-permissive'), rule('security/insecure-default-secret'), rule('code-quality/explicit-any', ['ts'])];
  // Enough Medium findings that the Medium cap (89) does not bite even in 10× the code, and few
  // enough per rule that no rule is saturated (a saturated rule costs its maximum at any size).
  const open = [
    ...findings('security/shell-injection', 'medium', 6),
    ...findings('security/cors-permissive', 'medium', 4),
    ...findings('security/insecure-default-secret', 'medium', 4),
    ...findings('code-quality/explicit-any', 'low', 4),
  ];

  it('the same findings in 10× the code never score lower (random cases)', () => {
    const random = prng(42);
    for (let run = 0; run < 500; run++) {
      const input = randomInput(random);
      const bigger = Object.fromEntries(Object.entries(input.inventory.languages).map(([k, v]) => [k, v.codeLines * 10]));
      const small = computeScores(input);
      const large = computeScores({ ...input, inventory: inventory(bigger) });
      for (const [i, area] of small.areas.entries()) {
        if (area.score === null || large.areas[i].score === null) continue;
        expect(large.areas[i].score).toBeGreaterThanOrEqual(area.score);
      }
    }
  });

  it.each([1_000, 2_000, 3_000])('the same findings in 10× the code score strictly higher when uncapped (from %i lines)', (size) => {
    const small = computeScores({ rules, findings: open, inventory: inventory({ python: size / 2, typescript: size / 2 }) });
    const large = computeScores({ rules, findings: open, inventory: inventory({ python: size * 5, typescript: size * 5 }) });
    for (const area of ['security', 'maintainability'] as const) {
      const before = small.areas.find((a) => a.area === area)!;
      const after = large.areas.find((a) => a.area === area)!;
      expect(after.cap).toBeUndefined();
      expect(after.score!).toBeGreaterThan(before.score!);
    }
    expect(large.health!).toBeGreaterThan(small.health!);
  });

  it('a finding weighs less in more code above the floor, and the same below it', () => {
    for (const severity of SEVERITIES) {
      expect(bucketPoints(severity, 3, sizeFactor(20_000))).toBeLessThan(bucketPoints(severity, 3, sizeFactor(2_000)));
      expect(bucketPoints(severity, 3, sizeFactor(50))).toBe(bucketPoints(severity, 3, sizeFactor(SIZE_FLOOR_LINES)));
    }
  });

  it('normalises by the lines of the languages the area\'s rules read', () => {
    const pyOnly = [rule('performance/blocking-call-in-async', ['py'])];
    const open = findings('performance/blocking-call-in-async', 'medium', 3);
    const a = computeScores({ rules: pyOnly, findings: open, inventory: inventory({ python: 2_000, typescript: 0 }) });
    const b = computeScores({ rules: pyOnly, findings: open, inventory: inventory({ python: 2_000, typescript: 500_000 }) });
    expect(b.areas[2]).toEqual(a.areas[2]);
    expect(a.areas[2].reason).toContain('over 2.0 k python lines');
  });
});

describe('determinism', () => {
  it('the order of findings and rules does not matter (200 random cases)', () => {
    const random = prng(99);
    for (let run = 0; run < 200; run++) {
      const input = randomInput(random);
      const reordered = { ...input, findings: shuffled(random, input.findings), rules: shuffled(random, input.rules) };
      expect(JSON.stringify(computeScores(reordered))).toBe(JSON.stringify(computeScores(input)));
    }
  });
});

describe('measured areas', () => {
  it('lists every report area, in order, and scores only those a rule of which ran', () => {
    const scores = computeScores({ rules: [rule('database/n-plus-one', ['py'])], findings: [], inventory: inventory({ python: 1_000 }) });
    expect(scores.areas.map((a) => a.area)).toEqual([...SCORE_AREAS]);
    expect(scores.areas.filter((a) => a.score !== null).map((a) => a.area)).toEqual(['data']);
    expect(scores.areas.find((a) => a.area === 'security')!.reason).toBe('not measured: no rule of this area ran');
  });

  it('a finding never makes an area measured: its area stays "not measured" and outside the health score', () => {
    const rules = [rule('security/shell-injection')];
    const before = computeScores({ rules, findings: [], inventory: inventory({ python: 1_000 }) });
    const after = computeScores({ rules, findings: [finding('testing/no-tests', 'critical')], inventory: inventory({ python: 1_000 }) });
    const testing = after.areas.find((a) => a.area === 'testing')!;
    expect(testing).toMatchObject({ score: null, findings: 1, topCosts: [] });
    expect(testing.reason).toBe('not measured: no rule of this area ran; 1 finding not scored');
    expect(after.health).toBe(before.health);
  });

  it('an area whose rules had no code of their languages to read is not measured', () => {
    const scores = computeScores({ rules: [rule('performance/blocking-call-in-async', ['py'])], findings: [], inventory: inventory({ typescript: 4_000 }) });
    expect(scores.areas[2]).toMatchObject({ score: null, reason: 'not measured: its rule found no python lines to judge' });
    expect(scores.health).toBeNull();
  });

  it('with no rule at all nothing is measured and there is no health score', () => {
    const scores = computeScores({ rules: [], findings: [], inventory: inventory({ python: 1_000 }) });
    expect(scores.areas.every((a) => a.score === null)).toBe(true);
    expect(scores.health).toBeNull();
  });

  it('areas roll up: code-quality and consistency are Maintainability, database is Data', () => {
    const rules = [rule('code-quality/explicit-any', ['ts']), rule('consistency/naming', ['ts']), rule('database/n-plus-one', ['py'])];
    const scores = computeScores({
      rules,
      findings: [finding('code-quality/explicit-any', 'low'), finding('consistency/naming', 'low'), finding('database/n-plus-one', 'high')],
      inventory: inventory({ python: 1_000, typescript: 1_000 }),
    });
    expect(scores.areas.find((a) => a.area === 'maintainability')!.findings).toBe(2);
    expect(scores.areas.find((a) => a.area === 'data')!.findings).toBe(1);
  });
});
