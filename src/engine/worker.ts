// Worker thread: loads the catalog once, then audits each chunk of files it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import { loadCatalog } from './catalog.js';
import type { WorkerInit, WorkerReply, WorkItem } from './pool.js';
import { auditFile, createFileAuditSetup, type FileResult } from './run-file.js';

const init = workerData as WorkerInit;

async function start(): Promise<void> {
  const catalog = await loadCatalog(init.rulesDirs);
  const wanted = new Set(init.ruleIds);
  const setup = createFileAuditSetup(catalog.rules.filter((rule) => wanted.has(rule.meta.id)), init.settings, init.timing);
  parentPort!.on('message', async (items: WorkItem[]) => {
    const results: FileResult[] = [];
    for (let i = 0; i < items.length; i++) {
      results.push(auditFile(items[i].file, setup, items[i].cached));
      // Let the event loop free parsed trees between files.
      if (i % 8 === 7) await new Promise((resolve) => setImmediate(resolve));
    }
    const timings = setup.timings ? [...setup.timings] : undefined;
    setup.timings?.clear();
    parentPort!.postMessage({ results, timings } satisfies WorkerReply);
  });
  parentPort!.postMessage({ ready: true } satisfies WorkerReply);
}

start().catch((error: Error) => parentPort!.postMessage({ error: error.stack ?? error.message } satisfies WorkerReply));
