import { and, count, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { phoneProofs } from '../schema.ts';
import type { Tx } from '../store.ts';
import { first } from './rows.ts';

/** A code sent to a phone number for a chat to prove it has that phone (the code itself is never stored). */
export type PhoneProof = typeof phoneProofs.$inferSelect;

/**
 * Stores a new code for this conversation; a code it asked for earlier and
 * has not used stops counting (only the latest code a chat was sent works).
 */
export async function insertPhoneProof(tx: Tx, p: { conversationId: number; phone: string; channel: string; codeHash: string; at: Date; expiresAt: Date }): Promise<PhoneProof> {
  const { phoneProofs } = tx.t;
  await tx.orm
    .update(phoneProofs)
    .set({ status: 'replaced' })
    .where(and(eq(phoneProofs.conversationId, p.conversationId), eq(phoneProofs.status, 'open')));
  const row = first(
    await tx.orm.insert(phoneProofs).values({ conversationId: p.conversationId, phone: p.phone, channel: p.channel, codeHash: p.codeHash, createdAt: p.at, expiresAt: p.expiresAt }).returning(),
  );
  if (!row) throw new Error('the new phone proof was not returned');
  return row;
}

/** The code this conversation is waiting for, if any (expired or not: the caller says which). */
export async function openPhoneProof(tx: Tx, conversationId: number): Promise<PhoneProof | undefined> {
  const { phoneProofs } = tx.t;
  return first(
    await tx.orm
      .select()
      .from(phoneProofs)
      .where(and(eq(phoneProofs.conversationId, conversationId), eq(phoneProofs.status, 'open')))
      .orderBy(desc(phoneProofs.id))
      .limit(1),
  );
}

/** How many codes went to this number, and how many this conversation asked for, since `since`. */
export async function phoneProofsSince(tx: Tx, p: { phone: string; conversationId: number; since: Date }): Promise<{ toPhone: number; fromConversation: number }> {
  const { phoneProofs } = tx.t;
  const [toPhone] = await tx.orm
    .select({ n: count() })
    .from(phoneProofs)
    .where(and(eq(phoneProofs.phone, p.phone), gte(phoneProofs.createdAt, p.since)));
  const [fromConversation] = await tx.orm
    .select({ n: count() })
    .from(phoneProofs)
    .where(and(eq(phoneProofs.conversationId, p.conversationId), gte(phoneProofs.createdAt, p.since)));
  return { toPhone: Number(toPhone?.n ?? 0), fromConversation: Number(fromConversation?.n ?? 0) };
}

/**
 * Counts one try at an open code, unless it has had `maxTries` already: the
 * row after the try, or undefined when no try is left (or it is no longer
 * open). A compare-and-set, so two tries at once both count.
 */
export async function countPhoneProofTry(tx: Tx, id: number, maxTries: number): Promise<PhoneProof | undefined> {
  const { phoneProofs } = tx.t;
  return first(
    await tx.orm
      .update(phoneProofs)
      .set({ attempts: sql`${phoneProofs.attempts} + 1` })
      .where(and(eq(phoneProofs.id, id), eq(phoneProofs.status, 'open'), lt(phoneProofs.attempts, maxTries)))
      .returning(),
  );
}

/** Closes an open code (proven, locked after too many tries, expired); false when it was not open any more. */
export async function closePhoneProof(tx: Tx, id: number, status: 'proven' | 'locked' | 'expired'): Promise<boolean> {
  const { phoneProofs } = tx.t;
  const rows = await tx.orm
    .update(phoneProofs)
    .set({ status })
    .where(and(eq(phoneProofs.id, id), eq(phoneProofs.status, 'open')))
    .returning({ id: phoneProofs.id });
  return rows.length > 0;
}
