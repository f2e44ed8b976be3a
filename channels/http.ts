import type { Context } from 'hono';

/** A request body read as JSON: its value, or that it was not JSON (the route says what it expected). */
export async function readJson(c: Context): Promise<{ readonly ok: true; readonly value: unknown } | { readonly ok: false }> {
  try {
    return { ok: true, value: await c.req.json() };
  } catch {
    return { ok: false };
  }
}
