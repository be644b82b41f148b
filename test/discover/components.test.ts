// Components: files grouped by the role their folder or file name announces (seed 000's parts).
import { describe, expect, it } from 'vitest';
import { detectComponents, placeFile, type InventoriedFile } from '../../src/discover/components.js';

describe('placeFile', () => {
  it('takes the role of the nearest folder that names one', () => {
    expect(placeFile('bot/db/models/user.py', 'python')).toEqual({ path: 'bot/db/models', role: 'models' });
    expect(placeFile('bot/db/repositories/user_repo.py', 'python')).toEqual({ path: 'bot/db/repositories', role: 'repositories' });
    expect(placeFile('src/routes/apps.ts', 'typescript')).toEqual({ path: 'src/routes', role: 'routes' });
    expect(placeFile('app/services/billing/invoice.py', 'python')).toEqual({ path: 'app/services', role: 'services' });
    expect(placeFile('bot/cache/user_cache.py', 'python')).toEqual({ path: 'bot/cache', role: 'cache' });
    expect(placeFile('bot/telegram/middlewares/logging.py', 'python')).toEqual({ path: 'bot/telegram/middlewares', role: 'middleware' });
    expect(placeFile('bot/core/tools/web_fetch.py', 'python')).toEqual({ path: 'bot/core/tools', role: 'tools' });
    // web/ is a frontend folder too, but the nearest one names the component.
    expect(placeFile('web/components/List.tsx', 'tsx')).toEqual({ path: 'web/components', role: 'frontend' });
    expect(placeFile('scripts/backfill.py', 'python')).toEqual({ path: 'scripts', role: 'scripts' });
    expect(placeFile('site/components/List.tsx', 'tsx')).toEqual({ path: 'site/components', role: 'frontend' });
  });

  it('keeps migrations together under their outermost folder, and other parts apart', () => {
    // alembic/ and versions/ are both migrations: the component is alembic/.
    expect(placeFile('postgres/alembic/versions/0001_initial.py', 'python')).toEqual({ path: 'postgres/alembic', role: 'migrations' });
    // Seed 000's layout: bot/ is a handlers word, yet handlers and pipeline are separate parts.
    expect(placeFile('bot/telegram/handlers/claude.py', 'python')).toEqual({ path: 'bot/telegram/handlers', role: 'handlers' });
    expect(placeFile('bot/telegram/pipeline/queue.py', 'python')).toEqual({ path: 'bot/telegram/pipeline', role: 'handlers' });
    // A different role further up does not swallow it: services/ above models/ stays models.
    expect(placeFile('app/services/models/order.py', 'python')).toEqual({ path: 'app/services/models', role: 'models' });
  });

  it('gives role-naming files a part of their own, and infrastructure files their folder', () => {
    expect(placeFile('backend/app/models.py', 'python')).toEqual({ path: 'backend/app/models.py', role: 'models' });
    expect(placeFile('bot/config.py', 'python')).toEqual({ path: 'bot/config.py', role: 'config' });
    expect(placeFile('web/src/routes.ts', 'typescript')).toEqual({ path: 'web/src/routes.ts', role: 'routes' });
    expect(placeFile('docker-compose.yml', 'yaml')).toEqual({ path: '.', role: 'infra' });
    expect(placeFile('backend/Dockerfile', 'dockerfile')).toEqual({ path: 'backend', role: 'infra' });
    expect(placeFile('deploy/main.tf', 'text')).toEqual({ path: 'deploy', role: 'infra' });
  });

  it('puts tests under their tests folder, or next to the code for *.test.ts', () => {
    expect(placeFile('backend/tests/test_orders.py', 'python')).toEqual({ path: 'backend/tests', role: 'tests' });
    expect(placeFile('backend/tests/unit/models/test_user.py', 'python')).toEqual({ path: 'backend/tests', role: 'tests' });
    expect(placeFile('src/services/sandbox.test.ts', 'typescript')).toEqual({ path: 'src/services', role: 'tests' });
    expect(placeFile('conftest.py', 'python')).toEqual({ path: '.', role: 'tests' });
  });

  it('leaves everything else as "other", by its top-level folders', () => {
    expect(placeFile('backend/app/main.py', 'python')).toEqual({ path: 'backend/app', role: 'other' });
    expect(placeFile('backend/app/deep/er/x.py', 'python')).toEqual({ path: 'backend/app', role: 'other' });
    expect(placeFile('backend/requirements.txt', 'text')).toEqual({ path: 'backend', role: 'other' });
    expect(placeFile('setup.py', 'python')).toEqual({ path: '.', role: 'other' });
    // A .tsx file outside a named folder is still frontend code.
    expect(placeFile('src/App.tsx', 'tsx')).toEqual({ path: 'src', role: 'frontend' });
  });
});

describe('detectComponents', () => {
  const files: InventoriedFile[] = [
    { path: 'backend/app/routes/orders.py', language: 'python', codeLines: 119 },
    { path: 'backend/app/routes/auth.py', language: 'python', codeLines: 50 },
    { path: 'backend/app/routes/__init__.py', language: 'python', codeLines: 0 },
    { path: 'backend/app/main.py', language: 'python', codeLines: 87 },
    { path: 'backend/Dockerfile', language: 'dockerfile', codeLines: 9 },
    { path: 'backend/requirements.txt', language: 'text', codeLines: 15 },
    ...Array.from({ length: 7 }, (_, i) => ({ path: `site/src/components/C${i}.tsx`, language: 'tsx', codeLines: 10 * (i + 1) })),
    { path: 'site/src/components/util.ts', language: 'typescript', codeLines: 5 },
  ];
  const components = detectComponents(files);

  it('sums files, code lines and languages per component, sorted by path then role', () => {
    expect(components.map((c) => [c.path, c.role, c.files, c.codeLines])).toEqual([
      ['backend', 'infra', 1, 9],
      ['backend', 'other', 1, 15],
      ['backend/app', 'other', 1, 87],
      ['backend/app/routes', 'routes', 3, 169],
      ['site/src/components', 'frontend', 8, 285],
    ]);
    expect(components[4].languages).toEqual({ tsx: 280, typescript: 5 });
    expect(components[4].name).toBe('site/src/components');
  });

  it('keeps the five largest files, largest first, ties by path', () => {
    expect(components[3].largestFiles).toEqual([
      { path: 'backend/app/routes/orders.py', codeLines: 119 },
      { path: 'backend/app/routes/auth.py', codeLines: 50 },
      { path: 'backend/app/routes/__init__.py', codeLines: 0 },
    ]);
    expect(components[4].largestFiles.map((f) => f.codeLines)).toEqual([70, 60, 50, 40, 30]);
  });

  it('is empty for no files', () => {
    expect(detectComponents([])).toEqual([]);
  });
});
