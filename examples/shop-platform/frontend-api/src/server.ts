import { randomUUID } from 'node:crypto';
import cors from 'cors';
import express, { type NextFunction, type Request, type Response } from 'express';
import { config } from './config.js';
import { pool } from './db.js';
import { logger } from './logger.js';
import { appRouter, previewRouter, sandbox } from './routes/apps.js';

export const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '1mb' }));

app.use((req, res, next) => {
  const correlationId = req.header('x-correlation-id') ?? randomUUID();
  res.locals.correlationId = correlationId;
  res.setHeader('x-correlation-id', correlationId);
  next();
});

app.use('/api/apps', cors({ origin: config.allowedOrigins, credentials: true }), appRouter);
// Previews are embedded in iframes on any merchant's own domain.
app.use('/preview', cors({ origin: true, credentials: true }), previewRouter);

app.get('/health', async (_req, res) => {
  try {
    await pool.query('SELECT 1');
    res.json({ status: 'ok' });
  } catch (error) {
    logger.error({ err: error }, 'health check: database unreachable');
    res.status(503).json({ status: 'unavailable', error: 'DATABASE_UNREACHABLE' });
  }
});

app.use((err: Error, req: Request, res: Response, _next: NextFunction) => {
  const correlationId = res.locals.correlationId as string;
  logger.error({ err, correlationId, method: req.method, path: req.path }, 'request failed');
  res.status(500).json({ error: 'INTERNAL_ERROR', correlationId });
});

// Ops dashboard: sandbox status and pool statistics, served on a second port.
export const internal = express();
internal.use(cors());

internal.get('/sandboxes', (_req, res) => {
  res.json(sandbox.list());
});

internal.get('/metrics', (_req, res) => {
  const lines = [
    `db_pool_total ${pool.totalCount}`,
    `db_pool_idle ${pool.idleCount}`,
    `db_pool_waiting ${pool.waitingCount}`,
    `sandboxes_running ${sandbox.list().length}`,
  ];
  res.type('text/plain').send(lines.join('\n') + '\n');
});

async function shutdown(signal: string): Promise<void> {
  logger.info({ signal }, 'shutting down');
  await sandbox.stopAll();
  await pool.end();
  process.exit(0);
}

if (config.env !== 'test') {
  app.listen(config.port, () => logger.info({ port: config.port }, 'api listening'));
  internal.listen(config.internalPort, () => logger.info({ port: config.internalPort }, 'internal listening'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
