// Secrets never leave Probity in clear text: a short prefix and the length, nothing more.

export function maskSecret(value: string): string {
  const prefix = value.length >= 16 ? value.slice(0, 4) : '';
  return `${prefix}****(${value.length} chars)`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Masks every standalone occurrence of each secret: a value that is a common word ("secret")
 * must not mangle identifiers that merely contain it (`secretOrKey`).
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length === 0) continue;
    const standalone = new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(secret)}(?![A-Za-z0-9_])`, 'g');
    masked = masked.replace(standalone, () => maskSecret(secret));
  }
  return masked;
}
