// The project's module dependency graph: each file's import statements (collected by the engine
// during the one parse of the file) resolved to files of the audited tree. Python absolute
// imports are looked up under each source root, relative ones from the importing package; TS/JS
// relative specifiers follow Node/TypeScript resolution (extensions, `index.*`, `.js` written for
// a `.ts` file) and `tsconfig.json` `paths`/`baseUrl`. Packages (npm, PyPI) stay unresolved.
import { posix } from 'node:path';
import type { ImportStatement, ImportTiming } from '../engine/imports.js';
import { aliasCandidates, readPathAliases, type PathAliases } from './tsconfig.js';

export interface ResolvedImport {
  /** The imported file, relative to the audited root. */
  to: string;
  /** 1-based line of the import statement in the importing file. */
  line: number;
  timing: ImportTiming;
}

export interface ImportGraph {
  /** Source files (Python, TS, JS) of the tree: the graph's nodes. */
  modules: readonly string[];
  /** Imports of files of the tree, by importing file, in source order; files importing none are absent. */
  edges: ReadonlyMap<string, readonly ResolvedImport[]>;
  /** Number of resolved imports (file → file pairs, whatever their timing). */
  edgeCount: number;
}

export interface ImportGraphInput {
  files: readonly { path: string; language?: string }[];
  /** Import statements by file, as the engine collected them. */
  statements: ReadonlyMap<string, readonly ImportStatement[]>;
  /** Text of a file of the tree (tsconfig.json), or undefined. */
  read(path: string): string | undefined;
  /** Name of the audited folder: a root that is itself a Python package is imported by it. */
  rootName: string;
  /** A config file that could not be read (malformed tsconfig.json). */
  diagnose?(path: string, reason: string): void;
}

const SOURCE_LANGUAGES = new Set(['python', 'typescript', 'tsx', 'javascript']);
const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** ESM code names the emitted file: `./x.js` stands for `./x.ts` in a TS project. */
const EMITTED_TO_SOURCE: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

const folderOf = (path: string) => {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
};
const within = (folder: string, name: string) => (folder ? `${folder}/${name}` : name);

interface PythonRoot {
  folder: string;
  /** Dotted prefix the root's modules are imported under (the root package's own name), or ''. */
  prefix: string;
}

/**
 * Where absolute Python imports start: the root, `src/`, and the folder holding each top-level
 * package (the topmost folder of a chain of `__init__.py` folders). A root that is itself a
 * package (auditing `django/` directly) is imported by its own name.
 */
function pythonRoots(packages: ReadonlySet<string>, folders: ReadonlySet<string>, rootName: string): PythonRoot[] {
  const roots = new Map<string, PythonRoot>();
  const add = (root: PythonRoot) => roots.set(`${root.folder}\u0000${root.prefix}`, root);
  // A root that is itself a package is not on sys.path: `import json` there is the standard library's.
  if (!packages.has('')) add({ folder: '', prefix: '' });
  if (folders.has('src') && !packages.has('src')) add({ folder: 'src', prefix: '' });
  for (const folder of packages) {
    let top = folder;
    while (top !== '' && packages.has(folderOf(top))) top = folderOf(top);
    add(top === '' ? { folder: '', prefix: rootName } : { folder: folderOf(top), prefix: '' });
  }
  return [...roots.values()];
}

class Resolver {
  private readonly files = new Set<string>();
  private readonly packages = new Set<string>();
  private readonly pyRoots: PythonRoot[];
  private readonly aliases = new Map<string, PathAliases>();

  constructor(private readonly input: ImportGraphInput) {
    const folders = new Set<string>();
    for (const file of input.files) {
      this.files.add(file.path);
      const name = file.path.slice(file.path.lastIndexOf('/') + 1);
      if (name === '__init__.py') this.packages.add(folderOf(file.path));
      if (name === 'tsconfig.json' || name === 'jsconfig.json') this.readConfig(file.path);
      for (let folder = folderOf(file.path); folder && !folders.has(folder); folder = folderOf(folder)) folders.add(folder);
    }
    this.pyRoots = pythonRoots(this.packages, folders, input.rootName);
  }

  private readConfig(path: string): void {
    const folder = folderOf(path);
    if (this.aliases.has(folder) && path.endsWith('jsconfig.json')) return; // tsconfig.json wins
    const text = this.input.read(path);
    if (text === undefined) return;
    const aliases = readPathAliases(path, text);
    if (typeof aliases === 'string') this.input.diagnose?.(path, aliases);
    else this.aliases.set(folder, aliases);
  }

  /** `a/b` as a module file: `a/b.py` or the package `a/b/__init__.py`. */
  private pythonFile(base: string): string | undefined {
    if (this.files.has(`${base}.py`)) return `${base}.py`;
    const init = within(base, '__init__.py');
    return this.files.has(init) ? init : undefined;
  }

  private pythonAbsolute(dotted: string): string | undefined {
    for (const root of this.pyRoots) {
      let rest = dotted;
      if (root.prefix) {
        if (dotted === root.prefix) rest = '';
        else if (dotted.startsWith(`${root.prefix}.`)) rest = dotted.slice(root.prefix.length + 1);
        else continue;
      }
      const found = this.pythonFile(within(root.folder, rest.replaceAll('.', '/')));
      if (found) return found;
    }
    return undefined;
  }

  /** Folder (or module path) a relative import names from the importing file's package. */
  private pythonRelativeBase(from: string, module: string): string | undefined {
    const level = /^\.*/.exec(module)![0].length;
    let base = folderOf(from);
    for (let up = 1; up < level; up++) {
      if (!base) return undefined; // climbs out of the tree
      base = folderOf(base);
    }
    const rest = module.slice(level);
    return rest ? within(base, rest.replaceAll('.', '/')) : base;
  }

  python(from: string, statement: ImportStatement): string[] {
    const relative = statement.module.startsWith('.');
    let target: string | undefined;
    let modulePath: string | undefined;
    if (relative) {
      modulePath = this.pythonRelativeBase(from, statement.module);
      target = modulePath === undefined ? undefined : this.pythonFile(modulePath);
    } else {
      target = this.pythonAbsolute(statement.module);
      if (target) modulePath = target.endsWith('/__init__.py') || target === '__init__.py' ? folderOf(target) : target.slice(0, -3);
    }
    if (!statement.names?.length) return target ? [target] : [];
    // `from pkg import sub`: a submodule is imported (and the package runs first, implicitly).
    const out: string[] = [];
    let someName = false;
    const packageFolder = target && (target.endsWith('/__init__.py') || target === '__init__.py') ? folderOf(target) : relative && modulePath !== undefined && !target ? modulePath : undefined;
    for (const name of statement.names) {
      const submodule = packageFolder !== undefined ? this.pythonFile(within(packageFolder, name)) : undefined;
      if (submodule) out.push(submodule);
      else someName = true;
    }
    if (someName && target) out.unshift(target);
    return out;
  }

  private sourceFile(base: string): string | undefined {
    if (this.files.has(base) && TS_EXTENSIONS.some((ext) => base.endsWith(ext))) return base;
    const ext = posix.extname(base);
    for (const source of EMITTED_TO_SOURCE[ext] ?? []) {
      const candidate = base.slice(0, -ext.length) + source;
      if (this.files.has(candidate)) return candidate;
    }
    for (const extension of TS_EXTENSIONS) if (this.files.has(base + extension)) return base + extension;
    for (const extension of TS_EXTENSIONS) if (this.files.has(within(base, `index${extension}`))) return within(base, `index${extension}`);
    return undefined;
  }

  /** The tsconfig.json/jsconfig.json nearest above a file. */
  private aliasesFor(from: string): PathAliases | undefined {
    if (!this.aliases.size) return undefined;
    for (let folder = folderOf(from); ; folder = folderOf(folder)) {
      const found = this.aliases.get(folder);
      if (found || !folder) return found;
    }
  }

  script(from: string, specifier: string): string | undefined {
    if (specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../')) {
      const joined = posix.normalize(posix.join(folderOf(from), specifier));
      return joined.startsWith('../') || joined === '..' ? undefined : this.sourceFile(joined === '.' ? '' : joined.replace(/\/$/, ''));
    }
    const aliases = this.aliasesFor(from);
    if (!aliases) return undefined;
    for (const candidate of aliasCandidates(aliases, specifier)) {
      if (candidate.startsWith('../')) continue;
      const found = this.sourceFile(candidate === '.' ? '' : candidate);
      if (found) return found;
    }
    return undefined;
  }
}

export function buildImportGraph(input: ImportGraphInput): ImportGraph {
  const resolver = new Resolver(input);
  const modules = input.files.filter((f) => f.language && SOURCE_LANGUAGES.has(f.language)).map((f) => f.path);
  const languageOf = new Map(input.files.map((f) => [f.path, f.language]));
  const edges = new Map<string, ResolvedImport[]>();
  let edgeCount = 0;
  for (const [from, statements] of input.statements) {
    const python = languageOf.get(from) === 'python';
    const resolved: ResolvedImport[] = [];
    for (const statement of statements) {
      const targets = python ? resolver.python(from, statement) : [resolver.script(from, statement.module)].filter((t): t is string => t !== undefined);
      for (const to of targets) if (to !== from) resolved.push({ to, line: statement.line, timing: statement.timing });
    }
    if (resolved.length) {
      edges.set(from, resolved);
      edgeCount += resolved.length;
    }
  }
  return { modules, edges, edgeCount };
}
