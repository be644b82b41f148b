// What makes a credential default or trivial, shared by the compose/env checks (rule.ts) and the
// Python/TypeScript checks (code.ts).

export { TRIVIAL_PASSWORDS as TRIVIAL, isTrivialPassword as isTrivial } from '../../_shared/default-passwords.js';

/** `scheme://user:password@host` of a database, cache or broker. */
export const CREDENTIAL_URL = /\b((?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver|cockroachdb|clickhouse)(?:\+\w+)?):\/\/([^:@/\s]*):([^@/\s]+)@/i;

/** `localhost`, loopback and the Docker host alias: a database only this machine reaches. */
export function isLocalHost(host: string): boolean {
  return /^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|::1|host\.docker\.internal)$/i.test(host);
}
