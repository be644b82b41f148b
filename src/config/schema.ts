// The one schema for Probity's configuration. It validates config files, rejects unknown keys
// with the allowed ones listed, and is exported as JSON Schema for editors.
import { z } from 'zod';
import { SEVERITIES } from '../core/types.js';

export const FAIL_ON = [...SEVERITIES, 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

const ruleSetting = z.union([
  z.enum(['off', 'on']).describe('"off" disables the rule; "on" enables it (also a preview rule)'),
  z.enum(SEVERITIES).describe('enables the rule at this severity'),
  z.strictObject({
    enabled: z.boolean().optional().describe('false disables the rule'),
    severity: z.enum(SEVERITIES).optional().describe('overrides the default severity'),
    options: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional().describe('rule options (see the rule docs)'),
    ignore: z.array(z.string()).optional().describe('gitignore-style patterns: findings of this rule in matching files are suppressed (and listed as such)'),
    reason: z.string().min(3).optional().describe('why those files are ignored; shown with the suppressed findings'),
  }),
]);

export const configSchema = z.strictObject({
  $schema: z.string().optional().describe('JSON Schema reference for editors'),
  include: z.array(z.string()).optional().describe('gitignore-style patterns: audit only matching files'),
  exclude: z.array(z.string()).optional().describe('gitignore-style patterns: never audit matching files or folders'),
  failOn: z.enum(FAIL_ON).optional().describe('lowest severity that makes `probity audit` exit 1 (default "high")'),
  maxFileBytes: z.number().int().positive().optional().describe('files larger than this are skipped and reported (default 1 MiB)'),
  jobs: z.number().int().min(1).max(64).optional().describe('worker threads (default: the number of cores)'),
  rules: z.record(z.string(), ruleSetting).optional().describe('per-rule settings keyed by rule id'),
  rulesDirs: z.array(z.string()).optional().describe('extra folders of rules (<area>/<name>/rule.yml), relative to the config file'),
  offline: z.boolean().optional().describe('no network: advisories (OSV) and latest versions (npm, PyPI) are not fetched and those checks are listed as skipped'),
  advisories: z.string().optional().describe('folder of OSV advisory records (JSON or YAML) used instead of the OSV API, relative to the config file'),
});

export type ProbityConfig = z.infer<typeof configSchema>;
export type RuleSetting = z.infer<typeof ruleSetting>;

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
