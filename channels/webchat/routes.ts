import { randomBytes } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { InboundMessage, TurnOutcome } from '../../bot/engine/types.ts';
import type { RateLimiter } from '../../bot/engine/rate-limit.ts';
import { hashSecret, newSecret } from '../../bot/secrets.ts';
import type { Clock } from '../../bot/sla/clock.ts';
import { findConversation } from '../../db/queries/conversations.ts';
import { transcript } from '../../db/queries/messages.ts';
import { hitAddressWindow, openWebchatSession, touchWebchatSession, webchatSessionSeen } from '../../db/queries/webchat.ts';
import type { Store } from '../../db/store.ts';
import { clientAddress, headerOf, readJson } from '../http.ts';

export const WEBCHAT = 'webchat';
/** The longest message the web chat takes, in UTF-16 code units as JavaScript counts them (the page's box uses the same number). */
export const MAX_MESSAGE_CHARS = 4000;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{1,100}$/;

const sessionId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, - or _');
// NUL is no character anyone types, and PostgreSQL cannot store it in text: refused, not silently changed.
const body = z
  .object({
    text: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_MESSAGE_CHARS, `must be at most ${MAX_MESSAGE_CHARS} characters`)
      .refine((t) => !t.includes('\u0000'), 'must not contain NUL characters'),
  })
  .strict();
const cursor = z.object({
  after: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a cursor from an earlier answer')
    .optional(),
});

export interface WebchatLimits {
  /** Sessions one client address may open a minute (counted in the database, across instances); 0: no limit. */
  readonly openingsPerMinute: number;
  /** Messages one client address may send a minute (counted by each instance); 0: no limit. */
  readonly messages: RateLimiter | undefined;
  /** Read the client's address from X-Forwarded-For (behind a proxy that sets it). */
  readonly trustProxy: boolean;
}

export interface WebchatOptions {
  /** Hands a message to the engine; resolves once its turn is committed. */
  readonly submit: (message: InboundMessage) => Promise<TurnOutcome>;
  readonly store: Store;
  readonly clock: Clock;
  /** How long a session may stay silent before it expires. */
  readonly sessionIdleMs: number;
  readonly limits: WebchatLimits;
}

/** A session's last-seen time is written at most this often: a message costs no extra write. */
const TOUCH_EVERY_MS = 3600_000;

/**
 * A message id for a POST without an Idempotency-Key: time first, so the
 * unique index on channel message ids grows at its end rather than touching
 * a random page per message; a counter and this process's random tag keep it
 * unique across instances (random bytes a message cost 11 µs of a ~600 µs message).
 */
let sent = 0;
const INSTANCE_TAG = randomBytes(6).toString('hex');
const messageIdAt = (now: Date): string => `${now.getTime().toString(36).padStart(9, '0')}-${(sent++ % 1_679_616).toString(36).padStart(4, '0')}-${INSTANCE_TAG}`;

/**
 * Why a request was refused, for a program: stable words beside the English `error`, so the page can say it in the
 * person's language (shared/contracts.md, web chat). `error` stays as it always was.
 */
export type RefusalCode =
  | 'bad_session_id'
  | 'no_session'
  | 'session_expired'
  | 'not_json'
  | 'too_long'
  | 'empty'
  | 'bad_character'
  | 'bad_body'
  | 'bad_idempotency_key'
  | 'bad_cursor'
  | 'too_many_requests';

const issuesText = (issues: z.core.$ZodIssue[]) => issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')} ${i.message}` : i.message)).join('; ');

/** The code of a refused message body: what is wrong with its text, when that is all that is wrong. */
function bodyCode(issues: z.core.$ZodIssue[]): RefusalCode {
  const first = issues[0];
  if (issues.length !== 1 || first?.path[0] !== 'text') return 'bad_body';
  if (first.code === 'too_big') return 'too_long';
  if (first.code === 'too_small') return 'empty';
  return first.code === 'custom' ? 'bad_character' : 'bad_body';
}

const refuse = (c: Context, status: 400 | 404 | 410 | 429, code: RefusalCode, error: string, more: Record<string, unknown> = {}) => c.json({ error, code, ...more }, status);

const tooMany = (c: Context, retryAfterMs: number) => {
  c.header('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  return refuse(c, 429, 'too_many_requests', 'too many requests from this address; try again after Retry-After seconds');
};

/** Who wrote a reply, when it was not the bot: an officer (console, API or staff group), by the name staff know them by. */
function fromOf(author: string | null): { kind: 'officer'; name: string } | undefined {
  const name = author === null ? undefined : /^(?:staff|telegram):\S+ (.+)$/.exec(author)?.[1];
  return name ? { kind: 'officer', name } : undefined;
}

/** The web chat's HTTP contract (shared/contracts.md): a session issued by the server, a message in, the replies out; the transcript with a cursor. */
export function webchatRoutes(options: WebchatOptions): Hono {
  const app = new Hono();
  const { limits } = options;

  /** The session behind an id, or the answer for an id that is malformed, never issued, or expired. */
  async function sessionOf(c: Context): Promise<{ ok: true; id: string } | { ok: false; answer: Response }> {
    const id = sessionId.safeParse(c.req.param('sessionId'));
    if (!id.success) return { ok: false, answer: refuse(c, 400, 'bad_session_id', `sessionId ${id.error.issues[0]?.message}`) };
    const idHash = hashSecret(id.data);
    const now = options.clock.now();
    const seen = await options.store.read((tx) => webchatSessionSeen(tx, idHash));
    if (!seen) return { ok: false, answer: refuse(c, 404, 'no_session', 'no such session: open one with POST /webchat/sessions') };
    const silent = now.getTime() - seen.getTime();
    if (silent > options.sessionIdleMs) return { ok: false, answer: refuse(c, 410, 'session_expired', 'this session has expired: open a new one with POST /webchat/sessions', { expired: true }) };
    if (silent > TOUCH_EVERY_MS) await options.store.transaction((tx) => touchWebchatSession(tx, idHash, now));
    return { ok: true, id: id.data };
  }

  app.post('/webchat/sessions', async (c) => {
    const now = options.clock.now();
    if (limits.openingsPerMinute > 0) {
      const key = `open:${clientAddress(c, limits.trustProxy)}`;
      const hit = await options.store.transaction((tx) => hitAddressWindow(tx, { key, at: now, limit: limits.openingsPerMinute, windowMs: 60_000 }));
      if (!hit.allowed) return tooMany(c, hit.retryAfterMs);
    }
    const id = newSecret();
    await options.store.transaction((tx) => openWebchatSession(tx, hashSecret(id), now));
    return c.json({ sessionId: id }, 201);
  });

  app.post('/webchat/sessions/:sessionId/messages', async (c) => {
    const receivedAt = options.clock.now();
    if (limits.messages) {
      const address = `message:${clientAddress(c, limits.trustProxy)}`;
      // Refused before anything is read or stored: a flood from one address costs no turn.
      if (limits.messages.hit(address, receivedAt) !== 'allowed') return tooMany(c, limits.messages.retryAfterMs(address, receivedAt));
    }
    const session = await sessionOf(c);
    if (!session.ok) return session.answer;
    const json = await readJson(c);
    if (!json.ok) return refuse(c, 400, 'not_json', 'the body must be JSON: {"text": "..."}');
    const parsed = body.safeParse(json.value);
    if (!parsed.success) return refuse(c, 400, bodyCode(parsed.error.issues), issuesText(parsed.error.issues));
    // A client that retries after a timeout sends the same key and gets the same replies; a key in another shape
    // would be a retry taken twice: refused, with the format.
    const key = headerOf(c, 'Idempotency-Key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) return refuse(c, 400, 'bad_idempotency_key', 'Idempotency-Key must be 1 to 100 characters of A-Z, a-z, 0-9, _ and -');
    const channelMessageId = key ? `${session.id}:${key}` : messageIdAt(receivedAt);
    const outcome = await options.submit({ channel: WEBCHAT, chatId: session.id, senderId: session.id, channelMessageId, text: parsed.data.text, receivedAt });
    const replies = outcome.status === 'handed_off' ? [] : outcome.replies;
    return c.json({ replies });
  });

  app.get('/webchat/sessions/:sessionId/messages', async (c) => {
    const session = await sessionOf(c);
    if (!session.ok) return session.answer;
    const q = cursor.safeParse(c.req.query());
    if (!q.success) return refuse(c, 400, 'bad_cursor', issuesText(q.error.issues));
    const after = Number(q.data.after ?? 0);
    const rows = await options.store.read(async (tx) => {
      const conversation = await findConversation(tx, WEBCHAT, session.id);
      return conversation ? transcript(tx, conversation.id, after) : [];
    });
    const messages = rows.map((m) => {
      const from = m.direction === 'out' ? fromOf(m.author) : undefined;
      return { id: String(m.id), direction: m.direction, text: m.text, ...(m.options ? { options: m.options } : {}), ...(from ? { from } : {}), createdAt: m.createdAt.toISOString() };
    });
    return c.json({ messages, cursor: String(rows.at(-1)?.id ?? after) });
  });

  return app;
}
