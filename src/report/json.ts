// JSON: the AuditResult itself, the contract described by schemas/audit-result.schema.json.
import type { AuditResult } from '../core/audit-result.js';

export function renderJson(result: AuditResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
