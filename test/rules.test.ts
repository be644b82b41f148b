// The one generic rule test: every rule folder's fixtures must produce exactly the annotated
// findings, every claimed language needs 3+ true positives and 3+ look-alikes (TS/JS rules in
// JavaScript files too), and every
// documented example is executed (the bad one fires, the good one does not).
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/engine/catalog.js';
import { checkFixture, checkProjectFixture, listFixtureFiles, listProjectFixtures, runRuleOnSnippet, type FixtureOutcome } from '../src/engine/fixtures.js';

const catalog = await loadCatalog();

function describeOutcome(outcome: FixtureOutcome): string[] {
  return [
    ...outcome.missing.map((a) => `missing: ${outcome.file}:${a.line} expected ${a.ruleId}`),
    ...outcome.noisy.map((f) => `noisy: ${outcome.file}:${f.line} unexpected finding "${f.message}"`),
    ...outcome.wrongSeverity.map((w) => `severity: ${outcome.file}:${w.annotation.line} expected ${w.annotation.severity}, got ${w.finding.severity}`),
    ...outcome.promotable.map((a) => `promote: ${outcome.file}:${a.line} ${a.kind} ${a.ruleId} now passes; make it a plain expect/ok`),
    ...outcome.ruleErrors.map((reason) => `crash: ${outcome.file}: ${reason}`),
    ...outcome.wrongMeasurements.map((problem) => `measure: ${outcome.file}: ${problem}`),
  ];
}

/** Rules about TypeScript's type system alone (`any` has no JavaScript form): no JS fixtures required. */
const TYPESCRIPT_ONLY = new Set(['code-quality/explicit-any']);
const JS_FIXTURE = /\.(js|jsx|mjs|cjs)$/;

const EXAMPLE_PATH: Record<string, string> = {
  py: 'app/example.py',
  ts: 'src/example.ts',
  sql: 'db/schema.sql',
  compose: 'docker-compose.yml',
  docker: 'Dockerfile',
  env: '.env',
  text: 'config/example.yml',
};

it('the catalog is not empty', () => {
  expect(catalog.rules.length).toBeGreaterThanOrEqual(11);
});

for (const rule of catalog.rules) {
  describe(rule.meta.id, () => {
    const files = listFixtureFiles(rule);
    const outcomes = files.map((file) => checkFixture(rule, file));

    if (rule.meta.languages.includes('repo')) {
      // Repository rules are checked on small projects (fixtures/<project>/EXPECTED).
      it('has 3+ projects where it fires and 3+ where it must not, and behaves in each', async () => {
        const outcomes = await Promise.all(listProjectFixtures(rule).map((dir) => checkProjectFixture(rule, dir)));
        expect(outcomes.flatMap((o) => [...o.missing, ...o.noisy])).toEqual([]);
        expect(outcomes.reduce((n, o) => n + o.expects, 0), `${rule.meta.id}: expect lines in fixtures/*/EXPECTED`).toBeGreaterThanOrEqual(3);
        expect(outcomes.reduce((n, o) => n + o.oks, 0), `${rule.meta.id}: ok lines in fixtures/*/EXPECTED`).toBeGreaterThanOrEqual(3);
      });
      return;
    }

    it('has fixtures with 3+ true positives and 3+ look-alikes for every language it claims', () => {
      const families = rule.meta.languages.includes('any') ? ['any'] : rule.meta.languages;
      for (const family of families) {
        const relevant = outcomes.filter((o) => family === 'any' || o.family === family);
        const expects = relevant.flatMap((o) => o.annotations.filter((a) => a.kind === 'expect'));
        const oks = relevant.flatMap((o) => o.annotations.filter((a) => a.kind === 'ok'));
        expect(expects.length, `${rule.meta.id} [${family}]: expect annotations in fixtures/`).toBeGreaterThanOrEqual(3);
        expect(oks.length, `${rule.meta.id} [${family}]: ok annotations in fixtures/`).toBeGreaterThanOrEqual(3);
      }
      // TS/JS rules are checked on JavaScript files of their own as well (CommonJS, ESM, JSX).
      if (rule.meta.languages.includes('ts') && !TYPESCRIPT_ONLY.has(rule.meta.id)) {
        const js = outcomes.filter((o) => JS_FIXTURE.test(o.file));
        expect(js.flatMap((o) => o.annotations.filter((a) => a.kind === 'expect')).length, `${rule.meta.id} [js]: expect annotations in .js/.jsx/.mjs/.cjs fixtures`).toBeGreaterThanOrEqual(3);
        expect(js.flatMap((o) => o.annotations.filter((a) => a.kind === 'ok')).length, `${rule.meta.id} [js]: ok annotations in .js/.jsx/.mjs/.cjs fixtures`).toBeGreaterThanOrEqual(3);
      }
    });

    if (rule.meta.metrics?.length) {
      it('every declared metric is measured by at least two fixture files (measure: annotations)', () => {
        for (const metric of rule.meta.metrics ?? []) {
          const checked = outcomes.filter((o) => o.measureAnnotations.some((m) => m.metricId === metric.id));
          expect(checked.length, `${rule.meta.id}: fixtures with "measure: ${metric.id} …"`).toBeGreaterThanOrEqual(2);
        }
      });
    }

    for (const outcome of outcomes) {
      it(`fixture ${outcome.file}`, () => {
        expect(describeOutcome(outcome)).toEqual([]);
      });
    }

    it('documented examples are executed: the bad one fires, the good one does not', () => {
      for (const example of rule.meta.examples) {
        const path = EXAMPLE_PATH[example.language];
        expect(runRuleOnSnippet(rule, path, example.bad).length, `bad ${example.language} example`).toBeGreaterThan(0);
        expect(runRuleOnSnippet(rule, path, example.good), `good ${example.language} example`).toEqual([]);
      }
    });
  });
}
