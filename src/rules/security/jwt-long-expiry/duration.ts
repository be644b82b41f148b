// Token lifetimes as seconds: names that hold them, units their names imply, and the literal
// forms they are written in ('7d', 10080 minutes, timedelta(days=7), 60 * 60 * 24 * 7).

export const DAY = 86_400;

/** Snake-cased words of a name: `accessTokenTTLSeconds` → access, token, ttl, seconds. */
export function nameWords(name: string): string[] {
  return name
    .replace(/^['"`]|['"`]$/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const TOKEN_WORD = /^(jwt|token|tokens|accesstoken|authtoken)$/;
const LIFETIME_WORD = /^(exp|expire|expires|expired|expiry|expiration|expirations|expiresin|lifetime|ttl|validity|duration|life|age)$/;
/**
 * Tokens other than the access token: refresh tokens may live long by design; reset, invite,
 * verification and unsubscribe tokens are single-purpose; leeway and grace are tolerances.
 */
const OTHER_TOKEN_WORD = /^(refresh|remember|reset|verify|verification|verif|confirm|confirmation|invite|invitation|email|password|passwd|activation|activate|magic|cache|csrf|xsrf|otp|signup|register|registration|download|upload|share|link|leeway|skew|grace|api|apikey|state|nonce|renew|renewal|offline|unsubscribe|long|lived|session|cookie|device|push|fcm|github|installation|oauth|google|service|webhook)$/;

/** Whether a name holds an access-token lifetime (`ACCESS_TOKEN_EXPIRE_MINUTES`, `JWT_EXPIRATION_DELTA`, `jwtExpiresIn`). */
export function isTokenLifetimeName(name: string): boolean {
  if (!/jwt|token/i.test(name) || !/exp|ttl|life|valid|duration|age/i.test(name)) return false;
  const words = nameWords(name);
  if (!words.some((w) => TOKEN_WORD.test(w)) || !words.some((w) => LIFETIME_WORD.test(w))) return false;
  return !words.some((w) => OTHER_TOKEN_WORD.test(w));
}

/** Whether a name or text speaks of another kind of token (refresh, reset, invite...). */
export function mentionsOtherToken(text: string): boolean {
  return nameWords(text).some((w) => OTHER_CONTEXT_WORD.test(w));
}

/** Narrower than the name check: a payload may well carry `email` or `sessionId`. */
const OTHER_CONTEXT_WORD = /^(refresh|remember|reset|invite|invitation|verification|verify|unsubscribe|magic|confirm|confirmation|activation|activate|offline|lived|download|share|apikey|personal)$/;

/** Seconds per unit the last words of a name imply (`_MINUTES`, `InSeconds`, `Ms`); undefined when none. */
export function unitOfName(name: string): number | undefined {
  const words = nameWords(name);
  for (const word of words.slice(-2).reverse()) {
    if (/^(ms|millis|milliseconds?)$/.test(word)) return 0.001;
    if (/^(s|secs?|seconds?)$/.test(word)) return 1;
    if (/^(m|mins?|minutes?)$/.test(word)) return 60;
    if (/^(h|hrs?|hours?)$/.test(word)) return 3600;
    if (/^(d|days?)$/.test(word)) return DAY;
    if (/^(w|weeks?)$/.test(word)) return 7 * DAY;
  }
  return undefined;
}

const STRING_UNITS: Array<[RegExp, number]> = [
  [/^(ms|msecs?|milliseconds?)$/, 0.001],
  [/^(s|secs?|seconds?)$/, 1],
  [/^(m|mins?|minutes?)$/, 60],
  [/^(h|hrs?|hours?)$/, 3600],
  [/^(d|days?)$/, DAY],
  [/^(w|weeks?)$/, 7 * DAY],
  [/^(y|yrs?|years?)$/, 365.25 * DAY],
];

/**
 * A duration string as vercel/ms and jose read it: '7d', '168h', '1 week'. `unitless` is what a
 * bare number means (jsonwebtoken: milliseconds; a setting named `_MINUTES`: minutes).
 */
export function parseDurationString(text: string, unitless: number | undefined): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text.replace(/_/g, ''));
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = match[2].toLowerCase();
  if (!unit) return unitless === undefined ? undefined : amount * unitless;
  const found = STRING_UNITS.find(([pattern]) => pattern.test(unit));
  return found ? amount * found[1] : undefined;
}

/** `7 days`, `36 hours`: how a lifetime reads in a message. */
export function describeSeconds(seconds: number): string {
  const days = seconds / DAY;
  if (days >= 365 && Number.isInteger(Math.round(days / 365.25 * 100) / 100)) return `${Math.round(days / 365.25)} year${Math.round(days / 365.25) === 1 ? '' : 's'}`;
  if (Number.isInteger(days)) return `${days} day${days === 1 ? '' : 's'}`;
  const hours = seconds / 3600;
  if (Number.isInteger(hours)) return `${hours} hours`;
  return `${days.toFixed(1)} days`;
}

/** Access tokens should live minutes to hours; over a day a stolen one stays useful far too long. */
export function isTooLong(seconds: number): boolean {
  return seconds > DAY;
}
