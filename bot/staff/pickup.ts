import { saveConversationState } from '../../db/queries/conversations.ts';
import { pickupNoticeSent, pickupOverdue } from '../../db/queries/handoffs.ts';
import { insertReplies } from '../../db/queries/messages.ts';
import type { Store } from '../../db/store.ts';
import { translator } from '../../locales/index.ts';

export const PICKUP_OPTIONS = ['report', 'wait'] as const;

/**
 * Charter line 1: a call is answered within 20 seconds. A hand-off no staff
 * member took in that time gets the person an answer anyway: their message is
 * logged, and they may open a request meanwhile. Each chat is told once (the
 * notice and clearing its due time are one transaction, and the clearing is
 * conditional: of two checks at once, one tells the person).
 */
export function pickupSweep(store: Store, now: Date, deliversByOutbox: (channel: string) => boolean): Promise<number> {
  return store.transaction(async (tx) => {
    let told = 0;
    for (const { conversation: c, locale } of await pickupOverdue(tx, now, 200)) {
      if (!(await pickupNoticeSent(tx, c.id))) continue;
      const t = translator(locale);
      const options = PICKUP_OPTIONS.map((id) => ({ id, label: t(`chat.pickup_${id}`) }));
      await insertReplies(tx, { conversationId: c.id, channel: c.channel, chatId: c.chatId, replies: [{ text: t('chat.handoff_pickup'), options }], at: now, viaOutbox: deliversByOutbox(c.channel) });
      await saveConversationState(tx, c.id, { mode: 'pickup_offer' }, now);
      told++;
    }
    return told;
  });
}
