import { articleById, insertArticle, kbAnswerCounts, listArticles, setArticleRetired, updateArticle, type ArticleRow, type KbOutcome } from '../../db/queries/articles.ts';
import type { StaffRow } from '../../db/queries/staff.ts';
import type { Store } from '../../db/store.ts';
import type { Charter } from '../charter/charter.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import type { Clock } from '../sla/clock.ts';
import { monthRange, type Month } from '../staff/reports.ts';
import { articleSchema, contentOf, type Article } from './articles.ts';

export type { ArticleRow } from '../../db/queries/articles.ts';

/** Supervisors and administrators keep the knowledge base; every officer reads it. */
export const mayEditArticles = (s: StaffRow) => s.role === 'admin' || s.role === 'supervisor';

/** An article as staff type it: the same rules as the file's (bot/kb/articles.ts), and an offer the charter serves. */
export type ArticleInput = Omit<Article, 'offer'> & { readonly offer: string };

export type ArticleSaved =
  | { readonly status: 'saved'; readonly article: ArticleRow }
  | { readonly status: 'invalid'; readonly problems: readonly { path: string; message: string }[] }
  | { readonly status: 'taken' }
  | { readonly status: 'forbidden' }
  | { readonly status: 'not_found' };

export type ArticleRetired = { readonly status: 'saved'; readonly article: ArticleRow } | { readonly status: 'forbidden' } | { readonly status: 'not_found' };

/**
 * A month's answers per article and per channel, by outcome: `shown` (no
 * reply to "Did this help?"), `helped` (answered without a request), `request`
 * (a request was opened after all). Given = the three together.
 */
export interface KbMonth {
  readonly articles: readonly { readonly id: string; readonly title: { readonly sw: string; readonly en: string } | undefined; readonly counts: Readonly<Record<KbOutcome, number>> }[];
  readonly total: Readonly<Record<KbOutcome, number>>;
  readonly channels: Readonly<Record<string, Readonly<Record<KbOutcome, number>>>>;
}

const none = (): Record<KbOutcome, number> => ({ shown: 0, helped: 0, request: 0 });

export class KnowledgeBaseDesk {
  constructor(private readonly deps: { readonly store: Store; readonly clock: Clock; readonly charter: Charter; readonly calendar: WorkingCalendar; readonly kb?: { changed(): void } }) {}

  /** A change made here is in use on this instance's next message; other instances see it within a second. */
  private saved<T extends ArticleSaved | ArticleRetired>(outcome: T): T {
    if (outcome.status === 'saved') this.deps.kb?.changed();
    return outcome;
  }

  list(): Promise<ArticleRow[]> {
    return this.deps.store.read((tx) => listArticles(tx, { withRetired: true }));
  }

  get(id: string): Promise<ArticleRow | undefined> {
    return this.deps.store.read((tx) => articleById(tx, id));
  }

  /** The article's problems, as field paths ("steps.sw") and messages; none when it may be saved. */
  check(input: ArticleInput): { readonly article?: Article; readonly problems: { path: string; message: string }[] } {
    const parsed = articleSchema.safeParse(input);
    if (!parsed.success) return { problems: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
    if (this.deps.charter.linesFor(parsed.data.offer).length === 0) return { problems: [{ path: 'offer', message: 'no charter line serves this service' }] };
    return { article: parsed.data, problems: [] };
  }

  async create(by: StaffRow, input: ArticleInput): Promise<ArticleSaved> {
    if (!mayEditArticles(by)) return { status: 'forbidden' };
    const { article, problems } = this.check(input);
    if (!article) return { status: 'invalid', problems };
    const row = await this.deps.store.transaction((tx) => insertArticle(tx, { id: article.id, ...contentOf(article), staffId: by.id, at: this.deps.clock.now() }));
    return this.saved<ArticleSaved>(row ? { status: 'saved', article: row } : { status: 'taken' });
  }

  async update(by: StaffRow, id: string, input: Omit<ArticleInput, 'id'>): Promise<ArticleSaved> {
    if (!mayEditArticles(by)) return { status: 'forbidden' };
    const { article, problems } = this.check({ ...input, id });
    if (!article) return { status: 'invalid', problems };
    const row = await this.deps.store.transaction((tx) => updateArticle(tx, id, { ...contentOf(article), staffId: by.id, at: this.deps.clock.now() }));
    return this.saved<ArticleSaved>(row ? { status: 'saved', article: row } : { status: 'not_found' });
  }

  /** Retired: no longer given (the chat, USSD); kept, and can be brought back. */
  async setRetired(by: StaffRow, id: string, retired: boolean): Promise<ArticleRetired> {
    if (!mayEditArticles(by)) return { status: 'forbidden' };
    const row = await this.deps.store.transaction((tx) => setArticleRetired(tx, id, retired, { staffId: by.id, at: this.deps.clock.now() }));
    return this.saved<ArticleRetired>(row ? { status: 'saved', article: row } : { status: 'not_found' });
  }

  /** Questions answered from the knowledge base in a month (in the institution's time zone). */
  async month(m: Month): Promise<KbMonth> {
    const { from, to } = monthRange(m, this.deps.calendar.timeZone);
    const { rows, articles } = await this.deps.store.read(async (tx) => ({ rows: await kbAnswerCounts(tx, from, to), articles: await listArticles(tx, { withRetired: true }) }));
    const byArticle = new Map<string, Record<KbOutcome, number>>();
    const channels: Record<string, Record<KbOutcome, number>> = {};
    const total = none();
    for (const r of rows) {
      const counts = byArticle.get(r.articleId) ?? none();
      counts[r.outcome] += r.count;
      byArticle.set(r.articleId, counts);
      const channel = (channels[r.channel ?? '?'] ??= none());
      channel[r.outcome] += r.count;
      total[r.outcome] += r.count;
    }
    const list = [...byArticle].map(([id, counts]) => {
      const a = articles.find((x) => x.id === id);
      return { id, title: a ? { sw: a.titleSw, en: a.titleEn } : undefined, counts };
    });
    const given = (c: Record<KbOutcome, number>) => c.shown + c.helped + c.request;
    return { articles: list.sort((a, b) => given(b.counts) - given(a.counts) || a.id.localeCompare(b.id)), total, channels };
  }
}
