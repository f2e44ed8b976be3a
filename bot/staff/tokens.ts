import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A staff token or session id: 32 random bytes, URL-safe. Shown once; only its hash is stored. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** Tokens are long and random, so one round of SHA-256 is enough (no password stretching needed). */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
