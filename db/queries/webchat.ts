import { and, eq, lte, sql } from 'drizzle-orm';
import type { Tx } from '../store.ts';
import { prepared } from './prepared.ts';
import { countInWindow } from './window.ts';
import { first } from './rows.ts';

/** Keeps a session the server just issued (its id only as a hash). */
export async function openWebchatSession(tx: Tx, idHash: string, now: Date): Promise<void> {
  if (tx.sqlite) return void prepared(tx.sqlite).openWebchatSession.run({ idHash, at: now });
  const insert = tx.prepared('open_webchat_session', ({ orm, t }) =>
    orm.insert(t.webchatSessions).values({ idHash: sql.placeholder('idHash'), createdAt: sql.placeholder('at'), lastSeenAt: sql.placeholder('at') }),
  );
  await insert.execute({ idHash, at: now });
}

/** When an issued session was last heard from; undefined for an id the server never issued. */
export async function webchatSessionSeen(tx: Tx, idHash: string): Promise<Date | undefined> {
  // Every web chat message asks this: prepared once on SQLite (BENCHMARKS.md, the backends section).
  if (tx.sqlite) return prepared(tx.sqlite).webchatSessionSeen.get(idHash);
  const seen = tx.prepared('webchat_session_seen', ({ orm, t: { webchatSessions: w } }) =>
    orm
      .select({ lastSeenAt: w.lastSeenAt })
      .from(w)
      .where(eq(w.idHash, sql.placeholder('idHash'))),
  );
  return first(await seen.execute({ idHash }))?.lastSeenAt;
}

/** The session was heard from now (written at most every so often by the caller, not on every message). */
export async function touchWebchatSession(tx: Tx, idHash: string, now: Date): Promise<void> {
  const { webchatSessions: w } = tx.t;
  await tx.orm
    .update(w)
    .set({ lastSeenAt: now })
    .where(and(eq(w.idHash, idHash), lte(w.lastSeenAt, now)));
}

/**
 * Counts one request of `key` (a client address and what it did) in a fixed
 * window and says whether it is within `limit`, and if not, when the window
 * ends. One upsert: instances sharing the database count together.
 */
export async function hitAddressWindow(tx: Tx, h: { key: string; at: Date; limit: number; windowMs: number }): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }> {
  const row = await countInWindow(tx, tx.t.addressWindows, h);
  if (row.count <= h.limit) return { allowed: true };
  return { allowed: false, retryAfterMs: Math.max(0, row.windowStart.getTime() + h.windowMs - h.at.getTime()) };
}
