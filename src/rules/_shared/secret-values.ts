// Whether a value could authenticate anywhere: random enough, not a placeholder, not a
// reference to somewhere else (`${VAR}`, `{{ vault }}`), not a documented example key.
import { looksLikePlaceholder } from './secret-names.js';

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** Lower case, upper case, digits, other symbols; separators (`_-.`) count for none. */
export function characterClasses(value: string): number {
  let classes = 0;
  if (/[a-z]/.test(value)) classes++;
  if (/[A-Z]/.test(value)) classes++;
  if (/[0-9]/.test(value)) classes++;
  if (/[^A-Za-z0-9_.\- ]/.test(value)) classes++;
  return classes;
}

/** Keys published in vendor docs and tutorials: they open nothing. */
const DOCUMENTED_EXAMPLES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  // The Firebase SDK's example Google API keys (gitleaks allow-lists the same ones).
  'AIzaSyabcdefghijklmnopqrstuvwxyz1234567', 'AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs', 'AIzaSyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM',
  'AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU', 'AIzaSyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0', 'AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A',
  'AIzaSyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c', 'AIzaSyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4', 'AIzaSyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY',
  'AIzaSyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM', 'AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ', 'AIzaSyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g',
  'AIzaSyBF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU', 'AIzaSyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw', 'AIzaSyB8qGxt4ec15vitgn44duC5ucxaOi4FmqE',
  'AIzaSyA8vmApnrHNFE0bApF4hoZ11srVL_n0nvY',
  // Azurite's well-known development storage key.
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
]);

/** Runs a person types for "any value": `abcdefgh`, `12345678`, `xxxxxxxx`, `EXAMPLE`. */
const FILLER = /(?:abcdefgh|bcdefghi|12345678|23456789|98765432|(.)\1{5,}|example|sample|dummy|placeholder|redacted|changeme|your_?key|insert|fake|xxxx|test_?key|not_?a_?real|randomstring|here$)/i;

/** References to a value kept somewhere else, template syntax and interpolation. */
const REFERENCE = /\$\{|\$\(|\{\{|\{%|%\(|<%|^\$[A-Za-z_]|^%[A-Za-z_]+%$|^@|^!(vault|env|ref|secret)/i;

export function isDocumentedExample(value: string): boolean {
  return DOCUMENTED_EXAMPLES.has(value);
}

/** A value that stands for a secret rather than being one. */
export function isPlaceholderValue(value: string): boolean {
  return looksLikePlaceholder(value) || REFERENCE.test(value) || FILLER.test(value) || isDocumentedExample(value);
}

/** A provider token whose random part is real: long enough, varied, not filler. */
export function looksLikeRealToken(token: string): boolean {
  if (isPlaceholderValue(token)) return false;
  const body = token.replace(/^[A-Za-z]{2,8}[-_]/, '');
  return new Set(body).size >= 8 && shannonEntropy(body) >= 3;
}

