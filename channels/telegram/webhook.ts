import { Hono } from 'hono';
import { z } from 'zod';
import type { Update } from 'grammy/types';
import { sameSecret } from '../../bot/secrets.ts';
import { headerOf, readJson } from '../http.ts';

export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';

// Only the envelope is checked here; grammY reads the rest as Telegram defines it.
const update = z.looseObject({ update_id: z.number().int().nonnegative() });

/**
 * Telegram's webhook: the X-Telegram-Bot-Api-Secret-Token header must match,
 * and the answer is 200 only after the update is handled and committed, so a
 * crash before that makes Telegram send it again (and the dedupe key keeps it to one answer).
 * When the database cannot take it, `handle` rejects with the database's error and the
 * server answers 503: Telegram sends it again. Handling never waits on Telegram's own API.
 */
export function telegramWebhookRoutes(secret: string, handle: (u: Update) => Promise<void>): Hono {
  const app = new Hono();
  app.post(TELEGRAM_WEBHOOK_PATH, async (c) => {
    const given = headerOf(c, 'X-Telegram-Bot-Api-Secret-Token');
    if (!given || !sameSecret(given, secret)) return c.json({ error: 'wrong or missing secret token' }, 401);
    const json = await readJson(c);
    if (!json.ok) return c.json({ error: 'the body must be a JSON Telegram update' }, 400);
    const parsed = update.safeParse(json.value);
    if (!parsed.success) return c.json({ error: 'the body is not a Telegram update (no update_id)' }, 400);
    await handle(parsed.data as unknown as Update);
    return c.json({ ok: true });
  });
  return app;
}
