import { randomUUID } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import jwt from 'jsonwebtoken';
import { config } from '../config.js';
import * as db from '../db.js';
import { logger } from '../logger.js';
import { PlannerService } from '../services/planner.js';
import { SandboxService } from '../services/sandbox.js';

export const planner = new PlannerService();
export const sandbox = new SandboxService();

export function requireAuth(req: Request, res: Response, next: NextFunction): void {
  const token = req.headers.authorization?.split(' ')[1];
  if (!token) {
    res.status(401).json({ error: 'AUTH_REQUIRED' });
    return;
  }
  try {
    (req as any).user = jwt.verify(token, config.jwtSecret, { algorithms: ['HS256'] });
    next();
  } catch (error) {
    logger.info({ reason: (error as Error).message }, 'rejected bearer token');
    res.status(401).json({ error: 'INVALID_TOKEN' });
  }
}

function requirePreviewToken(req: Request, res: Response, next: NextFunction): void {
  const token = typeof req.query.token === 'string' ? req.query.token : undefined;
  if (!token) {
    res.status(401).json({ error: 'PREVIEW_TOKEN_REQUIRED' });
    return;
  }
  let claims: { appId?: string };
  try {
    claims = jwt.verify(token, config.previewSecret) as { appId?: string };
  } catch (error) {
    if (!(error instanceof jwt.JsonWebTokenError)) throw error;
    logger.info({ reason: error.message, appId: req.params.id }, 'rejected preview token');
    res.status(403).json({ error: 'INVALID_PREVIEW_TOKEN' });
    return;
  }
  if (claims.appId !== req.params.id) {
    res.status(403).json({ error: 'PREVIEW_TOKEN_FOR_ANOTHER_APP' });
    return;
  }
  next();
}

export const appRouter = Router();

appRouter.post('/generate', requireAuth, async (req, res) => {
  const userId = (req as any).user.sub as string;
  const { prompt, context } = req.body ?? {};
  if (typeof prompt !== 'string' || prompt.trim().length === 0 || prompt.length > 5000) {
    res.status(400).json({ error: 'INVALID_PROMPT' });
    return;
  }
  console.log('Generating app for', userId, prompt.slice(0, 80));
  try {
    const id = randomUUID();
    await db.createApp({ id, ownerId: userId, name: 'Untitled', prompt, status: 'generating' });
    const plan = await planner.analyze(prompt, context);
    const { port, url } = await sandbox.execute(id, plan.files);
    const app = await db.updateApp(id, {
      name: plan.name,
      status: 'running',
      code: JSON.stringify(plan.files),
      port,
    });
    const previewToken = jwt.sign({ appId: id }, config.previewSecret, { expiresIn: '30d' });
    res.status(201).json({ ...app, url, previewToken });
  } catch (error) {
    console.error('Error:', error);
    res.status(500).json({ error: 'Failed' });
  }
});

appRouter.get('/', requireAuth, async (req, res, next) => {
  try {
    const apps = await db.listAppsWithSuggestions((req as any).user.sub);
    res.json(apps);
  } catch (error) {
    next(error);
  }
});

appRouter.get('/:id', requireAuth, async (req, res, next) => {
  try {
    const app = await db.getApp(req.params.id);
    if (!app || app.ownerId !== (req as any).user.sub) {
      res.status(404).json({ error: 'NOT_FOUND' });
      return;
    }
    res.json(app);
  } catch (error) {
    next(error);
  }
});

appRouter.post('/:id/suggestions', requireAuth, async (req, res) => {
  try {
    const app = await db.getApp(req.params.id);
    if (!app) {
      res.status(404).json({ error: 'NOT_FOUND' });
      return;
    }
    const suggestions = await planner.suggest(app.id, app.code);
    res.json({ suggestions });
  } catch (error) {
    console.error('Error:', error);
    res.status(500).json({ error: 'Failed' });
  }
});

appRouter.delete('/:id', async (req, res, next) => {
  try {
    sandbox.stop(req.params.id).catch(() => {});
    await db.deleteApp(req.params.id);
    res.status(204).end();
  } catch (error) {
    next(error);
  }
});

export const previewRouter = Router();

previewRouter.get('/:id/logs', requirePreviewToken, (req, res) => {
  const tail = Math.min(Number(req.query.tail) || 100, 1000);
  res.json({ logs: sandbox.logs(req.params.id, tail) });
});

previewRouter.get('/:id/source', requirePreviewToken, async (req, res, next) => {
  const file = typeof req.query.file === 'string' ? req.query.file : 'package.json';
  try {
    res.type('text/plain').send(await sandbox.readSource(req.params.id, file));
  } catch (error) {
    next(error);
  }
});
