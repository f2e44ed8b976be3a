import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../store.ts';
import { first } from './rows.ts';

/**
 * When the person in a chat last wrote to us on a channel: WhatsApp's 24-hour
 * customer-service window runs from it. Read newest first by the
 * messages_conversation index, so only the chat's latest few rows are looked at.
 */
export async function lastInboundAt(tx: Tx, channel: string, chatId: string): Promise<Date | undefined> {
  const { messages, conversations } = tx.t;
  return first(
    await tx.orm
      .select({ at: messages.createdAt })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(and(eq(conversations.channel, channel), eq(conversations.chatId, chatId), eq(messages.direction, 'in')))
      .orderBy(desc(messages.id))
      .limit(1),
  )?.at;
}
