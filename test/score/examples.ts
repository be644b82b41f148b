// The worked examples of docs/scoring.md, computed by the real formula and rendered as the
// Markdown tables the doc carries (examples.test.ts fails when the doc and the code disagree).
import type { AreaScore } from '../../src/core/audit-result.js';
import type { Finding, Severity } from '../../src/core/types.js';
import { sizeFactor } from '../../src/score/formula.js';
import { computeScores, type ScoreInput } from '../../src/score/scores.js';
import { findings, inventory, rule, type TestRule } from './build.js';

interface Example {
  label: string;
  input: ScoreInput;
}

const SECURITY = ['security/shell-injection', 'security/insecure-default-secret', 'security/cors-permissive'].map((id) => rule(id));
const ANY = [rule('code-quality/explicit-any', ['ts'])];

function security(label: string, lines: number, open: Finding[]): Example {
  return { label, input: { rules: SECURITY, findings: open, inventory: inventory({ python: lines }) } };
}

function severity(count: number, level: Severity, id = 'security/shell-injection'): Finding[] {
  return findings(id, level, count);
}

export const SINGLE_AREA_EXAMPLES: Example[] = [
  security('1 Critical', 1_000, severity(1, 'critical')),
  security('1 Critical', 100_000, severity(1, 'critical')),
  security('1 High', 500, severity(1, 'high')),
  security('1 High', 1_000, severity(1, 'high')),
  security('1 High', 10_000, severity(1, 'high')),
  security('1 High', 100_000, severity(1, 'high')),
  security('3 High, one rule', 10_000, severity(3, 'high')),
  security('3 High, three rules', 10_000, [
    ...severity(1, 'high'),
    ...severity(1, 'high', 'security/insecure-default-secret'),
    ...severity(1, 'high', 'security/cors-permissive'),
  ]),
  security('6 High, three rules', 2_000, [
    ...severity(2, 'high'),
    ...severity(2, 'high', 'security/insecure-default-secret'),
    ...severity(2, 'high', 'security/cors-permissive'),
  ]),
  security('1 Medium', 2_000, severity(1, 'medium')),
  { label: '10 Low `explicit-any`', input: { rules: ANY, findings: findings('code-quality/explicit-any', 'low', 10), inventory: inventory({ typescript: 10_000 }) } },
  { label: '200 Low `explicit-any`', input: { rules: ANY, findings: findings('code-quality/explicit-any', 'low', 200), inventory: inventory({ typescript: 10_000 }) } },
];

/** The rules and open findings of examples/shop-platform as audited by Probity 0.1.0. */
export const SHOP_PLATFORM: ScoreInput = {
  rules: [
    rule('code-quality/explicit-any', ['ts']),
    rule('code-quality/print-statement', ['py', 'ts']),
    rule('code-quality/trailing-whitespace', ['any']),
    rule('performance/blocking-call-in-async', ['py']),
    rule('performance/connection-pool-disabled', ['py']),
    rule('reliability/broad-exception', ['py', 'ts']),
    rule('reliability/silent-exception', ['py', 'ts']),
    rule('security/cors-credentials-wildcard', ['py', 'ts']),
    rule('security/cors-permissive', ['py', 'ts']),
    rule('security/insecure-default-secret', ['py', 'ts']),
    rule('security/shell-injection', ['py', 'ts']),
  ] satisfies TestRule[],
  findings: [
    ...findings('reliability/silent-exception', 'critical', 1),
    ...findings('reliability/silent-exception', 'high', 3),
    ...findings('reliability/silent-exception', 'low', 1),
    ...findings('reliability/broad-exception', 'low', 5),
    ...findings('security/insecure-default-secret', 'high', 4),
    ...findings('security/cors-credentials-wildcard', 'high', 2),
    ...findings('security/shell-injection', 'high', 3),
    ...findings('security/shell-injection', 'medium', 1),
    ...findings('security/cors-permissive', 'medium', 2),
    ...findings('performance/blocking-call-in-async', 'high', 4),
    ...findings('performance/connection-pool-disabled', 'high', 1),
    ...findings('code-quality/trailing-whitespace', 'low', 5),
    ...findings('code-quality/print-statement', 'low', 4),
    ...findings('code-quality/explicit-any', 'low', 6),
  ],
  inventory: inventory({ python: 737, typescript: 552, yaml: 66, json: 43, ini: 27, dotenv: 22, dockerfile: 17, text: 15 }),
};

function lost(area: AreaScore): string {
  return area.topCosts.reduce((sum, cost) => sum + cost.points, 0).toFixed(1);
}

function capOf(area: AreaScore): string {
  return area.cap ? `${area.cap.max} (${area.cap.severity})` : '—';
}

/** The two tables of docs/scoring.md's "Worked examples". */
export function renderExamples(): string {
  const rows = SINGLE_AREA_EXAMPLES.map(({ label, input }) => {
    const scores = computeScores(input);
    const area = scores.areas.find((a) => a.score !== null)!;
    const lines = input.inventory.codeLines;
    return `| ${label} | ${lines.toLocaleString('en-US')} | ${sizeFactor(lines).toFixed(2)} | ${lost(area)} | ${capOf(area)} | **${area.score}** |`;
  });
  const shop = computeScores(SHOP_PLATFORM);
  const shopRows = shop.areas
    .filter((area) => area.score !== null)
    .map((area) => `| ${area.area} | ${area.findings} | ${area.topCosts.map((c) => `${c.ruleId} ×${c.occurrences}: ${c.points.toFixed(1)}`).join('; ')} | ${lost(area)} | ${capOf(area)} | **${area.score}** |`);
  return [
    '| Open findings (one area) | Code lines | Size factor | Points lost | Cap | Score |',
    '|---|--:|--:|--:|---|--:|',
    ...rows,
    '',
    `examples/shop-platform (Probity 0.1.0's rules): System Health Score **${shop.health}**.`,
    '',
    '| Area | Findings | Points per rule | Points lost | Cap | Score |',
    '|---|--:|---|--:|---|--:|',
    ...shopRows,
  ].join('\n');
}
