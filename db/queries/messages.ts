import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Tx } from '../store.ts';
import { saveConversationState } from './conversations.ts';
import { encoded, jsonOrNull, prepared } from './prepared.ts';
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
  const insert = tx.prepared('insert_message', ({ orm, t: { messages } }) => orm.insert(messages).values(messageRow('')).onConflictDoNothing().returning({ id: messages.id }));
  return first(await insert.execute(messageValues(m, '')))?.id;
}

/** A messages row of placeholders (each named with `suffix`, so one statement can insert several). */
function messageRow(suffix: string) {
  const p = (name: string) => sql.placeholder(`${name}${suffix}`);
  return {
    conversationId: p('conversationId'),
    direction: p('direction'),
    text: p('text'),
    channelMessageId: p('channelMessageId'),
    replyTo: p('replyTo'),
    options: encoded(`options${suffix}`),
    attachments: encoded(`attachments${suffix}`),
    author: p('author'),
    channel: p('channel'),
    createdAt: p('at'),
  };
}

/** The values of messageRow(suffix) for `m`. */
function messageValues(m: NewMessage, suffix: string): Record<string, unknown> {
  // Written out, not a loop over Object.entries: this runs for every message on PostgreSQL.
  return {
    [`conversationId${suffix}`]: m.conversationId,
    [`direction${suffix}`]: m.direction,
    [`text${suffix}`]: m.text,
    [`channelMessageId${suffix}`]: m.channelMessageId,
    [`replyTo${suffix}`]: m.replyTo,
    [`options${suffix}`]: jsonOrNull(m.options),
    [`attachments${suffix}`]: jsonOrNull(m.attachments),
    [`author${suffix}`]: m.author,
    [`channel${suffix}`]: m.channel,
    [`at${suffix}`]: m.at,
  };
}

/** Queues a message for a channel that delivers through the outbox, in the caller's transaction. */
export async function insertOutbox(tx: Tx, o: { conversationId: number | null; channel: string; chatId: string; body: unknown; at: Date }): Promise<void> {
  if (tx.sqlite) return void prepared(tx.sqlite).insertOutbox.run(o);
  await insertOutboxRows(tx, [o]);
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
  const select = tx.prepared('inbound_id', ({ orm, t: { messages } }) =>
    orm
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.channel, sql.placeholder('channel')), eq(messages.channelMessageId, sql.placeholder('channelMessageId')))),
  );
  return first(await select.execute({ channel, channelMessageId }))?.id;
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

/**
 * The end of a turn: the conversation's new state, and its replies stored and
 * queued as insertReplies does, in the caller's transaction. On PostgreSQL the
 * state and the replies go in one statement (a round trip less a message).
 */
export async function saveTurn(tx: Tx, r: Parameters<typeof insertReplies>[1] & { state: unknown }): Promise<void> {
  const n = r.replies.length;
  if (tx.sqlite || n === 0 || n > ROWS_AT_ONCE) {
    await saveConversationState(tx, r.conversationId, r.state, r.at);
    return insertReplies(tx, r);
  }
  const insert = tx.prepared(`save_turn_${n}`, ({ orm, t: { conversations: c, messages } }) => {
    // A data-modifying WITH runs whether or not the statement reads it.
    const saved = orm.$with('saved').as(
      orm
        .update(c)
        .set({ state: encoded('state'), updatedAt: encoded('stateAt') })
        .where(eq(c.id, sql.placeholder('conversationId'))) as never,
    );
    return orm
      .with(saved)
      .insert(messages)
      .values(r.replies.map((_, i) => messageRow(`_${i}`)))
      .onConflictDoNothing();
  });
  const values = Object.assign({ state: JSON.stringify(r.state), stateAt: r.at, conversationId: r.conversationId }, ...r.replies.map((reply, i) => messageValues(replyRow(r, reply, i), `_${i}`)));
  await insert.execute(values);
  if (r.viaOutbox)
    await insertOutboxRows(
      tx,
      r.replies.map((body) => ({ conversationId: r.conversationId, channel: r.channel, chatId: r.chatId, body, at: r.at })),
    );
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

/** At most this many rows a statement: one prepared statement per count, so the counts must be few. */
const ROWS_AT_ONCE = 8;

/**
 * insertReplies on PostgreSQL: the turn's replies in one statement, and their
 * outbox rows in another (a round trip costs more there than a row: BENCHMARKS.md).
 */
async function insertRepliesAtOnce(tx: Tx, r: Parameters<typeof insertReplies>[1]): Promise<void> {
  for (let from = 0; from < r.replies.length; from += ROWS_AT_ONCE) {
    const part = r.replies.slice(from, from + ROWS_AT_ONCE);
    const insert = tx.prepared(`insert_replies_${part.length}`, ({ orm, t: { messages } }) =>
      orm
        .insert(messages)
        .values(part.map((_, i) => messageRow(`_${i}`)))
        .onConflictDoNothing(),
    );
    await insert.execute(Object.assign({}, ...part.map((reply, i) => messageValues(replyRow(r, reply, from + i), `_${i}`))));
    if (r.viaOutbox)
      await insertOutboxRows(
        tx,
        part.map((body) => ({ conversationId: r.conversationId, channel: r.channel, chatId: r.chatId, body, at: r.at })),
      );
  }
}

/** PostgreSQL: outbox rows in one statement. */
async function insertOutboxRows(tx: Tx, rows: readonly { conversationId: number | null; channel: string; chatId: string; body: unknown; at: Date }[]): Promise<void> {
  const insert = tx.prepared(`insert_outbox_${rows.length}`, ({ orm, t: { outbox } }) =>
    orm.insert(outbox).values(
      rows.map((_, i) => {
        const p = (name: string) => sql.placeholder(`${name}_${i}`);
        return { conversationId: p('conversationId'), channel: p('channel'), chatId: p('chatId'), body: encoded(`body_${i}`), nextTryAt: p('at'), createdAt: p('at') };
      }),
    ),
  );
  const values: Record<string, unknown> = {};
  for (const [i, o] of rows.entries())
    Object.assign(values, { [`conversationId_${i}`]: o.conversationId, [`channel_${i}`]: o.channel, [`chatId_${i}`]: o.chatId, [`body_${i}`]: JSON.stringify(o.body), [`at_${i}`]: o.at });
  await insert.execute(values);
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
