import { findOrCreateConversation, type Conversation, type Known, type Person } from '../../db/queries/conversations.ts';
import { inboundId, insertInbound, repliesTo, type Reply } from '../../db/queries/messages.ts';
import type { Tx } from '../../db/store.ts';
import type { Locale } from '../../locales/index.ts';
import type { InboundMessage } from './types.ts';

export type Stored =
  | { readonly status: 'new'; readonly person: Person; readonly conversation: Conversation; readonly inbound: number }
  | { readonly status: 'duplicate'; readonly replies: readonly Reply[] };

/**
 * Stores a person's message in their conversation (found or begun in
 * `locale`), once: a message another instance took meanwhile (PostgreSQL
 * waited for its commit) is answered with the replies that one gave.
 * `known`: who wrote, when the turn looked it up already (arrival), and the message when it stored it then.
 */
export async function storeInbound(tx: Tx, message: InboundMessage, locale: Locale, now: Date, known?: Known): Promise<Stored> {
  if (known?.person && known.conversation && known.inbound !== undefined) return { status: 'new', person: known.person, conversation: known.conversation, inbound: known.inbound };
  const { person, conversation } = await findOrCreateConversation(tx, message, locale, now, known);
  const inbound = await insertInbound(tx, {
    conversationId: conversation.id,
    channel: message.channel,
    channelMessageId: message.channelMessageId,
    text: message.text,
    attachments: message.attachments,
    at: now,
  });
  if (inbound !== undefined) return { status: 'new', person, conversation, inbound };
  const seen = await inboundId(tx, message.channel, message.channelMessageId);
  return { status: 'duplicate', replies: seen === undefined ? [] : await repliesTo(tx, seen) };
}
