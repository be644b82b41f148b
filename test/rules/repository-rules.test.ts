// Repository rules of issue 7: the environment-variable scanner behind documentation/missing-env-example,
// the severity it chooses, and the diagnostic a malformed manifest gives instead of a crash.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/engine/catalog.js';
import { runAudit } from '../../src/engine/audit.js';
import { javascriptEnvReads, pythonEnvReads } from '../../src/rules/documentation/missing-env-example/env-reads.js';

const names = (reads: { name: string; required: boolean }[]) => reads.map((read) => `${read.name}${read.required ? '!' : ''}`);

describe('pythonEnvReads', () => {
  it('reads os.environ[...] as required and get/getenv as optional', () => {
    const source = 'import os\nA = os.environ["API_KEY"]\nB = os.environ.get("REGION", "eu")\nC = os.getenv("TIMEOUT")\n';
    expect(names(pythonEnvReads(source, 'app.py'))).toEqual(['API_KEY!', 'REGION', 'TIMEOUT']);
  });

  it('counts a bare environ only when it comes from os (a WSGI environ holds request headers)', () => {
    expect(pythonEnvReads('def app(environ, start):\n    return environ["HTTP_HOST"]\n', 'wsgi.py')).toEqual([]);
    expect(names(pythonEnvReads('from os import environ\nKEY = environ["SECRET_KEY"]\n', 'settings.py'))).toEqual(['SECRET_KEY!']);
  });

  it('leaves out writes and names built from a prefix', () => {
    const source = 'import os\nos.environ["TOKENIZERS_PARALLELISM"] = "false"\nv = os.environ.get("APP_" + field)\n';
    expect(pythonEnvReads(source, 'model.py')).toEqual([]);
  });

  it('turns pydantic settings fields into upper-cased names with the env_prefix, aliases and required fields', () => {
    const source = [
      'class Settings(BaseSettings):',
      '    model_config = SettingsConfigDict(env_prefix="SHOP_")',
      '',
      '    database_url: str',
      '    redis_url: str = "redis://localhost"',
      '    dsn: str | None = Field(default=None, alias="SENTRY_DSN")',
      '    jwt_secret: str = Field(..., min_length=32)',
      '',
      'settings = Settings()',
    ].join('\n');
    const reads = pythonEnvReads(source, 'config.py');
    expect(names(reads)).toEqual(['SHOP_DATABASE_URL!', 'SHOP_REDIS_URL', 'SENTRY_DSN', 'SHOP_JWT_SECRET!']);
    expect(reads[0].line).toBe(4);
  });

  it('reads python-decouple config() with and without a default', () => {
    const source = 'from decouple import config\nSECRET = config("SECRET_KEY")\nDEBUG = config("DEBUG", default=False, cast=bool)\n';
    expect(names(pythonEnvReads(source, 'settings.py'))).toEqual(['SECRET_KEY!', 'DEBUG']);
  });
});

describe('javascriptEnvReads', () => {
  it('reads process.env members, indexes and destructuring; skips writes and Vite built-ins', () => {
    const source = [
      "const { SMTP_HOST, SMTP_PORT = '587' } = process.env;",
      'const url = process.env.DATABASE_URL!;',
      "const key = process.env['API_KEY'];",
      "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';",
      'const mode = import.meta.env.MODE;',
      'const api = import.meta.env.VITE_API_URL;',
    ].join('\n');
    expect(names(javascriptEnvReads(source, 'config.ts'))).toEqual(['DATABASE_URL!', 'API_KEY', 'VITE_API_URL', 'SMTP_HOST', 'SMTP_PORT']);
  });

  it('follows a local helper that reads the variable its parameter names', () => {
    const source = "function requireEnv(name) {\n  const v = process.env[name];\n  if (!v) throw new Error(name);\n  return v;\n}\nconst secret = requireEnv('JWT_SECRET');\n";
    const reads = javascriptEnvReads(source, 'config.js');
    expect(names(reads)).toEqual(['JWT_SECRET!']);
    expect(reads[0].line).toBe(6);
  });
});

describe('repository rules on fixture projects', () => {
  const fixtures = (rule: string, project: string) => join(import.meta.dirname, '../../src/rules', rule, 'fixtures', project);

  async function audit(root: string, id: string) {
    const catalog = await loadCatalog();
    const rule = catalog.byId.get(id)!;
    return runAudit({ root, config: {}, jobs: 1, cache: false, only: [id], catalog: { rules: [rule], byId: new Map([[id, rule]]) } });
  }

  it('missing-env-example is Medium when an undocumented variable is required, Low otherwise', async () => {
    const required = await audit(fixtures('documentation/missing-env-example', 'fastapi-no-template'), 'documentation/missing-env-example');
    expect(required.findings.map((f) => f.severity)).toEqual(['medium']);
    expect(required.findings[0].message).toContain('STRIPE_API_KEY (app/payments.py:5)');
    const optional = await audit(fixtures('documentation/missing-env-example', 'commonjs-bot'), 'documentation/missing-env-example');
    expect(optional.findings.map((f) => f.severity)).toEqual(['low']);
  });

  it('no-coverage-tool names a malformed package.json in a diagnostic instead of guessing', async () => {
    const result = await audit(fixtures('testing/no-coverage-tool', 'malformed-package-json'), 'testing/no-coverage-tool');
    expect(result.findings).toEqual([]);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ file: 'package.json', kind: 'parse-error', reason: expect.stringContaining('not valid JSON') }));
  });
});
