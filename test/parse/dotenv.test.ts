// Compose's variable interpolation from the `.env` beside a compose file: every syntax compose
// documents, unset variables as unknown, and the `.env` itself (quotes, export, comments, references).
import { describe, expect, it } from 'vitest';
import { interpolate, parseDotenv, variablesFromDotenv } from '../../src/parse/dotenv.js';

const env = parseDotenv(['DB_PASSWORD=postgres', 'EMPTY=', 'export API_PORT=8080', "LITERAL='$HOME'", 'URL="postgres://app:${DB_PASSWORD}@db/app"', 'TAG=16 # pinned'].join('\n'), '.env');

describe('parseDotenv', () => {
  it('reads values with their lines: export, quotes, trailing comments, references to earlier lines', () => {
    expect(env.values.get('DB_PASSWORD')).toBe('postgres');
    expect(env.values.get('API_PORT')).toBe('8080');
    expect(env.lines.get('API_PORT')).toBe(3);
    expect(env.values.get('LITERAL')).toBe('$HOME');
    expect(env.values.get('URL')).toBe('postgres://app:postgres@db/app');
    expect(env.values.get('TAG')).toBe('16');
    expect(env.values.get('EMPTY')).toBe('');
  });
});

describe('interpolate', () => {
  it('resolves ${VAR} and $VAR from the .env', () => {
    expect(interpolate('${DB_PASSWORD}', env)).toBe('postgres');
    expect(interpolate('$DB_PASSWORD', env)).toBe('postgres');
    expect(interpolate('${API_PORT}:8000', env)).toBe('8080:8000');
  });

  it('an unset variable makes the value unknown', () => {
    expect(interpolate('${NOT_SET}', env)).toBeUndefined();
    expect(interpolate('postgres://u:$NOT_SET@db', env)).toBeUndefined();
    expect(interpolate('${NOT_SET}')).toBeUndefined();
  });

  it(':- uses the default when unset or empty, - only when unset', () => {
    expect(interpolate('${NOT_SET:-8000}', env)).toBe('8000');
    expect(interpolate('${EMPTY:-fallback}', env)).toBe('fallback');
    expect(interpolate('${EMPTY-fallback}', env)).toBe('');
    expect(interpolate('${API_PORT:-8000}', env)).toBe('8080');
    expect(interpolate('${NOT_SET-x}', env)).toBe('x');
  });

  it(':? and ? are required variables: unknown when missing, the value when set', () => {
    expect(interpolate('${NOT_SET:?set it}', env)).toBeUndefined();
    expect(interpolate('${EMPTY:?set it}', env)).toBeUndefined();
    expect(interpolate('${EMPTY?set it}', env)).toBe('');
    expect(interpolate('${DB_PASSWORD:?set it}', env)).toBe('postgres');
  });

  it(':+ and + give the alternative only when set; $$ is a literal dollar', () => {
    expect(interpolate('${DB_PASSWORD:+--requirepass x}', env)).toBe('--requirepass x');
    expect(interpolate('${NOT_SET:+x}', env)).toBe('');
    expect(interpolate('${EMPTY+x}', env)).toBe('x');
    expect(interpolate('cost $$5', env)).toBe('cost $5');
  });

  it('names the variables a value took from the .env', () => {
    expect(variablesFromDotenv('postgres://${DB_USER:-app}:${DB_PASSWORD}@db', env)).toEqual(['DB_PASSWORD']);
    expect(variablesFromDotenv('${DB_PASSWORD}', undefined)).toEqual([]);
  });
});
