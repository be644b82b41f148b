// Architecture section: the detected stack, the components, a Mermaid map of the components by
// top folder, and the communication patterns the stack shows. Only what the inventory holds.
import type { AuditResult, ComposeServiceSummary, Component, StackItem } from '../../core/audit-result.js';
import { formatNumber, plural } from '../format.js';
import { NOT_MEASURED, table } from './blocks.js';

const CATEGORY_TITLE: Record<string, string> = {
  'web-framework': 'Web frameworks',
  frontend: 'Frontend',
  orm: 'ORMs and migrations',
  'database-driver': 'Databases',
  cache: 'Caches',
  'task-queue': 'Queues and background jobs',
  'llm-sdk': 'LLM SDKs',
  'bot-framework': 'Bot frameworks',
  'web-server': 'Web servers',
  'http-client': 'HTTP clients',
  resilience: 'Retries and circuit breakers',
  observability: 'Logging, tracing and monitoring',
  'test-framework': 'Test frameworks',
};

/** Languages Probity parses, as opposed to the other text files it counts. */
const SOURCE_LANGUAGES = new Set(['python', 'typescript', 'tsx', 'javascript']);

/**
 * Communication patterns and the stack categories that show them. `detected: false` marks
 * categories the stack detector has no signatures for yet (src/discover/stack.ts): their absence
 * from the stack proves nothing, so the report says "not measured" instead of "missing".
 */
const PATTERNS: { pattern: string; categories: string[]; detected: boolean; unmeasured?: string }[] = [
  { pattern: 'Outbound HTTP calls', categories: ['http-client'], detected: true },
  { pattern: 'Cache', categories: ['cache'], detected: true },
  { pattern: 'Queues and background jobs', categories: ['task-queue'], detected: true },
  { pattern: 'LLM API calls', categories: ['llm-sdk'], detected: true },
  { pattern: 'Retries and circuit breakers', categories: ['resilience'], detected: true },
  { pattern: 'Logging, tracing, metrics and error tracking', categories: ['observability'], detected: true },
  { pattern: 'Timeouts on outbound calls', categories: [], detected: false, unmeasured: 'needs call-site facts' },
  { pattern: 'Correlation ids', categories: [], detected: false, unmeasured: 'needs cross-file facts' },
];

function evidenceOf(items: StackItem[]): string {
  const files = [...new Set(items.flatMap((item) => item.evidence))];
  return files.slice(0, 3).join(', ') + (files.length > 3 ? ` (+${files.length - 3} more)` : '');
}

function stackSection(result: AuditResult): string[] {
  const { inventory } = result;
  const languages = Object.entries(inventory.languages)
    .filter(([language]) => SOURCE_LANGUAGES.has(language))
    .sort((a, b) => b[1].codeLines - a[1].codeLines)
    .map(([language, stats]) => `${language} (${formatNumber(stats.codeLines)} code lines)`);
  const rows: string[][] = [['Languages', languages.join(', ') || 'none parsed', 'file extensions']];
  const byCategory = new Map<string, StackItem[]>();
  for (const item of inventory.stack) byCategory.set(item.category, [...(byCategory.get(item.category) ?? []), item]);
  for (const [category, items] of byCategory) {
    rows.push([CATEGORY_TITLE[category] ?? category, items.map((i) => i.name).join(', '), evidenceOf(items)]);
  }
  return ['### Stack', '', ...table(['Category', 'Detected', 'Evidence'], rows), ''];
}

function componentsSection(components: readonly Component[]): string[] {
  if (!components.length) return ['### Components', '', 'No components detected.', ''];
  const rows = components.map((c) => [
    `\`${c.path}\``,
    c.role,
    c.files,
    formatNumber(c.codeLines),
    Object.keys(c.languages).join(', '),
    c.largestFiles[0] ? `${c.largestFiles[0].path} (${formatNumber(c.largestFiles[0].codeLines)})` : '',
  ]);
  return ['### Components', '', ...table(['Folder', 'Role', 'Files', 'Code lines', 'Languages', 'Largest file (code lines)'], rows), ''];
}

/** Mermaid labels are quoted strings: a double quote inside one must be an entity. */
function label(text: string): string {
  return `"${text.replace(/"/g, '#quot;')}"`;
}

function topFolder(path: string): string {
  return path === '.' ? '(root)' : path.split('/')[0];
}

function componentMap(components: readonly Component[]): string[] {
  if (!components.length) return [];
  const groups = new Map<string, Component[]>();
  for (const component of components) {
    const top = topFolder(component.path);
    groups.set(top, [...(groups.get(top) ?? []), component]);
  }
  const lines = ['```mermaid', 'flowchart LR'];
  let node = 0;
  [...groups].forEach(([top, members], g) => {
    lines.push(`  subgraph g${g}[${label(top)}]`);
    for (const c of members) {
      const name = c.path === '.' ? '(root files)' : c.path;
      lines.push(`    c${node++}[${label(`${name} · ${c.role} · ${plural(c.files, 'file')}, ${formatNumber(c.codeLines)} lines`)}]`);
    }
    lines.push('  end');
  });
  lines.push('```');
  return [
    '### Component map',
    '',
    'Components grouped by top-level folder. Dependencies between components: not measured (needs the import graph).',
    '',
    ...lines,
    '',
  ];
}

function patternsSection(stack: readonly StackItem[]): string[] {
  const rows = PATTERNS.map(({ pattern, categories, detected, unmeasured }) => {
    const items = stack.filter((item) => categories.includes(item.category));
    if (items.length) return [pattern, `present: ${items.map((i) => i.name).join(', ')}`, evidenceOf(items)];
    if (detected) return [pattern, 'none detected', 'no matching dependency or import'];
    return [pattern, NOT_MEASURED, unmeasured ?? ''];
  });
  return ['### Communication patterns', '', ...table(['Pattern', 'Status', 'Evidence'], rows), ''];
}

/** The docker-compose services and what each depends on, as a table and a Mermaid graph. */
function servicesSection(services: readonly ComposeServiceSummary[]): string[] {
  if (!services.length) return ['### Services', '', 'No docker-compose file in the tree.', ''];
  const rows = services.map((s) => [
    `\`${s.name}\``,
    s.image ? `\`${s.image}\`` : s.build ? `built from \`${s.build}\`` : '—',
    s.ports.length ? s.ports.map((p) => `\`${p}\``).join(', ') : 'none',
    s.dependsOn.length ? s.dependsOn.map((d) => `\`${d}\``).join(', ') : '—',
    s.volumes.length ? String(s.volumes.length) : '—',
    s.file,
  ]);
  const ids = new Map(services.map((s, i) => [`${s.file}#${s.name}`, `s${i}`]));
  const graph = ['```mermaid', 'flowchart LR'];
  services.forEach((s, i) => graph.push(`  s${i}[${label(`${s.name}${s.ports.length ? ` · ${s.ports.join(', ')}` : ''}`)}]`));
  for (const s of services) {
    for (const target of s.dependsOn) {
      const to = ids.get(`${s.file}#${target}`);
      if (to) graph.push(`  ${ids.get(`${s.file}#${s.name}`)} --> ${to}`);
    }
  }
  graph.push('```');
  return [
    '### Services',
    '',
    ...table(['Service', 'Image', 'Published ports', 'Depends on', 'Volumes', 'Compose file'], rows),
    '',
    ...graph,
    '',
  ];
}

export function architectureSection(result: AuditResult): string[] {
  const components = result.inventory.components ?? [];
  return [
    '## Architecture',
    '',
    ...stackSection(result),
    ...componentsSection(components),
    ...componentMap(components),
    ...servicesSection(result.inventory.services ?? []),
    ...patternsSection(result.inventory.stack),
    'Import cycles: not measured.',
    '',
  ];
}
