import { addEvent } from '../../db/queries/requests.ts';
import { requestByReference } from '../../db/queries/staff-requests.ts';
import type { requestEvents } from '../../db/schema.ts';
import type { Store } from '../../db/store.ts';
import type { Clock } from '../sla/clock.ts';
import { actorName, type Actor } from './actor.ts';

type Event = typeof requestEvents.$inferSelect;

/** An officer's note on a request: for staff only, never sent to the person. */
export interface Note {
  readonly at: Date;
  /** Who wrote it, by name. */
  readonly author: string;
  /** The staff member, when a console or API officer wrote it (a Telegram staff-group member may have no staff row). */
  readonly staff: { readonly id: number; readonly name: string } | null;
  readonly text: string;
}

export const NOTE_KIND = 'note';

export type NoteOutcome = { readonly status: 'added'; readonly at: Date } | { readonly status: 'not_found' };

/** An internal note on a request: an audit event for staff (with the officer's id and name), never a message to the person. */
export function addNote(deps: { readonly store: Store; readonly clock: Clock }, actor: Actor, reference: string, text: string): Promise<NoteOutcome> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx): Promise<NoteOutcome> => {
    const r = await requestByReference(tx, reference);
    if (!r) return { status: 'not_found' };
    const data = actor.kind === 'staff' ? { staff: { id: actor.staff.id, name: actor.staff.name } } : null;
    await addEvent(tx, { requestId: r.id, at: now, actor: actorName(actor), kind: NOTE_KIND, note: text, data });
    return { status: 'added', at: now };
  });
}

/** The notes among a request's events, oldest first. */
export function notesOf(events: readonly Event[]): Note[] {
  return events.flatMap((e) => {
    if (e.kind !== NOTE_KIND || e.note === null) return [];
    const staff = (e.data as { staff?: { id?: unknown; name?: unknown } } | null)?.staff;
    const known = staff && typeof staff.id === 'number' && typeof staff.name === 'string' ? { id: staff.id, name: staff.name } : null;
    // The actor is `staff:<id> <name>` or `telegram:<id> <name>`: the name is what a reader needs.
    const author = known?.name ?? /^[a-z]+:\S+ (.+)$/.exec(e.actor)?.[1] ?? e.actor;
    return [{ at: e.at, author, staff: known, text: e.note }];
  });
}
