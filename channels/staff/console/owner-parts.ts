import { html } from 'hono/html';
import { SCHEDULED } from '../../../bot/staff/clocks.ts';
import type { RequestView } from '../../../bot/staff/desk.ts';
import { csrfField, type Html, type View } from './layout.ts';

// The request page's ownership and clock sections: take it, hand it to an
// officer or back to the team's queue; start a clock that waits for an event
// (line 15: the equipment reached the workshop) or a date (line 13).

/** An officer a request may be handed to. */
export interface Assignable {
  readonly id: number;
  readonly name: string;
  readonly team: string | null;
}

/** What the two sections need beyond the request. */
export interface OwnerData {
  readonly assignable: readonly Assignable[];
  /** What the request's clock waits for, in the officer's words (null: its clock runs, or never waits). */
  readonly waitingFor: string | null;
  /** Team names by id, in the officer's language. */
  readonly teamNames: ReadonlyMap<string, string>;
}

const isLead = (v: View) => v.staff?.role === 'supervisor' || v.staff?.role === 'admin';

/** Take it (when it is not yours and you may), hand it to someone, or give it back to the team's queue. */
export function ownerSection(v: View, r: RequestView, d: OwnerData): Html {
  const me = v.staff?.id;
  const mine = r.assigneeId !== null && r.assigneeId === me;
  const inMyTeam = r.team === null || r.team === v.staff?.team;
  const mayTake = !mine && (isLead(v) || (r.assigneeId === null && inMyTeam));
  const mayHand = isLead(v) || ((r.assigneeId === null || mine) && inMyTeam);
  const team = r.team ? (d.teamNames.get(r.team) ?? r.team) : null;
  const who = r.assignee ? v.t('console_staff.owner.handled_by', { name: r.assignee.name }) : team ? v.t('console_staff.owner.in_queue', { team }) : v.t('console_staff.owner.nobody');
  const post = (id: string, to: string, label: string) =>
    html`<form method="post" action="/staff/requests/${r.reference}/assign" class="inline" id="${id}">${csrfField(v)}<input type="hidden" name="to" value="${to}"><button type="submit">${label}</button></form>`;
  const others = d.assignable.filter((s) => s.id !== r.assigneeId);
  const teamOf = (s: Assignable) => (s.team ? ` (${d.teamNames.get(s.team) ?? s.team})` : '');
  return html`<section id="owner">
<h2>${v.t('console_staff.owner.title')}</h2>
<p id="owner-now">${who}</p>
<p>${mayTake ? post('take', 'me', v.t('console_staff.owner.take')) : ''} ${r.assigneeId !== null && (mine || isLead(v)) ? post('unassign', 'none', v.t('console_staff.owner.unassign')) : ''}</p>
${
  mayHand && others.length > 0
    ? html`<form method="post" action="/staff/requests/${r.reference}/assign" id="assign-form">
  ${csrfField(v)}
  <label for="assign-to">${v.t('console_staff.owner.assign_to')}</label>
  <select name="to" id="assign-to">${others.map((s) => html`<option value="${s.id}">${s.name}${teamOf(s)}</option>`)}</select>
  <button type="submit">${v.t('console_staff.owner.assign')}</button>
</form>`
    : ''
}
</section>`;
}

/** An assignment or an action on someone else's request, naming the officer (the audit event's data holds the name). */
export function ownerEventText(v: View, e: { readonly kind: string; readonly data: unknown }): string | undefined {
  const data = (e.data ?? {}) as { to?: { name?: unknown } | null; owner?: { name?: unknown } };
  if (e.kind === 'assigned' && typeof data.to?.name === 'string') return v.t('console_staff.event.assigned_to', { name: data.to.name });
  if (e.kind === 'not_owner' && typeof data.owner?.name === 'string') return v.t('console_staff.event.not_owner_of', { name: data.owner.name });
  return undefined;
}

/** While the clock waits: what for, and the button that starts it (with the date for a schedule line). */
export function clockSection(v: View, r: RequestView, d: OwnerData): Html {
  if (!r.waitingFor || !d.waitingFor) return html``;
  const scheduled = r.waitingFor === SCHEDULED;
  return html`<section id="clock">
<h2>${v.t('console_staff.clock.title')}</h2>
<p id="waiting-for">${v.t('console_staff.clock.waiting_for', { event: d.waitingFor })}</p>
<form method="post" action="/staff/requests/${r.reference}/events" id="clock-form">
  ${csrfField(v)}
  <input type="hidden" name="event" value="${r.waitingFor}">
  ${
    scheduled
      ? html`<label for="clock-at">${v.t('console_staff.clock.date')}</label>
  <input type="datetime-local" name="at" id="clock-at" required>`
      : ''
  }
  <p class="hint">${v.t('console_staff.clock.hint')}</p>
  <p><button type="submit">${scheduled ? v.t('console_staff.clock.set_date') : v.t('console_staff.clock.record', { event: d.waitingFor })}</button></p>
</form>
</section>`;
}
