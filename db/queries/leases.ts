import { and, eq, lt, or } from 'drizzle-orm';
import type { Tx } from '../store.ts';

/**
 * Takes or renews the lease `name` for `holder` until `until`: granted when
 * nobody holds it, when `holder` already does, or when the holder's lease ran
 * out (it died). One upsert whose update is conditional, so of two instances
 * asking at once exactly one gets it.
 */
export async function takeLease(tx: Tx, l: { name: string; holder: string; now: Date; until: Date }): Promise<boolean> {
  const { leases } = tx.t;
  const granted = await tx.orm
    .insert(leases)
    .values({ name: l.name, holder: l.holder, expiresAt: l.until })
    .onConflictDoUpdate({
      target: leases.name,
      set: { holder: l.holder, expiresAt: l.until },
      setWhere: or(eq(leases.holder, l.holder), lt(leases.expiresAt, l.now)),
    })
    .returning({ holder: leases.holder });
  return granted.length > 0;
}

/** Gives the lease up at once (a clean stop), so another instance need not wait for it to run out. */
export async function releaseLease(tx: Tx, name: string, holder: string): Promise<void> {
  const { leases } = tx.t;
  await tx.orm.delete(leases).where(and(eq(leases.name, name), eq(leases.holder, holder)));
}

/** Who holds a lease now, for health and tests. */
export async function leaseHolder(tx: Tx, name: string, now: Date): Promise<string | undefined> {
  const { leases } = tx.t;
  const [row] = await tx.orm.select({ holder: leases.holder, expiresAt: leases.expiresAt }).from(leases).where(eq(leases.name, name));
  return row && row.expiresAt > now ? row.holder : undefined;
}
