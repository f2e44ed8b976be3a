import type { StaffRow } from '../../db/queries/staff.ts';

/** Who did something, as the audit trail names them: a staff member (console, API, or a linked Telegram staff-group member) or an unlinked Telegram staff-group member. */
export type Actor = { readonly kind: 'staff'; readonly staff: StaffRow } | { readonly kind: 'telegram'; readonly userId: string; readonly name: string };
export const actorName = (a: Actor) => (a.kind === 'staff' ? `staff:${a.staff.id} ${a.staff.name}` : `telegram:${a.userId} ${a.name}`);

/** Supervisors and administrators run the desk: they reassign, and hear of escalations. */
export const leads = (s: Pick<StaffRow, 'role'>) => s.role === 'supervisor' || s.role === 'admin';
