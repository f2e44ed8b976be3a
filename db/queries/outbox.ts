import { and, asc, eq, lte, notInArray, sql } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import { outbox } from '../schema.ts';

export type OutboxRow = typeof outbox.$inferSelect;

/** Rows due now, oldest first (indexed by status and next try), leaving out chats that must wait. */
export function duePending(tx: Tx, now: Date, limit: number, waitingChats: readonly string[] = []): OutboxRow[] {
  const due = and(eq(outbox.status, 'pending'), lte(outbox.nextTryAt, now));
  return tx
    .select()
    .from(outbox)
    .where(waitingChats.length > 0 ? and(due, notInArray(outbox.chatId, [...waitingChats])) : due)
    .orderBy(asc(outbox.nextTryAt), asc(outbox.id))
    .limit(limit)
    .all();
}

/**
 * Takes a row for one attempt: its next try moves to `leaseUntil`, so no other
 * worker takes it meanwhile, and if this process dies mid-send the row is tried
 * again when the lease ends. False when someone else took it first.
 */
export function claim(tx: Tx, id: number, now: Date, leaseUntil: Date): OutboxRow | undefined {
  const row = tx.select().from(outbox).where(and(eq(outbox.id, id), eq(outbox.status, 'pending'), lte(outbox.nextTryAt, now))).get();
  if (!row) return undefined;
  tx.update(outbox)
    .set({ nextTryAt: leaseUntil, attempts: row.attempts + 1 })
    .where(eq(outbox.id, id))
    .run();
  return { ...row, attempts: row.attempts + 1, nextTryAt: leaseUntil };
}

export function markSent(tx: Tx, id: number, at: Date, providerId?: string): void {
  const reported = providerId === undefined ? {} : { providerId, deliveryStatus: 'sent' as const };
  tx.update(outbox).set({ status: 'sent', sentAt: at, lastError: null, ...reported }).where(eq(outbox.id, id)).run();
}

export function outboxByProviderId(tx: Tx, providerId: string): OutboxRow | undefined {
  return tx.select().from(outbox).where(eq(outbox.providerId, providerId)).get();
}

/** What a platform later said of a sent message; a failure is marked failed with the reason, for staff. */
export function recordDelivery(tx: Tx, id: number, status: NonNullable<OutboxRow['deliveryStatus']>, error?: string): void {
  tx.update(outbox)
    .set(status === 'failed' ? { deliveryStatus: status, status: 'failed', lastError: error ?? 'the platform could not deliver it' } : { deliveryStatus: status })
    .where(eq(outbox.id, id))
    .run();
}

export function markRetry(tx: Tx, id: number, nextTryAt: Date, reason: string): void {
  tx.update(outbox).set({ nextTryAt, lastError: reason }).where(eq(outbox.id, id)).run();
}

/** Tried later without the attempt counting: a channel that is down must not use up a message's attempts. */
export function markDeferred(tx: Tx, id: number, nextTryAt: Date, reason: string): void {
  tx.update(outbox)
    .set({ nextTryAt, lastError: reason, attempts: sql`max(0, ${outbox.attempts} - 1)` })
    .where(eq(outbox.id, id))
    .run();
}

export function markFailed(tx: Tx, id: number, reason: string): void {
  tx.update(outbox).set({ status: 'failed', lastError: reason }).where(eq(outbox.id, id)).run();
}

export function outboxRow(tx: Tx, id: number): OutboxRow | undefined {
  return tx.select().from(outbox).where(eq(outbox.id, id)).get();
}

/** Sends a row again (it still counts its attempts): the platform refused it for a reason the next try avoids. */
export function requeue(tx: Tx, id: number, at: Date, reason: string): void {
  tx.update(outbox).set({ status: 'pending', nextTryAt: at, lastError: reason, providerId: null, deliveryStatus: null }).where(eq(outbox.id, id)).run();
}
