import { accessBetween, recordAccess, type AccessEntry } from '../../db/queries/access-log.ts';
import { erasureRows, requestsOfPerson } from '../../db/queries/privacy.ts';
import { OPEN_STATUSES } from '../../db/queries/requests.ts';
import type { StaffRow } from '../../db/queries/staff.ts';
import { requestByReference } from '../../db/queries/staff-requests.ts';
import type { Store, Tx } from '../../db/store.ts';
import type { Clock } from '../sla/clock.ts';
import { actorName, leads } from '../staff/actor.ts';
import { erasePerson, type ErasureOutcome } from './erase.ts';
import { summaryOf, type PersonData } from './summary.ts';

// What staff may do with a person's data (PDPA 2022), whichever face they use
// (API, console): export it, erase it (supervisors and administrators), and
// read who did so (administrators). Every export, erasure and opening of a
// request's details is written to the access log, in the same transaction.

export interface PrivacyDeps {
  readonly store: Store;
  readonly clock: Clock;
}

/** Whose data: a person by id, or the person a request is from. */
export type PersonRef = { readonly personId: number } | { readonly reference: string };

export type ExportOutcome = { readonly status: 'exported'; readonly data: PersonData } | { readonly status: 'not_found' };
export type StaffErasure = Extract<ErasureOutcome, { status: 'erased' }>;
export type EraseOutcome = StaffErasure | { readonly status: 'not_found' } | { readonly status: 'forbidden' } | { readonly status: 'unconfirmed' };
export type AccessLogOutcome = { readonly status: 'listed'; readonly entries: readonly AccessEntry[]; readonly truncated: boolean } | { readonly status: 'forbidden' };

export interface ErasePreview {
  readonly personId: number;
  readonly erasedAt: Date | null;
  readonly requests: readonly { readonly reference: string; readonly status: string; readonly open: boolean }[];
}

const isOpen = (status: string) => (OPEN_STATUSES as readonly string[]).includes(status);

/** The most lines one reading of the access log gives (narrow the dates for more). */
export const ACCESS_LOG_LIMIT = 1000;
const DAY_MS = 86_400_000;

/** Who may erase a person's data: supervisors and administrators. */
export const mayErase = (s: Pick<StaffRow, 'role'>) => leads(s);
/** Who may read the access log: administrators. */
export const mayReadAccessLog = (s: Pick<StaffRow, 'role'>) => s.role === 'admin';

/** The person a reference names, with the request's id (for the log). */
async function resolve(tx: Tx, ref: PersonRef): Promise<{ personId: number; requestId: number | null } | undefined> {
  if ('personId' in ref) return { personId: ref.personId, requestId: null };
  const r = await requestByReference(tx, ref.reference);
  return r ? { personId: r.personId, requestId: r.id } : undefined;
}

export class Privacy {
  constructor(private readonly deps: PrivacyDeps) {}

  /** Everything held about the person, as JSON to hand over; the export is logged. */
  exportPerson(by: StaffRow, ref: PersonRef): Promise<ExportOutcome> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (tx): Promise<ExportOutcome> => {
      const who = await resolve(tx, ref);
      const data = who && (await summaryOf(tx, who.personId, now));
      if (!who || !data) return { status: 'not_found' };
      await recordAccess(tx, { staffId: by.id, action: 'export_person', at: now, requestId: who.requestId, personId: who.personId });
      return { status: 'exported', data };
    });
  }

  /** Erases the person's data (bot/privacy/erase.ts), in the audit trail and the access log; only when confirmed, by a supervisor or an administrator. */
  erase(by: StaffRow, ref: PersonRef, confirmed: boolean): Promise<EraseOutcome> {
    if (!mayErase(by)) return Promise.resolve({ status: 'forbidden' });
    if (!confirmed) return Promise.resolve({ status: 'unconfirmed' });
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (tx): Promise<EraseOutcome> => {
      const who = await resolve(tx, ref);
      if (!who) return { status: 'not_found' };
      const erased = await erasePerson(tx, who.personId, { actor: actorName({ kind: 'staff', staff: by }), now });
      if (erased.status === 'not_found') return erased;
      await recordAccess(tx, { staffId: by.id, action: 'erase_person', at: now, requestId: who.requestId, personId: who.personId });
      return erased;
    });
  }

  /** Who the person is and their requests (reference, status), for the erasure's confirmation page. */
  preview(ref: PersonRef): Promise<ErasePreview | undefined> {
    return this.deps.store.read(async (tx) => {
      const who = await resolve(tx, ref);
      const rows = who && (await erasureRows(tx, who.personId));
      if (!rows) return undefined;
      const requests = await requestsOfPerson(
        tx,
        rows.person.id,
        rows.conversations.map((c) => c.id),
      );
      return { personId: rows.person.id, erasedAt: rows.person.erasedAt, requests: requests.map((r) => ({ reference: r.reference, status: r.status, open: isOpen(r.status) })) };
    });
  }

  /** A staff member opened a request's details (with its person's contact and transcript). */
  recordView(by: StaffRow, request: { readonly id: number; readonly personId: number }): Promise<void> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction((tx) => recordAccess(tx, { staffId: by.id, action: 'view_request', at: now, requestId: request.id, personId: request.personId }));
  }

  /** A staff member opened a person's conversation in the console (the page, not its polling). */
  recordConversationView(by: StaffRow, conversation: { readonly personId: number }): Promise<void> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction((tx) => recordAccess(tx, { staffId: by.id, action: 'view_conversation', at: now, personId: conversation.personId }));
  }

  /** The access log over [from, to) (the last 30 days unless told), oldest first; administrators only. */
  async accessLog(by: StaffRow, range: { readonly from?: Date; readonly to?: Date } = {}): Promise<AccessLogOutcome> {
    if (!mayReadAccessLog(by)) return { status: 'forbidden' };
    const now = this.deps.clock.now();
    const from = range.from ?? new Date(now.getTime() - 30 * DAY_MS);
    const to = range.to ?? new Date(now.getTime() + DAY_MS);
    const rows = await this.deps.store.read((tx) => accessBetween(tx, from, to, ACCESS_LOG_LIMIT + 1));
    return { status: 'listed', entries: rows.slice(0, ACCESS_LOG_LIMIT), truncated: rows.length > ACCESS_LOG_LIMIT };
  }
}
