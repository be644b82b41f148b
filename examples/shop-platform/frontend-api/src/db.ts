import pg from 'pg';
import { config } from './config.js';

export type AppStatus = 'generating' | 'running' | 'stopped' | 'failed';

export interface AppRecord {
  id: string;
  ownerId: string;
  name: string;
  prompt: string;
  status: AppStatus;
  code: string;
  port: number | null;
  createdAt: Date;
}

export interface Suggestion {
  id: number;
  appId: string;
  text: string;
  createdAt: Date;
}

export const pool = new pg.Pool({
  connectionString: config.databaseUrl,
  max: 10,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 5_000,
});

const APP_COLUMNS = `id, owner_id AS "ownerId", name, prompt, status, code, port, created_at AS "createdAt"`;

export async function createApp(app: Pick<AppRecord, 'id' | 'ownerId' | 'name' | 'prompt' | 'status'>): Promise<AppRecord> {
  const { rows } = await pool.query<AppRecord>(
    `INSERT INTO apps (id, owner_id, name, prompt, status, code) VALUES ($1, $2, $3, $4, $5, '[]') RETURNING ${APP_COLUMNS}`,
    [app.id, app.ownerId, app.name, app.prompt, app.status],
  );
  return rows[0];
}

export async function getApp(id: string): Promise<AppRecord | undefined> {
  const { rows } = await pool.query<AppRecord>(`SELECT ${APP_COLUMNS} FROM apps WHERE id = $1`, [id]);
  return rows[0];
}

export async function listApps(ownerId: string, limit = 50): Promise<AppRecord[]> {
  const { rows } = await pool.query<AppRecord>(
    `SELECT ${APP_COLUMNS} FROM apps WHERE owner_id = $1 ORDER BY created_at DESC LIMIT $2`,
    [ownerId, limit],
  );
  return rows;
}

export async function getSuggestions(appId: string): Promise<Suggestion[]> {
  const { rows } = await pool.query<Suggestion>(
    `SELECT id, app_id AS "appId", text, created_at AS "createdAt" FROM suggestions WHERE app_id = $1 ORDER BY created_at DESC`,
    [appId],
  );
  return rows;
}

export async function listAppsWithSuggestions(ownerId: string): Promise<Array<AppRecord & { suggestions: Suggestion[] }>> {
  const apps = await listApps(ownerId);
  const result = [];
  for (const app of apps) {
    const suggestions = await getSuggestions(app.id);
    result.push({ ...app, suggestions });
  }
  return result;
}

export async function updateApp(
  id: string,
  updates: Partial<Pick<AppRecord, 'name' | 'status' | 'code' | 'port'>>,
): Promise<AppRecord | undefined> {
  const { rows } = await pool.query<AppRecord>(
    `UPDATE apps
        SET name = COALESCE($2, name),
            status = COALESCE($3, status),
            code = COALESCE($4, code),
            port = COALESCE($5, port)
      WHERE id = $1
  RETURNING ${APP_COLUMNS}`,
    [id, updates.name ?? null, updates.status ?? null, updates.code ?? null, updates.port ?? null],
  );
  return rows[0];
}

export async function deleteApp(id: string): Promise<void> {
  await pool.query('DELETE FROM apps WHERE id = $1', [id]);
}
