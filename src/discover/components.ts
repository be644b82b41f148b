// Groups the audited files into components by the role their folder (or file) plays, after seed
// 000's parts: models, repositories, migrations, routes, handlers, services, cache, config,
// tools, middleware, frontend, scripts, tests, infra. Paths only: no parsing, no guessing beyond
// the names people give their folders.
import type { Component, ComponentRole } from '../core/audit-result.js';
import { isTestPath } from './language.js';

export interface InventoriedFile {
  path: string;
  /** Inventory language: python, typescript, tsx, javascript, yaml, dockerfile… */
  language: string;
  codeLines: number;
}

/** Folder names (one path segment) and the role they announce; first match from the file upward wins. */
const FOLDER_ROLES: [RegExp, ComponentRole][] = [
  [/^(tests?|__tests__|specs?|e2e|testing)$/, 'tests'],
  [/^(migrations?|alembic|versions)$/, 'migrations'],
  [/^(models?|entities|entity|schemas?|orm)$/, 'models'],
  [/^(repositories|repository|repos?|dao|crud|stores?|queries)$/, 'repositories'],
  [/^(routes?|routers?|api|apis|endpoints?|controllers?|views?|resolvers?)$/, 'routes'],
  [/^(handlers?|commands|cogs|bot|bots|consumers?|listeners?|jobs|tasks|workers?|pipeline)$/, 'handlers'],
  [/^(services?|usecases?|use_cases|domain|core|logic|engine)$/, 'services'],
  [/^(cache|caching|redis)$/, 'cache'],
  [/^(config|configs|settings|conf)$/, 'config'],
  [/^(middlewares?)$/, 'middleware'],
  [/^(tools?|utils?|helpers?|lib|libs|common|shared)$/, 'tools'],
  [/^(components|hooks|pages|screens|layouts|contexts|frontend|client|web|ui)$/, 'frontend'],
  [/^(scripts?|bin|cli|management)$/, 'scripts'],
  [/^(infra|infrastructure|deploy|deployment|k8s|kubernetes|helm|terraform|docker|ops|\.github)$/, 'infra'],
];

/** File names that announce a role on their own (`models.py`, `settings.py`, `docker-compose.yml`). */
const FILE_ROLES: [RegExp, ComponentRole][] = [
  [/^(models?|entities|schemas?)\.(py|[cm]?[jt]s)$/, 'models'],
  [/^(routes?|views?|urls|api|endpoints)\.(py|[cm]?[jt]s)$/, 'routes'],
  [/^(handlers?|commands|tasks)\.(py|[cm]?[jt]s)$/, 'handlers'],
  [/^(config|settings|conf)\.(py|[cm]?[jt]s)$/, 'config'],
  [/^(cache)\.(py|[cm]?[jt]s)$/, 'cache'],
  [/^(middlewares?)\.(py|[cm]?[jt]s)$/, 'middleware'],
  [/^(Dockerfile.*|(docker-)?compose.*\.ya?ml|Procfile|Makefile|.*\.tf)$/, 'infra'],
];

const LARGEST_FILES = 5;

interface Placement {
  path: string;
  role: ComponentRole;
}

/** Where a file belongs: the nearest folder (from the file upward) or the file name that names a role. */
export function placeFile(path: string, language: string): Placement {
  const parts = path.split('/');
  const name = parts[parts.length - 1];
  if (isTestPath(path)) {
    const index = parts.findIndex((part) => /^(tests?|__tests__|specs?|e2e)$/.test(part));
    return { path: index >= 0 ? parts.slice(0, index + 1).join('/') : parts.slice(0, -1).join('/') || '.', role: 'tests' };
  }
  for (const [pattern, role] of FILE_ROLES) {
    // Infrastructure files belong together with their folder; a models.py or settings.py is a part of its own.
    if (pattern.test(name)) return { path: role === 'infra' ? parts.slice(0, -1).join('/') || '.' : path, role };
  }
  const roleOf = (segment: string) => FOLDER_ROLES.find(([pattern]) => pattern.test(segment))?.[1];
  for (let i = parts.length - 2; i >= 0; i--) {
    const role = roleOf(parts[i]);
    if (!role) continue;
    // alembic/versions/x.py: migrations are one part, named by their outermost folder. Other roles
    // keep the nearest folder, so bot/telegram/handlers and bot/pipeline stay separate parts.
    let outer = i;
    if (role === 'migrations') for (let j = i - 1; j >= 0; j--) if (roleOf(parts[j]) === role) outer = j;
    return { path: parts.slice(0, outer + 1).join('/'), role };
  }
  if (language === 'tsx' || name.endsWith('.jsx')) return { path: parts.slice(0, -1).join('/') || '.', role: 'frontend' };
  // No role in the name: the file's top-level folder (or the root) holds it.
  return { path: parts.length > 2 ? parts.slice(0, 2).join('/') : parts.length === 2 ? parts[0] : '.', role: 'other' };
}

export function detectComponents(files: readonly InventoriedFile[]): Component[] {
  const byKey = new Map<string, Component & { all: { path: string; codeLines: number }[] }>();
  for (const file of files) {
    const { path, role } = placeFile(file.path, file.language);
    const key = `${role}\u0000${path}`;
    let component = byKey.get(key);
    if (!component) {
      component = { name: path, path, role, files: 0, codeLines: 0, languages: {}, largestFiles: [], all: [] };
      byKey.set(key, component);
    }
    component.files++;
    component.codeLines += file.codeLines;
    component.languages[file.language] = (component.languages[file.language] ?? 0) + file.codeLines;
    component.all.push({ path: file.path, codeLines: file.codeLines });
  }
  return [...byKey.values()]
    .map(({ all, ...component }) => ({
      ...component,
      largestFiles: all.sort((a, b) => b.codeLines - a.codeLines || a.path.localeCompare(b.path)).slice(0, LARGEST_FILES),
    }))
    .sort((a, b) => a.path.localeCompare(b.path) || a.role.localeCompare(b.role));
}
