import { html } from 'hono/html';
import type { KbMonth } from '../../../bot/kb/staff.ts';
import type { KbOutcome } from '../../../db/queries/articles.ts';
import { maybe, type Html, type View } from './layout.ts';

// The dashboard's knowledge-base section: questions answered without a
// request this month, per article and per channel.

const given = (c: Readonly<Record<KbOutcome, number>>) => c.shown + c.helped + c.request;

function row(label: Html | string, c: Readonly<Record<KbOutcome, number>>, attrs: Html = html``): Html {
  return html`<tr${attrs}><td>${label}</td><td>${given(c)}</td><td class="helped">${c.helped}</td><td>${c.request}</td><td>${c.shown}</td></tr>`;
}

const head = (v: View, first: string) =>
  html`<thead><tr><th>${first}</th><th>${v.t('kb.dashboard.given')}</th><th>${v.t('kb.dashboard.helped')}</th><th>${v.t('kb.dashboard.request')}</th><th>${v.t('kb.dashboard.no_reply')}</th></tr></thead>`;

/** On the dashboard, under the charter's figures. */
export function kbDashboard(v: View, m: KbMonth): Html {
  const body =
    m.articles.length === 0
      ? html`<p class="hint" id="kb-none">${v.t('kb.dashboard.none')}</p>`
      : html`<p id="kb-answered">${v.t('kb.dashboard.helped')}: <strong>${m.total.helped}</strong> / ${given(m.total)}</p>
<table id="kb-articles">${head(v, v.t('kb.dashboard.article'))}<tbody>${m.articles.map((a) =>
          row(a.title ? html`<a href="/staff/articles/${a.id}">${v.locale === 'en' ? a.title.en : a.title.sw}</a>` : v.t('kb.dashboard.retired_article'), a.counts, html` data-article="${a.id}"`),
        )}${row(html`<strong>${v.t('kb.dashboard.total')}</strong>`, m.total, html` class="total"`)}</tbody></table>
<table id="kb-channels">${head(v, v.t('kb.dashboard.channel'))}<tbody>${Object.entries(m.channels).map(([channel, c]) =>
          row(maybe(v.t, `kb.dashboard.channels.${channel}`, v.t('kb.dashboard.unknown_channel')), c, html` data-channel="${channel}"`),
        )}</tbody></table>`;
  return html`<section id="kb-dashboard"><h2>${v.t('kb.dashboard.title')}</h2><p class="hint">${v.t('kb.dashboard.explain')}</p>${body}</section>`;
}
