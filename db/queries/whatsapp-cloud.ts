import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import { conversations, messages } from '../schema.ts';

/**
 * When the person in a chat last wrote to us on a channel: WhatsApp's 24-hour
 * customer-service window runs from it. Read newest first by the
 * messages_conversation index, so only the chat's latest few rows are looked at.
 */
export function lastInboundAt(tx: Tx, channel: string, chatId: string): Date | undefined {
  return tx
    .select({ at: messages.createdAt })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(conversations.channel, channel), eq(conversations.chatId, chatId), eq(messages.direction, 'in')))
    .orderBy(desc(messages.id))
    .limit(1)
    .get()?.at;
}
