import { html } from 'hono/html';
import type { CannedRow } from '../../../bot/staff/canned.ts';
import { csrfField, layout, when, type Html, type View } from './layout.ts';

/** The three fields of a canned reply, filled with `c` when changing one. */
function fields(v: View, idPrefix: string, c?: Pick<CannedRow, 'title' | 'textSw' | 'textEn'>): Html {
  return html`<label for="${idPrefix}-title">${v.t('console_staff.canned.name')}</label>
  <input type="text" name="title" id="${idPrefix}-title" maxlength="120" required value="${c?.title ?? ''}">
  <label for="${idPrefix}-sw" lang="sw">${v.t('console_staff.canned.text_sw')}</label>
  <textarea name="textSw" id="${idPrefix}-sw" lang="sw" maxlength="4000" required>${c?.textSw ?? ''}</textarea>
  <label for="${idPrefix}-en" lang="en">${v.t('console_staff.canned.text_en')}</label>
  <textarea name="textEn" id="${idPrefix}-en" lang="en" maxlength="4000" required>${c?.textEn ?? ''}</textarea>`;
}

/** A reply as everyone sees it; an administrator can change or delete it in place. */
function item(v: View, c: CannedRow, editable: boolean): Html {
  if (!editable)
    return html`<li class="canned" data-id="${c.id}">
  <strong>${c.title}</strong>
  <dl><dt lang="sw">${v.t('console_staff.canned.text_sw')}</dt><dd lang="sw">${c.textSw}</dd><dt lang="en">${v.t('console_staff.canned.text_en')}</dt><dd lang="en">${c.textEn}</dd></dl>
</li>`;
  return html`<li class="canned" data-id="${c.id}">
  <form method="post" action="/staff/canned/${c.id}" class="canned-edit">
    ${csrfField(v)}
    ${fields(v, `canned-${c.id}`, c)}
    <p><button type="submit">${v.t('console_staff.canned.save')}</button> <time>${when(v, c.updatedAt)}</time></p>
  </form>
  <form method="post" action="/staff/canned/${c.id}/delete" class="canned-delete">
    ${csrfField(v)}
    <button type="submit" class="danger">${v.t('console_staff.canned.delete')}</button>
  </form>
</li>`;
}

/** GET /staff/canned: every officer reads the canned replies; administrators add, change and delete them. */
export function cannedPage(v: View, replies: readonly CannedRow[], editable: boolean): Html {
  const list = replies.length === 0 ? html`<p class="empty">${v.t('console_staff.canned.none')}</p>` : html`<ul class="canned-list" id="canned">${replies.map((c) => item(v, c, editable))}</ul>`;
  const add = editable
    ? html`<section>
<h2>${v.t('console_staff.canned.add_title')}</h2>
<form method="post" action="/staff/canned" id="canned-new">
  ${csrfField(v)}
  ${fields(v, 'canned-new')}
  <p><button type="submit">${v.t('console_staff.canned.add')}</button></p>
</form>
</section>`
    : html`<p class="hint" id="only-admins">${v.t('console_staff.canned.only_admins')}</p>`;
  return layout(v, v.t('console_staff.canned.title'), html`<p>${v.t('console_staff.canned.intro')}</p>${list}${add}`);
}
