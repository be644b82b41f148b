import { exec, execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { config } from '../config.js';
import * as db from '../db.js';
import { logger } from '../logger.js';
import type { PlannedFile } from './planner.js';

const execAsync = promisify(exec);
const execFileAsync = promisify(execFile);

const MAX_ERROR_CHUNKS = 200;

interface SandboxApp {
  appId: string;
  dir: string;
  port: number;
  process: ChildProcess;
  logs: string[];
  errors: string[];
  startedAt: Date;
}

export interface SandboxStatus {
  appId: string;
  port: number;
  pid: number | undefined;
  startedAt: string;
  logChunks: number;
}

export class SandboxService {
  private readonly apps = new Map<string, SandboxApp>();
  private nextPort = config.sandboxBasePort;

  async prepare(appId: string, repoUrl: string = config.templateRepo): Promise<string> {
    const dir = join(config.sandboxRoot, appId);
    await mkdir(config.sandboxRoot, { recursive: true });
    await execAsync(`git clone --depth 1 ${repoUrl} ${dir}`);
    return dir;
  }

  async refreshTemplate(dir: string): Promise<void> {
    await execFileAsync('git', ['-C', dir, 'pull', '--ff-only'], { timeout: 60_000 });
  }

  async execute(appId: string, files: PlannedFile[]): Promise<{ port: number; url: string }> {
    const dir = await this.prepare(appId);
    await this.writeFiles(dir, files);

    await execFileAsync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', NODE_ENV: 'production' },
      timeout: 120_000,
    });

    const port = this.nextPort++;
    const child = spawn('npm', ['start'], {
      cwd: dir,
      shell: true,
      env: { ...process.env, PORT: String(port) },
    });

    const app: SandboxApp = { appId, dir, port, process: child, logs: [], errors: [], startedAt: new Date() };
    child.stdout?.on('data', (data: Buffer) => {
      app.logs.push(data.toString());
    });
    child.stderr?.on('data', (data: Buffer) => {
      app.errors.push(data.toString());
      if (app.errors.length > MAX_ERROR_CHUNKS) {
        app.errors.splice(0, app.errors.length - MAX_ERROR_CHUNKS);
      }
    });
    child.on('exit', (code) => {
      logger.info({ appId, code }, 'sandbox exited');
      this.apps.delete(appId);
      db.updateApp(appId, { status: code === 0 ? 'stopped' : 'failed' }).catch(() => {});
    });

    this.apps.set(appId, app);
    console.log(`sandbox ${appId} listening on ${port}`);
    return { port, url: `http://localhost:${port}` };
  }

  private async writeFiles(appDir: string, files: PlannedFile[]): Promise<void> {
    for (const file of files) {
      const absolutePath = resolve(appDir, file.path);
      if (!absolutePath.startsWith(appDir)) {
        throw new Error(`Invalid path: ${file.path}`);
      }
      await mkdir(dirname(absolutePath), { recursive: true });
      await writeFile(absolutePath, file.content, 'utf8');
    }
  }

  async readSource(appId: string, relativePath: string): Promise<string> {
    const app = this.apps.get(appId);
    if (!app) throw new Error(`unknown sandbox ${appId}`);
    const root = await realpath(app.dir);
    const target = await realpath(resolve(root, relativePath));
    if (target !== root && !target.startsWith(root + sep)) {
      throw new Error(`Invalid path: ${relativePath}`);
    }
    return readFile(target, 'utf8');
  }

  logs(appId: string, tail = 100): string[] {
    return this.apps.get(appId)?.logs.slice(-tail) ?? [];
  }

  list(): SandboxStatus[] {
    return [...this.apps.values()].map((app) => ({
      appId: app.appId,
      port: app.port,
      pid: app.process.pid,
      startedAt: app.startedAt.toISOString(),
      logChunks: app.logs.length,
    }));
  }

  async stop(appId: string): Promise<void> {
    const app = this.apps.get(appId);
    if (!app) return;
    app.process.kill('SIGTERM');
    this.apps.delete(appId);
    try {
      await rm(app.dir, { recursive: true, force: true });
    } catch {}
  }

  async stopAll(): Promise<void> {
    const results = await Promise.allSettled([...this.apps.keys()].map((id) => this.stop(id)));
    for (const result of results) {
      if (result.status === 'rejected') {
        logger.error({ err: result.reason }, 'failed to stop sandbox during shutdown');
      }
    }
  }
}
