import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

process.env.NODE_ENV = 'test';
process.env.DATABASE_URL ??= 'postgres://localhost:5432/shop_test';
process.env.PLANNER_API_KEY ??= 'test-planner-key';

const { app } = await import('../src/server.js');
const { normalizePlan } = await import('../src/services/planner.js');

describe('apps API', () => {
  let server: Server;
  let base = '';

  before(() => {
    server = app.listen(0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => {
    server.close();
  });

  it('rejects generate without a bearer token', async () => {
    const response = await fetch(`${base}/api/apps/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'a small shop for ceramic mugs' }),
    });
    console.log(await response.clone().text());
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { error: 'AUTH_REQUIRED' });
  });

  it('rejects a forged bearer token', async () => {
    const response = await fetch(`${base}/api/apps/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-jwt' },
      body: JSON.stringify({ prompt: 'x' }),
    });
    assert.equal(response.status, 401);
  });

  it('refuses preview logs without a preview token', async () => {
    const response = await fetch(`${base}/preview/some-app/logs`);
    assert.equal(response.status, 401);
  });
});

describe('normalizePlan', () => {
  it('keeps only well-formed files', () => {
    const plan = normalizePlan({
      name: 'Mugs',
      files: [{ path: 'index.js', content: 'console.log(1)' }, { path: 3 }],
    });
    assert.equal(plan.files.length, 1);
    assert.equal(plan.name, 'Mugs');
  });

  it('refuses an empty plan', () => {
    assert.throws(() => normalizePlan({ files: [] }), /no files/);
  });
});
