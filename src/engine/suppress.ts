// Inline suppressions: `probity-ignore[<id>]: <reason>` on the finding's line or the line
// before, and Bandit's `# nosec [Bxxx]` on the finding's line. A suppression must say why:
// one without a reason hides nothing and is reported, as Biome does.
import ignore from 'ignore';
import type { ProbityConfig } from '../config/schema.js';
import type { CompiledRule } from '../core/rule.js';
import type { Diagnostic, Finding, SuppressedFinding } from '../core/types.js';

const PROBITY_IGNORE = /probity-ignore\[([^\]]*)\](?::\s*(.*?))?\s*(?:\*\/|-->)?\s*$/;
const NOSEC = /#\s*nosec\b(?:[:\s]+((?:B\d{3}[\s,]*)+))?(.*)$/i;

interface InlineIgnore {
  ids: string[];
  reason: string;
}

function parseProbityIgnore(line: string): InlineIgnore | undefined {
  const match = PROBITY_IGNORE.exec(line);
  if (!match) return undefined;
  const ids = match[1].split(',').map((id) => id.trim()).filter(Boolean);
  return { ids, reason: (match[2] ?? '').trim() };
}

function parseNosec(line: string): { ids: string[]; reason: string } | undefined {
  const match = NOSEC.exec(line);
  if (!match) return undefined;
  const ids = (match[1] ?? '').split(/[\s,]+/).filter(Boolean).map((id) => id.toUpperCase());
  const reason = (match[2] ?? '').replace(/^[\s\-:#]+/, '').trim();
  return { ids, reason };
}

function matchesId(ids: string[], ruleId: string): boolean {
  return ids.some((id) => id === ruleId || id === '*' || (id.endsWith('/*') && ruleId.startsWith(id.slice(0, -1))));
}

export function applyInlineSuppressions(
  findings: Finding[],
  lines: readonly string[],
  rules: readonly CompiledRule[],
): { kept: Finding[]; suppressed: SuppressedFinding[]; diagnostics: Omit<Diagnostic, 'file'>[] } {
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const diagnostics: Omit<Diagnostic, 'file'>[] = [];
  const warned = new Set<number>();
  const metaOf = new Map(rules.map((rule) => [rule.meta.id, rule.meta]));
  for (const finding of findings) {
    let hidden: SuppressedFinding['suppression'] | undefined;
    for (const lineNo of [finding.line, finding.line - 1]) {
      const ignore = lineNo >= 1 ? parseProbityIgnore(lines[lineNo - 1] ?? '') : undefined;
      if (!ignore || !matchesId(ignore.ids, finding.ruleId)) continue;
      if (!ignore.reason) {
        if (!warned.has(lineNo)) {
          warned.add(lineNo);
          diagnostics.push({ kind: 'suppression', line: lineNo, reason: `probity-ignore[${ignore.ids.join(',')}] without a reason is not honoured; write "probity-ignore[id]: why"` });
        }
        continue;
      }
      hidden = { kind: 'inline', reason: ignore.reason };
      break;
    }
    if (!hidden) {
      const meta = metaOf.get(finding.ruleId);
      const nosec = parseNosec(lines[finding.line - 1] ?? '');
      const eligible = meta && (meta.area === 'security' || meta.area === 'reliability');
      if (nosec && eligible && (nosec.ids.length === 0 || nosec.ids.some((id) => meta.nosec?.includes(id)))) {
        hidden = { kind: 'nosec', reason: nosec.reason || `# nosec${nosec.ids.length ? ` ${nosec.ids.join(',')}` : ''}` };
      }
    }
    if (hidden) suppressed.push({ ...finding, suppression: hidden });
    else kept.push(finding);
  }
  return { kept, suppressed, diagnostics };
}

/**
 * Config `rules.<id>.ignore` patterns: the rule still runs, but its findings in matching files
 * are suppressed with the configured reason, so reports can list what was accepted and why.
 */
export function applyConfigIgnores(findings: Finding[], config: ProbityConfig): { kept: Finding[]; suppressed: SuppressedFinding[] } {
  const matchers = new Map<string, { matches: (path: string) => boolean; reason: string }>();
  for (const [id, setting] of Object.entries(config.rules ?? {})) {
    if (typeof setting !== 'object' || !setting.ignore?.length) continue;
    const matcher = ignore().add(setting.ignore);
    matchers.set(id, {
      matches: (path) => matcher.ignores(path),
      reason: setting.reason ?? `rules["${id}"].ignore: ${setting.ignore.join(', ')}`,
    });
  }
  if (matchers.size === 0) return { kept: findings, suppressed: [] };
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const rule = matchers.get(finding.ruleId);
    if (rule?.matches(finding.file)) suppressed.push({ ...finding, suppression: { kind: 'config', reason: rule.reason } });
    else kept.push(finding);
  }
  return { kept, suppressed };
}
