import { html } from 'hono/html';
import type { RequestView } from '../../../bot/staff/desk.ts';
import { REQUEST_STATUSES } from '../../../db/schema.ts';
import { layout, statusName, when, type Html, type Status, type View } from './layout.ts';

const OPEN: readonly Status[] = ['received', 'in_progress', 'waiting_for_customer'];

/** An option of a filter: its value and the words shown. */
type Choice = { readonly id: string; readonly name: string };

export interface RequestsFilter {
  readonly service?: string;
  readonly status?: Status;
  readonly breached?: boolean;
  /** The search box, as typed. */
  readonly q?: string;
  /** Whose: the signed-in officer's, or nobody's yet. */
  readonly owner?: 'me' | 'none';
  /** A team's queue (supervisors watch theirs). */
  readonly team?: string;
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
  if (r.waitingForName) return html`<span class="sla waiting">${v.t('console_staff.requests.waiting_for', { event: r.waitingForName })}</span>`;
  if (!r.dueAt) return html`<span class="sla">${v.t('console_staff.requests.no_due')}</span>`;
  return html`<span class="sla countdown" data-due="${r.dueAt.toISOString()}">${countdown(v, r.dueAt)}</span>`;
}

/** Who asked: their name and phone as known, or a dash. */
function requester(r: RequestView): Html {
  const name = r.requester?.name;
  const phone = r.requester?.phone;
  if (!name && !phone) return html`—`;
  return html`${name ?? ''}${name && phone ? html`<br>` : ''}${phone ? html`<span class="phone">${phone}</span>` : ''}`;
}

const rowClass = (r: RequestView) => [r.breached ? 'breached' : '', r.pausedSince && OPEN.includes(r.status) ? 'paused' : ''].filter(Boolean).join(' ');

function filters(v: View, f: RequestsFilter, services: readonly Choice[], teams: readonly Choice[]): Html {
  return html`<form method="get" action="/staff" class="filters" id="filters">
  <label>${v.t('console_staff.requests.search')}
    <input type="search" name="q" id="search" value="${f.q ?? ''}" maxlength="200" placeholder="${v.t('console_staff.requests.search_hint')}" aria-describedby="search-hint">
  </label>
  <span id="search-hint" class="visually-hidden">${v.t('console_staff.requests.search_hint')}</span>
  <label>${v.t('console_staff.requests.owner')}
    <select name="owner" id="owner">
      <option value="">${v.t('console_staff.requests.everyone')}</option>
      <option value="me"${f.owner === 'me' ? ' selected' : ''}>${v.t('console_staff.requests.mine')}</option>
      <option value="none"${f.owner === 'none' ? ' selected' : ''}>${v.t('console_staff.requests.unassigned')}</option>
    </select>
  </label>
  ${
    teams.length === 0
      ? ''
      : html`<label>${v.t('console_staff.requests.team')}
    <select name="team" id="team">
      <option value="">${v.t('console_staff.requests.all_teams')}</option>
      ${teams.map((t) => html`<option value="${t.id}"${f.team === t.id ? ' selected' : ''}>${t.name}</option>`)}
    </select>
  </label>`
  }
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
export function requestsPage(v: View, d: { requests: readonly RequestView[]; filter: RequestsFilter; services: readonly Choice[]; teams?: readonly Choice[] }): Html {
  const rows = d.requests.map(
    (r) => html`<tr class="${rowClass(r)}" data-reference="${r.reference}">
  <td><a href="/staff/requests/${r.reference}">${r.reference}</a></td>
  <td>${r.serviceName}</td>
  <td>${statusName(v, r.status)}</td>
  <td>${when(v, r.createdAt)}</td>
  <td>${when(v, r.dueAt)}</td>
  <td>${slaCell(v, r)}</td>
  <td class="requester">${requester(r)}</td>
  <td class="office">${r.office ?? '—'}</td>
  <td class="summary" title="${r.summary ?? ''}">${r.summary ?? '—'}</td>
  <td class="assignee">${r.assignee?.name ?? v.t('console_staff.requests.nobody')}</td>
</tr>`,
  );
  const table = html`<table id="requests">
  <thead><tr>
    <th>${v.t('console_staff.requests.reference')}</th><th>${v.t('console_staff.requests.service')}</th><th>${v.t('console_staff.requests.status')}</th>
    <th>${v.t('console_staff.requests.created')}</th><th>${v.t('console_staff.requests.due')}</th><th>${v.t('console_staff.requests.sla')}</th>
    <th>${v.t('console_staff.requests.requester')}</th><th>${v.t('console_staff.requests.office')}</th><th>${v.t('console_staff.requests.summary')}</th><th>${v.t('console_staff.requests.assignee')}</th>
  </tr></thead>
  <tbody>${rows}</tbody>
</table>`;
  return layout(
    v,
    v.t('console_staff.requests.title'),
    html`${filters(v, d.filter, d.services, d.teams ?? [])}${d.requests.length > 0 ? table : html`<p class="empty">${v.t('console_staff.requests.none')}</p>`}`,
  );
}
