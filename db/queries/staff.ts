import { and, asc, eq, gt, like, lte, ne, not, sql } from 'drizzle-orm';
import type { staff } from '../schema.ts';
import type { Tx } from '../store.ts';
import { first } from './rows.ts';

export type StaffRow = typeof staff.$inferSelect;

export interface NewStaff {
  readonly name: string;
  readonly role: StaffRow['role'];
  readonly tokenHash: string;
  readonly team?: string | null;
  readonly locale?: StaffRow['locale'];
  readonly at: Date;
}

export async function addStaff(tx: Tx, s: NewStaff): Promise<StaffRow> {
  const row = first(
    await tx.orm
      .insert(tx.t.staff)
      .values({ name: s.name, role: s.role, tokenHash: s.tokenHash, team: s.team ?? null, ...(s.locale ? { locale: s.locale } : {}), createdAt: s.at })
      .returning(),
  );
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

/** The console language an officer chose. */
export async function setStaffLocale(tx: Tx, id: number, locale: StaffRow['locale']): Promise<void> {
  await tx.orm.update(tx.t.staff).set({ locale }).where(eq(tx.t.staff.id, id));
}

/** Everyone on the staff, in the order they were added. */
export function listStaff(tx: Tx): Promise<StaffRow[]> {
  return tx.orm.select().from(tx.t.staff).orderBy(asc(tx.t.staff.id));
}

/** An officer's role, team or console language, as an administrator sets them. */
export async function updateStaff(tx: Tx, id: number, set: Partial<Pick<StaffRow, 'role' | 'team' | 'locale' | 'telegramUserId'>>): Promise<void> {
  await tx.orm.update(tx.t.staff).set(set).where(eq(tx.t.staff.id, id));
}

/** A new token's hash (reissue), or a value no token hashes to (revoke). */
export async function setTokenHash(tx: Tx, id: number, tokenHash: string): Promise<void> {
  await tx.orm.update(tx.t.staff).set({ tokenHash }).where(eq(tx.t.staff.id, id));
}

/** Every console session of an officer ends (their token was revoked or reissued). */
export async function closeSessionsOf(tx: Tx, staffId: number): Promise<void> {
  await tx.orm.delete(tx.t.staffSessions).where(eq(tx.t.staffSessions.staffId, staffId));
}

/** The officer a Telegram user is linked to. */
export async function staffByTelegram(tx: Tx, telegramUserId: string): Promise<StaffRow | undefined> {
  return first(await tx.orm.select().from(tx.t.staff).where(eq(tx.t.staff.telegramUserId, telegramUserId)));
}

/** Administrators who can still sign in (not revoked), other than `exceptId`. */
export async function otherActiveAdmins(tx: Tx, exceptId: number, revokedPrefix: string): Promise<number> {
  const { staff } = tx.t;
  const row = first(
    await tx.orm
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(staff)
      .where(and(eq(staff.role, 'admin'), ne(staff.id, exceptId), not(like(staff.tokenHash, `${revokedPrefix}%`)))),
  );
  return row?.n ?? 0;
}

/** Officers of a team in a role (a team's supervisors, for escalations). */
export function staffOfTeam(tx: Tx, team: string, role: StaffRow['role']): Promise<StaffRow[]> {
  const { staff } = tx.t;
  return tx.orm
    .select()
    .from(staff)
    .where(and(eq(staff.team, team), eq(staff.role, role)))
    .orderBy(asc(staff.id));
}
