// The one place that knows how a language maps to an ast-grep grammar.
import { createRequire } from 'node:module';
import { Lang, kind, parse, registerDynamicLanguage, type SgRoot } from '@ast-grep/napi';
import type { SourceLanguage } from '../core/types.js';

let pythonRegistered = false;

/** Python comes as a dynamic grammar (`@ast-grep/lang-python`); register it once per thread. */
export function ensureLanguages(): void {
  if (pythonRegistered) return;
  const require = createRequire(import.meta.url);
  const python = require('@ast-grep/lang-python');
  registerDynamicLanguage({ python });
  pythonRegistered = true;
}

export function grammarOf(language: SourceLanguage): string {
  switch (language) {
    case 'python':
      return 'python';
    case 'typescript':
      return Lang.TypeScript;
    case 'tsx':
      return Lang.Tsx;
    case 'javascript':
      return Lang.JavaScript;
  }
}

export function parseSource(language: SourceLanguage, source: string): SgRoot {
  ensureLanguages();
  return parse(grammarOf(language), source);
}

/** Whether a grammar knows a node kind (TypeScript-only kinds are absent from JavaScript). */
export function grammarHasKind(language: SourceLanguage, kindName: string): boolean {
  ensureLanguages();
  return kind(grammarOf(language), kindName) !== 0;
}

export const ALL_SOURCE_LANGUAGES: readonly SourceLanguage[] = ['python', 'typescript', 'tsx', 'javascript'];
