import type { Context } from 'hono';
import { sameSecret } from '../../bot/secrets.ts';

/** Where a gateway's callback may carry the shared secret: set in the callback URL (?secret=) or, behind a proxy that adds it, a header. */
export const SECRET_QUERY = 'secret';
export const SECRET_HEADER = 'X-Callback-Secret';

/**
 * Africa's Talking does not sign its callbacks, so a secret only the gateway's
 * settings know is the check that a post came from there. No secret set: every
 * post is taken (for a gateway reached only over a private network).
 */
export function callbackAllowed(c: Context, secret: string | undefined): boolean {
  if (secret === undefined) return true;
  const given = c.req.query(SECRET_QUERY) ?? c.req.header(SECRET_HEADER);
  return given !== undefined && sameSecret(given, secret);
}
