import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A staff token or session id: 32 random bytes, URL-safe. Shown once; only its hash is stored. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** Tokens are long and random, so one round of SHA-256 is enough (no password stretching needed). */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

const digest = (v: string | Buffer) => createHash('sha256').update(v).digest();

/**
 * The one comparison of a given secret (a token, a header, a signature) with
 * the expected one: in constant time whatever either holds. Both sides are
 * hashed to 32 bytes first, so lengths leak nothing and any text (non-ASCII,
 * of another length) is simply unequal, never an error.
 */
export function sameSecret(given: string | Buffer, expected: string | Buffer): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}
