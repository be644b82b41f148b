// Whether the audited repository is a server application (a web or bot framework that this code
// starts), for the repository rules that only make sense there: SQLite as the main store, backups,
// migrations, logging, metrics, error tracking. Libraries (the framework's own source, an
// extension, an adapter), CLIs and tiny trees are not servers. Facts are computed once per audit
// and shared by every repository rule (the files array is the same object for all of them).
import { isTestPath } from '../../discover/language.js';
import type { ProjectContext, ProjectFile } from '../../core/rule.js';

const CODE = new Set(['python', 'typescript', 'tsx', 'javascript']);
/** Fewer non-test source files than this is a demo or a snippet, not an application to operate. */
export const MIN_SOURCE_FILES = 3;
/** Files read to find where the server starts (framework evidence first, then conventional names). */
const MAX_ENTRY_READS = 40;

export interface ServerEntry {
  /** Framework name as the stack names it (FastAPI, Express, python-telegram-bot…). */
  framework: string;
  kind: 'web' | 'bot';
  path: string;
  line: number;
  /** Folder of the service's manifest ('' for the repository root): its dependencies are its own. */
  root: string;
}

export interface Located {
  path: string;
  line: number;
  text: string;
}

/** Where a framework's server or bot is built or started: the call that makes this code an application. */
const ENTRY_PATTERNS: { framework: RegExp; python?: RegExp; script?: RegExp }[] = [
  { framework: /^FastAPI$/, python: /\bFastAPI\s*\(/ },
  { framework: /^Starlette$/, python: /\bStarlette\s*\(/ },
  { framework: /^Flask$/, python: /\bFlask\s*\(\s*(__name__|['"])/ },
  { framework: /^aiohttp$/, python: /\bweb\.Application\s*\(/ },
  { framework: /^python-telegram-bot$/, python: /\bApplication\.builder\s*\(\)|\bUpdater\s*\(/ },
  { framework: /^aiogram$/, python: /\bDispatcher\s*\(/ },
  { framework: /^discord\.py$/, python: /\b(commands\.Bot|discord\.Client|commands\.AutoShardedBot)\s*\(/ },
  { framework: /^Express$/, script: /\bexpress\s*\(\s*\)/ },
  { framework: /^Fastify$/, script: /\b[Ff]astify\s*\(\s*(\{|\))/ },
  { framework: /^Koa$/, script: /\bnew\s+Koa\s*\(/ },
  { framework: /^NestJS$/, script: /\bNestFactory\.create\s*\(/ },
  { framework: /^Telegraf$/, script: /\bnew\s+(Telegraf|Bot|TelegramBot)\s*\(/ },
  { framework: /^discord\.js$/, script: /\bnew\s+Client\s*\(\s*\{\s*intents/ },
];

/** Django starts from manage.py / wsgi.py / asgi.py pointing at a settings module. */
const DJANGO_ENTRY = /DJANGO_SETTINGS_MODULE/;
const DJANGO_ENTRY_FILE = /(^|\/)(manage|wsgi|asgi)\.py$/;
/** Conventional names of the file that starts a service. */
const ENTRY_NAME = /(^|\/)(main|app|server|index|bot|wsgi|asgi|manage|application|__main__|run)\.(py|[cm]?[jt]sx?)$/;

interface Facts {
  sourceFiles: ProjectFile[];
  servers?: ServerEntry[];
  texts: Map<string, string | undefined>;
}

const factsByFiles = new WeakMap<readonly ProjectFile[], Facts>();

function factsOf(context: ProjectContext): Facts {
  let facts = factsByFiles.get(context.files);
  if (!facts) {
    facts = { sourceFiles: context.files.filter((file) => file.language && CODE.has(file.language) && !isTestPath(file.path)), texts: new Map() };
    factsByFiles.set(context.files, facts);
  }
  return facts;
}

/** A file's text, read once per audit whichever rule asks first. */
export function textOf(context: ProjectContext, path: string): string | undefined {
  const facts = factsOf(context);
  if (!facts.texts.has(path)) facts.texts.set(path, context.read(path));
  return facts.texts.get(path);
}

/** Non-test Python and TypeScript/JavaScript files. */
export function sourceFilesOf(context: ProjectContext): readonly ProjectFile[] {
  return factsOf(context).sourceFiles;
}

export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The first match of a pattern in a file, with its line and the matched text. */
export function findIn(context: ProjectContext, path: string, pattern: RegExp): Located | undefined {
  const text = textOf(context, path);
  if (text === undefined) return undefined;
  const match = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(text);
  return match ? { path, line: lineOfOffset(text, match.index), text: match[0] } : undefined;
}

/**
 * Whether an offset lies in a docstring or comment: a usage example (`app = Flask(__name__)` in a
 * library's docstring) builds nothing.
 */
function inDocumentation(text: string, offset: number, python: boolean): boolean {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  if (python) {
    if (/^\s*#/.test(before.slice(lineStart))) return true;
    return ((before.match(/"""/g)?.length ?? 0) + (before.match(/'''/g)?.length ?? 0)) % 2 === 1;
  }
  if (/^\s*(\/\/|\*)/.test(before.slice(lineStart))) return true;
  return before.lastIndexOf('/*') > before.lastIndexOf('*/');
}

/** The first match of a pattern in a file's code (docstrings and comments skipped). */
export function findInCode(context: ProjectContext, path: string, pattern: RegExp): Located | undefined {
  const text = textOf(context, path);
  if (text === undefined) return undefined;
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  for (const match of text.matchAll(global)) {
    if (!inDocumentation(text, match.index, isPython(path))) return { path, line: lineOfOffset(text, match.index), text: match[0] };
  }
  return undefined;
}

export function hasStack(context: ProjectContext, names: readonly string[]): string | undefined {
  return context.stack.find((entry) => names.includes(entry.name))?.name;
}

const isPython = (path: string) => path.endsWith('.py');

/** The root is itself a Python package or a published npm package: a library, whatever it imports. */
function isLibraryRoot(context: ProjectContext): boolean {
  if (context.exists('__init__.py')) return true;
  const manifest = textOf(context, 'package.json');
  if (!manifest) return false;
  try {
    const json = JSON.parse(manifest) as Record<string, unknown>;
    if (json.private === true) return false;
    return ['exports', 'module', 'types', 'typings', 'bin', 'files', 'publishConfig'].some((key) => key in json);
  } catch {
    return false;
  }
}

const SERVICE_MANIFESTS = ['package.json', 'pyproject.toml', 'requirements.txt', 'Pipfile', 'setup.py', 'setup.cfg'];

/** The folder of the nearest manifest above a file: the service it belongs to in a monorepo ('' = the root). */
function serviceRootOf(context: ProjectContext, path: string): string {
  let folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  while (folder) {
    if (SERVICE_MANIFESTS.some((name) => context.exists(`${folder}/${name}`))) return folder;
    folder = folder.includes('/') ? folder.slice(0, folder.lastIndexOf('/')) : '';
  }
  return '';
}

function entryIn(context: ProjectContext, path: string, frameworks: readonly { name: string; category: string }[]): Omit<ServerEntry, 'root'> | undefined {
  for (const framework of frameworks) {
    const kind = framework.category === 'bot-framework' ? 'bot' : 'web';
    if (framework.name === 'Django') {
      if (!DJANGO_ENTRY_FILE.test(path)) continue;
      const found = findIn(context, path, DJANGO_ENTRY);
      if (found) return { framework: 'Django', kind, path, line: found.line };
      continue;
    }
    const pattern = ENTRY_PATTERNS.find((entry) => entry.framework.test(framework.name));
    const regex = isPython(path) ? pattern?.python : pattern?.script;
    if (!regex) continue;
    const found = findInCode(context, path, regex);
    if (found) return { framework: framework.name, kind, path, line: found.line };
  }
  return undefined;
}

function findEntries(context: ProjectContext): ServerEntry[] {
  const sources = sourceFilesOf(context);
  if (sources.length < MIN_SOURCE_FILES || isLibraryRoot(context)) return [];
  const frameworks = context.stack.filter((entry) => entry.category === 'web-framework' || entry.category === 'bot-framework');
  if (frameworks.length === 0) return [];
  const sourcePaths = new Set(sources.map((file) => file.path));
  const candidates: string[] = [];
  const add = (path: string) => {
    if (sourcePaths.has(path) && !candidates.includes(path) && !/(^|\/)(scripts?|examples?|docs?|bin|cli)\//.test(path)) candidates.push(path);
  };
  for (const framework of frameworks) for (const path of framework.evidence ?? []) add(path);
  for (const file of sources) if (ENTRY_NAME.test(file.path)) add(file.path);
  const byRoot = new Map<string, ServerEntry>();
  for (const path of candidates.slice(0, MAX_ENTRY_READS)) {
    const entry = entryIn(context, path, frameworks);
    if (!entry) continue;
    const root = serviceRootOf(context, path);
    if (!byRoot.has(root)) byRoot.set(root, { ...entry, root });
  }
  const next = nextJsEntry(context, frameworks);
  if (next && !byRoot.has(next.root)) byRoot.set(next.root, next);
  return [...byRoot.values()].sort((a, b) => a.root.localeCompare(b.root));
}

/** A Next.js application is started by `next start` from its package.json scripts. */
function nextJsEntry(context: ProjectContext, frameworks: readonly { name: string; evidence?: readonly string[] }[]): ServerEntry | undefined {
  const next = frameworks.find((entry) => entry.name === 'Next.js');
  for (const path of next?.evidence ?? []) {
    if (!path.endsWith('package.json')) continue;
    const found = findIn(context, path, /"[^"]*"\s*:\s*"[^"]*\bnext start\b/);
    if (found) return { framework: 'Next.js', kind: 'web', path, line: found.line, root: path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '' };
  }
  return undefined;
}

/**
 * The servers this repository runs (one per service folder), empty for libraries, CLIs and tiny
 * trees: a web or bot framework from the stack AND the place in non-test code that builds or
 * starts it.
 */
export function serverAppsOf(context: ProjectContext): ServerEntry[] {
  const facts = factsOf(context);
  facts.servers ??= findEntries(context);
  return facts.servers;
}

/** Whether a path belongs to a service (its folder, or anywhere for a service at the root). */
export function inService(server: ServerEntry, path: string): boolean {
  return server.root === '' || path.startsWith(`${server.root}/`);
}

/**
 * A manifest in a folder above the service, of the service's own ecosystem: the root package.json
 * of a workspace declares dependencies for every package under it (a Python service is not
 * covered by the frontend's package.json, nor the reverse).
 */
function coversService(server: ServerEntry, path: string): boolean {
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  if (!(folder === '' || server.root.startsWith(`${folder}/`))) return false;
  const name = path.slice(path.lastIndexOf('/') + 1);
  return isPython(server.path) ? /^(requirements[^/]*\.txt|pyproject\.toml|Pipfile|setup\.(py|cfg))$/.test(name) : name === 'package.json';
}

/** The first stack entry among `names` with evidence inside the service (or a manifest above it covering it). */
export function serviceUses(context: ProjectContext, server: ServerEntry, names: readonly string[]): string | undefined {
  // Evidence lists stop at a few files: a full list that names none of this service's files
  // cannot rule it out, so it counts (an unprovable absence is not reported).
  const used = (evidence: readonly string[]) => evidence.some((path) => inService(server, path) || coversService(server, path)) || evidence.length >= 6;
  return context.stack.find((entry) => names.includes(entry.name) && used(entry.evidence ?? []))?.name;
}

export function describeServer(server: ServerEntry): string {
  return `${server.framework} ${server.kind === 'bot' ? 'bot' : 'server'} (${server.path}:${server.line})`;
}

/** Non-test source files whose path matches, at most `limit` of them (the bound keeps big trees cheap). */
export function sourcesNamed(context: ProjectContext, name: RegExp, limit = 80): string[] {
  return sourceFilesOf(context)
    .filter((file) => name.test(file.path))
    .slice(0, limit)
    .map((file) => file.path);
}

/** The first match of a pattern among files, in order. */
export function findFirst(context: ProjectContext, paths: readonly string[], pattern: RegExp): Located | undefined {
  for (const path of paths) {
    const found = findIn(context, path, pattern);
    if (found) return found;
  }
  return undefined;
}

/** Where a service sets itself up: entry, app, settings, config, logging, middleware and route modules. */
const SETUP_MODULE =
  /(^|\/)(main|app|server|index|bot|application|wsgi|asgi|settings|config|conf|setup|bootstrap|instrument\w*|telemetry|monitoring|observability|sentry|tracing|metrics|alerts?|notif\w*|errors?|exceptions?|middlewares?|log\w*|routes?|routers?|urls|api|health)(\.[\w-]+)?\.(py|[cm]?[jt]sx?)$|(^|\/)(settings|config|middlewares?|routes|routers|api|utils|core|lib|common)\/[^/]+\.(py|[cm]?[jt]s)$/;
const MAX_SETUP_FILES = 60;

/** A service's setup modules (bounded), its entry first: where logging, metrics and error reporting are wired. */
export function serviceSetupFiles(context: ProjectContext, server: ServerEntry): string[] {
  const paths = [server.path];
  for (const file of sourceFilesOf(context)) {
    if (paths.length >= MAX_SETUP_FILES) break;
    if (inService(server, file.path) && SETUP_MODULE.test(file.path) && !paths.includes(file.path) && !/(^|\/)(scripts?|examples?|docs?|migrations?|alembic)\//.test(file.path)) paths.push(file.path);
  }
  return paths;
}

/** `backend/` for a service in a folder, empty at the root: how messages name the service's place. */
export function serviceLabel(server: ServerEntry): string {
  return server.root ? ` in \`${server.root}/\`` : '';
}
