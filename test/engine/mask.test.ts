// Secrets are masked as standalone values, never leaking and never mangling identifiers.
import { describe, expect, it } from 'vitest';
import { maskSecret, maskSecrets } from '../../src/engine/mask.js';

describe('maskSecrets', () => {
  it('shows a short prefix and the length of long secrets, nothing of short ones', () => {
    expect(maskSecret('sk_live_51H8abcdefghijklmnop')).toBe('sk_l****(28 chars)');
    expect(maskSecret('dev-secret')).toBe('****(10 chars)');
  });

  it('masks every standalone occurrence and leaves identifiers that contain the word alone', () => {
    const text = "const secretOrKey = process.env.JWT_SECRET || 'secret'; // 'secret' again";
    expect(maskSecrets(text, ['secret'])).toBe("const secretOrKey = process.env.JWT_SECRET || '****(6 chars)'; // '****(6 chars)' again");
  });

  it('handles values with regular-expression characters', () => {
    expect(maskSecrets('pw = "a+b(c)*"', ['a+b(c)*'])).toBe('pw = "****(7 chars)"');
  });
});
