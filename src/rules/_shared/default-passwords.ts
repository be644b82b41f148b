// Passwords nobody has to steal: image defaults, tutorial values and keyboard walks. One list for
// infrastructure/default-credentials (which reports them) and the secret scan (which leaves them
// to that rule: a well-known default is not a leaked secret).

export const TRIVIAL_PASSWORDS: ReadonlySet<string> = new Set([
  'postgres', 'postgresql', 'mysql', 'mariadb', 'mongo', 'mongodb', 'redis', 'rabbitmq', 'elastic', 'elasticsearch', 'neo4j', 'couchdb',
  'password', 'passw0rd', 'password1', 'password123', 'pass', 'pass123', 'passwd', 'pwd', 'changeme', 'change_me', 'change-me', 'changeit',
  'admin', 'admin123', 'administrator', 'root', 'toor', 'secret', 'guest', 'test', 'test123', 'demo', 'default', 'example', 'user',
  'minioadmin', 'sa', 'master', 'letmein', 'qwerty', 'welcome', '1234', '12345', '123456', '1234567', '12345678', '123456789', 'abc123',
]);

/** A well-known default, or the same as its user name. */
export function isTrivialPassword(password: string, user?: string): boolean {
  return TRIVIAL_PASSWORDS.has(password.toLowerCase()) || (user !== undefined && user !== '' && password === user);
}
