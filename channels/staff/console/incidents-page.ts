import { html } from 'hono/html';
import type { IncidentDetail } from '../../../bot/incidents/incidents.ts';
import type { IncidentListRow, IncidentRow } from '../../../db/queries/incidents.ts';
import { csrfField, layout, maybe, statusName, when, type Html, type Status, type View } from './layout.ts';

// Incidents in the console (/staff/incidents): everyone reads them; supervisors
// and administrators open one, post its news, resolve it, and confirm or
// dismiss what Huduma proposed (bot/incidents).

export type Services = readonly { readonly id: string; readonly name: string }[];

/** What a message form holds: as typed when it did not pass. */
export interface MessageForm {
  readonly messageSw: string;
  readonly messageEn: string;
}
export interface NewIncidentForm extends MessageForm {
  readonly service: string;
  readonly area: string;
}

const w = (v: View, key: string, params?: Record<string, string | number>) => v.t(`incident.console.${key}`, params);

/** The problems of a form that did not pass (or a refusal), above it. */
const problemList = (problems: readonly string[]): Html =>
  problems.length === 0 ? html`` : html`<div class="flash error" role="alert" id="incident-problems"><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></div>`;

/** The message in both languages: what every reporter hears, in theirs. */
function messageFields(v: View, id: string, f?: MessageForm): Html {
  return html`<label for="${id}-sw" lang="sw">${w(v, 'new.message_sw')}</label>
  <textarea name="messageSw" id="${id}-sw" lang="sw" rows="3" maxlength="1000" required>${f?.messageSw ?? ''}</textarea>
  <label for="${id}-en" lang="en">${w(v, 'new.message_en')}</label>
  <textarea name="messageEn" id="${id}-en" lang="en" rows="3" maxlength="1000" required>${f?.messageEn ?? ''}</textarea>`;
}

function table(v: View, rows: readonly IncidentListRow[], services: Services, id: string): Html {
  const name = (s: string) => services.find((x) => x.id === s)?.name ?? s;
  return html`<table id="${id}">
  <thead><tr><th>#</th><th>${w(v, 'column.service')}</th><th>${w(v, 'column.area')}</th><th>${w(v, 'column.status')}</th><th>${w(v, 'column.reports')}</th><th>${w(v, 'column.open')}</th><th>${w(v, 'column.since')}</th></tr></thead>
  <tbody>${rows.map(
    ({ incident: i, requests, openRequests }) => html`<tr data-id="${i.id}" class="incident-${i.status}">
    <td><a href="/staff/incidents/${i.id}">#${i.id}</a></td>
    <td>${name(i.service)}</td>
    <td>${i.areaLabel}</td>
    <td>${w(v, `status.${i.status}`)}</td>
    <td>${requests}</td>
    <td>${openRequests}</td>
    <td><time>${when(v, i.createdAt)}</time></td>
  </tr>`,
  )}</tbody>
</table>`;
}

/** GET /staff/incidents: those proposed and open, the latest closed, and (for supervisors) the form to open one. */
export function incidentsPage(
  v: View,
  p: { live: readonly IncidentListRow[]; closed: readonly IncidentListRow[]; services: Services; editable: boolean; form?: NewIncidentForm; problems?: readonly string[] },
): Html {
  const live = p.live.length === 0 ? html`<p class="empty" id="incidents-none">${w(v, 'none')}</p>` : table(v, p.live, p.services, 'incidents');
  const closed = p.closed.length === 0 ? html`` : html`<h2>${w(v, 'closed')}</h2>${table(v, p.closed, p.services, 'incidents-closed')}`;
  const open = p.editable
    ? html`<section>
<h2>${w(v, 'new.title')}</h2>
${problemList(p.problems ?? [])}
<form method="post" action="/staff/incidents" id="incident-new">
  ${csrfField(v)}
  <label for="incident-service">${w(v, 'new.service')}</label>
  <select name="service" id="incident-service" required>${p.services.map((s) => html`<option value="${s.id}"${s.id === p.form?.service ? html` selected` : ''}>${s.name}</option>`)}</select>
  <label for="incident-area">${w(v, 'new.area')}</label>
  <input type="text" name="area" id="incident-area" maxlength="200" required value="${p.form?.area ?? ''}" aria-describedby="incident-area-hint">
  <p class="hint" id="incident-area-hint">${w(v, 'new.area_hint')}</p>
  ${messageFields(v, 'incident-new', p.form)}
  <p><button type="submit">${w(v, 'new.submit')}</button></p>
</form>
</section>`
    : html`<p class="hint" id="only-leads">${w(v, 'only_leads')}</p>`;
  return layout(v, w(v, 'title'), html`<p>${w(v, 'intro')}</p><h2>${w(v, 'live')}</h2>${live}${closed}${open}`);
}

function facts(v: View, i: IncidentRow, serviceName: string): Html {
  return html`<dl class="incident">
  <dt>${w(v, 'column.service')}</dt><dd>${serviceName}</dd>
  <dt>${w(v, 'column.area')}</dt><dd>${i.areaLabel} <code>${i.area}</code></dd>
  <dt>${w(v, 'column.status')}</dt><dd id="incident-status">${w(v, `status.${i.status}`)}</dd>
  <dt>${w(v, 'detail.source')}</dt><dd>${w(v, `source.${i.source}`)}</dd>
  <dt>${w(v, 'column.since')}</dt><dd><time>${when(v, i.createdAt)}</time></dd>
  ${i.closedAt ? html`<dt>${w(v, 'detail.closed')}</dt><dd><time>${when(v, i.closedAt)}</time></dd>` : ''}
</dl>`;
}

function updates(v: View, d: IncidentDetail): Html {
  if (d.updates.length === 0) return html``;
  return html`<h2>${w(v, 'detail.updates')}</h2><ol id="incident-updates">${d.updates.map(
    (u) => html`<li><strong>${w(v, `kind.${u.kind}`)}</strong> · <time>${when(v, u.at)}</time>${u.staffName ? html` · ${u.staffName}` : ''}
  <p lang="sw">${u.message.sw}</p><p lang="en">${u.message.en}</p></li>`,
  )}</ol>`;
}

function reports(v: View, d: IncidentDetail): Html {
  const channel = (c: string | null) => (c ? maybe(v.t, `kb.dashboard.channels.${c}`, c) : '—');
  const linked =
    d.requests.length === 0
      ? html`<p class="empty">${w(v, 'detail.none_linked')}</p>`
      : html`<table id="incident-requests"><thead><tr><th>${w(v, 'detail.reference')}</th><th>${w(v, 'column.status')}</th><th>${w(v, 'detail.channel')}</th><th>${w(v, 'column.area')}</th><th>${w(v, 'detail.linked_at')}</th></tr></thead>
  <tbody>${d.requests.map(
    (r) =>
      html`<tr><td><a href="/staff/requests/${r.reference}">${r.reference}</a></td><td>${statusName(v, r.status as Status)}</td><td>${channel(r.channel)}</td><td><code>${r.area ?? ''}</code></td><td><time>${when(v, r.linkedAt)}</time></td></tr>`,
  )}</tbody></table>`;
  const candidates =
    d.candidates.length === 0
      ? html``
      : html`<h2>${w(v, 'detail.candidates', { count: d.candidates.length })}</h2><table id="incident-candidates"><thead><tr><th>${w(v, 'detail.reference')}</th><th>${w(v, 'column.status')}</th><th>${w(v, 'column.area')}</th><th>${w(v, 'detail.filed')}</th></tr></thead>
  <tbody>${d.candidates.map((r) => html`<tr><td><a href="/staff/requests/${r.reference}">${r.reference}</a></td><td>${statusName(v, r.status as Status)}</td><td><code>${r.area ?? ''}</code></td><td><time>${when(v, r.createdAt)}</time></td></tr>`)}</tbody></table>`;
  return html`<h2>${w(v, 'detail.reports', { count: d.requests.length })}</h2>${linked}${candidates}`;
}

/** A message form posting to one of the incident's actions. */
function action(v: View, i: IncidentRow, what: 'updates' | 'resolve' | 'confirm', f?: MessageForm): Html {
  const key = what === 'updates' ? 'update' : what;
  return html`<section>
<h2>${w(v, `${key}.title`)}</h2>
<p class="hint">${w(v, `${key}.hint`)}</p>
<form method="post" action="/staff/incidents/${i.id}/${what}" id="incident-${key}">
  ${csrfField(v)}
  ${messageFields(v, `incident-${key}`, f)}
  <p><button type="submit"${what === 'resolve' ? html` class="danger"` : ''}>${w(v, `${key}.submit`)}</button></p>
</form>
</section>`;
}

/** GET /staff/incidents/:id (and an action shown again with its problems). */
export function incidentPage(v: View, p: { detail: IncidentDetail; serviceName: string; editable: boolean; form?: MessageForm & { readonly for: string }; problems?: readonly string[] }): Html {
  const i = p.detail.incident;
  const typed = (what: string) => (p.form?.for === what ? p.form : undefined);
  const dismiss = html`<form method="post" action="/staff/incidents/${i.id}/dismiss" id="incident-dismiss">${csrfField(v)}<p class="hint">${w(v, 'dismiss.hint')}</p><button type="submit" class="danger">${w(v, 'dismiss.submit')}</button></form>`;
  const actions = !p.editable
    ? i.status === 'proposed' || i.status === 'open'
      ? html`<p class="hint" id="only-leads">${w(v, 'only_leads')}</p>`
      : html``
    : i.status === 'open'
      ? html`${action(v, i, 'updates', typed('updates'))}${action(v, i, 'resolve', typed('resolve'))}`
      : i.status === 'proposed'
        ? html`${action(v, i, 'confirm', typed('confirm'))}${dismiss}`
        : html``;
  return layout(
    v,
    w(v, 'detail.title', { id: i.id }),
    html`${problemList(p.problems ?? [])}${facts(v, i, p.serviceName)}${updates(v, p.detail)}${actions}${reports(v, p.detail)}<p><a href="/staff/incidents">${w(v, 'back')}</a></p>`,
  );
}
