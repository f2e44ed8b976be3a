import { and, eq, gt, lte } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import { staff, staffSessions } from '../schema.ts';

export type StaffRow = typeof staff.$inferSelect;

export function addStaff(tx: Tx, s: { name: string; role: StaffRow['role']; tokenHash: string; at: Date }): StaffRow {
  return tx.insert(staff).values({ name: s.name, role: s.role, tokenHash: s.tokenHash, createdAt: s.at }).returning().get();
}

export function staffByTokenHash(tx: Tx, tokenHash: string): StaffRow | undefined {
  return tx.select().from(staff).where(eq(staff.tokenHash, tokenHash)).get();
}

export function staffById(tx: Tx, id: number): StaffRow | undefined {
  return tx.select().from(staff).where(eq(staff.id, id)).get();
}

export function openSession(tx: Tx, s: { idHash: string; staffId: number; csrf: string; expiresAt: Date; now: Date }): void {
  // Expired sessions are cleared as new ones open, so the table stays small.
  tx.delete(staffSessions).where(lte(staffSessions.expiresAt, s.now)).run();
  tx.insert(staffSessions).values({ idHash: s.idHash, staffId: s.staffId, csrf: s.csrf, expiresAt: s.expiresAt }).run();
}

export function sessionOf(tx: Tx, idHash: string, now: Date): { staff: StaffRow; csrf: string } | undefined {
  const row = tx
    .select({ staff, csrf: staffSessions.csrf })
    .from(staffSessions)
    .innerJoin(staff, eq(staff.id, staffSessions.staffId))
    .where(and(eq(staffSessions.idHash, idHash), gt(staffSessions.expiresAt, now)))
    .get();
  return row ? { staff: row.staff, csrf: row.csrf } : undefined;
}

export function closeSession(tx: Tx, idHash: string): void {
  tx.delete(staffSessions).where(eq(staffSessions.idHash, idHash)).run();
}
