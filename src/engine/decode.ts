// Turns a file's bytes into auditable text, or says why it is not: binary content, invalid
// UTF-8, no recognisable language, minified code. The reasons become diagnostics.
import type { Diagnostic, FileLanguage } from '../core/types.js';
import { familyOf, languageFromShebang } from '../discover/language.js';
import { splitLines } from '../discover/lines.js';

export type SkipReason = 'binary' | 'encoding' | 'minified' | 'not-audited-type' | 'unreadable';

export type DecodedSource =
  | { ok: true; source: string; lines: string[]; language: FileLanguage }
  | { ok: false; skipped: SkipReason; diagnostic?: Diagnostic };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8000);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

/** Bundled or minified JavaScript: a few enormous lines. */
function looksMinified(lines: readonly string[], size: number): boolean {
  if (size < 5000) return false;
  let longest = 0;
  for (const line of lines) if (line.length > longest) longest = line.length;
  return longest > 2000 && size / Math.max(lines.length, 1) > 300;
}

/** `languageHint` comes from the file name; extensionless files are identified by their shebang. */
export function decodeSource(path: string, bytes: Uint8Array, languageHint: FileLanguage | undefined): DecodedSource {
  if (looksBinary(bytes)) {
    return { ok: false, skipped: 'binary', diagnostic: { file: path, kind: 'binary', reason: 'binary content (NUL bytes); not audited' } };
  }
  let source: string;
  try {
    source = utf8.decode(bytes);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error; // TextDecoder's only way of saying: not UTF-8
    return { ok: false, skipped: 'encoding', diagnostic: { file: path, kind: 'encoding', reason: 'not valid UTF-8 text; not audited' } };
  }
  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
  const lines = splitLines(source);
  const language = languageHint ?? languageFromShebang(lines[0] ?? '');
  if (!language) return { ok: false, skipped: 'not-audited-type' };
  if (familyOf(language) === 'ts' && looksMinified(lines, bytes.length)) {
    return { ok: false, skipped: 'minified', diagnostic: { file: path, kind: 'minified', reason: 'minified or bundled code (very long lines); not audited' } };
  }
  return { ok: true, source, lines, language };
}
