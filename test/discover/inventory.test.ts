// Discovery and inventory: language by extension and shebang, default excludes counted by
// reason, code lines per language, and the stack from manifests and imports.
import { describe, expect, it } from 'vitest';
import { runAudit } from '../../src/engine/audit.js';
import { auditFile, createFileAuditSetup } from '../../src/engine/run-file.js';
import { makeTree } from '../helpers.js';

describe('inventory', () => {
  it('detects languages by extension and shebang and counts exclusions by reason', async () => {
    const root = makeTree({
      'bin/deploy': '#!/usr/bin/env python3\nimport sys\nprint(sys.argv)\n',
      'bin/serve': '#!/usr/bin/env node\nconsole.log(1);\n',
      'bin/notes': 'just text without a shebang\n',
      'web/app.tsx': 'export const App = () => <div />;\n',
      'web/app.min.js': 'var a=1;\n',
      'web/env.d.ts': 'declare module "*.svg";\n',
      'web/logo.png': 'not really a png',
      'node_modules/x/index.js': 'module.exports = 1;\n',
      '.venv/pyvenv.cfg': 'home = /usr\n',
      'env2/pyvenv.cfg': 'home = /usr\n',
      'package-lock.json': '{}\n',
      'README.md': '# hi\n',
    });
    const result = await runAudit({ root, config: {}, jobs: 1, cache: false });
    expect(Object.keys(result.inventory.languages).sort()).toEqual(['javascript', 'python', 'tsx']);
    expect(result.inventory.languages.python).toEqual({ files: 1, lines: 3, codeLines: 2 });
    expect(result.inventory.excluded).toEqual({
      'default-excluded-folder': 2,
      virtualenv: 1,
      'minified-name': 1,
      'binary-extension': 1,
      lockfile: 1,
      'type-declaration': 1,
      'not-audited-type': 2,
    });
  });

  it('detects the stack from manifests and from imports, with evidence', async () => {
    const root = makeTree({
      'backend/requirements.txt': 'fastapi==0.109.0\nSQLAlchemy[asyncio]>=2\n# comment\n-r base.txt\n',
      'backend/app/bot.py': 'from aiogram import Bot\nimport anthropic\n',
      'web/package.json': JSON.stringify({ dependencies: { express: '^4', ioredis: '^5' }, devDependencies: { vitest: '^3' } }),
      'web/src/queue.ts': "import { Queue } from 'bullmq';\nimport OpenAI from 'openai';\nconst discord = require('discord.js');\n",
      'pyproject.toml': '[project]\nname = "x"\ndependencies = ["django>=4", "celery"]\n[tool.poetry.dependencies]\npython = "^3.11"\npython-telegram-bot = "^21"\n',
    });
    const result = await runAudit({ root, config: {}, jobs: 1, cache: false });
    const stack = Object.fromEntries(result.inventory.stack.map((s) => [s.name, s.evidence]));
    expect(Object.keys(stack).sort()).toEqual(
      ['Anthropic SDK', 'BullMQ', 'Celery', 'Django', 'Express', 'FastAPI', 'OpenAI SDK', 'Redis', 'SQLAlchemy', 'Vitest', 'aiogram', 'discord.js', 'python-telegram-bot'].sort(),
    );
    expect(stack.FastAPI).toEqual(['backend/requirements.txt']);
    expect(stack['Anthropic SDK']).toEqual(['backend/app/bot.py']);
    expect(stack.BullMQ).toEqual(['web/src/queue.ts']);
  });
});

describe('a file that disappears or cannot be read', () => {
  it('becomes an unreadable diagnostic, not a crash', () => {
    const result = auditFile({ path: 'gone.py', absolutePath: '/nonexistent/gone.py', language: 'python', size: 10 }, createFileAuditSetup([], {}));
    expect(result.diagnostics).toEqual([{ file: 'gone.py', kind: 'unreadable', reason: 'cannot read file: ENOENT' }]);
    expect(result.skipped).toBe('unreadable');
  });
});

describe('imports for stack detection', () => {
  it('come from import statements and require calls, never from strings that mention them', async () => {
    const root = makeTree({
      'src/a.ts': "import express from 'express';\nexport * from './local';\nconst { Queue } = require('bullmq');\nconst fixture = \"import OpenAI from 'openai'\";\ndescribe('x', () => { const t = { f: \"require('discord.js')\" }; });\n",
      'app/b.py': 'import os\ntry:\n    import redis\nexcept ImportError:\n    redis = None\nDOC = """\nimport celery\n"""\n',
    });
    const result = await runAudit({ root, config: {}, jobs: 1, cache: false });
    expect(result.inventory.stack.map((s) => s.name).sort()).toEqual(['BullMQ', 'Express', 'Redis']);
  });
});
