import { html } from 'hono/html';
import { isActive } from '../../../bot/staff/staff-admin.ts';
import type { StaffRow } from '../../../db/queries/staff.ts';
import { STAFF_ROLES } from '../../../db/schema.ts';
import { LOCALES } from '../../../locales/index.ts';
import { csrfField, layout, when, type Flash, type Html, type View } from './layout.ts';

// GET /staff/admin/staff: the administrator's page of the staff: add an
// officer, change their role, team, console language and Telegram link,
// reissue or revoke their token. A new token is shown on this page once.

export interface StaffPageData {
  readonly staff: readonly StaffRow[];
  readonly teams: readonly { readonly id: string; readonly name: string }[];
  /** A token just made (added or reissued): shown this once. */
  readonly token?: { readonly name: string; readonly token: string };
  readonly message?: Flash;
}

const options = <T extends string>(values: readonly T[], chosen: T | null, label: (v: T) => string) =>
  values.map((value) => html`<option value="${value}"${value === chosen ? ' selected' : ''}>${label(value)}</option>`);

function teamSelect(v: View, d: StaffPageData, chosen: string | null, where: { form: string } | { id: string }): Html {
  const attr = 'form' in where ? html` form="${where.form}" aria-label="${v.t('console_staff.admin.team')}"` : html` id="${where.id}"`;
  return html`<select name="team"${attr}>
  <option value=""${chosen === null ? ' selected' : ''}>${v.t('console_staff.admin.no_team')}</option>
  ${options(
    d.teams.map((t) => t.id),
    chosen,
    (id) => d.teams.find((t) => t.id === id)?.name ?? id,
  )}
</select>`;
}

function row(v: View, d: StaffPageData, s: StaffRow): Html {
  const form = `staff-${s.id}`;
  const active = isActive(s);
  return html`<tr data-staff="${s.id}" class="${active ? '' : 'revoked'}">
  <td>${s.id}</td>
  <td>${s.name}</td>
  <td><select name="role" form="${form}" aria-label="${v.t('console_staff.admin.role')}">${options(STAFF_ROLES, s.role, (r) => v.t(`console_staff.admin.roles.${r}`))}</select></td>
  <td>${teamSelect(v, d, s.team, { form })}</td>
  <td><select name="locale" form="${form}" aria-label="${v.t('console_staff.admin.locale')}">${options(LOCALES, s.locale, (l) => v.t(`console_staff.nav.language.${l}`))}</select></td>
  <td><input type="text" name="telegram" form="${form}" value="${s.telegramUserId ?? ''}" inputmode="numeric" pattern="[0-9]{1,20}" maxlength="20" size="12" aria-label="${v.t('console_staff.admin.telegram')}"></td>
  <td class="state">${active ? v.t('console_staff.admin.active') : v.t('console_staff.admin.revoked')}</td>
  <td>${when(v, s.createdAt)}</td>
  <td class="actions">
    <form method="post" action="/staff/admin/staff/${s.id}" id="${form}" class="inline">${csrfField(v)}<button type="submit">${v.t('console_staff.admin.save')}</button></form>
    <form method="post" action="/staff/admin/staff/${s.id}/token" class="inline reissue">${csrfField(v)}<button type="submit">${v.t('console_staff.admin.reissue')}</button></form>
    ${active ? html`<form method="post" action="/staff/admin/staff/${s.id}/revoke" class="inline revoke">${csrfField(v)}<button type="submit">${v.t('console_staff.admin.revoke')}</button></form>` : ''}
  </td>
</tr>`;
}

function addForm(v: View, d: StaffPageData): Html {
  return html`<section>
<h2>${v.t('console_staff.admin.add_title')}</h2>
<form method="post" action="/staff/admin/staff" id="add-staff">
  ${csrfField(v)}
  <label for="add-name">${v.t('console_staff.admin.name')}</label>
  <input type="text" name="name" id="add-name" required minlength="2" maxlength="100">
  <label for="add-role">${v.t('console_staff.admin.role')}</label>
  <select name="role" id="add-role">${options(STAFF_ROLES, 'agent', (r) => v.t(`console_staff.admin.roles.${r}`))}</select>
  <label for="add-team">${v.t('console_staff.admin.team')}</label>
  ${teamSelect(v, d, null, { id: 'add-team' })}
  <label for="add-locale">${v.t('console_staff.admin.locale')}</label>
  <select name="locale" id="add-locale">${options(LOCALES, v.locale, (l) => v.t(`console_staff.nav.language.${l}`))}</select>
  <p><button type="submit">${v.t('console_staff.admin.add')}</button></p>
</form>
</section>`;
}

export function staffPage(v: View, d: StaffPageData): Html {
  const token = d.token
    ? html`<div class="flash ok" id="new-token" role="status"><p>${v.t('console_staff.admin.token_once', { name: d.token.name })}</p><p><code>${d.token.token}</code></p></div>`
    : '';
  const message = d.message ? html`<p class="${d.message.kind === 'error' ? 'problem' : 'flash ok'}" id="admin-message" role="alert">${d.message.text}</p>` : '';
  const head = ['id', 'name', 'role', 'team', 'locale', 'telegram', 'state', 'since', 'actions'].map((k) => html`<th>${v.t(`console_staff.admin.${k}`)}</th>`);
  return layout(
    v,
    v.t('console_staff.admin.title'),
    html`${token}${message}
<p class="hint">${v.t('console_staff.admin.hint')}</p>
<table id="staff">
  <thead><tr>${head}</tr></thead>
  <tbody>${d.staff.map((s) => row(v, d, s))}</tbody>
</table>
${addForm(v, d)}`,
  );
}
