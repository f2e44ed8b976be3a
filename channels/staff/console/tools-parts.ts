import { html } from 'hono/html';
import type { Note } from '../../../bot/staff/notes.ts';
import type { Locale } from '../../../locales/index.ts';
import { csrfField, when, type Html, type View } from './layout.ts';

/** A canned reply as a reply box offers it: already in the person's language. */
export interface CannedOption {
  readonly id: number;
  readonly title: string;
  readonly text: string;
}

/**
 * The picker above a reply box: choosing one puts its text (in the person's
 * language) in the box (console.js), to send as it is or adapt. Named
 * `canned`, it also goes with the form, so without the script the server
 * sends the chosen reply in the person's language.
 */
export function cannedPicker(v: View, options: readonly CannedOption[], box: string, locale: Locale | undefined, named = true): Html {
  if (options.length === 0) return html``;
  const language = v.t(`console_staff.nav.language.${locale ?? v.locale}`);
  return html`<p class="canned-pick">
  <label for="${box}-canned">${v.t('console_staff.reply.pick')}</label>
  <select${named ? html` name="canned"` : ''} id="${box}-canned" data-canned-for="${box}">
    <option value="">${v.t('console_staff.reply.pick_none')}</option>
    ${options.map((o) => html`<option value="${o.id}" data-text="${o.text}">${o.title}</option>`)}
  </select>
  <span class="hint">${v.t('console_staff.reply.pick_hint', { language })}</span>
</p>`;
}

/** The request's internal notes, and the form to add one: staff only. */
export function notesSection(v: View, reference: string, notes: readonly Note[]): Html {
  const list =
    notes.length === 0
      ? html`<p class="empty">${v.t('console_staff.notes.none')}</p>`
      : html`<ol class="notes" id="notes">${notes.map((n) => html`<li class="note"><span class="who">${n.author}</span> <time>${when(v, n.at)}</time><div class="text">${n.text}</div></li>`)}</ol>`;
  return html`<section id="notes-section">
<h2>${v.t('console_staff.notes.title')}</h2>
<p class="hint">${v.t('console_staff.notes.hint')}</p>
${list}
<form method="post" action="/staff/requests/${reference}/notes" id="note-form">
  ${csrfField(v)}
  <label for="note-text">${v.t('console_staff.notes.label')}</label>
  <textarea name="text" id="note-text" maxlength="4000" required></textarea>
  <p><button type="submit">${v.t('console_staff.notes.add')}</button></p>
</form>
</section>`;
}
