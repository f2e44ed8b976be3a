import { insertOutbox } from '../../db/queries/messages.ts';
import type { Tx } from '../../db/store.ts';

/** Where staff are told things (a Telegram staff group), when one is set. */
export interface StaffChat {
  readonly channel: string;
  readonly chatId: string;
}

/**
 * Queues a message to the staff chat, in the caller's transaction (so it goes
 * out exactly when the change it reports is committed). Without a staff chat,
 * staff see the same in the console; nothing is queued.
 */
export async function alertStaff(tx: Tx, chat: StaffChat | undefined, a: { text: string; conversationId?: number; at: Date }): Promise<void> {
  if (!chat) return;
  const body = a.conversationId === undefined ? { text: a.text } : { text: a.text, thread: a.conversationId };
  await insertOutbox(tx, { conversationId: a.conversationId ?? null, channel: chat.channel, chatId: chat.chatId, body, at: a.at });
}
