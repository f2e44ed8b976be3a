import { Hono } from 'hono';
import { z } from 'zod';
import type { InboundMessage, TurnOutcome } from '../../bot/engine/types.ts';
import type { Clock } from '../../bot/sla/clock.ts';
import { personForPhone } from '../../db/queries/ussd.ts';
import type { Store } from '../../db/store.ts';
import type { Locale } from '../../locales/index.ts';
import { limitBody, readForm } from '../http.ts';
import { cannotServeNow } from '../server.ts';
import { normalizePhone } from '../../intents/phone.ts';
import { callbackAllowed } from './secret.ts';
import { SMS } from './sms.ts';

export const SMS_INBOUND_PATH = '/sms/inbound';

export interface SmsRoutesOptions {
  /** Hands a message to the engine; resolves once its turn is committed (the group commit's submit). */
  readonly deliver: (message: InboundMessage) => Promise<TurnOutcome>;
  readonly store: Store;
  readonly clock: Clock;
  readonly defaultLocale: Locale;
  /** SMS_CALLBACK_SECRET: when set, a post without it is refused (401). */
  readonly callbackSecret?: string;
}

// Africa's Talking's incoming-message callback (form fields); date and linkId are not needed to answer.
const inbound = z.object({
  from: z.string().min(1).max(32),
  to: z.string().max(32).optional(),
  text: z.string().max(2000).default(''),
  date: z.string().optional(),
  id: z.string().min(1).max(128),
  linkId: z.string().optional(),
});

/**
 * Incoming SMS: to the engine as any chat message, in the conversation the
 * replies (and every later notice) go back to. Answered 200 only after the
 * turn is committed, so a gateway that gets no answer posts again, and the
 * message id keeps that to one reply.
 */
export function smsRoutes(options: SmsRoutesOptions): Hono {
  const app = new Hono();
  // The gateway reads plain text, never JSON. A message not taken is not acknowledged (not 2xx), so the gateway
  // posts it again: 503 while the database is out for a while, 500 for a defect. The server's logErrors logs it.
  app.onError((err, c) => {
    if (!cannotServeNow(err)) return c.text('internal error', 500);
    c.header('Retry-After', '60');
    return c.text('the service is unavailable for a moment; please post this message again', 503);
  });
  app.use(SMS_INBOUND_PATH, limitBody({ maxSize: 16 * 1024, onError: (c) => c.text('the body is larger than 16 KB', 413) }));
  app.post(SMS_INBOUND_PATH, async (c) => {
    if (!callbackAllowed(c, options.callbackSecret)) return c.text('wrong or missing callback secret', 401);
    const parsed = inbound.safeParse(await readForm(c));
    if (!parsed.success) return c.text(`not an incoming SMS: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`, 400);
    const phone = normalizePhone(parsed.data.from);
    if (!phone) return c.text('from is not a phone number', 400);
    const text = parsed.data.text.trim();
    // An empty SMS has nothing to answer; the gateway is told it arrived.
    if (text === '') return c.text('ok');
    const now = options.clock.now();
    // Before the turn: the number's SMS identity leads to the person who wrote on USSD or WhatsApp from it.
    await options.store.transaction((tx) => personForPhone(tx, phone, options.defaultLocale, now));
    await options.deliver({ channel: SMS, chatId: phone, senderId: phone, channelMessageId: parsed.data.id, text, receivedAt: now });
    return c.text('ok');
  });
  return app;
}
