// Fetching JSON for the dependency checks: a timeout per request and one for the whole run, a
// small number of requests in flight, an optional on-disk cache, and a clear "why not" when the
// network cannot be reached (the audit then says which checks were skipped).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The part of `fetch` the clients use; tests inject one that answers from recorded files. */
export type FetchLike = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}>;

export interface HttpOptions {
  fetch?: FetchLike;
  /** Milliseconds per request (default 8 s). */
  requestTimeoutMs?: number;
  /** Milliseconds for all requests of one audit together (default 30 s). */
  totalTimeoutMs?: number;
  concurrency?: number;
  /** Folder of cached answers; undefined disables the cache. */
  cacheDir?: string;
  /** How long a cached answer is reused (default 24 h). */
  cacheTtlMs?: number;
}

/** Cached answers live in the user cache folder: advisories and registry data are not per project. */
export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || (process.platform === 'darwin' ? join(homedir(), 'Library', 'Caches') : join(homedir(), '.cache'));
  return join(base, 'probity', 'dependencies');
}

export class NetworkUnavailable extends Error {}

export class HttpClient {
  private readonly fetchImpl: FetchLike;
  private readonly deadline: number;
  private active = 0;
  private readonly queue: (() => void)[] = [];
  /** Set by the first failure that says the network is unreachable: later requests are not tried. */
  unavailable?: string;

  constructor(private readonly options: HttpOptions = {}) {
    this.fetchImpl = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
    this.deadline = Date.now() + (options.totalTimeoutMs ?? 30_000);
  }

  /** JSON of a GET or POST; undefined for a 404. Throws NetworkUnavailable when it cannot be asked. */
  async json(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<unknown> {
    const key = createHash('sha256').update(`${init.method ?? 'GET'} ${url} ${init.headers?.accept ?? ''} ${init.body ?? ''}`).digest('hex').slice(0, 32);
    const cached = this.readCache(key);
    if (cached !== undefined) return cached.value;
    if (this.unavailable) throw new NetworkUnavailable(this.unavailable);
    await this.slot();
    try {
      if (this.unavailable) throw new NetworkUnavailable(this.unavailable);
      const remaining = this.deadline - Date.now();
      if (remaining <= 0) throw this.fail('the overall time limit for dependency data was reached');
      let response: Awaited<ReturnType<FetchLike>>;
      try {
        response = await this.fetchImpl(url, { ...init, signal: AbortSignal.timeout(Math.min(this.options.requestTimeoutMs ?? 8_000, remaining)) });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        const name = (error as Error).name;
        throw this.fail(name === 'TimeoutError' || name === 'AbortError' ? `request to ${new URL(url).host} timed out` : `${new URL(url).host} unreachable${cause ? ` (${cause})` : ''}`);
      }
      if (response.status === 404) {
        this.writeCache(key, null);
        return undefined;
      }
      if (!response.ok) throw this.fail(`${new URL(url).host} answered HTTP ${response.status}`);
      const value = await response.json();
      this.writeCache(key, value);
      return value;
    } finally {
      this.release();
    }
  }

  private fail(reason: string): NetworkUnavailable {
    this.unavailable ??= reason;
    return new NetworkUnavailable(this.unavailable);
  }

  private async slot(): Promise<void> {
    if (this.active < (this.options.concurrency ?? 8)) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
  }

  private release(): void {
    this.active--;
    this.queue.shift()?.();
  }

  private readCache(key: string): { value: unknown } | undefined {
    if (!this.options.cacheDir) return undefined;
    const path = join(this.options.cacheDir, `${key}.json`);
    try {
      if (Date.now() - statSync(path).mtimeMs > (this.options.cacheTtlMs ?? 24 * 3600_000)) return undefined;
      const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      return { value: value === null ? undefined : value };
    } catch {
      return undefined; // no cached answer (or an unreadable one): ask again
    }
  }

  private writeCache(key: string, value: unknown): void {
    if (!this.options.cacheDir) return;
    try {
      mkdirSync(this.options.cacheDir, { recursive: true });
      writeFileSync(join(this.options.cacheDir, `${key}.json`), JSON.stringify(value));
    } catch {
      // A cache that cannot be written only costs the next run a request.
    }
  }
}
