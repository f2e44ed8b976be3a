import { and, asc, eq, gt } from 'drizzle-orm';
import type { Tx } from '../store.ts';
import { jsonOrNull, prepared } from './prepared.ts';
import { first } from './rows.ts';

export interface Reply {
  readonly text: string;
  readonly options?: readonly { readonly id: string; readonly label: string }[];
}

interface NewMessage {
  conversationId: number;
  direction: 'in' | 'out';
  text: string;
  channelMessageId: string | null;
  replyTo: number | null;
  options: unknown;
  attachments: unknown;
  author: string | null;
  channel: string;
  at: Date;
}

/** Stores a transcript row; undefined when its channel message id is stored already. */
async function insertMessage(tx: Tx, m: NewMessage): Promise<number | undefined> {
  if (tx.sqlite) {
    return prepared(tx.sqlite).insertMessage.get({ ...m, optionsJson: jsonOrNull(m.options), attachmentsJson: jsonOrNull(m.attachments) })?.id;
  }
  const { messages } = tx.t;
  const row = first(
    await tx.orm
      .insert(messages)
      .values({
        conversationId: m.conversationId,
        direction: m.direction,
        text: m.text,
        channelMessageId: m.channelMessageId,
        replyTo: m.replyTo,
        options: m.options ?? null,
        attachments: m.attachments ?? null,
        author: m.author,
        channel: m.channel,
        createdAt: m.at,
      })
      .onConflictDoNothing()
      .returning({ id: messages.id }),
  );
  return row?.id;
}

/** Queues a message for a channel that delivers through the outbox, in the caller's transaction. */
export async function insertOutbox(tx: Tx, o: { conversationId: number | null; channel: string; chatId: string; body: unknown; at: Date }): Promise<void> {
  if (tx.sqlite) return void prepared(tx.sqlite).insertOutbox.run(o);
  await tx.orm.insert(tx.t.outbox).values({ conversationId: o.conversationId, channel: o.channel, chatId: o.chatId, body: o.body, nextTryAt: o.at, createdAt: o.at });
}

/** Stores an inbound message; undefined when the channel already delivered it (a redelivery). */
export function insertInbound(tx: Tx, m: { conversationId: number; channel: string; channelMessageId: string; text: string; attachments?: readonly unknown[]; at: Date }): Promise<number | undefined> {
  const attachments = m.attachments && m.attachments.length > 0 ? m.attachments : null;
  return insertMessage(tx, {
    conversationId: m.conversationId,
    direction: 'in',
    text: m.text,
    channelMessageId: m.channelMessageId,
    replyTo: null,
    options: null,
    attachments,
    author: null,
    channel: m.channel,
    at: m.at,
  });
}

export async function inboundId(tx: Tx, channel: string, channelMessageId: string): Promise<number | undefined> {
  if (tx.sqlite) return prepared(tx.sqlite).inboundId.get({ channel, channelMessageId })?.id;
  const { messages } = tx.t;
  return first(
    await tx.orm
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.channel, channel), eq(messages.channelMessageId, channelMessageId))),
  )?.id;
}

/**
 * Stores replies in the transcript and, for channels that deliver through the
 * outbox, queues them — in the caller's transaction, with the state change.
 */
export async function insertReplies(
  tx: Tx,
  r: {
    conversationId: number;
    channel: string;
    chatId: string;
    replyTo?: number;
    replies: readonly Reply[];
    at: Date;
    viaOutbox: boolean;
    author?: string /** Kept on the first reply: what it came from, so a redelivery is recognised. */;
    key?: string;
  },
): Promise<void> {
  if (!tx.sqlite) return insertRepliesAtOnce(tx, r);
  for (const [i, reply] of r.replies.entries()) {
    await insertMessage(tx, replyRow(r, reply, i));
    if (r.viaOutbox) await insertOutbox(tx, { conversationId: r.conversationId, channel: r.channel, chatId: r.chatId, body: reply, at: r.at });
  }
}

/** The transcript row of a turn's `i`th reply: the first keeps what it came from, so a redelivery is recognised. */
function replyRow(r: Parameters<typeof insertReplies>[1], reply: Reply, i: number): NewMessage {
  return {
    conversationId: r.conversationId,
    direction: 'out',
    text: reply.text,
    channelMessageId: i === 0 ? (r.key ?? null) : null,
    replyTo: r.replyTo ?? null,
    options: reply.options ?? null,
    attachments: null,
    author: r.author ?? null,
    channel: r.channel,
    at: r.at,
  };
}

/**
 * insertReplies on PostgreSQL: the turn's replies in one statement, and their
 * outbox rows in another (a round trip costs more there than a row: BENCHMARKS.md).
 */
async function insertRepliesAtOnce(tx: Tx, r: Parameters<typeof insertReplies>[1]): Promise<void> {
  if (r.replies.length === 0) return;
  const { messages, outbox } = tx.t;
  await tx.orm
    .insert(messages)
    .values(
      r.replies.map((reply, i) => {
        const { at, ...row } = replyRow(r, reply, i);
        return { ...row, createdAt: at };
      }),
    )
    .onConflictDoNothing();
  if (!r.viaOutbox) return;
  await tx.orm.insert(outbox).values(r.replies.map((body) => ({ conversationId: r.conversationId, channel: r.channel, chatId: r.chatId, body, nextTryAt: r.at, createdAt: r.at })));
}

/** The replies once given to an inbound message, for a redelivery of it. */
export async function repliesTo(tx: Tx, inbound: number): Promise<Reply[]> {
  const { messages } = tx.t;
  const rows = await tx.orm.select({ text: messages.text, options: messages.options }).from(messages).where(eq(messages.replyTo, inbound)).orderBy(asc(messages.id));
  return rows.map((m) => (m.options ? { text: m.text, options: m.options as Reply['options'] } : { text: m.text }));
}

export async function transcript(tx: Tx, conversationId: number, afterId: number, limit = 500) {
  const { messages } = tx.t;
  return tx.orm
    .select({ id: messages.id, direction: messages.direction, text: messages.text, options: messages.options, author: messages.author, createdAt: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), gt(messages.id, afterId)))
    .orderBy(asc(messages.id))
    .limit(limit);
}
