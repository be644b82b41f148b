// A fingerprint that survives line shifts: rule + path + the normalised code of the finding +
// its occurrence among identical ones, hashed. History uses it to tell fixed from moved.
import { createHash } from 'node:crypto';
import type { Finding } from '../core/types.js';

export function normaliseCode(text: string): string {
  // Whitespace carries no meaning for identity: reformatting must not look like a new finding.
  return text.replace(/\s+/g, '');
}

/** Fills `fingerprint` on findings of one file, which must be sorted by position. */
export function fingerprintFindings(findings: Finding[], lines: readonly string[]): void {
  const seen = new Map<string, number>();
  for (const finding of findings) {
    const code = normaliseCode(lines.slice(finding.line - 1, finding.endLine).join('\n')).slice(0, 400);
    const key = `${finding.ruleId}\u0000${finding.file}\u0000${code}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    finding.fingerprint = createHash('sha256').update(`${key}\u0000${occurrence}`).digest('hex').slice(0, 20);
  }
}
