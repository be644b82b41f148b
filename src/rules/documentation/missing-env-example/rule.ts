import { defineRule, type ProjectContext } from '../../../core/rule.js';
import { isTestPath } from '../../../discover/language.js';
import { componentFolders, componentOf, describeFolder, foldersUp, inFolder, listSome } from '../../_shared/project-tests.js';
import { javascriptEnvReads, pythonEnvReads, READS_ENVIRONMENT, type EnvRead } from './env-reads.js';

/** Files of an env template, by the names people give them (first found in a folder is the one reported). */
const TEMPLATE_NAMES = ['.env.example', '.env.sample', '.env.template', '.env.dist', '.env.defaults', '.env.local.example', '.env.example.local', 'example.env', 'sample.env', 'env.example', 'env.sample', '.env.development.example'];
/** Prose that documents configuration: READMEs and the usual configuration pages. */
const DOC_NAMES = ['README.md', 'README.rst', 'README.txt', 'README', 'CONFIGURATION.md', 'docs/configuration.md', 'docs/config.md', 'docs/environment.md', 'docs/env.md', 'docs/setup.md', 'docs/deployment.md', 'docs/README.md'];
/** Deployment files whose variables are documentation too: compose, Dockerfiles, Kubernetes and Helm manifests. */
const DEPLOY_FILE = /(^|\/)((docker-)?compose[\w.-]*\.ya?ml|Dockerfile[\w.-]*|app\.json|render\.ya?ml|fly\.toml|Procfile)$|(^|\/)(k8s|kubernetes|helm|charts|deploy|deployment|manifests)\/.*\.ya?ml$/;
const SOURCE = /\.(pyw?|[cm]?[jt]sx?)$/;
/** Test-runner configs read variables for the test run only (`playwright.config.ts` reading BASE_URL). */
const TEST_TOOL_CONFIG = /(^|\/)(jest|vitest|playwright|cypress|karma|wdio|ava)\.config\.[cm]?[jt]s$|(^|\/)(karma\.conf|\.mocharc)\.[cm]?js$/;
/**
 * Folders of CLI scripts: their optional overrides (`os.getenv("SEED_COUNT", "100")`) are knobs of
 * one command, not the application's configuration; their required variables still count.
 */
const SCRIPT_FOLDER = /(^|\/)(scripts?|bin|tools|management\/commands|bench|benchmarks?)\//;
const MAX_SOURCE_FILES = 4000;
const MAX_SOURCE_BYTES = 512 * 1024;
/** Fewer variables than this with no template at all is a small tool, not a configuration to document. */
const MIN_READS_WITHOUT_TEMPLATE = 3;

/**
 * Variables the platform, the runtime or the CI sets, never a developer's .env. PORT: every
 * PaaS (Heroku, Cloud Run, Render, Railway) sets it and code reads it with a fallback. DEBUG
 * stays in: it switches an application's behaviour and belongs in the template.
 */
const PLATFORM_VARIABLES = new Set([
  'NODE_ENV', 'PATH', 'HOME', 'USER', 'USERNAME', 'LOGNAME', 'SHELL', 'PWD', 'TERM', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'TEMP', 'TMP',
  'HOSTNAME', 'CI', 'PORT', 'PYTHONPATH', 'PYTHONUNBUFFERED', 'PYTHONDONTWRITEBYTECODE', 'VIRTUAL_ENV', 'NODE_OPTIONS', 'NODE_DEBUG',
  'DJANGO_SETTINGS_MODULE', 'PYTEST_CURRENT_TEST', 'WERKZEUG_RUN_MAIN', 'RUN_MAIN', 'SERVER_SOFTWARE', 'JEST_WORKER_ID', 'VITEST',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE',
  'NODE_EXTRA_CA_CERTS', 'NODE_TLS_REJECT_UNAUTHORIZED', 'FORCE_COLOR', 'NO_COLOR', 'COLUMNS', 'LINES', 'EDITOR', 'VISUAL', 'APPDATA', 'LOCALAPPDATA', 'USERPROFILE', 'SYSTEMROOT', 'COMSPEC',
  'TERM_PROGRAM', 'PATHEXT', 'DYNO', 'K_SERVICE', 'K_REVISION', 'K_CONFIGURATION', 'KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT', 'WEB_CONCURRENCY',
]);
const PLATFORM_PREFIX = /^(npm_|LC_|XDG_|PYTHON|GITHUB_|RUNNER_|GITLAB_|CI_|VERCEL|NETLIFY|AWS_LAMBDA_|LAMBDA_|RAILWAY_|RENDER_|FLY_|HEROKU_|GAE_|GOOGLE_CLOUD_PROJECT$|FUNCTION_|BUILDKITE|CIRCLE|TRAVIS|COMP_)/;

/** Server frameworks in a Python manifest: a pyproject with one of them is an application. */
const PY_APP_DEPENDENCY = /["'\s](fastapi|flask|django|starlette|aiohttp|sanic|quart|litestar|uvicorn|gunicorn|celery|streamlit|python-telegram-bot|aiogram|discord\.py)\b/i;

function isPlatformVariable(name: string): boolean {
  return PLATFORM_VARIABLES.has(name.toUpperCase()) || PLATFORM_PREFIX.test(name);
}

/**
 * Whether a component is an application someone runs with their own environment, not a library
 * that documents its variables elsewhere: a private or unpublished package.json; requirements
 * files, a Pipfile, manage.py, a Dockerfile, compose file or Procfile; a pyproject with a server framework.
 */
function isApplication(context: ProjectContext, folder: string): boolean {
  const at = (name: string) => inFolder(folder, name);
  const packageJson = context.read(at('package.json'));
  if (packageJson !== undefined) {
    try {
      const manifest = JSON.parse(packageJson) as Record<string, unknown>;
      if (manifest.private === true) return true;
      if (['main', 'exports', 'module', 'types', 'typings', 'bin'].some((key) => key in manifest)) return false;
      return true;
    } catch (error) {
      context.diagnose(at('package.json'), `not valid JSON (${(error as Error).message}); whether this is an application could not be told`);
      return false;
    }
  }
  if (['Pipfile', 'manage.py', 'Dockerfile', 'Procfile', 'docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'].some((name) => context.exists(at(name)))) return true;
  if (context.files.some((file) => file.path.startsWith(folder ? `${folder}/` : '') && /^requirements[^/]*\.txt$/.test(file.path.slice(folder ? folder.length + 1 : 0)))) return true;
  const pyproject = context.read(at('pyproject.toml'));
  return pyproject !== undefined && PY_APP_DEPENDENCY.test(pyproject);
}

interface Template {
  path: string;
  names: Set<string>;
}

function templateNames(text: string): Set<string> {
  const names = new Set<string>();
  // `NAME=value`, `export NAME=value`, and commented-out `# NAME=value` (documented, optional).
  for (const m of text.matchAll(/^[ \t]*(?:#[ \t]*)?(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*[=:]/gm)) names.add(m[1].toUpperCase());
  return names;
}

/** The env templates of a component: in its folder and the folders above it, nearest first. */
function templatesFor(context: ProjectContext, folder: string): Template[] {
  const templates: Template[] = [];
  for (const at of foldersUp(folder)) {
    for (const name of TEMPLATE_NAMES) {
      const text = context.read(inFolder(at, name));
      if (text !== undefined) templates.push({ path: inFolder(at, name), names: templateNames(text) });
    }
  }
  return templates;
}

/** Upper-cased words of the READMEs and docs of a component and above, and of every deployment file. */
function documentedElsewhere(context: ProjectContext, folder: string, deployText: string): (name: string) => boolean {
  const texts = [deployText];
  for (const at of foldersUp(folder)) for (const name of DOC_NAMES) texts.push(context.read(inFolder(at, name)) ?? '');
  const words = new Set(texts.join('\n').match(/[A-Za-z_][A-Za-z0-9_]{2,}/g)?.map((word) => word.toUpperCase()) ?? []);
  return (name) => words.has(name.toUpperCase());
}

/** Reads of one component's application code: tests, and CLI scripts' optional overrides, left out. */
function componentReads(context: ProjectContext, folder: string, components: ReadonlySet<string>, budget: { files: number }): EnvRead[] {
  const reads: EnvRead[] = [];
  for (const file of context.files) {
    if (!SOURCE.test(file.path) || /\.d\.[cm]?ts$/.test(file.path) || isTestPath(file.path) || TEST_TOOL_CONFIG.test(file.path)) continue;
    if (componentOf(file.path, components) !== folder) continue;
    if (budget.files-- <= 0) break;
    const source = context.read(file.path);
    if (source === undefined || source.length > MAX_SOURCE_BYTES || !READS_ENVIRONMENT.test(source)) continue;
    const found = file.path.endsWith('.py') || file.path.endsWith('.pyw') ? pythonEnvReads(source, file.path) : javascriptEnvReads(source, file.path);
    const script = SCRIPT_FOLDER.test(file.path);
    for (const read of found) if (!script || read.required) reads.push(read);
  }
  return reads;
}

/** One read per variable (the first), platform variables left out. */
function distinctReads(reads: readonly EnvRead[]): EnvRead[] {
  const byName = new Map<string, EnvRead>();
  for (const read of reads) {
    if (isPlatformVariable(read.name)) continue;
    const key = read.name.toUpperCase();
    const known = byName.get(key);
    if (!known) byName.set(key, { ...read });
    else if (read.required) known.required = true;
  }
  return [...byName.values()];
}

const where = (read: EnvRead) => `${read.name} (${read.path}:${read.line})`;

function manifestOf(context: ProjectContext, folder: string): string {
  if (!folder) return '.';
  return ['package.json', 'pyproject.toml', 'requirements.txt', 'Pipfile', 'setup.py', 'setup.cfg'].map((name) => inFolder(folder, name)).find((path) => context.exists(path)) ?? '.';
}

export default defineRule({
  meta: {
    id: 'documentation/missing-env-example',
    title: 'Environment variables not documented',
    area: 'documentation',
    severity: 'low',
    type: 'enhancement',
    effort: 'small',
    confidence: 'high',
    languages: ['repo'],
    since: '0.1.0',
    description: 'An application reads environment variables that no .env.example (or README, compose file) lists, or reads several and has no env template at all.',
    why:
      'The variables an application reads are its configuration interface. When they are only discoverable by reading ' +
      'the code, a new developer or a deploy misses one: the app starts with an empty API key, a default secret or the ' +
      'development database, or crashes on the first request that needs it. Reads recognised: `os.environ["X"]`, ' +
      '`os.environ.get`, `os.getenv`, pydantic `BaseSettings` fields (upper-cased, with `env_prefix` and aliases), ' +
      'django-environ and python-decouple, `process.env.X`/`process.env["X"]`, destructuring `process.env`, ' +
      '`import.meta.env.X`, and local helpers such as `requireEnv("X")`. Documented means named in an env template ' +
      '(`.env.example`, `.env.sample`, `.env.template`… in the component or above), a README or configuration page, or a ' +
      'compose, Dockerfile or Kubernetes file. Reported per application component: one finding at the template listing the ' +
      'variables missing from it (with where each is read), or, with no template at all, one finding when the code reads ' +
      `${MIN_READS_WITHOUT_TEMPLATE} or more variables (Medium when one of the undocumented variables is required: read without a fallback). Not reported: ` +
      'libraries (a published package.json, a component with no application manifest), variables the platform sets ' +
      '(NODE_ENV, PATH, HOME, PORT, CI, GITHUB_*, DJANGO_SETTINGS_MODULE…), reads in tests, and optional overrides read by CLI scripts.',
    recommendation:
      'Keep a committed `.env.example` next to each application with every variable it reads: required ones with a ' +
      'placeholder (`JWT_SECRET=<random 32 bytes>`), optional ones with their default, each with a comment saying what it ' +
      'does; copy it to `.env` in the setup steps of the README. A CI check that diffs the names the settings class ' +
      'declares against the template keeps them in step.',
    examples: [
      {
        language: 'text',
        bad: '# app/config.py reads os.environ["STRIPE_API_KEY"]; .env.example:\nDATABASE_URL=postgresql://localhost/shop\n',
        good: '# .env.example\nDATABASE_URL=postgresql://localhost/shop\nSTRIPE_API_KEY=<sk_test_...>\n',
      },
    ],
    references: ['seed 004 (missing .env documentation)', 'RULES.md documentation/missing-env-example', 'https://12factor.net/config'],
  },
  onProject(context) {
    const components = componentFolders(context);
    const deployText = context.files
      .filter((file) => DEPLOY_FILE.test(file.path))
      .map((file) => context.read(file.path) ?? '')
      .join('\n');
    const budget = { files: MAX_SOURCE_FILES };
    for (const folder of [...components].sort()) {
      if (!isApplication(context, folder)) continue;
      const reads = distinctReads(componentReads(context, folder, components, budget));
      if (reads.length === 0) continue;
      const documented = documentedElsewhere(context, folder, deployText);
      const templates = templatesFor(context, folder);
      const inTemplates = (name: string) => templates.some((template) => template.names.has(name.toUpperCase()));
      const missing = reads.filter((read) => !inTemplates(read.name) && !documented(read.name)).sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
      if (missing.length === 0) continue;
      const names = listSome(missing.map(where), 8);
      if (templates.length > 0) {
        const [nearest] = templates;
        context.report({
          path: nearest.path,
          line: 1,
          message: `\`${nearest.path}\` leaves out ${missing.length === 1 ? '1 variable' : `${missing.length} variables`} the code of ${describeFolder(folder)} reads: ${names}.`,
        });
        continue;
      }
      if (reads.length < MIN_READS_WITHOUT_TEMPLATE) continue;
      const required = missing.filter((read) => read.required);
      context.report({
        path: manifestOf(context, folder),
        line: 1,
        severity: required.length > 0 ? 'medium' : 'low',
        message:
          `No .env.example for ${describeFolder(folder)}, which reads ${reads.length} environment variables; undocumented: ${names}` +
          (required.length > 0 ? ` (${listSome(required.map((read) => read.name), 4)} required: the app fails without ${required.length === 1 ? 'it' : 'them'}).` : '.'),
      });
    }
  },
});
