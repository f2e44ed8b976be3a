import { describe, expect, it } from 'vitest';
import { hashSecret, newSecret, sameSecret } from '../../bot/secrets.ts';

describe('the one secret comparison', () => {
  it('says equal only for equal secrets, whatever their lengths or characters, and never throws', () => {
    expect(sameSecret('a-very-secret-token', 'a-very-secret-token')).toBe(true);
    expect(sameSecret('a-very-secret-token', 'a-very-secret-tokeN')).toBe(false);
    expect(sameSecret('', 'x')).toBe(false);
    // Equal in UTF-16 units, not in bytes: the copies before this one threw here (a 500 instead of 401).
    expect(sameSecret('ññññ', 'siri')).toBe(false);
    expect(sameSecret('🇹🇿', 'ab')).toBe(false);
    expect(sameSecret(Buffer.from('abc'), 'abc')).toBe(true);
  });

  it('new secrets are 256 random bits, URL-safe, and stored only as their hash', () => {
    const a = newSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSecret()).not.toBe(a);
    expect(hashSecret(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});
