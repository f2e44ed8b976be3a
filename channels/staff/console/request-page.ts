import { html } from 'hono/html';
import type { RequestView } from '../../../bot/staff/desk.ts';
import { NOTE_KIND, type Note } from '../../../bot/staff/notes.ts';
import { allowedNext } from '../../../bot/staff/status.ts';
import type { people, requestEvents } from '../../../db/schema.ts';
import { actorName, csrfField, layout, maybe, statusName, transcriptItems, when, type Html, type Status, type View } from './layout.ts';
import { clockSection, ownerEventText, ownerSection, type OwnerData } from './owner-parts.ts';
import { slaCell } from './requests-page.ts';
import { cannedPicker, notesSection, type CannedOption } from './tools-parts.ts';
import { privacySection } from './privacy-page.ts';

type Person = typeof people.$inferSelect;
type Event = typeof requestEvents.$inferSelect;
type Message = { id: number; direction: 'in' | 'out'; text: string; author: string | null; createdAt: Date };

export interface RequestPageData {
  readonly request: RequestView;
  readonly person: Person | undefined;
  readonly events: readonly Event[];
  readonly messages: readonly Message[];
  readonly notes?: readonly Note[];
  /** Canned replies, each in the person's language. */
  readonly canned?: readonly CannedOption[];
  /** Who may take or be given it, and what its clock waits for. */
  readonly owner?: OwnerData;
}

const STATUSES = new Set<string>(['received', 'in_progress', 'waiting_for_customer', 'resolved', 'closed', 'cancelled']);

/** What an audit event says, in words: a status change names its new status. */
function eventText(v: View, e: Event): string {
  if (e.kind === 'status') {
    const to = (e.data as { status?: unknown } | null)?.status;
    if (typeof to === 'string' && STATUSES.has(to)) return v.t('console_staff.event.status', { status: statusName(v, to as Status) });
  }
  return ownerEventText(v, e) ?? maybe(v.t, `console_staff.event.${e.kind}`, e.kind);
}

function details(v: View, r: RequestView, person: Person | undefined): Html {
  const fields = r.details && typeof r.details === 'object' && !Array.isArray(r.details) ? Object.entries(r.details as Record<string, unknown>) : [];
  const row = (label: string, value: unknown) => (value === null || value === undefined || value === '' ? '' : html`<dt>${label}</dt><dd>${String(value)}</dd>`);
  return html`<section>
<h2>${v.t('console_staff.request.details')}</h2>
<dl id="details">
  ${row(v.t('console_staff.request.service'), r.serviceName)}
  <dt>${v.t('console_staff.request.status')}</dt><dd id="status">${statusName(v, r.status)}</dd>
  ${row(v.t('console_staff.request.created'), when(v, r.createdAt))}
  ${row(v.t('console_staff.request.due'), when(v, r.dueAt))}
  <dt>${v.t('console_staff.requests.sla')}</dt><dd>${slaCell(v, r)}</dd>
  <dt>${v.t('console_staff.request.assignee')}</dt><dd id="assignee">${r.assignee?.name ?? v.t('console_staff.request.nobody')}</dd>
  ${row(v.t('console_staff.request.team'), r.teamName)}
  ${r.aboutReference ? html`<dt>${v.t('console_staff.request.about')}</dt><dd><a href="/staff/requests/${r.aboutReference}" id="about">${r.aboutReference}</a></dd>` : ''}
  ${fields.map(([k, value]) => row(maybe(v.t, `field.${k}.label`, k), typeof value === 'string' ? value : JSON.stringify(value)))}
</dl>
<h2>${v.t('console_staff.request.customer')}</h2>
<dl id="customer">
  ${row(v.t('console_staff.request.name'), person?.name)}
  ${row(v.t('console_staff.request.phone'), person?.phone)}
  ${row(v.t('console_staff.request.email'), person?.email)}
  ${row(v.t('console_staff.request.language'), person?.locale)}
  <dt>${v.t('console_staff.request.rating')}</dt>
  <dd id="rating">${r.rating === null ? v.t('console_staff.request.no_rating') : v.t('console_staff.request.rating_value', { rating: r.rating })}</dd>
  ${row(v.t('console_staff.request.comment'), r.ratingComment)}
</dl>
</section>`;
}

function history(v: View, events: readonly Event[]): Html {
  return html`<section>
<h2>${v.t('console_staff.request.history')}</h2>
<table id="history">
  <thead><tr><th>${v.t('console_staff.request.time')}</th><th>${v.t('console_staff.request.actor')}</th><th>${v.t('console_staff.request.kind')}</th><th>${v.t('console_staff.request.note')}</th></tr></thead>
  <tbody>${events.filter((e) => e.kind !== NOTE_KIND).map((e) => html`<tr><td>${when(v, e.at)}</td><td>${actorName(v, e.actor)}</td><td>${eventText(v, e)}</td><td class="note">${e.note ?? ''}</td></tr>`)}</tbody>
</table>
</section>`;
}

function statusForm(v: View, r: RequestView): Html {
  const next = allowedNext(r.status);
  if (next.length === 0) return html`<section><h2>${v.t('console_staff.request.change_status')}</h2><p>${v.t('console_staff.request.final')}</p></section>`;
  return html`<section>
<h2>${v.t('console_staff.request.change_status')}</h2>
<form method="post" action="/staff/requests/${r.reference}/status" id="status-form">
  ${csrfField(v)}
  <label for="new-status">${v.t('console_staff.request.new_status')}</label>
  <select name="status" id="new-status">${next.map((s) => html`<option value="${s}">${statusName(v, s)}</option>`)}</select>
  <label for="note">${v.t('console_staff.request.note_label')}</label>
  <textarea name="note" id="note" maxlength="2000"></textarea>
  <p><button type="submit">${v.t('console_staff.request.submit_status')}</button></p>
</form>
</section>`;
}

/** The reply box on the request: typed text, or a canned reply the person gets in their own language. */
function replyForm(v: View, r: RequestView, person: Person | undefined, canned: readonly CannedOption[]): Html {
  if (r.conversationId === null) return html`<section><h2>${v.t('console_staff.reply.title')}</h2><p id="no-conversation">${v.t('console_staff.reply.none')}</p></section>`;
  return html`<section>
<h2>${v.t('console_staff.reply.title')}</h2>
<form method="post" action="/staff/requests/${r.reference}/reply" id="request-reply">
  ${csrfField(v)}
  ${cannedPicker(v, canned, 'request-reply-text', person?.locale)}
  <label for="request-reply-text">${v.t('console_staff.reply.label')}</label>
  <textarea name="text" id="request-reply-text" maxlength="4000"></textarea>
  <p><button type="submit">${v.t('console_staff.reply.send')}</button></p>
</form>
</section>`;
}

/** GET /staff/requests/:reference: the request, its customer, its history, its conversation, and what staff may do next. */
export function requestPage(v: View, d: RequestPageData): Html {
  const r = d.request;
  const answer = r.conversationId === null ? '' : html`<p><a href="/staff/conversations/${r.conversationId}" id="answer">${v.t('console_staff.request.answer')}</a></p>`;
  return layout(
    v,
    v.t('console_staff.request.title', { reference: r.reference }),
    html`${details(v, r, d.person)}
${d.owner ? ownerSection(v, r, d.owner) : ''}
${d.owner ? clockSection(v, r, d.owner) : ''}
${statusForm(v, r)}
${replyForm(v, r, d.person, d.canned ?? [])}
${notesSection(v, r.reference, d.notes ?? [])}
${privacySection(v, r.reference, d.person?.erasedAt)}
${history(v, d.events)}
<section>
<h2>${v.t('console_staff.request.transcript')}</h2>
${answer}
<ol class="transcript" id="request-transcript">${transcriptItems(v, d.messages)}</ol>
</section>`,
  );
}
