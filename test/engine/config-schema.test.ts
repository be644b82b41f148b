// The committed config JSON Schema must match the zod schema it is generated from.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/json-schema.js';
import { REPO_ROOT } from '../helpers.js';

it('schemas/config.schema.json is fresh (regenerate with `npm run gen:schema`)', () => {
  expect(readFileSync(join(REPO_ROOT, 'schemas', 'config.schema.json'), 'utf8')).toBe(configJsonSchema());
});
