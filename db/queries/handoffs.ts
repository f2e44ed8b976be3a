import { and, asc, eq, isNotNull, isNull, lte } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type * as pgSchema from '../postgres/schema.ts';
import type { Tx } from '../store.ts';
import { first } from './rows.ts';

/** The bot goes quiet in this chat; staff are waited for until `pickupDueAt`. */
export async function startHandoff(tx: Tx, conversationId: number, now: Date, pickupDueAt: Date): Promise<void> {
  const { conversations } = tx.t;
  await tx.orm.update(conversations).set({ handedOff: true, handedOffAt: now, handoffTakenBy: null, handoffPickupDueAt: pickupDueAt }).where(eq(conversations.id, conversationId));
}

/** A staff member answered: the hand-off is theirs, the bot stays quiet, and its timeout counts from now. */
export async function takeHandoff(tx: Tx, conversationId: number, actor: string, now: Date): Promise<void> {
  const { conversations } = tx.t;
  await tx.orm.update(conversations).set({ handedOff: true, handedOffAt: now, handoffTakenBy: actor, handoffPickupDueAt: null }).where(eq(conversations.id, conversationId));
}

export async function endHandoff(tx: Tx, conversationId: number): Promise<void> {
  const { conversations } = tx.t;
  await tx.orm.update(conversations).set({ handedOff: false, handedOffAt: null, handoffTakenBy: null, handoffPickupDueAt: null }).where(eq(conversations.id, conversationId));
}

/** Hand-offs nobody took in time (partial index `conversations_pickup_due`). */
export async function pickupOverdue(tx: Tx, now: Date, limit: number) {
  const { conversations, people } = tx.t;
  return tx.orm
    .select({ conversation: conversations, locale: people.locale })
    .from(conversations)
    .innerJoin(people, eq(people.id, conversations.personId))
    .where(and(isNotNull(conversations.handoffPickupDueAt), lte(conversations.handoffPickupDueAt, now), isNull(conversations.handoffTakenBy)))
    .orderBy(asc(conversations.handoffPickupDueAt))
    .limit(limit);
}

/** The pick-up notice went out: the bot may speak again, and the chat stays in the staff queue. False when another took it first. */
export async function pickupNoticeSent(tx: Tx, conversationId: number): Promise<boolean> {
  const { conversations } = tx.t;
  const changed = await tx.orm
    .update(conversations)
    .set({ handedOff: false, handoffPickupDueAt: null })
    .where(and(eq(conversations.id, conversationId), isNotNull(conversations.handoffPickupDueAt), isNull(conversations.handoffTakenBy)))
    .returning({ id: conversations.id });
  return changed.length > 0;
}

/** The staff queue: chats handed to staff, oldest first. */
export async function handoffQueue(tx: Tx, limit = 100) {
  const { conversations } = tx.t;
  return tx.orm.select().from(conversations).where(isNotNull(conversations.handedOffAt)).orderBy(asc(conversations.handedOffAt)).limit(limit);
}

export async function conversationById(tx: Tx, id: number) {
  return first(await tx.orm.select().from(tx.t.conversations).where(eq(tx.t.conversations.id, id)));
}

/**
 * A chat staff are about to act in, held until the transaction ends: on
 * PostgreSQL its row is locked (FOR UPDATE), so two staff actions on one chat
 * (a redelivered staff-group update, say) take turns as they do on SQLite.
 */
export async function conversationToChange(tx: Tx, id: number) {
  if (tx.dialect !== 'postgres') return conversationById(tx, id);
  // tx.orm is drizzle over the PostgreSQL schema here (db/store.ts); only its builder has FOR UPDATE.
  const orm = tx.orm as unknown as NodePgDatabase<typeof pgSchema>;
  const { conversations } = tx.t as unknown as typeof pgSchema;
  const row: Awaited<ReturnType<typeof conversationById>> = first(await orm.select().from(conversations).where(eq(conversations.id, id)).for('update'));
  return row;
}

/** The staff group's topic for a chat, and the chat of a topic. */
export async function setStaffThread(tx: Tx, conversationId: number, thread: string): Promise<void> {
  await tx.orm.update(tx.t.conversations).set({ staffThread: thread }).where(eq(tx.t.conversations.id, conversationId));
}

export async function conversationOfThread(tx: Tx, thread: string): Promise<number | undefined> {
  const { conversations } = tx.t;
  return first(await tx.orm.select({ id: conversations.id }).from(conversations).where(eq(conversations.staffThread, thread)))?.id;
}
