import { and, asc, eq, isNotNull, isNull, lte } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import { conversations, people } from '../schema.ts';

/** The bot goes quiet in this chat; staff are waited for until `pickupDueAt`. */
export function startHandoff(tx: Tx, conversationId: number, now: Date, pickupDueAt: Date): void {
  tx.update(conversations)
    .set({ handedOff: true, handedOffAt: now, handoffTakenBy: null, handoffPickupDueAt: pickupDueAt })
    .where(eq(conversations.id, conversationId))
    .run();
}

/** A staff member answered: the hand-off is theirs, the bot stays quiet, and its timeout counts from now. */
export function takeHandoff(tx: Tx, conversationId: number, actor: string, now: Date): void {
  tx.update(conversations)
    .set({ handedOff: true, handedOffAt: now, handoffTakenBy: actor, handoffPickupDueAt: null })
    .where(eq(conversations.id, conversationId))
    .run();
}

export function endHandoff(tx: Tx, conversationId: number): void {
  tx.update(conversations)
    .set({ handedOff: false, handedOffAt: null, handoffTakenBy: null, handoffPickupDueAt: null })
    .where(eq(conversations.id, conversationId))
    .run();
}

/** Hand-offs nobody took in time (partial index `conversations_pickup_due`). */
export function pickupOverdue(tx: Tx, now: Date, limit: number) {
  return tx
    .select({ conversation: conversations, locale: people.locale })
    .from(conversations)
    .innerJoin(people, eq(people.id, conversations.personId))
    .where(and(isNotNull(conversations.handoffPickupDueAt), lte(conversations.handoffPickupDueAt, now), isNull(conversations.handoffTakenBy)))
    .orderBy(asc(conversations.handoffPickupDueAt))
    .limit(limit)
    .all();
}

/** The pick-up notice went out: the bot may speak again, and the chat stays in the staff queue. */
export function pickupNoticeSent(tx: Tx, conversationId: number): boolean {
  const r = tx
    .update(conversations)
    .set({ handedOff: false, handoffPickupDueAt: null })
    .where(and(eq(conversations.id, conversationId), isNotNull(conversations.handoffPickupDueAt), isNull(conversations.handoffTakenBy)))
    .run();
  return r.changes > 0;
}

/** The staff queue: chats handed to staff, oldest first. */
export function handoffQueue(tx: Tx, limit = 100) {
  return tx.select().from(conversations).where(isNotNull(conversations.handedOffAt)).orderBy(asc(conversations.handedOffAt)).limit(limit).all();
}

export function conversationById(tx: Tx, id: number) {
  return tx.select().from(conversations).where(eq(conversations.id, id)).get();
}

/** The staff group's topic for a chat, and the chat of a topic. */
export function setStaffThread(tx: Tx, conversationId: number, thread: string): void {
  tx.update(conversations).set({ staffThread: thread }).where(eq(conversations.id, conversationId)).run();
}

export function conversationOfThread(tx: Tx, thread: string): number | undefined {
  return tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.staffThread, thread)).get()?.id;
}
