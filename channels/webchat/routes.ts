import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { InboundMessage, TurnOutcome } from '../../bot/engine/types.ts';
import type { Clock } from '../../bot/sla/clock.ts';
import type { Store } from '../../db/store.ts';
import { findConversation } from '../../db/queries/conversations.ts';
import { transcript } from '../../db/queries/messages.ts';
import { headerOf, readJson } from '../http.ts';

export const WEBCHAT = 'webchat';
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{1,100}$/;

const sessionId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, - or _');
// NUL is no character anyone types, and PostgreSQL cannot store it in text: refused, not silently changed.
const body = z
  .object({
    text: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(4000, 'must be at most 4000 characters')
      .refine((t) => !t.includes('\u0000'), 'must not contain NUL characters'),
  })
  .strict();
const cursor = z.object({
  after: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a cursor from an earlier answer')
    .optional(),
});

export interface WebchatOptions {
  /** Hands a message to the engine; resolves once its turn is committed. */
  readonly submit: (message: InboundMessage) => Promise<TurnOutcome>;
  readonly store: Store;
  readonly clock: Clock;
}

/**
 * A message id for a POST without an Idempotency-Key: time first, so the
 * unique index on channel message ids grows at its end rather than touching
 * a random page per message; a counter and random bytes keep it unique.
 */
let sent = 0;
const messageIdAt = (now: Date): string => `${now.getTime().toString(36).padStart(9, '0')}-${(sent++ % 1_679_616).toString(36).padStart(4, '0')}-${randomBytes(6).toString('hex')}`;

const problem = (issues: z.core.$ZodIssue[]) => ({ error: issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')} ${i.message}` : i.message)).join('; ') });

/** The web chat's HTTP contract (shared/contracts.md): a message in, the replies out; the transcript with a cursor. */
export function webchatRoutes(options: WebchatOptions): Hono {
  const app = new Hono();

  app.post('/webchat/sessions/:sessionId/messages', async (c) => {
    const id = sessionId.safeParse(c.req.param('sessionId'));
    if (!id.success) return c.json({ error: `sessionId ${id.error.issues[0]?.message}` }, 400);
    const json = await readJson(c);
    if (!json.ok) return c.json({ error: 'the body must be JSON: {"text": "..."}' }, 400);
    const parsed = body.safeParse(json.value);
    if (!parsed.success) return c.json(problem(parsed.error.issues), 400);
    // A client that retries after a timeout sends the same key and gets the same replies.
    // A key in another shape would be a retry taken twice: refused, with the format.
    const key = headerOf(c, 'Idempotency-Key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) return c.json({ error: 'Idempotency-Key must be 1 to 100 characters of A-Z, a-z, 0-9, _ and -' }, 400);
    const receivedAt = options.clock.now();
    const channelMessageId = key ? `${id.data}:${key}` : messageIdAt(receivedAt);
    const outcome = await options.submit({
      channel: WEBCHAT,
      chatId: id.data,
      senderId: id.data,
      channelMessageId,
      text: parsed.data.text,
      receivedAt,
    });
    const replies = outcome.status === 'handed_off' ? [] : outcome.replies;
    return c.json({ replies });
  });

  app.get('/webchat/sessions/:sessionId/messages', async (c) => {
    const id = sessionId.safeParse(c.req.param('sessionId'));
    if (!id.success) return c.json({ error: `sessionId ${id.error.issues[0]?.message}` }, 400);
    const q = cursor.safeParse(c.req.query());
    if (!q.success) return c.json(problem(q.error.issues), 400);
    const after = Number(q.data.after ?? 0);
    const rows = await options.store.read(async (tx) => {
      const conversation = await findConversation(tx, WEBCHAT, id.data);
      return conversation ? transcript(tx, conversation.id, after) : [];
    });
    const messages = rows.map((m) => ({
      id: String(m.id),
      direction: m.direction,
      text: m.text,
      ...(m.options ? { options: m.options } : {}),
      createdAt: m.createdAt.toISOString(),
    }));
    return c.json({ messages, cursor: String(rows.at(-1)?.id ?? after) });
  });

  return app;
}
