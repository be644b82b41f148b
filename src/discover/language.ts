// Which language a file is written in: by extension first, then by shebang for extensionless scripts.
import type { FileLanguage, SourceLanguage, TextRuleLanguage } from '../core/types.js';
import type { ParsedFamily } from '../core/rule.js';

const SOURCE_EXTENSIONS: Record<string, SourceLanguage> = {
  '.py': 'python',
  '.pyw': 'python',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
};

/**
 * Text files that line-based rules (trailing whitespace, TODO markers) read. Markdown is left
 * out on purpose: two trailing spaces are a hard line break there, not an accident.
 */
const TEXT_EXTENSIONS = new Set([
  '.pyi', '.json', '.yml', '.yaml', '.toml', '.ini', '.cfg', '.conf', '.sh', '.bash', '.zsh',
  '.sql', '.css', '.scss', '.html', '.htm', '.vue', '.svelte', '.env', '.txt', '.prisma', '.graphql',
  // Where keys and credentials also live: notebooks, Java-style properties, Terraform, PEM files.
  '.ipynb', '.properties', '.tf', '.tfvars', '.pem', '.key',
]);
const TEXT_FILE_NAMES = new Set(['Dockerfile', 'Makefile', 'Procfile', '.env', '.gitignore', '.dockerignore', '.npmrc', '.pypirc', '.netrc']);

/** Extensions never worth opening: counted in the inventory, not read. */
const BINARY_EXTENSIONS = new Set([
  '.png', '.jpg', '.jpeg', '.gif', '.webp', '.ico', '.bmp', '.tiff', '.svgz', '.pdf', '.zip', '.gz',
  '.tgz', '.bz2', '.xz', '.7z', '.rar', '.jar', '.war', '.whl', '.egg', '.so', '.dylib', '.dll',
  '.exe', '.bin', '.o', '.a', '.pyc', '.pyo', '.class', '.woff', '.woff2', '.ttf', '.otf', '.eot',
  '.mp3', '.mp4', '.wav', '.ogg', '.webm', '.mov', '.avi', '.sqlite', '.sqlite3', '.db', '.parquet',
  '.pkl', '.pickle', '.npy', '.npz', '.h5', '.onnx', '.pt', '.pth', '.ckpt', '.psd', '.ai', '.sketch',
]);

export function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function languageFromPath(path: string): FileLanguage | 'binary' | undefined {
  const ext = extensionOf(path);
  if (ext in SOURCE_EXTENSIONS) return SOURCE_EXTENSIONS[ext];
  if (TEXT_EXTENSIONS.has(ext)) return 'text';
  const name = baseName(path);
  if (TEXT_FILE_NAMES.has(name) || name.startsWith('.env.') || name.startsWith('Dockerfile.')) return 'text';
  if (BINARY_EXTENSIONS.has(ext)) return 'binary';
  return undefined;
}

/** `#!/usr/bin/env python3`, `#!/usr/bin/node` and friends. */
export function languageFromShebang(firstLine: string): SourceLanguage | undefined {
  if (!firstLine.startsWith('#!')) return undefined;
  if (/\bpython[0-9.]*\b/.test(firstLine)) return 'python';
  if (/\b(node|nodejs|bun|deno)\b/.test(firstLine)) return 'javascript';
  if (/\b(ts-node|tsx)\b/.test(firstLine)) return 'typescript';
  return undefined;
}

const TEXT_KIND: Record<string, string> = {
  '.json': 'json', '.yml': 'yaml', '.yaml': 'yaml', '.toml': 'toml', '.ini': 'ini', '.cfg': 'ini', '.conf': 'ini', '.properties': 'ini',
  '.ipynb': 'notebook', '.tf': 'terraform', '.tfvars': 'terraform', '.pem': 'pem', '.key': 'pem',
  '.sh': 'shell', '.bash': 'shell', '.zsh': 'shell', '.sql': 'sql', '.css': 'css', '.scss': 'css', '.html': 'html',
  '.htm': 'html', '.vue': 'vue', '.svelte': 'svelte', '.prisma': 'prisma', '.graphql': 'graphql', '.pyi': 'python-stub',
};

/** A finer name for a text file's language, for the inventory ("yaml 120 lines"). */
export function textKindOf(path: string): string {
  const name = baseName(path);
  if (name === 'Dockerfile' || name.startsWith('Dockerfile.') || name === 'Containerfile' || name.endsWith('.dockerfile')) return 'dockerfile';
  if (name === '.env' || name.startsWith('.env.') || extensionOf(path) === '.env') return 'dotenv';
  if (name === 'Makefile') return 'make';
  return TEXT_KIND[extensionOf(path)] ?? 'text';
}

/** `docker-compose.yml`, `compose.yaml`, `docker-compose.override.yml`, `compose.prod.yaml`. */
const COMPOSE_FILE = /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/;

/** The rule language (RULES.md) a text file belongs to, if a rule language reads it. */
export function textRuleLanguageOf(path: string): TextRuleLanguage | undefined {
  const kind = textKindOf(path);
  if (kind === 'sql' || kind === 'prisma') return 'sql';
  if (kind === 'dockerfile') return 'docker';
  if (kind === 'dotenv') return 'env';
  if (kind === 'yaml' && COMPOSE_FILE.test(baseName(path))) return 'compose';
  return undefined;
}

export function familyOf(language: FileLanguage): ParsedFamily | 'text' {
  if (language === 'python') return 'py';
  if (language === 'text') return 'text';
  return 'ts';
}

const TEST_PATH = /(^|\/)(tests?|__tests__|spec|specs|e2e)\/|(^|\/)(test_[^/]*\.py|[^/]*_test\.py|conftest\.py)$|\.(test|spec)\.[cm]?[jt]sx?$/;

export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}

const SCRIPT_DIR = /(^|\/)(scripts?|bin|tools|cli|manage|management\/commands|bench|benchmarks?)\//;

/**
 * CLI scripts may print and exit; they are recognised by their folder, a shebang, a
 * `__main__` guard or a CLI entry file name.
 */
export function isScriptPath(path: string, source: string): boolean {
  if (SCRIPT_DIR.test(path)) return true;
  const name = baseName(path);
  if (/^(cli|manage|__main__|setup)\.py$/.test(name) || /^cli\.[cm]?[jt]s$/.test(name)) return true;
  if (source.startsWith('#!')) return true;
  return /^if __name__ == ['"]__main__['"]\s*:/m.test(source);
}
