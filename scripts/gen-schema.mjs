// Regenerates schemas/config.schema.json from the zod config schema (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../dist/config/json-schema.js';

writeFileSync(new URL('../schemas/config.schema.json', import.meta.url), configJsonSchema());
console.log('wrote schemas/config.schema.json');
