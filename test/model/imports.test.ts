import { describe, expect, it } from 'vitest';
import type { SourceLanguage } from '../../src/core/types.js';
import { collectImportStatements, importedModules, type ImportStatement } from '../../src/engine/imports.js';
import { buildImportGraph } from '../../src/model/imports.js';
import { parseJsonWithComments } from '../../src/model/tsconfig.js';
import { parseSource } from '../../src/parse/parse.js';

const LANGUAGE: Record<string, SourceLanguage> = { py: 'python', ts: 'typescript', tsx: 'tsx', js: 'javascript', mjs: 'javascript', cjs: 'javascript' };

function languageOf(path: string): string | undefined {
  return LANGUAGE[path.slice(path.lastIndexOf('.') + 1)];
}

function statementsOf(path: string, source: string): ImportStatement[] {
  const language = LANGUAGE[path.slice(path.lastIndexOf('.') + 1)];
  return collectImportStatements(parseSource(language, source).root(), language === 'python' ? 'py' : 'ts', language === 'typescript' || language === 'tsx');
}

/** The graph of a small tree given as path → source, as `from → to@line(timing)` strings. */
function graphOf(tree: Record<string, string>, rootName = 'project') {
  const diagnostics: string[] = [];
  const statements = new Map<string, ImportStatement[]>();
  for (const [path, source] of Object.entries(tree)) if (languageOf(path)) statements.set(path, statementsOf(path, source));
  const graph = buildImportGraph({
    files: Object.keys(tree).map((path) => ({ path, language: languageOf(path) ?? 'text' })),
    statements,
    read: (path) => tree[path],
    rootName,
    diagnose: (path, reason) => diagnostics.push(`${path}: ${reason}`),
  });
  const edges = [...graph.edges].flatMap(([from, imports]) => imports.map((i) => `${from} → ${i.to}@${i.line}${i.timing === 'runtime' ? '' : ` (${i.timing})`}`));
  return { graph, edges, diagnostics };
}

describe('collectImportStatements', () => {
  it('keeps the level dots and imported names of Python relative imports, and their lines', () => {
    expect(statementsOf('a/b.py', 'import os\nfrom . import x, y as z\nfrom ..models import Order\nfrom .a.b import *\n')).toEqual([
      { module: 'os', line: 1, timing: 'runtime' },
      { module: '.', names: ['x', 'y'], line: 2, timing: 'runtime' },
      { module: '..models', names: ['Order'], line: 3, timing: 'runtime' },
      { module: '.a.b', names: [], line: 4, timing: 'runtime' },
    ]);
  });

  it('marks TYPE_CHECKING imports as type-only, their else branch and try blocks as runtime, __main__ ones as lazy, and skips functions', () => {
    const source = [
      'import typing as t',
      'if t.TYPE_CHECKING:',
      '    from app.orders import Order',
      'else:',
      '    from app.compat import Order',
      'try:',
      '    import ujson as json',
      'except ImportError:',
      '    import json',
      'def later():',
      '    from app.customers import Customer',
      'if __name__ == "__main__":',
      '    from app.cli import main',
    ].join('\n');
    expect(statementsOf('app/x.py', source).map((s) => `${s.module}:${s.line}:${s.timing}`)).toEqual([
      'typing:1:runtime',
      'app.orders:3:type',
      'app.compat:5:runtime',
      'ujson:7:runtime',
      'json:9:runtime',
      'app.cli:13:lazy',
    ]);
  });

  it('tells TS imports that run from type-only ones (import type, type specifiers, names only used as types)', () => {
    const source = [
      "import type { A } from './a';",
      "import { type B } from './b';",
      "import { C } from './c';",
      "import { D } from './d';",
      "import './polyfill';",
      "export * from './e';",
      "export type { F } from './f';",
      'let value: C = new D();',
    ].join('\n');
    expect(statementsOf('src/x.ts', source).map((s) => `${s.module}:${s.timing}`)).toEqual([
      './a:type',
      './b:type',
      './c:type',
      './d:runtime',
      './polyfill:runtime',
      './e:runtime',
      './f:type',
    ]);
  });

  it('marks dynamic import() and require inside functions as lazy in JS', () => {
    const source = "const a = require('./a');\nmodule.exports = function () {\n  return require('./b');\n};\nconst c = import('./c');\n";
    expect(statementsOf('lib/x.js', source).map((s) => `${s.module}:${s.line}:${s.timing}`)).toEqual(['./a:1:runtime', './b:3:lazy', './c:5:lazy']);
  });

  it('gives stack detection the same module names as before (no Python relative imports)', () => {
    expect(importedModules(statementsOf('a.py', 'from . import x\nfrom flask import Flask\nimport os.path\n'), 'py')).toEqual(['flask', 'os.path']);
    expect(importedModules(statementsOf('a.ts', "import express from 'express';\nimport { x } from './x';\nx(express);\n"), 'ts')).toEqual(['./x', 'express']);
  });
});

describe('buildImportGraph: Python', () => {
  it('resolves absolute imports under the root, src/ and the folder holding a top-level package', () => {
    const { edges } = graphOf({
      'src/shop/__init__.py': '',
      'src/shop/orders.py': 'from shop.customers import Customer\nimport shop.pricing.rules\nimport requests\n',
      'src/shop/customers.py': '',
      'src/shop/pricing/__init__.py': '',
      'src/shop/pricing/rules.py': 'from shop import orders, VERSION\n',
      'tools/release.py': 'import src.shop.orders\n',
    });
    expect(edges).toEqual([
      'src/shop/orders.py → src/shop/customers.py@1',
      'src/shop/orders.py → src/shop/pricing/rules.py@2',
      'src/shop/pricing/rules.py → src/shop/__init__.py@1',
      'src/shop/pricing/rules.py → src/shop/orders.py@1',
      'tools/release.py → src/shop/orders.py@1',
    ]);
  });

  it('resolves relative imports from the importing package, including from a package __init__', () => {
    const { edges } = graphOf({
      'app/__init__.py': 'from .services import billing\n',
      'app/models/__init__.py': '',
      'app/models/invoice.py': '',
      'app/services/__init__.py': '',
      'app/services/billing.py': 'from ..models import invoice\nfrom ..models.invoice import Invoice\nfrom . import missing\nfrom .... import outside\n',
    });
    expect(edges).toEqual([
      'app/__init__.py → app/services/billing.py@1',
      'app/services/billing.py → app/models/invoice.py@1',
      'app/services/billing.py → app/models/invoice.py@2',
      'app/services/billing.py → app/services/__init__.py@3',
    ]);
  });

  it('imports a root that is itself a package by its own name, and leaves stdlib names to the stdlib', () => {
    const { edges } = graphOf({ '__init__.py': '', 'app.py': 'import json\nfrom django.db import models\n', 'json/__init__.py': '', 'db/__init__.py': '', 'db/models.py': '' }, 'django');
    expect(edges).toEqual(['app.py → db/models.py@2']);
  });
});

describe('buildImportGraph: TS/JS', () => {
  it('follows extensions, index files, .js written for .ts, and leaves packages unresolved', () => {
    const { edges, graph } = graphOf({
      'src/main.ts': "import { a } from './a.js';\nimport { b } from './b';\nimport { c } from './c/index';\nimport { d } from './d';\nimport z from 'zod';\na(b, c, d, z);\n",
      'src/a.ts': '',
      'src/b.tsx': '',
      'src/c/index.ts': '',
      'src/d/index.js': '',
      'lib/x.cjs': "require('./y');\nrequire('../src/a.js');\n",
      'lib/y.cjs': '',
    });
    expect(edges).toEqual([
      'src/main.ts → src/a.ts@1',
      'src/main.ts → src/b.tsx@2',
      'src/main.ts → src/c/index.ts@3',
      'src/main.ts → src/d/index.js@4',
      'lib/x.cjs → lib/y.cjs@1',
      'lib/x.cjs → src/a.ts@2',
    ]);
    expect(graph.modules).toHaveLength(7);
    expect(graph.edgeCount).toBe(6);
  });

  it('resolves tsconfig paths and baseUrl (comments and trailing commas allowed), the nearest config applying', () => {
    const { edges } = graphOf({
      'tsconfig.json': '{\n  // app\n  "compilerOptions": { "baseUrl": "src", "paths": { "@app/*": ["app/*"], "~config": ["config/index.ts"], }, },\n}\n',
      'src/app/server.ts': "import { routes } from '@app/routes';\nimport { config } from '~config';\nimport { db } from 'lib/db';\nimport express from 'express';\nexpress(routes, config, db);\n",
      'src/app/routes.ts': '',
      'src/config/index.ts': '',
      'src/lib/db.ts': '',
      'web/tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }',
      'web/page.ts': "import { routes } from '@app/routes';\nimport { ui } from '@/ui';\nui(routes);\n",
      'web/ui.ts': '',
    });
    expect(edges).toEqual([
      'src/app/server.ts → src/app/routes.ts@1',
      'src/app/server.ts → src/config/index.ts@2',
      'src/app/server.ts → src/lib/db.ts@3',
      'web/page.ts → web/ui.ts@2',
    ]);
  });

  it('reports a malformed tsconfig.json and goes on', () => {
    const { edges, diagnostics } = graphOf({ 'tsconfig.json': '{ "compilerOptions": ', 'a.ts': "import { b } from './b';\nb();\n", 'b.ts': '' });
    expect(edges).toEqual(['a.ts → b.ts@1']);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatch(/^tsconfig\.json: not valid JSON/);
  });

  it('reads JSON with comments without touching comment-like text in strings', () => {
    expect(parseJsonWithComments('{ "a": "http://x/*y*/", /* c */ "b": [1, 2,], // d\n}')).toEqual({ a: 'http://x/*y*/', b: [1, 2] });
  });
});
