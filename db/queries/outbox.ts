import { and, asc, eq, lte, notInArray, sql } from 'drizzle-orm';
import type { Tx } from '../store.ts';
import type { outbox } from '../schema.ts';
import { encodedAs } from './prepared.ts';
import { first } from './rows.ts';

export type OutboxRow = typeof outbox.$inferSelect;

/** Rows due now, oldest first (indexed by status and next try), leaving out chats that must wait. */
export async function duePending(tx: Tx, now: Date, limit: number, waitingChats: readonly string[] = []): Promise<OutboxRow[]> {
  if (waitingChats.length === 0) {
    // The worker's every pass asks this: prepared once per connection.
    const select = tx.prepared('due_pending', ({ orm, t: { outbox } }) =>
      orm
        .select()
        .from(outbox)
        .where(and(eq(outbox.status, 'pending'), lte(outbox.nextTryAt, encodedAs('now', outbox.nextTryAt))))
        .orderBy(asc(outbox.nextTryAt), asc(outbox.id))
        .limit(sql.placeholder('limit')),
    );
    return select.execute({ now, limit });
  }
  const { outbox } = tx.t;
  return tx.orm
    .select()
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), lte(outbox.nextTryAt, now), notInArray(outbox.chatId, [...waitingChats])))
    .orderBy(asc(outbox.nextTryAt), asc(outbox.id))
    .limit(limit);
}

/**
 * Takes a row for one attempt: its next try moves to `leaseUntil`, so no other
 * worker takes it meanwhile, and if this process dies mid-send the row is tried
 * again when the lease ends. One conditional UPDATE … RETURNING: of two
 * workers (or instances) after the same row, exactly one gets it.
 */
export async function claim(tx: Tx, id: number, now: Date, leaseUntil: Date): Promise<OutboxRow | undefined> {
  const update = tx.prepared('claim_outbox', ({ orm, t: { outbox } }) =>
    orm
      .update(outbox)
      .set({ nextTryAt: encodedAs('leaseUntil', outbox.nextTryAt), attempts: sql`${outbox.attempts} + 1` })
      .where(and(eq(outbox.id, sql.placeholder('id')), eq(outbox.status, 'pending'), lte(outbox.nextTryAt, encodedAs('now', outbox.nextTryAt))))
      .returning(),
  );
  return first(await update.execute({ id, now, leaseUntil }));
}

export async function markSent(tx: Tx, id: number, at: Date, providerId?: string): Promise<void> {
  const reported = providerId !== undefined;
  const update = tx.prepared(reported ? 'mark_sent_reported' : 'mark_sent', ({ orm, t: { outbox } }) =>
    orm
      .update(outbox)
      .set({
        status: 'sent',
        sentAt: encodedAs('at', outbox.sentAt),
        lastError: null,
        ...(reported ? { providerId: sql`${sql.placeholder('providerId')}`, deliveryStatus: 'sent' as const } : {}),
      })
      .where(eq(outbox.id, sql.placeholder('id'))),
  );
  await update.execute({ id, at, providerId });
}

export async function outboxByProviderId(tx: Tx, providerId: string): Promise<OutboxRow | undefined> {
  return first(await tx.orm.select().from(tx.t.outbox).where(eq(tx.t.outbox.providerId, providerId)));
}

/** What a platform later said of a sent message; a failure is marked failed with the reason, for staff. */
export async function recordDelivery(tx: Tx, id: number, status: NonNullable<OutboxRow['deliveryStatus']>, error?: string): Promise<void> {
  await tx.orm
    .update(tx.t.outbox)
    .set(status === 'failed' ? { deliveryStatus: status, status: 'failed', lastError: error ?? 'the platform could not deliver it' } : { deliveryStatus: status })
    .where(eq(tx.t.outbox.id, id));
}

export async function markRetry(tx: Tx, id: number, nextTryAt: Date, reason: string): Promise<void> {
  await tx.orm.update(tx.t.outbox).set({ nextTryAt, lastError: reason }).where(eq(tx.t.outbox.id, id));
}

/** Tried later without the attempt counting: a channel that is down must not use up a message's attempts. */
export async function markDeferred(tx: Tx, id: number, nextTryAt: Date, reason: string): Promise<void> {
  const { outbox } = tx.t;
  // The attempt the claim counted is given back (claim always counted one, so this never goes below 0).
  await tx.orm
    .update(outbox)
    .set({ nextTryAt, lastError: reason, attempts: sql`case when ${outbox.attempts} > 0 then ${outbox.attempts} - 1 else 0 end` })
    .where(eq(outbox.id, id));
}

export async function markFailed(tx: Tx, id: number, reason: string): Promise<void> {
  await tx.orm.update(tx.t.outbox).set({ status: 'failed', lastError: reason }).where(eq(tx.t.outbox.id, id));
}

export async function outboxRow(tx: Tx, id: number): Promise<OutboxRow | undefined> {
  return first(await tx.orm.select().from(tx.t.outbox).where(eq(tx.t.outbox.id, id)));
}

/** Sends a row again (it still counts its attempts): the platform refused it for a reason the next try avoids. */
export async function requeue(tx: Tx, id: number, at: Date, reason: string): Promise<void> {
  await tx.orm.update(tx.t.outbox).set({ status: 'pending', nextTryAt: at, lastError: reason, providerId: null, deliveryStatus: null }).where(eq(tx.t.outbox.id, id));
}
