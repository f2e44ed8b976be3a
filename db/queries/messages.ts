import { and, asc, eq, gt } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import { messages } from '../schema.ts';
import { jsonOrNull, prepared } from './prepared.ts';

export interface Reply {
  readonly text: string;
  readonly options?: readonly { readonly id: string; readonly label: string }[];
}

/** Stores an inbound message; undefined when the channel already delivered it (a redelivery). */
export function insertInbound(
  tx: Tx,
  m: { conversationId: number; channel: string; channelMessageId: string; text: string; attachments?: readonly unknown[]; at: Date },
): number | undefined {
  const attachments = m.attachments && m.attachments.length > 0 ? m.attachments : null;
  const row = prepared(tx).insertMessage.get({ conversationId: m.conversationId, direction: 'in', text: m.text, channelMessageId: m.channelMessageId, replyTo: null, optionsJson: null, attachmentsJson: jsonOrNull(attachments), author: null, channel: m.channel, at: m.at });
  return row?.id;
}

export function inboundId(tx: Tx, channel: string, channelMessageId: string): number | undefined {
  return prepared(tx).inboundId.get({ channel, channelMessageId })?.id;
}

/**
 * Stores replies in the transcript and, for channels that deliver through the
 * outbox, queues them — in the caller's transaction, with the state change.
 */
export function insertReplies(
  tx: Tx,
  r: { conversationId: number; channel: string; chatId: string; replyTo?: number; replies: readonly Reply[]; at: Date; viaOutbox: boolean; author?: string; /** Kept on the first reply: what it came from, so a redelivery is recognised. */ key?: string },
): void {
  const q = prepared(tx);
  for (const [i, reply] of r.replies.entries()) {
    q.insertMessage.get({ conversationId: r.conversationId, direction: 'out', text: reply.text, channelMessageId: i === 0 ? (r.key ?? null) : null, replyTo: r.replyTo ?? null, optionsJson: jsonOrNull(reply.options), attachmentsJson: null, author: r.author ?? null, channel: r.channel, at: r.at });
    if (r.viaOutbox) q.insertOutbox.run({ conversationId: r.conversationId, channel: r.channel, chatId: r.chatId, body: reply, at: r.at });
  }
}

/** The replies once given to an inbound message, for a redelivery of it. */
export function repliesTo(tx: Tx, inbound: number): Reply[] {
  return tx
    .select({ text: messages.text, options: messages.options })
    .from(messages)
    .where(eq(messages.replyTo, inbound))
    .orderBy(asc(messages.id))
    .all()
    .map((m) => (m.options ? { text: m.text, options: m.options as Reply['options'] } : { text: m.text }));
}

export function transcript(tx: Tx, conversationId: number, afterId: number, limit = 500) {
  return tx
    .select({ id: messages.id, direction: messages.direction, text: messages.text, options: messages.options, author: messages.author, createdAt: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), gt(messages.id, afterId)))
    .orderBy(asc(messages.id))
    .limit(limit)
    .all();
}
