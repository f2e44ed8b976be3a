import { and, eq, gt, lte } from 'drizzle-orm';
import type { staff } from '../schema.ts';
import type { Tx } from '../store.ts';
import { first } from './rows.ts';

export type StaffRow = typeof staff.$inferSelect;

export async function addStaff(tx: Tx, s: { name: string; role: StaffRow['role']; tokenHash: string; at: Date }): Promise<StaffRow> {
  const row = first(await tx.orm.insert(tx.t.staff).values({ name: s.name, role: s.role, tokenHash: s.tokenHash, createdAt: s.at }).returning());
  if (!row) throw new Error('the new staff member was not returned');
  return row;
}

export async function staffByTokenHash(tx: Tx, tokenHash: string): Promise<StaffRow | undefined> {
  return first(await tx.orm.select().from(tx.t.staff).where(eq(tx.t.staff.tokenHash, tokenHash)));
}

export async function staffById(tx: Tx, id: number): Promise<StaffRow | undefined> {
  return first(await tx.orm.select().from(tx.t.staff).where(eq(tx.t.staff.id, id)));
}

export async function openSession(tx: Tx, s: { idHash: string; staffId: number; csrf: string; expiresAt: Date; now: Date }): Promise<void> {
  const { staffSessions } = tx.t;
  // Expired sessions are cleared as new ones open, so the table stays small.
  await tx.orm.delete(staffSessions).where(lte(staffSessions.expiresAt, s.now));
  await tx.orm.insert(staffSessions).values({ idHash: s.idHash, staffId: s.staffId, csrf: s.csrf, expiresAt: s.expiresAt });
}

export async function sessionOf(tx: Tx, idHash: string, now: Date): Promise<{ staff: StaffRow; csrf: string } | undefined> {
  const { staff, staffSessions } = tx.t;
  const row = first(
    await tx.orm
      .select({ staff, csrf: staffSessions.csrf })
      .from(staffSessions)
      .innerJoin(staff, eq(staff.id, staffSessions.staffId))
      .where(and(eq(staffSessions.idHash, idHash), gt(staffSessions.expiresAt, now))),
  );
  return row ? { staff: row.staff, csrf: row.csrf } : undefined;
}

export async function closeSession(tx: Tx, idHash: string): Promise<void> {
  await tx.orm.delete(tx.t.staffSessions).where(eq(tx.t.staffSessions.idHash, idHash));
}
