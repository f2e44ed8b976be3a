import { and, asc, eq, isNotNull, isNull, lte } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type * as pgSchema from '../postgres/schema.ts';
import type { Tx } from '../store.ts';
import { first } from './rows.ts';

/** The hand-off record still open for a chat (at most one), if any. */
const openRecord = (tx: Tx, conversationId: number) => and(eq(tx.t.handoffs.conversationId, conversationId), isNull(tx.t.handoffs.endedAt));

/**
 * The bot goes quiet in this chat; staff are waited for until `pickupDueAt`.
 * The wish is kept as a hand-off record, with what the person wrote.
 */
export async function startHandoff(tx: Tx, h: { conversationId: number; personId: number; text: string; now: Date; pickupDueAt: Date }): Promise<void> {
  const { conversations, handoffs } = tx.t;
  await tx.orm.update(handoffs).set({ endedAt: h.now }).where(openRecord(tx, h.conversationId));
  await tx.orm.insert(handoffs).values({ conversationId: h.conversationId, personId: h.personId, text: h.text, requestedAt: h.now });
  await tx.orm.update(conversations).set({ handedOff: true, handedOffAt: h.now, handoffTakenBy: null, handoffPickupDueAt: h.pickupDueAt }).where(eq(conversations.id, h.conversationId));
}

/**
 * A staff member answered: the hand-off is theirs, the bot stays quiet, and its timeout counts from now.
 * Its record names who took it first; staff answering a chat nobody handed over opens a record of its own.
 */
export async function takeHandoff(tx: Tx, conversationId: number, actor: string, now: Date): Promise<void> {
  const { conversations, handoffs } = tx.t;
  const changed = await tx.orm
    .update(conversations)
    .set({ handedOff: true, handedOffAt: now, handoffTakenBy: actor, handoffPickupDueAt: null })
    .where(eq(conversations.id, conversationId))
    .returning({ personId: conversations.personId });
  const personId = first(changed)?.personId;
  if (personId === undefined) return;
  const open = first(await tx.orm.select({ id: handoffs.id, takenBy: handoffs.takenBy }).from(handoffs).where(openRecord(tx, conversationId)));
  if (!open) await tx.orm.insert(handoffs).values({ conversationId, personId, requestedAt: now, takenBy: actor, takenAt: now });
  else if (open.takenBy === null) await tx.orm.update(handoffs).set({ takenBy: actor, takenAt: now }).where(eq(handoffs.id, open.id));
}

/** The bot looks after the chat again; its hand-off record ends now. */
export async function endHandoff(tx: Tx, conversationId: number, now: Date): Promise<void> {
  const { conversations, handoffs } = tx.t;
  await tx.orm.update(conversations).set({ handedOff: false, handedOffAt: null, handoffTakenBy: null, handoffPickupDueAt: null }).where(eq(conversations.id, conversationId));
  await tx.orm.update(handoffs).set({ endedAt: now }).where(openRecord(tx, conversationId));
}

/** The person chose to wait for an officer after the pick-up notice: the bot is quiet again (but for a word now and then). */
export async function resumeWait(tx: Tx, conversationId: number): Promise<void> {
  const { conversations } = tx.t;
  await tx.orm
    .update(conversations)
    .set({ handedOff: true })
    .where(and(eq(conversations.id, conversationId), isNotNull(conversations.handedOffAt), isNull(conversations.handoffTakenBy)));
}

/** Chats that asked for an officer by `before` and that no officer took: their wait is over. */
export const waitsOver = (tx: Tx, before: Date, limit: number) => untakenBy(tx, tx.t.conversations.handedOffAt, before, limit);
/**
 * Ends a wait that is over, only if it still is (nobody took the chat, it was
 * not asked for anew): of two checks at once, one tells the person. False when
 * another got there first.
 */
export async function endWaitIfOver(tx: Tx, conversationId: number, before: Date, now: Date): Promise<boolean> {
  const { conversations, handoffs } = tx.t;
  const changed = await tx.orm
    .update(conversations)
    .set({ handedOff: false, handedOffAt: null, handoffTakenBy: null, handoffPickupDueAt: null })
    .where(and(eq(conversations.id, conversationId), isNotNull(conversations.handedOffAt), lte(conversations.handedOffAt, before), isNull(conversations.handoffTakenBy)))
    .returning({ id: conversations.id });
  if (changed.length === 0) return false;
  await tx.orm.update(handoffs).set({ endedAt: now }).where(openRecord(tx, conversationId));
  return true;
}

/** Hand-offs nobody took in time (partial index `conversations_pickup_due`). */
export const pickupOverdue = (tx: Tx, now: Date, limit: number) => untakenBy(tx, tx.t.conversations.handoffPickupDueAt, now, limit);

/** Handed-off chats no officer took whose `at` (a time column of theirs, with its partial index) is past `by`, oldest first. */
function untakenBy(tx: Tx, at: Tx['t']['conversations']['handedOffAt'], by: Date, limit: number) {
  const { conversations, people } = tx.t;
  return tx.orm
    .select({ conversation: conversations, locale: people.locale })
    .from(conversations)
    .innerJoin(people, eq(people.id, conversations.personId))
    .where(and(isNotNull(at), lte(at, by), isNull(conversations.handoffTakenBy)))
    .orderBy(asc(at))
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
