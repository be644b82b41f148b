// Runs file audits on both cores: the main thread and `jobs - 1` worker threads (each loading
// the catalog once) pull chunks of files from one queue until none are left. Small trees, and runs from TypeScript sources (tests), stay
// in-process where starting workers would cost more than it saves.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CompiledRule } from '../core/rule.js';
import type { DiscoveredFile } from '../discover/walk.js';
import type { CachedFile } from './cache.js';
import { auditFile, createFileAuditSetup, type FileResult, type RuleSettings } from './run-file.js';

export interface PoolOptions {
  rules: CompiledRule[];
  rulesDirs: string[];
  settings: Record<string, RuleSettings>;
  /** Worker threads to use; 1 means in-process. */
  jobs: number;
  /** Results of earlier runs by path; reused when a file's content hash matches. */
  cache?: ReadonlyMap<string, CachedFile>;
  /** Collect milliseconds per rule into this map (`--timing`). */
  timings?: Map<string, number>;
  onProgress?: (done: number, total: number) => void;
}

/** What a worker is sent: a file and, when there is one, its cached result. */
export interface WorkItem {
  file: DiscoveredFile;
  cached?: CachedFile;
}

export interface WorkerInit {
  rulesDirs: string[];
  ruleIds: string[];
  settings: Record<string, RuleSettings>;
  timing: boolean;
}

/** A worker's answer: the results of one chunk, and the time its rules took on it. */
export interface WorkerReply {
  ready?: true;
  results?: FileResult[];
  timings?: [string, number][];
  error?: string;
}

export function addTimings(into: Map<string, number> | undefined, entries: Iterable<[string, number]>): void {
  if (!into) return;
  for (const [id, ms] of entries) into.set(id, (into.get(id) ?? 0) + ms);
}

const WORKER_URL = new URL('./worker.js', import.meta.url);
const CHUNK = 24;
/** Below this much source, threads cost more to start than they save. */
const PARALLEL_MIN_BYTES = 1_500_000;

export function defaultJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

export function canUseWorkers(): boolean {
  return import.meta.url.endsWith('.js');
}

async function auditInProcess(files: DiscoveredFile[], options: PoolOptions): Promise<FileResult[]> {
  const setup = createFileAuditSetup(options.rules, options.settings, options.timings !== undefined);
  const results: FileResult[] = [];
  for (let i = 0; i < files.length; i++) {
    results.push(auditFile(files[i], setup, options.cache?.get(files[i].path)));
    options.onProgress?.(i + 1, files.length);
    // Parsed trees are freed only when the event loop turns; yield so memory stays flat.
    if (i % 32 === 31) await new Promise((resolve) => setImmediate(resolve));
  }
  addTimings(options.timings, setup.timings ?? []);
  return results;
}

export async function auditFiles(files: DiscoveredFile[], options: PoolOptions): Promise<FileResult[]> {
  // Cached files cost a read and a hash, not a parse: only the rest is worth a thread.
  const bytesToAnalyse = files.reduce((sum, file) => sum + (options.cache?.has(file.path) ? 0 : file.size), 0);
  const jobs = Math.min(options.jobs, Math.ceil(files.length / CHUNK));
  if (jobs <= 1 || bytesToAnalyse < PARALLEL_MIN_BYTES || !canUseWorkers()) return auditInProcess(files, options);

  // Largest first, so no thread is left with one huge file at the end.
  const queue = [...files].sort((a, b) => b.size - a.size);
  const results: FileResult[] = [];
  const init: WorkerInit = {
    rulesDirs: options.rulesDirs,
    ruleIds: options.rules.map((r) => r.meta.id),
    settings: options.settings,
    timing: options.timings !== undefined,
  };
  let next = 0;
  const takeChunk = (size = CHUNK): WorkItem[] | undefined => {
    if (next >= queue.length) return undefined;
    const chunk = queue.slice(next, next + size).map((file) => ({ file, cached: options.cache?.get(file.path) }));
    next += size;
    return chunk;
  };
  const collect = (chunkResults: FileResult[]) => {
    results.push(...chunkResults);
    options.onProgress?.(results.length, files.length);
  };
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(fileURLToPath(WORKER_URL), { workerData: init });
      const sendNext = () => {
        const chunk = takeChunk();
        if (!chunk) {
          void worker.terminate().then(() => resolve());
          return;
        }
        worker.postMessage(chunk);
      };
      worker.on('message', (message: WorkerReply) => {
        if (message.error) {
          reject(new Error(message.error));
          void worker.terminate();
          return;
        }
        if (message.timings) addTimings(options.timings, message.timings);
        if (message.results) collect(message.results);
        sendNext();
      });
      worker.on('error', reject);
    });
  // The main thread has the rules loaded already: it audits too, instead of idling while one
  // more worker loads the catalog again (half a second of CPU on two cores).
  const runHere = async () => {
    const setup = createFileAuditSetup(options.rules, options.settings, options.timings !== undefined);
    // One file at a time, letting worker messages in between, so a worker is never left waiting for work.
    for (let chunk = takeChunk(1); chunk; chunk = takeChunk(1)) {
      collect(chunk.map((item) => auditFile(item.file, setup, item.cached)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    addTimings(options.timings, setup.timings ?? []);
  };
  await Promise.all([runHere(), ...Array.from({ length: jobs - 1 }, runWorker)]);
  return results;
}
