// Which setting names hold secrets, judged by the name's last words (`JWT_SECRET_KEY`, `jwtSecret`,
// `DB_PASSWORD`), so `JWT_ALGORITHM`, `SECRET_KEY_FILE` or `TOKEN_URL` are not mistaken for secrets.

/**
 * `signing`: material the application itself signs, encrypts or checks logins with. A known value
 * lets anyone forge sessions and tokens, whatever the value looks like.
 * `credential`: a key or token the application presents to another service. A placeholder there
 * authenticates nowhere; only a usable-looking value is an exposure.
 */
export type SecretKind = 'signing' | 'credential';

/** `jwtSecret` → `JWT_SECRET`, `secret-key` → `SECRET_KEY`. */
export function toUpperSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

/** Trailing words that only encode the value (`JWT_SECRET_B64`, `SECRET_KEY_V2`). */
const ENCODING_SUFFIX = /(_(V?\d+|VALUE|STR|STRING|RAW|B64|BASE64|HEX|BYTES)|(?<=[A-Z])\d+)$/;

const SIGNING_ENDINGS =
  /(^|_)(SECRET|SECRETS|SECRET_KEY|SECRETKEY|CLIENTSECRET|SECRET_OR_KEY|SECRET_OR_PRIVATE_KEY|PASSWORD|PASSWD|PWD|PASS|PASSPHRASE|SALT|PEPPER|JWT|PRIVATE_KEY|PRIVATEKEY|(SIGNING|SIGN|ENCRYPTION|ENCRYPT|CRYPTO|CIPHER|SESSION|JWT|HMAC|MASTER|APP|COOKIE|AES|FERNET|AUTH|WEBHOOK|CSRF)_KEY)$/;
const CREDENTIAL_ENDINGS = /(^|_)(TOKEN|API_KEY|APIKEY|ACCESS_KEY|ACCESSKEY|CREDENTIALS|CREDENTIAL|CREDS|BEARER)$/;

/** Variables a bundler ships to the browser: public by construction, never secrets. */
const PUBLIC_PREFIX = /^(NEXT_PUBLIC|VITE|REACT_APP|EXPO_PUBLIC|NUXT_PUBLIC|GATSBY|PUBLIC|STORYBOOK)_/;

export function secretKindOfName(name: string | undefined): SecretKind | undefined {
  if (!name) return undefined;
  let upper = toUpperSnake(name);
  if (PUBLIC_PREFIX.test(upper)) return undefined;
  while (ENCODING_SUFFIX.test(upper)) upper = upper.replace(ENCODING_SUFFIX, '');
  if (SIGNING_ENDINGS.test(upper)) return 'signing';
  if (CREDENTIAL_ENDINGS.test(upper)) return 'credential';
  return undefined;
}

/** Names that point at a secret rather than hold it: `SECRET_KEY_FILE`, `JWT_SECRET_PATH`, `TOKEN_URL`. */
const LOCATION_ENDING = /(^|_)(FILE|FILENAME|PATH|DIR|DIRECTORY|URL|URI|ENDPOINT|LOCATION|ARN|REF|NAME|ID|HEADER|ALGORITHM|ALG|ISSUER|AUDIENCE)$/;

export function namesALocation(name: string): boolean {
  return LOCATION_ENDING.test(toUpperSnake(name));
}

/** The more dangerous of two readings (the env variable's name and the setting it is stored in). */
export function strongestSecretKind(...names: (string | undefined)[]): SecretKind | undefined {
  const kinds = names.map(secretKindOfName);
  if (kinds.includes('signing')) return 'signing';
  if (kinds.includes('credential')) return 'credential';
  return undefined;
}

/** Values that say "replace me" and cannot authenticate anywhere: `your-api-key-here`, `changeme`, `xxx`, `<token>`. */
const PLACEHOLDER =
  /^(your|my|enter|insert|put|add|set)[-_ ]|change[-_ ]?(me|it|this)|replace|placeholder|example|sample|dummy|fake|^(x+|\*+|\.+|-+|0+)$|^<.*>$|\.\.\.$|\bhere\b|^(todo|tbd|none|null|nil|undefined|default|test|testing|dev|development|local|secret|token|key|password|api[-_]?key)$|^(sk|pk|ghp|xox[bp])[-_]\.*$/i;

export function looksLikePlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim());
}
