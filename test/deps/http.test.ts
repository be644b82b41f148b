// The network layer of the dependency checks: timeouts become a named reason, the first failure
// stops further requests, answers (and 404s) are cached on disk for their time to live.
import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, NetworkUnavailable, type FetchLike } from '../../src/deps/http.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const answering = (body: unknown, calls: string[], status = 200): FetchLike => async (url) => {
  calls.push(url);
  return { ok: status < 400, status, json: async () => body };
};

describe('HttpClient', () => {
  it('turns a request that outlives its timeout into "timed out" and asks nothing more', async () => {
    const calls: string[] = [];
    const hanging: FetchLike = (url, init) => {
      calls.push(url);
      return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    };
    const client = new HttpClient({ fetch: hanging, requestTimeoutMs: 50 });
    await expect(client.json('https://api.osv.dev/v1/querybatch')).rejects.toThrow(new NetworkUnavailable('request to api.osv.dev timed out'));
    await expect(client.json('https://api.osv.dev/v1/vulns/X')).rejects.toThrow('request to api.osv.dev timed out');
    expect(calls).toEqual(['https://api.osv.dev/v1/querybatch']);
  });

  it('answers undefined for a 404 and names the status of other errors', async () => {
    expect(await new HttpClient({ fetch: answering({}, [], 404) }).json('https://pypi.org/pypi/nope/json')).toBeUndefined();
    await expect(new HttpClient({ fetch: answering({}, [], 503) }).json('https://pypi.org/pypi/x/json')).rejects.toThrow('pypi.org answered HTTP 503');
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const slow: FetchLike = async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return { ok: true, status: 200, json: async () => ({}) };
    };
    const client = new HttpClient({ fetch: slow, concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => client.json(`https://registry.npmjs.org/p${i}`)));
    expect(most).toBe(3);
  });

  it('reuses cached answers within their time to live, and asks again after it', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'probity-http-'));
    dirs.push(cacheDir);
    const calls: string[] = [];
    const url = 'https://registry.npmjs.org/express';
    const first = await new HttpClient({ fetch: answering({ 'dist-tags': { latest: '5.3.0' } }, calls), cacheDir }).json(url);
    const second = await new HttpClient({ fetch: answering({ changed: true }, calls), cacheDir }).json(url);
    expect(second).toEqual(first);
    expect(calls).toHaveLength(1);
    const [file] = readdirSync(cacheDir);
    const old = new Date(Date.now() - 25 * 3600_000);
    utimesSync(join(cacheDir, file), old, old);
    expect(await new HttpClient({ fetch: answering({ changed: true }, calls), cacheDir }).json(url)).toEqual({ changed: true });
    expect(calls).toHaveLength(2);
  });
});
