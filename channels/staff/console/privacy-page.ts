import { html } from 'hono/html';
import type { ErasePreview, StaffErasure } from '../../../bot/privacy/privacy.ts';
import { mayErase } from '../../../bot/privacy/privacy.ts';
import type { AccessEntry } from '../../../db/queries/access-log.ts';
import { csrfField, layout, maybe, when, type Html, type View } from './layout.ts';

// The console's side of PDPA 2022: the personal-data section of a request page
// (download, erase), the erasure's confirmation step and its result, and the
// administrators' access log.

const statusWord = (v: View, status: string) => maybe(v.t, `console_staff.status.${status}`, status);
const listed = (items: readonly string[]) => (items.length === 0 ? '—' : items.join(', '));

/** On the request page: the person's data as a download, and (for supervisors and administrators) the way to erase it. */
export function privacySection(v: View, reference: string, erasedAt: Date | null | undefined): Html {
  const erase = erasedAt
    ? html`<p id="erased-on">${v.t('privacy.console.erased_on', { when: when(v, erasedAt) })}</p>`
    : v.staff && mayErase(v.staff)
      ? html`<p><a href="/staff/requests/${reference}/person/erase" id="erase-person">${v.t('privacy.console.erase')}</a></p>`
      : '';
  return html`<section id="privacy">
<h2>${v.t('privacy.console.section')}</h2>
<p><a href="/staff/requests/${reference}/person/export" id="export-person" download>${v.t('privacy.console.export')}</a></p>
<p class="hint">${v.t('privacy.console.export_note')}</p>
${erase}
</section>`;
}

/** The confirmation step: what erasure does, which requests it closes, and a box to tick. */
export function erasePage(v: View, reference: string, p: ErasePreview, problem?: string): Html {
  const open = p.requests.filter((r) => r.open).map((r) => r.reference);
  return layout(
    v,
    v.t('privacy.console.erase_title', { reference }),
    html`${problem ? html`<p class="flash error" role="alert" id="erase-problem">${problem}</p>` : ''}
<p id="erase-explain">${v.t('privacy.console.erase_explain')}</p>
<p id="erase-requests">${v.t('privacy.console.erase_requests', { list: listed(p.requests.map((r) => `${r.reference} (${statusWord(v, r.status)})`)) })}</p>
${open.length > 0 ? html`<p id="erase-open"><strong>${v.t('privacy.console.erase_open', { list: listed(open) })}</strong></p>` : ''}
<form method="post" action="/staff/requests/${reference}/person/erase" id="erase-form">
  ${csrfField(v)}
  <p><label><input type="checkbox" name="confirm" value="yes" id="erase-confirm" required> ${v.t('privacy.console.erase_confirm')}</label></p>
  <p><button type="submit" class="danger">${v.t('privacy.console.erase_submit')}</button></p>
</form>
<p><a href="/staff/requests/${reference}">${v.t('privacy.console.erase_back')}</a></p>`,
  );
}

/** What the erasure did. */
export function erasedPage(v: View, reference: string, e: StaffErasure): Html {
  return layout(
    v,
    v.t('privacy.console.erased_title'),
    html`<p id="erased">${v.t('privacy.console.erased', { reference, requests: e.requests })}</p>
${e.closed.length > 0 ? html`<p id="erased-closed">${v.t('privacy.console.erased_closed', { list: listed(e.closed) })}</p>` : ''}
<p><a href="/staff/requests/${reference}" id="back">${v.t('privacy.console.back', { reference })}</a></p>`,
  );
}

export interface AccessLogPageData {
  readonly from: string;
  readonly to: string;
  readonly entries: readonly AccessEntry[];
  readonly truncated: boolean;
  readonly limit: number;
}

/** GET /staff/access-log: who opened, exported or erased whose data, and when (administrators only). */
export function accessLogPage(v: View, d: AccessLogPageData): Html {
  const w = (key: string, params?: Record<string, string | number>) => v.t(`privacy.console.log.${key}`, params);
  const rows = d.entries.map(
    (e) => html`<tr>
  <td>${when(v, e.at)}</td>
  <td>${e.staffName ?? `#${e.staffId}`}</td>
  <td>${maybe(v.t, `privacy.console.log.actions.${e.action}`, e.action)}</td>
  <td>${e.reference ? html`<a href="/staff/requests/${e.reference}">${e.reference}</a>` : '—'}</td>
  <td>${e.personId ?? '—'}</td>
</tr>`,
  );
  return layout(
    v,
    w('title'),
    html`<p>${w('intro')}</p>
<form method="get" action="/staff/access-log" id="access-log-filter" class="filters">
  <label for="log-from">${w('from')}</label> <input type="date" name="from" id="log-from" value="${d.from}">
  <label for="log-to">${w('to')}</label> <input type="date" name="to" id="log-to" value="${d.to}">
  <button type="submit">${w('show')}</button>
</form>
${d.truncated ? html`<p class="flash error" id="log-truncated">${w('truncated', { count: d.limit })}</p>` : ''}
<table id="access-log">
  <thead><tr><th>${w('time')}</th><th>${w('staff')}</th><th>${w('action')}</th><th>${w('request')}</th><th>${w('person')}</th></tr></thead>
  <tbody>${rows.length > 0 ? rows : html`<tr><td colspan="5" class="empty">${w('empty')}</td></tr>`}</tbody>
</table>`,
  );
}
