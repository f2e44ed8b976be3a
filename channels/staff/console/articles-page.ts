import { html } from 'hono/html';
import { MAX_STEPS, STEPS_MESSAGE_MAX } from '../../../bot/kb/articles.ts';
import type { ArticleRow } from '../../../bot/kb/staff.ts';
import { csrfField, layout, when, type Html, type View } from './layout.ts';

// The knowledge base in the console: every officer reads the articles;
// supervisors and administrators add, change, retire and bring them back.

/** What the form holds: a stored article, or what was typed when it did not pass. */
export interface ArticleForm {
  readonly id: string;
  readonly titleSw: string;
  readonly titleEn: string;
  readonly questionsSw: string;
  readonly questionsEn: string;
  readonly stepsSw: string;
  readonly stepsEn: string;
  readonly offer: string;
}

export const formOfRow = (a: ArticleRow): ArticleForm => ({
  id: a.id,
  titleSw: a.titleSw,
  titleEn: a.titleEn,
  questionsSw: a.questions.sw.join('\n'),
  questionsEn: a.questions.en.join('\n'),
  stepsSw: a.steps.sw.join('\n'),
  stepsEn: a.steps.en.join('\n'),
  offer: a.offer,
});

export type Services = readonly { readonly id: string; readonly name: string }[];

const title = (v: View, a: Pick<ArticleRow, 'titleSw' | 'titleEn'>) => (v.locale === 'en' ? a.titleEn : a.titleSw);

/** GET /staff/articles: the articles, in use first, with what each offers and where it came from. */
export function articlesPage(v: View, articles: readonly ArticleRow[], services: Services, editable: boolean): Html {
  const name = (id: string) => services.find((s) => s.id === id)?.name ?? id;
  const sorted = [...articles].sort((a, b) => Number(a.retired) - Number(b.retired) || title(v, a).localeCompare(title(v, b)));
  const list =
    sorted.length === 0
      ? html`<p class="empty">${v.t('kb.console.none')}</p>`
      : html`<table id="articles">
  <thead><tr><th>${v.t('kb.dashboard.article')}</th><th>${v.t('kb.console.service')}</th><th>${v.t('kb.console.questions')}</th><th>${v.t('kb.console.status')}</th><th>${v.t('kb.console.source')}</th><th>${v.t('kb.console.changed')}</th></tr></thead>
  <tbody>${sorted.map(
    (a) => html`<tr data-id="${a.id}"${a.retired ? html` class="retired"` : ''}>
    <td><a href="/staff/articles/${a.id}">${title(v, a)}</a></td>
    <td>${name(a.offer)}</td>
    <td>${a.questions.sw.length + a.questions.en.length}</td>
    <td>${v.t(a.retired ? 'kb.console.retired' : 'kb.console.active')}</td>
    <td>${v.t(a.editedBy === null ? 'kb.console.from_file' : 'kb.console.by_staff')}</td>
    <td><time>${when(v, a.updatedAt)}</time></td>
  </tr>`,
  )}</tbody>
</table>`;
  const add = editable ? html`<p><a href="/staff/articles/new" id="article-add">${v.t('kb.console.add')}</a></p>` : html`<p class="hint" id="only-editors">${v.t('kb.console.only_editors')}</p>`;
  return layout(v, v.t('kb.console.title'), html`<p>${v.t('kb.console.intro')}</p>${add}${list}`);
}

function fields(v: View, f: ArticleForm | undefined, services: Services, isNew: boolean): Html {
  const area = (name: keyof ArticleForm, label: string, lang: 'sw' | 'en', rows: number) =>
    html`<label for="article-${name}" lang="${lang}">${label}</label>
  <textarea name="${name}" id="article-${name}" lang="${lang}" rows="${rows}" maxlength="8000" required>${f?.[name] ?? ''}</textarea>`;
  return html`${
    isNew
      ? html`<label for="article-id">${v.t('kb.console.id')}</label>
  <input type="text" name="id" id="article-id" maxlength="60" pattern="[a-z][a-z0-9_]{1,59}" required value="${f?.id ?? ''}" aria-describedby="article-id-hint">
  <p class="hint" id="article-id-hint">${v.t('kb.console.id_hint')}</p>`
      : ''
  }
  <label for="article-titleSw" lang="sw">${v.t('kb.console.title_sw')}</label>
  <input type="text" name="titleSw" id="article-titleSw" lang="sw" maxlength="80" required value="${f?.titleSw ?? ''}">
  <label for="article-titleEn" lang="en">${v.t('kb.console.title_en')}</label>
  <input type="text" name="titleEn" id="article-titleEn" lang="en" maxlength="80" required value="${f?.titleEn ?? ''}">
  <p class="hint">${v.t('kb.console.questions_hint')}</p>
  ${area('questionsSw', v.t('kb.console.questions_sw'), 'sw', 8)}
  ${area('questionsEn', v.t('kb.console.questions_en'), 'en', 6)}
  <p class="hint">${v.t('kb.console.steps_hint', { max: MAX_STEPS, chars: STEPS_MESSAGE_MAX })}</p>
  ${area('stepsSw', v.t('kb.console.steps_sw'), 'sw', 5)}
  ${area('stepsEn', v.t('kb.console.steps_en'), 'en', 5)}
  <label for="article-offer">${v.t('kb.console.offer')}</label>
  <select name="offer" id="article-offer" required>${services.map((s) => html`<option value="${s.id}"${s.id === f?.offer ? html` selected` : ''}>${s.name}</option>`)}</select>`;
}

/** The problems of a form that did not pass, as a list above it. */
const problemList = (v: View, problems: readonly string[]): Html =>
  problems.length === 0
    ? html``
    : html`<div class="flash error" role="alert" id="article-problems"><p>${v.t('kb.console.errors.invalid')}</p><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></div>`;

/** A read-only article, for officers who do not keep the knowledge base. */
function reading(v: View, a: ArticleRow, services: Services): Html {
  const list = (items: readonly string[], lang: 'sw' | 'en', ordered = false) =>
    ordered ? html`<ol lang="${lang}">${items.map((i) => html`<li>${i}</li>`)}</ol>` : html`<ul lang="${lang}">${items.map((i) => html`<li>${i}</li>`)}</ul>`;
  return html`<dl class="article">
  <dt>${v.t('kb.console.title_sw')}</dt><dd lang="sw">${a.titleSw}</dd>
  <dt>${v.t('kb.console.title_en')}</dt><dd lang="en">${a.titleEn}</dd>
  <dt>${v.t('kb.console.steps_sw')}</dt><dd>${list(a.steps.sw, 'sw', true)}</dd>
  <dt>${v.t('kb.console.steps_en')}</dt><dd>${list(a.steps.en, 'en', true)}</dd>
  <dt>${v.t('kb.console.questions_sw')}</dt><dd>${list(a.questions.sw, 'sw')}</dd>
  <dt>${v.t('kb.console.questions_en')}</dt><dd>${list(a.questions.en, 'en')}</dd>
  <dt>${v.t('kb.console.offer')}</dt><dd>${services.find((s) => s.id === a.offer)?.name ?? a.offer}</dd>
</dl>`;
}

/** GET /staff/articles/:id (and a change shown again with its problems): the form, or the article to read. */
export function articlePage(v: View, p: { article: ArticleRow; form?: ArticleForm; problems?: readonly string[]; services: Services; editable: boolean }): Html {
  const a = p.article;
  const heading = v.t('kb.console.edit_title', { title: title(v, a) });
  const status = html`<p>${v.t('kb.console.status')}: <strong id="article-status">${v.t(a.retired ? 'kb.console.retired' : 'kb.console.active')}</strong> · ${v.t(a.editedBy === null ? 'kb.console.from_file' : 'kb.console.by_staff')} · <time>${when(v, a.updatedAt)}</time></p>`;
  const back = html`<p><a href="/staff/articles">${v.t('kb.console.back')}</a></p>`;
  if (!p.editable) return layout(v, heading, html`${status}${reading(v, a, p.services)}${back}`);
  const retire = html`<form method="post" action="/staff/articles/${a.id}/${a.retired ? 'restore' : 'retire'}" id="article-retire">
  ${csrfField(v)}
  <p class="hint">${v.t('kb.console.retire_hint')}</p>
  <button type="submit"${a.retired ? '' : html` class="danger"`}>${v.t(a.retired ? 'kb.console.restore' : 'kb.console.retire')}</button>
</form>`;
  return layout(
    v,
    heading,
    html`${status}${problemList(v, p.problems ?? [])}<form method="post" action="/staff/articles/${a.id}" id="article-form">
  ${csrfField(v)}
  ${fields(v, p.form ?? formOfRow(a), p.services, false)}
  <p><button type="submit">${v.t('kb.console.save')}</button></p>
</form>${retire}${back}`,
  );
}

/** GET /staff/articles/new (and an addition shown again with its problems). */
export function newArticlePage(v: View, p: { form?: ArticleForm; problems?: readonly string[]; services: Services }): Html {
  return layout(
    v,
    v.t('kb.console.new_title'),
    html`${problemList(v, p.problems ?? [])}<form method="post" action="/staff/articles" id="article-form">
  ${csrfField(v)}
  ${fields(v, p.form, p.services, true)}
  <p><button type="submit">${v.t('kb.console.create')}</button></p>
</form><p><a href="/staff/articles">${v.t('kb.console.back')}</a></p>`,
  );
}
