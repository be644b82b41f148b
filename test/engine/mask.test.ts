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

describe('secrets across findings of one file', () => {
  it('a secret one rule reports is masked in every other finding that quotes its line', async () => {
    const { runAudit } = await import('../../src/engine/audit.js');
    const { makeTree } = await import('../helpers.js');
    // The same line carries an insecure default secret and trailing whitespace.
    const root = makeTree({ 'app/settings.py': 'import os\nSESSION_SECRET = os.getenv("SESSION_SECRET", "prod-session-key-7f3a91")   \n' });
    const result = await runAudit({ root, config: {}, jobs: 1, cache: false });
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual(['code-quality/trailing-whitespace', 'security/insecure-default-secret']);
    expect(JSON.stringify(result)).not.toContain('prod-session-key-7f3a91');
  });
});
