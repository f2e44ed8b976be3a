import { html } from 'hono/html';
import type { RequestView } from '../../../bot/staff/desk.ts';
import { REQUEST_STATUSES } from '../../../db/schema.ts';
import { layout, statusName, when, type Html, type Status, type View } from './layout.ts';

const OPEN: readonly Status[] = ['received', 'in_progress', 'waiting_for_customer'];

export interface RequestsFilter {
  readonly service?: string;
  readonly status?: Status;
  readonly breached?: boolean;
}

/** "2 h 13 min left" / "late by 1 h 5 min", as the page's script says it every second. */
export function countdown(v: View, due: Date): string {
  const ms = due.getTime() - v.now.getTime();
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts: string[] = [];
  if (d > 0) parts.push(v.t('console_staff.countdown.days', { n: d }));
  if (d > 0 || h > 0) parts.push(v.t('console_staff.countdown.hours', { n: h }));
  parts.push(v.t('console_staff.countdown.minutes', { n: m }));
  if (d === 0 && h === 0) parts.push(v.t('console_staff.countdown.seconds', { n: s % 60 }));
  return v.t(ms >= 0 ? 'console_staff.countdown.left' : 'console_staff.countdown.late', { span: parts.join(' ') });
}

/** Where a request's time stands: a live countdown while its clock runs, else why it does not. */
export function slaCell(v: View, r: RequestView): Html {
  if (!OPEN.includes(r.status)) return html`<span class="sla done">${v.t('console_staff.requests.done')}</span>`;
  if (r.pausedSince) return html`<span class="sla paused">${v.t('console_staff.requests.paused')}</span>`;
  if (!r.dueAt) return html`<span class="sla">${v.t('console_staff.requests.no_due')}</span>`;
  return html`<span class="sla countdown" data-due="${r.dueAt.toISOString()}">${countdown(v, r.dueAt)}</span>`;
}

const rowClass = (r: RequestView) => [r.breached ? 'breached' : '', r.pausedSince && OPEN.includes(r.status) ? 'paused' : ''].filter(Boolean).join(' ');

function filters(v: View, f: RequestsFilter, services: readonly { id: string; name: string }[]): Html {
  return html`<form method="get" action="/staff" class="filters">
  <label>${v.t('console_staff.requests.service')}
    <select name="service">
      <option value="">${v.t('console_staff.requests.all_services')}</option>
      ${services.map((s) => html`<option value="${s.id}"${f.service === s.id ? ' selected' : ''}>${s.name}</option>`)}
    </select>
  </label>
  <label>${v.t('console_staff.requests.status')}
    <select name="status">
      <option value="">${v.t('console_staff.requests.all_statuses')}</option>
      ${REQUEST_STATUSES.map((s) => html`<option value="${s}"${f.status === s ? ' selected' : ''}>${statusName(v, s)}</option>`)}
    </select>
  </label>
  <label><input type="checkbox" name="breached" value="1"${f.breached ? ' checked' : ''}> ${v.t('console_staff.requests.breached_only')}</label>
  <button type="submit">${v.t('console_staff.requests.filter')}</button>
  <a href="/staff">${v.t('console_staff.requests.clear')}</a>
</form>`;
}

/** GET /staff: the requests, newest first, with their time left and breaches in red. */
export function requestsPage(v: View, d: { requests: readonly RequestView[]; filter: RequestsFilter; services: readonly { id: string; name: string }[] }): Html {
  const rows = d.requests.map(
    (r) => html`<tr class="${rowClass(r)}" data-reference="${r.reference}">
  <td><a href="/staff/requests/${r.reference}">${r.reference}</a></td>
  <td>${r.serviceName}</td>
  <td>${statusName(v, r.status)}</td>
  <td>${when(v, r.createdAt)}</td>
  <td>${when(v, r.dueAt)}</td>
  <td>${slaCell(v, r)}</td>
</tr>`,
  );
  const table = html`<table id="requests">
  <thead><tr>
    <th>${v.t('console_staff.requests.reference')}</th><th>${v.t('console_staff.requests.service')}</th><th>${v.t('console_staff.requests.status')}</th>
    <th>${v.t('console_staff.requests.created')}</th><th>${v.t('console_staff.requests.due')}</th><th>${v.t('console_staff.requests.sla')}</th>
  </tr></thead>
  <tbody>${rows}</tbody>
</table>`;
  return layout(v, v.t('console_staff.requests.title'), html`${filters(v, d.filter, d.services)}${d.requests.length > 0 ? table : html`<p class="empty">${v.t('console_staff.requests.none')}</p>`}`);
}
