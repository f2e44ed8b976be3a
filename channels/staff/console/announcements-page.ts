import { html } from 'hono/html';
import type { AnnouncementView } from '../../../bot/announcements/announcements.ts';
import { overnight } from '../../../bot/announcements/schedule.ts';
import { noticeText, whenWords } from '../../../bot/announcements/words.ts';
import { csrfField, layout, when, type Html, type View } from './layout.ts';

// Planned outages in the console (/staff/announcements): everyone reads them;
// supervisors and administrators announce one (area, day, hours, reason in
// both languages) and call one off (bot/announcements).

/** What the form holds: as typed when it did not pass. */
export interface NoticeForm {
  readonly area: string;
  readonly day: string;
  readonly from: string;
  readonly to: string;
  readonly nextDay: boolean;
  readonly reasonSw: string;
  readonly reasonEn: string;
}

const w = (v: View, key: string, params?: Record<string, string | number>) => v.t(`announcement.console.${key}`, params);

/** The problems of a form that did not pass (or a refusal), above it. */
const problemList = (problems: readonly string[]): Html =>
  problems.length === 0 ? html`` : html`<div class="flash error" role="alert" id="announcement-problems"><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></div>`;

const hours = (v: View, a: AnnouncementView['announcement']) => w(v, overnight({ from: a.fromTime, to: a.toTime }) ? 'hours_overnight' : 'hours', { from: a.fromTime, to: a.toTime });
const told = (v: View, t: AnnouncementView['told']) => w(v, 'told', { before: t.before, ended: t.ended, cancelled: t.cancelled });

function table(v: View, rows: readonly AnnouncementView[], id: string): Html {
  return html`<table id="${id}">
  <thead><tr><th>#</th><th>${w(v, 'column.area')}</th><th>${w(v, 'column.day')}</th><th>${w(v, 'column.hours')}</th><th>${w(v, 'column.phase')}</th><th>${w(v, 'column.told')}</th></tr></thead>
  <tbody>${rows.map(
    ({ announcement: a, phase, told: t }) => html`<tr data-id="${a.id}" class="announcement-${phase}">
    <td><a href="/staff/announcements/${a.id}">#${a.id}</a></td>
    <td>${a.areaLabel}</td>
    <td><time datetime="${a.day}">${whenWords(v.t, a).date}</time></td>
    <td>${hours(v, a)}</td>
    <td>${w(v, `phase.${phase}`)}</td>
    <td>${told(v, t)}</td>
  </tr>`,
  )}</tbody>
</table>`;
}

function newForm(v: View, f: NoticeForm | undefined, problems: readonly string[]): Html {
  return html`<section>
<h2>${w(v, 'new.title')}</h2>
${problemList(problems)}
<form method="post" action="/staff/announcements" id="announcement-new">
  ${csrfField(v)}
  <label for="announcement-area">${w(v, 'new.area')}</label>
  <input type="text" name="area" id="announcement-area" maxlength="200" required value="${f?.area ?? ''}" aria-describedby="announcement-area-hint">
  <p class="hint" id="announcement-area-hint">${w(v, 'new.area_hint')}</p>
  <label for="announcement-day">${w(v, 'new.day')}</label>
  <input type="date" name="day" id="announcement-day" required value="${f?.day ?? ''}">
  <label for="announcement-from">${w(v, 'new.from')}</label>
  <input type="time" name="from" id="announcement-from" required value="${f?.from ?? ''}" aria-describedby="announcement-hours-hint">
  <label for="announcement-to">${w(v, 'new.to')}</label>
  <input type="time" name="to" id="announcement-to" required value="${f?.to ?? ''}" aria-describedby="announcement-hours-hint">
  <p><label><input type="checkbox" name="nextDay" value="yes" id="announcement-next-day"${f?.nextDay ? ' checked' : ''}> ${w(v, 'new.next_day')}</label></p>
  <p class="hint" id="announcement-hours-hint">${w(v, 'new.hours_hint')}</p>
  <label for="announcement-reason-sw" lang="sw">${w(v, 'new.reason_sw')}</label>
  <textarea name="reasonSw" id="announcement-reason-sw" lang="sw" rows="2" maxlength="500" required>${f?.reasonSw ?? ''}</textarea>
  <label for="announcement-reason-en" lang="en">${w(v, 'new.reason_en')}</label>
  <textarea name="reasonEn" id="announcement-reason-en" lang="en" rows="2" maxlength="500" required>${f?.reasonEn ?? ''}</textarea>
  <p><button type="submit">${w(v, 'new.submit')}</button></p>
</form>
</section>`;
}

/** GET /staff/announcements: those coming and under way, the latest past and cancelled, and (for supervisors) the form. */
export function announcementsPage(v: View, p: { live: readonly AnnouncementView[]; past: readonly AnnouncementView[]; editable: boolean; form?: NoticeForm; problems?: readonly string[] }): Html {
  const live = p.live.length === 0 ? html`<p class="empty" id="announcements-none">${w(v, 'none')}</p>` : table(v, p.live, 'announcements');
  const past = p.past.length === 0 ? html`` : html`<h2>${w(v, 'past')}</h2>${table(v, p.past, 'announcements-past')}`;
  const form = p.editable ? newForm(v, p.form, p.problems ?? []) : html`<p class="hint" id="only-leads">${w(v, 'only_leads')}</p>`;
  return layout(v, w(v, 'title'), html`<p>${w(v, 'intro')}</p><h2>${w(v, 'live')}</h2>${live}${past}${form}`);
}

/** GET /staff/announcements/:id (and its cancellation shown again with the reason it was refused). */
export function announcementPage(v: View, p: { view: Required<AnnouncementView>; editable: boolean; problems?: readonly string[] }): Html {
  const { announcement: a, phase } = p.view;
  const facts = html`<dl class="announcement">
  <dt>${w(v, 'column.area')}</dt><dd>${a.areaLabel} <code>${a.area}</code></dd>
  <dt>${w(v, 'column.day')}</dt><dd><time datetime="${a.day}">${whenWords(v.t, a).date}</time>, ${hours(v, a)}</dd>
  <dt>${w(v, 'detail.starts')}</dt><dd><time>${when(v, a.startsAt)}</time></dd>
  <dt>${w(v, 'detail.ends')}</dt><dd><time>${when(v, a.endsAt)}</time></dd>
  <dt>${w(v, 'detail.tell_at')}</dt><dd><time>${when(v, a.tellAt)}</time></dd>
  <dt>${w(v, 'column.phase')}</dt><dd id="announcement-phase">${w(v, `phase.${phase}`)}</dd>
  <dt>${w(v, 'detail.subscribers')}</dt><dd id="announcement-subscribers">${p.view.subscribers}</dd>
  <dt>${w(v, 'detail.told')}</dt><dd id="announcement-told">${told(v, p.view.told)}</dd>
</dl>`;
  const preview = html`<dl class="announcement-text">
  <dt>${w(v, 'detail.preview_sw')}</dt><dd lang="sw" id="announcement-text-sw">${noticeText('sw', 'webchat', 'before', a)}</dd>
  <dt>${w(v, 'detail.preview_en')}</dt><dd lang="en" id="announcement-text-en">${noticeText('en', 'webchat', 'before', a)}</dd>
</dl>`;
  const open = phase === 'upcoming' || phase === 'under_way';
  const cancel =
    p.editable && open
      ? html`<section>
<h2>${w(v, 'cancel.title')}</h2>
<p class="hint">${w(v, 'cancel.hint')}</p>
<form method="post" action="/staff/announcements/${a.id}/cancel" id="announcement-cancel">${csrfField(v)}<button type="submit" class="danger">${w(v, 'cancel.submit')}</button></form>
</section>`
      : html``;
  return layout(v, w(v, 'detail.title', { id: a.id }), html`${problemList(p.problems ?? [])}${facts}${preview}${cancel}<p><a href="/staff/announcements">${w(v, 'back')}</a></p>`);
}
