// The service inventory read from docker-compose files: published ports (host side only, loopback
// kept visible), dependencies in both syntaxes, build contexts; other YAML files are not compose files.
import { describe, expect, it } from 'vitest';
import { composeServices } from '../../src/discover/services.js';
import { walk } from '../../src/discover/walk.js';
import { makeTree } from '../helpers.js';

describe('compose service inventory', () => {
  it('lists every service with image or build, published ports, depends_on, networks and volumes', () => {
    const root = makeTree({
      'docker-compose.yml': [
        'services:',
        '  api:',
        '    build:',
        '      context: ./backend',
        '    ports: ["8000:8000", { target: 9000, published: 9001, host_ip: 127.0.0.1 }]',
        '    depends_on:',
        '      db:',
        '        condition: service_healthy',
        '    networks: [front, back]',
        '  db:',
        '    image: postgres:16',
        '    ports: ["127.0.0.1:5432:5432"]',
        '    expose: ["5432"]',
        '    volumes: ["pg:/var/lib/postgresql/data"]',
        'volumes:',
        '  pg: {}',
      ].join('\n'),
      'ops/compose.override.yaml': 'services:\n  worker:\n    image: app/worker\n    depends_on: [db]\n',
      'config/settings.yml': 'services:\n  not-a-compose-file:\n    image: x\n',
      'broken/docker-compose.yml': 'services: [unclosed\n',
    });
    const services = composeServices(walk(root, {}).files);
    expect(services).toEqual([
      { file: 'docker-compose.yml', name: 'api', build: './backend', ports: ['8000', '127.0.0.1:9001'], dependsOn: ['db'], networks: ['front', 'back'], volumes: [] },
      { file: 'docker-compose.yml', name: 'db', image: 'postgres:16', ports: ['127.0.0.1:5432'], dependsOn: [], networks: [], volumes: ['pg:/var/lib/postgresql/data'] },
      { file: 'ops/compose.override.yaml', name: 'worker', image: 'app/worker', ports: [], dependsOn: ['db'], networks: [], volumes: [] },
    ]);
  });
});
