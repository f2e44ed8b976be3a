import { lineFor } from '../engine/filing.ts';
import type { Article } from '../kb/articles.ts';
import { BACK, MORE } from './menus.ts';
import { numbered, pageText, paginate } from './pages.ts';
import { variantChoice } from './services.ts';
import { USSD_TEXT_LIMIT, type Node, type Rendering, type Screen } from './types.ts';

// "Maswali ya kawaida / Common questions" on USSD: the knowledge base's
// articles by title (paged), an article's steps over as many screens as they
// need, and at the end "Je, imesaidia?": 1 it did (counted as answered without
// a request), 2 open a request for the article's service (the report path,
// as from "Ripoti tatizo").

type Faq = Extract<Node, { at: 'faq' }>;
type FaqArticle = Extract<Node, { at: 'faq_article' }>;

/** What the walk through these screens records: an article shown, and what came of it. */
export interface FaqEffect {
  readonly article: string;
  readonly outcome: 'shown' | 'helped' | 'request';
}

export type FaqStep = { readonly node: Node; readonly kb?: FaqEffect } | { readonly invalid: { readonly key: string } };

const INVALID = { invalid: { key: 'ussd.invalid' } } as const;

const choice = (answer: string, count: number): number | undefined => {
  if (!/^\d{1,3}$/.test(answer)) return undefined;
  const n = Number(answer);
  return n >= 1 && n <= count ? n - 1 : undefined;
};

/** The titles, numbered, as pages. */
export function faqPages(r: Rendering, node: Faq): string[][] {
  return paginate(
    numbered(
      r.t,
      node.articles.map((a) => a.title[r.locale]),
    ),
    r.t('kb.ussd.list'),
    r.t,
  );
}

/** The question closing an article, with its two answers. */
const question = (r: Rendering) => [r.t('kb.ussd.did_it_help'), ...numbered(r.t, [r.t('kb.ussd.yes'), r.t('kb.ussd.open_request')])].join('\n');

/**
 * Lines poured into pages of at most `budget` characters: a line that does
 * not fit what is left of a page starts the next; one longer than a page goes
 * on over the next, cut between words. Nothing is cut short.
 */
function flow(lines: readonly string[], budget: number): string[][] {
  const pages: string[][] = [];
  let page: string[] = [];
  let used = 0;
  const put = (text: string) => {
    used += (page.length > 0 ? 1 : 0) + text.length;
    page.push(text);
  };
  const close = () => {
    if (page.length > 0) pages.push(page);
    page = [];
    used = 0;
  };
  for (const line of lines) {
    let rest = line;
    while (rest.length > 0) {
      const room = budget - used - (page.length > 0 ? 1 : 0);
      if (rest.length <= room) {
        put(rest);
        break;
      }
      if (page.length > 0 && rest.length <= budget) {
        close();
        continue;
      }
      const cut = rest.lastIndexOf(' ', room);
      if (cut <= 0 && page.length > 0) {
        close();
        continue;
      }
      const at = cut > 0 ? cut : room;
      put(rest.slice(0, at));
      rest = rest.slice(at).trimStart();
      close();
    }
  }
  close();
  return pages;
}

/**
 * An article's pages: its title and numbered steps poured over as many
 * screens as they need (the title once, on the first; a long step goes on
 * over the next screen), and the closing question on the last page when it
 * fits there, else on a page of its own.
 */
export function articlePages(r: Rendering, article: Article): string[][] {
  const paging = `\n${r.t('ussd.more')}\n${r.t('ussd.back')}`.length;
  const pages = flow([article.title[r.locale], ...article.steps[r.locale].map((s, i) => `${i + 1}. ${s}`)], USSD_TEXT_LIMIT - paging);
  const last = pages.at(-1) ?? [];
  const closing = [...last, question(r), r.t('ussd.back')].join('\n').length;
  if (closing <= USSD_TEXT_LIMIT && pages.length > 0) pages[pages.length - 1] = [...last, question(r)];
  else pages.push([question(r)]);
  return pages;
}

/** Where "Fungua ombi" leads: the report path of the article's service, as "Ripoti tatizo" reaches it. */
function reportFor(r: Rendering, article: Article, back: Node): Node {
  const variant = variantChoice(r, article.offer);
  if (variant) return { at: 'variant', intent: article.offer, field: variant.field, back };
  return { at: 'describe', intent: article.offer, line: lineFor(r.charter, article.offer).line, back };
}

export function faqStep(r: Rendering, node: Faq | FaqArticle, answer: string): FaqStep {
  if (node.at === 'faq') {
    const pages = faqPages(r, node).length;
    if (answer === MORE) return node.page + 1 < pages ? { node: { ...node, page: node.page + 1 } } : INVALID;
    if (answer === BACK) return { node: node.page > 0 ? { ...node, page: node.page - 1 } : { at: 'root' } };
    const i = choice(answer, node.articles.length);
    const article = i === undefined ? undefined : node.articles[i];
    return article ? { node: { at: 'faq_article', article, page: 0, back: node }, kb: { article: article.id, outcome: 'shown' } } : INVALID;
  }
  const pages = articlePages(r, node.article).length;
  if (answer === MORE) return node.page + 1 < pages ? { node: { ...node, page: node.page + 1 } } : INVALID;
  if (answer === BACK) return { node: node.page > 0 ? { ...node, page: node.page - 1 } : node.back };
  // The two answers count only where the question is shown: the last page.
  const i = node.page === pages - 1 ? choice(answer, 2) : undefined;
  if (i === 0) return { node: { at: 'faq_helped' }, kb: { article: node.article.id, outcome: 'helped' } };
  if (i === 1) return { node: reportFor(r, node.article, node), kb: { article: node.article.id, outcome: 'request' } };
  return INVALID;
}

export function faqScreen(r: Rendering, node: Extract<Node, { at: 'faq' | 'faq_article' | 'faq_helped' }>): Screen {
  const { t } = r;
  if (node.at === 'faq_helped') return { text: t('kb.ussd.thanks'), end: true };
  if (node.at === 'faq') {
    if (node.articles.length === 0) return { text: [t('kb.ussd.none'), t('ussd.back')].join('\n'), end: false };
    const pages = faqPages(r, node);
    return { text: pageText(t('kb.ussd.list'), pages, node.page, t), end: false };
  }
  const pages = articlePages(r, node.article);
  return { text: [...(pages[node.page] ?? []), ...(node.page < pages.length - 1 ? [t('ussd.more')] : []), t('ussd.back')].join('\n'), end: false };
}
