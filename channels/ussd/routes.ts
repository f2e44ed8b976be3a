import { Hono } from 'hono';
import { z } from 'zod';
import { ussdTurn, type UssdDeps, type UssdPost } from '../../bot/ussd/session.ts';
import { isConflict, type Store } from '../../db/store.ts';
import { translator } from '../../locales/index.ts';
import { normalizePhone } from '../../intents/phone.ts';
import { limitBody, readForm } from '../http.ts';
import { callbackAllowed } from '../sms/secret.ts';

export const USSD_PATH = '/ussd';

export interface UssdRoutesOptions extends UssdDeps {
  readonly store: Store;
  /** SMS_CALLBACK_SECRET: when set, a post without it is refused (401). */
  readonly callbackSecret?: string;
}

// Africa's Talking's USSD callback (form fields). networkCode and serviceCode are not needed to answer.
const post = z.object({
  sessionId: z.string().min(1).max(128),
  serviceCode: z.string().max(64).optional(),
  phoneNumber: z.string().min(1).max(32),
  networkCode: z.string().max(16).optional(),
  text: z.string().max(1000).default(''),
});

/** How often a post that lost a race with another instance (PostgreSQL) is answered again: the second time it finds what the first made. */
const ATTEMPTS = 3;

async function answer(options: UssdRoutesOptions, p: UssdPost): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await options.store.transaction((tx) => ussdTurn(tx, options, p));
    } catch (error) {
      if (attempt >= ATTEMPTS || !isConflict(error)) throw error;
    }
  }
}

/**
 * The USSD callback: every post carries the whole session's answers, and is
 * answered with plain text, "CON <screen>" to go on or "END <screen>" to
 * finish. Each post is one short transaction: the screen, and what it changed.
 */
export function ussdRoutes(options: UssdRoutesOptions): Hono {
  const app = new Hono();
  // Whatever fails (the database out for a while, or a defect), the gateway gets a screen it can show: Africa's
  // Talking shows only a 200 in its own format, and never JSON. The server's logErrors logs the error.
  app.onError((_err, c) => c.text(`END ${translator(options.defaultLocale)('outage.ussd')}`, 200));
  app.use(USSD_PATH, limitBody({ maxSize: 8 * 1024, onError: (c) => c.text('the body is larger than 8 KB', 413) }));
  app.post(USSD_PATH, async (c) => {
    if (!callbackAllowed(c, options.callbackSecret)) return c.text('wrong or missing callback secret', 401);
    const parsed = post.safeParse(await readForm(c));
    if (!parsed.success) return c.text(`not a USSD callback: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`, 400);
    const phone = normalizePhone(parsed.data.phoneNumber);
    if (!phone) return c.text('phoneNumber is not a phone number', 400);
    const { sessionId, text } = parsed.data;
    return c.text(await answer(options, { sessionId, phone, text }));
  });
  return app;
}
