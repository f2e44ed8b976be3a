import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { StaffRow } from '../../../db/queries/staff.ts';
import type { REQUEST_STATUSES } from '../../../db/schema.ts';
import { MissingTextError, type Locale, type Translate } from '../../../locales/index.ts';
import { toLocal } from '../../../bot/sla/zoned.ts';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;
export type Status = (typeof REQUEST_STATUSES)[number];

/** A one-time message shown on the page after a redirect. */
export interface Flash {
  readonly kind: 'ok' | 'error';
  readonly text: string;
}

/** What every page needs: words, time zone, the moment the page is drawn, and (when signed in) who and their form token. */
export interface View {
  readonly t: Translate;
  readonly locale: Locale;
  readonly timeZone: string;
  readonly now: Date;
  readonly staff?: StaffRow;
  readonly csrf?: string;
  readonly flash?: Flash;
  /** This page's own address (a page drawn for a GET), for a form that comes back to it (the language switch). */
  readonly path?: string;
  /** Waiting hand-offs, for the menu. */
  readonly waiting?: number;
  /** Whether this desk sends planned-outage notices to areas (its forms ask where), for the menu. */
  readonly areaNotices?: boolean;
}

/** A text that may be missing (an event kind or form field we have no words for): the fallback instead of a throw. */
export function maybe(t: Translate, key: string, fallback: string, params?: Record<string, string | number>): string {
  try {
    return t(key, params);
  } catch (e) {
    if (e instanceof MissingTextError) return fallback;
    throw e;
  }
}

const two = (n: number) => String(n).padStart(2, '0');

/** "Jumanne 24 Nov 2026, 11:00" in the institution's time zone. */
export function when(v: View, at: Date | null | undefined): string {
  if (!at) return '—';
  const l = toLocal(at, v.timeZone);
  const minutes = Math.floor(l.minutes);
  return v.t('console_staff.time.datetime', {
    weekday: v.t(`time.weekday.${l.weekday}`),
    day: l.day,
    month: v.t(`console_staff.time.month.${l.month}`),
    year: l.year,
    time: `${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`,
  });
}

export const statusName = (v: View, s: Status) => v.t(`console_staff.status.${s}`);

/** `staff:3 Asha Mushi` → "Asha Mushi"; the SLA watch and the customer by name; anything else as written. */
export function actorName(v: View, actor: string): string {
  const staff = /^(?:staff|telegram):[^ ]+ (.+)$/.exec(actor);
  if (staff?.[1]) return staff[1];
  if (actor === 'sla') return v.t('console_staff.actor.sla');
  if (/^person:\d+$/.test(actor)) return v.t('console_staff.actor.customer');
  return actor;
}

/** The hidden form token every POST form carries. */
export const csrfField = (v: View) => html`<input type="hidden" name="_csrf" value="${v.csrf ?? ''}">`;

/** The other console language, one press away; the choice is kept on the officer's staff row. */
function languageSwitch(v: View): Html {
  const other = v.locale === 'sw' ? 'en' : 'sw';
  return html`<form method="post" action="/staff/language" class="inline" id="language">${csrfField(v)}${v.path ? html`<input type="hidden" name="back" value="${v.path}">` : ''}<button type="submit" class="link" name="locale" value="${other}" lang="${other}">${v.t(`console_staff.nav.language.${other}`)}</button></form>`;
}

function menu(v: View): Html {
  if (!v.staff) return html``;
  return html`<nav>
  <a href="/staff">${v.t('console_staff.nav.requests')}</a>
  <a href="/staff/handoffs" id="nav-handoffs">${v.t('console_staff.nav.handoffs', { count: v.waiting ?? 0 })}</a>
  <a href="/staff/dashboard">${v.t('console_staff.nav.dashboard')}</a>
  <a href="/staff/canned">${v.t('console_staff.nav.canned')}</a>
  <a href="/staff/articles" id="nav-articles">${v.t('kb.console.nav')}</a>
  <a href="/staff/incidents" id="nav-incidents">${v.t('incident.console.nav')}</a>
  ${v.areaNotices ? html`<a href="/staff/announcements" id="nav-announcements">${v.t('announcement.console.nav')}</a>` : ''}
  ${v.staff.role === 'admin' ? html`<a href="/staff/admin/staff" id="nav-staff">${v.t('console_staff.nav.staff')}</a>` : ''}
  ${v.staff.role === 'admin' ? html`<a href="/staff/access-log" id="nav-access-log">${v.t('privacy.console.log.nav')}</a>` : ''}
  <span class="who">${v.t('console_staff.nav.signed_in_as', { name: v.staff.name })}</span>
  ${languageSwitch(v)}
  <form method="post" action="/staff/logout" class="inline">${csrfField(v)}<button type="submit" class="link">${v.t('console_staff.nav.logout')}</button></form>
</nav>`;
}

/** The page shell: no inline script or style (the CSP allows only /staff/console.js and /staff/console.css). */
export function layout(v: View, title: string, body: Html): Html {
  const words = {
    left: v.t('console_staff.countdown.left', { span: '{span}' }),
    late: v.t('console_staff.countdown.late', { span: '{span}' }),
    days: v.t('console_staff.countdown.days', { n: '{n}' }),
    hours: v.t('console_staff.countdown.hours', { n: '{n}' }),
    minutes: v.t('console_staff.countdown.minutes', { n: '{n}' }),
    seconds: v.t('console_staff.countdown.seconds', { n: '{n}' }),
    offline: v.t('console_staff.conversation.offline'),
    sending: v.t('console_staff.conversation.sending'),
    in: v.t('console_staff.transcript.in'),
    out: v.t('console_staff.transcript.out'),
    staff: v.t('console_staff.transcript.staff', { name: '{name}' }),
  };
  return html`<!doctype html>
<html lang="${v.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${v.t('console_staff.title')}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/staff/console.css">
<script src="/staff/console.js" defer></script>
</head>
<body data-now="${v.now.toISOString()}" data-words="${JSON.stringify(words)}">
<header><strong>${v.t('console_staff.title')}</strong>${menu(v)}</header>
<main>
${v.flash ? html`<p class="flash ${v.flash.kind}" role="status">${v.flash.text}</p>` : ''}
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

/** A page that says what went wrong, with a way back. */
export function problemPage(v: View, title: string, message: string): Html {
  return layout(v, title, html`<p class="problem">${message}</p><p><a href="${v.staff ? '/staff' : '/staff/login'}">${v.t('console_staff.errors.back')}</a></p>`);
}

/** A conversation's transcript as list items; staff replies carry their author. */
export function transcriptItems(v: View, messages: readonly { id: number; direction: 'in' | 'out'; text: string; author: string | null; createdAt: Date }[]): Html {
  if (messages.length === 0) return html`<li class="empty">${v.t('console_staff.transcript.empty')}</li>`;
  return html`${messages.map(
    (m) => html`<li class="msg ${m.direction}${m.author ? ' staff' : ''}" data-id="${m.id}">
  <span class="who">${whoSaid(v, m)}</span> <time>${when(v, m.createdAt)}</time>
  <div class="text">${m.text}</div>
</li>`,
  )}`;
}

export function whoSaid(v: View, m: { direction: 'in' | 'out'; author: string | null }): string {
  if (m.author) return v.t('console_staff.transcript.staff', { name: actorName(v, m.author) });
  return v.t(`console_staff.transcript.${m.direction}`);
}
