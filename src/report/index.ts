// Format name → reporter. Every reporter is a pure function of the AuditResult.
import type { AuditResult } from '../core/audit-result.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderTerminal } from './terminal.js';

export const FORMATS = ['terminal', 'json', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  color: boolean;
}

export const reporters: Record<Format, (result: AuditResult, options: RenderOptions) => string> = {
  terminal: renderTerminal,
  json: renderJson,
  sarif: renderSarif,
  markdown: renderMarkdown,
};
