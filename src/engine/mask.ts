// Secrets never leave Probity in clear text: a short prefix and the length, nothing more.

export function maskSecret(value: string): string {
  const prefix = value.length >= 16 ? value.slice(0, 4) : '';
  return `${prefix}****(${value.length} chars)`;
}

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length === 0) continue;
    masked = masked.split(secret).join(maskSecret(secret));
  }
  return masked;
}
