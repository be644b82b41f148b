// A compose file's findings depend on the `.env` beside it (compose resolves `${VAR}` from it):
// default credentials set there are found, unset variables are not guessed, the service inventory
// resolves published ports the same way, and the result cache notices a change to the `.env` alone.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAudit } from '../../src/engine/audit.js';
import { makeTree } from '../helpers.js';

const COMPOSE = [
  'services:',
  '  api:',
  '    image: ghcr.io/acme/api:1.4.2',
  '    ports:',
  '      - "${API_PORT:-8000}:8000"',
  '  db:',
  '    image: postgres:16',
  '    environment:',
  '      POSTGRES_USER: app',
  '      POSTGRES_PASSWORD: ${DB_PASSWORD}',
  '',
].join('\n');

const only = ['infrastructure/default-credentials'];

describe('compose files resolve ${VAR} from their .env', () => {
  it('reports a trivial password the .env supplies, at the compose line, naming the .env line', async () => {
    const root = makeTree({ 'docker-compose.yml': COMPOSE, '.env': 'API_PORT=8080\nDB_PASSWORD=postgres\n' });
    const result = await runAudit({ root, config: {}, jobs: 1, cache: false, only });
    const compose = result.findings.filter((f) => f.file === 'docker-compose.yml');
    expect(compose.map((f) => [f.line, f.message])).toEqual([
      [10, 'POSTGRES_PASSWORD is a well-known default or trivial value ("postgres"): anyone who can reach the service can log in (set by DB_PASSWORD in .env:2)'],
    ]);
  });

  it('an unset variable is unknown, not a finding', async () => {
    const root = makeTree({ 'docker-compose.yml': COMPOSE, '.env': 'API_PORT=8080\n' });
    const result = await runAudit({ root, config: {}, jobs: 1, cache: false, only });
    expect(result.findings).toEqual([]);
  });

  it('the service inventory resolves published ports from the .env, defaults when unset', async () => {
    const withEnv = await runAudit({ root: makeTree({ 'docker-compose.yml': COMPOSE, '.env': 'API_PORT=8080\n' }), config: {}, jobs: 1, cache: false, only });
    expect(withEnv.inventory.services.find((s) => s.name === 'api')?.ports).toEqual(['8080']);
    const without = await runAudit({ root: makeTree({ 'docker-compose.yml': COMPOSE }), config: {}, jobs: 1, cache: false, only });
    expect(without.inventory.services.find((s) => s.name === 'api')?.ports).toEqual(['8000']);
  });

  it('changing only the .env changes the compose findings on a cached re-run', async () => {
    const root = makeTree({ 'docker-compose.yml': COMPOSE, '.env': 'DB_PASSWORD=Vq7!rT2m#Lx9\n' });
    const composeFindings = async () => (await runAudit({ root, config: {}, jobs: 1, only })).findings.filter((f) => f.file === 'docker-compose.yml');
    expect(await composeFindings()).toEqual([]);
    writeFileSync(join(root, '.env'), 'DB_PASSWORD=postgres\n');
    expect((await composeFindings()).map((f) => f.line)).toEqual([10]);
    writeFileSync(join(root, '.env'), 'DB_PASSWORD=Vq7!rT2m#Lx9\n');
    expect(await composeFindings()).toEqual([]);
  });
});
