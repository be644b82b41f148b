// The configuration's JSON Schema for editors, generated from the zod schema (one source).
import { z } from 'zod';
import { configSchema } from './schema.js';

export function configJsonSchema(): string {
  const schema = z.toJSONSchema(configSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  return `${JSON.stringify({ ...schema, title: 'Probity configuration (probity.config.json)' }, null, 2)}\n`;
}
