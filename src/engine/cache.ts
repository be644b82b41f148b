// Per-file result cache keyed by content hash, stored in the audited tree's `.probity/cache/`
// (the only place an audit may write). A re-audit of an unchanged tree reads and hashes each
// file but parses nothing. The cache key covers Probity's own code, the rules and their settings,
// so any change there starts from scratch.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompiledRule } from '../core/rule.js';
import type { FileResult, RuleSettings } from './run-file.js';

export interface CachedFile {
  hash: string;
  result: FileResult;
}

interface CacheFile {
  key: string;
  files: Record<string, CachedFile>;
}

const PROBITY_CODE_DIR = fileURLToPath(new URL('..', import.meta.url));

export function hashContent(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

function hashTree(dir: string, hash: ReturnType<typeof createHash>): void {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') continue;
    if (statSync(full).isDirectory()) hashTree(full, hash);
    else if (/\.(js|ts|yml)$/.test(name)) hash.update(name).update(readFileSync(full));
  }
}

/** Identifies everything besides the file itself that decides a file's result. */
export function cacheKey(rules: readonly CompiledRule[], settings: Record<string, RuleSettings>, rulesDirs: readonly string[]): string {
  const hash = createHash('sha1');
  hashTree(PROBITY_CODE_DIR, hash);
  for (const dir of rulesDirs) if (!dir.startsWith(PROBITY_CODE_DIR)) hashTree(dir, hash);
  hash.update(JSON.stringify(rules.map((rule) => rule.meta.id))).update(JSON.stringify(settings));
  return hash.digest('hex');
}

export function cachePath(root: string): string {
  return join(root, '.probity', 'cache', 'files.json');
}

export function readCache(root: string, key: string): Map<string, CachedFile> {
  try {
    const cache = JSON.parse(readFileSync(cachePath(root), 'utf8')) as CacheFile;
    if (cache.key === key) return new Map(Object.entries(cache.files));
  } catch {
    // No cache yet, or an unreadable one: start afresh.
  }
  return new Map();
}

/** Best effort: a read-only checkout simply runs without a cache next time. */
export function writeCache(root: string, key: string, results: readonly FileResult[]): boolean {
  const files: Record<string, CachedFile> = {};
  for (const result of results) {
    if (result.contentHash) files[result.path] = { hash: result.contentHash, result: { ...result, contentHash: undefined } };
  }
  const target = cachePath(root);
  try {
    mkdirSync(dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ key, files } satisfies CacheFile));
    renameSync(temp, target);
    return true;
  } catch (error) {
    // A read-only checkout or a full disk: the next run simply starts without a cache.
    if (typeof (error as NodeJS.ErrnoException).code === 'string') return false;
    throw error;
  }
}
