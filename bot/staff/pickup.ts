import { saveConversationState } from '../../db/queries/conversations.ts';
import { endWaitIfOver, pickupNoticeSent, pickupOverdue, waitsOver } from '../../db/queries/handoffs.ts';
import { insertReplies } from '../../db/queries/messages.ts';
import type { Store, Tx } from '../../db/store.ts';
import { translator } from '../../locales/index.ts';
import { tellStaffLeft, type HandoffDeps } from '../engine/handoff.ts';
import { IDLE, isQueueState, readMemory, readState, withMemory } from '../engine/state.ts';

export const PICKUP_OPTIONS = ['report', 'wait'] as const;

/**
 * Charter line 1: a call is answered within 20 seconds. A hand-off no staff
 * member took in that time gets the person an answer anyway: their message is
 * logged, and they may open a request instead of waiting. Each chat is told
 * once (the notice and clearing its due time are one transaction, and the
 * clearing is conditional: of two checks at once, one tells the person).
 *
 * A person still waiting when HANDOFF_WAIT_MINUTES have passed since they
 * asked leaves the queue the same way: told, once, that the bot looks after
 * them again. The leader runs this every 2 seconds.
 */
export function pickupSweep(store: Store, now: Date, deliversByOutbox: (channel: string) => boolean, handoff: HandoffDeps): Promise<number> {
  return store.transaction(async (tx) => {
    let told = 0;
    for (const { conversation: c, locale } of await pickupOverdue(tx, now, 200)) {
      if (!(await pickupNoticeSent(tx, c.id))) continue;
      const t = translator(locale);
      const options = PICKUP_OPTIONS.map((id) => ({ id, label: t(`chat.pickup_${id}`) }));
      await insertReplies(tx, { conversationId: c.id, channel: c.channel, chatId: c.chatId, replies: [{ text: t('chat.handoff_pickup'), options }], at: now, viaOutbox: deliversByOutbox(c.channel) });
      await saveConversationState(tx, c.id, withMemory({ mode: 'pickup_offer' }, readMemory(c.state)), now);
      told++;
    }
    return told + (await endWaits(tx, now, deliversByOutbox, handoff));
  });
}

/** Waits for an officer that have run their time: the person is told, in their language, and the bot looks after them again. */
async function endWaits(tx: Tx, now: Date, deliversByOutbox: (channel: string) => boolean, handoff: HandoffDeps): Promise<number> {
  const before = new Date(now.getTime() - handoff.handoff.waitMs);
  const minutes = Math.round(handoff.handoff.waitMs / 60_000);
  let told = 0;
  for (const { conversation: c, locale } of await waitsOver(tx, before, 200)) {
    if (!(await endWaitIfOver(tx, c.id, before, now))) continue;
    const text = translator(locale)('chat.handoff_wait_over', { minutes });
    await insertReplies(tx, { conversationId: c.id, channel: c.channel, chatId: c.chatId, replies: [{ text }], at: now, viaOutbox: deliversByOutbox(c.channel) });
    if (isQueueState(readState(c.state))) await saveConversationState(tx, c.id, withMemory(IDLE, readMemory(c.state)), now);
    await tellStaffLeft(tx, handoff, { conversationId: c.id, because: 'wait_over', now });
    told++;
  }
  return told;
}
