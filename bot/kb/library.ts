import { articleById, articlesVersion, listArticles, recordKbAnswer, setKbOutcome, type ArticleRow } from '../../db/queries/articles.ts';
import type { Tx } from '../../db/store.ts';
import { DEFAULT_DATA_DIR, loadDataset } from '../../intents/dataset.ts';
import type { Understanding } from '../../intents/nlu.ts';
import type { Clock } from '../sla/clock.ts';
import { articleOf, type Article } from './articles.ts';
import { gateOf, topicIntent } from './decide.ts';
import { Background, DEFAULT_MATCHER, KbMatcher } from './matcher.ts';

// The articles as this instance matches them. They live in the database
// (staff edit them in the console, on any instance). A turn that may give an
// article reads their version — the sum of the rows' revisions and their
// count — at most once a second (RECHECK_MS), and the matcher is rebuilt when
// it changed: another instance's edit is in use within a second, this
// instance's at once (the console's desk tells it, `changed()`). Reading the
// version on every turn was measured at 0.15 ms on SQLite and 1.5 ms on
// PostgreSQL (BENCHMARKS.md, "Knowledge base"): too dear for every message.

export type Understand = (text: string) => Pick<Understanding, 'intent' | 'decided' | 'entities'>;

const backgrounds = new Map<string, Background>();
/** A bundle's training lines as the matcher's background: counted once a process. */
export function backgroundOf(trainingDir: string = DEFAULT_DATA_DIR): Background {
  let background = backgrounds.get(trainingDir);
  if (!background) {
    background = Background.of(
      loadDataset(trainingDir).map((e) => e.text),
      DEFAULT_MATCHER,
    );
    backgrounds.set(trainingDir, background);
  }
  return background;
}

/** The matcher over some articles, as Huduma uses it (also for `npm run kb:evaluate`). */
export function matcherOver(articles: readonly Article[], understand: Understand, trainingDir?: string): KbMatcher {
  return new KbMatcher(articles, DEFAULT_MATCHER, backgroundOf(trainingDir), (q) => topicIntent(understand(q)));
}

/** Stored rows that still pass the rules, as articles (a row broken by hand is skipped, not fatal). */
export const articlesOf = (rows: readonly ArticleRow[]): Article[] => rows.flatMap((r) => articleOf(r) ?? []);

/** How long an instance uses its matcher before it reads the articles' version again. */
export const RECHECK_MS = 1000;

export class KnowledgeBase {
  private built: { readonly version: string; readonly matcher: KbMatcher } | undefined;
  /** When the version was last read (the clock's ms), or undefined: read it on the next turn. */
  private checkedAt: number | undefined;
  /** How many times the matcher was built (tests and the benchmark read it). */
  rebuilds = 0;

  constructor(
    private readonly understand: Understand,
    private readonly clock: Clock,
    /** The charter bundle's training data: the background the matcher weighs words against. */
    private readonly trainingDir?: string,
  ) {}

  /** This instance changed the articles: the next turn reads them again. */
  changed(): void {
    this.checkedAt = undefined;
  }

  /** The matcher over the articles as they are in the database (at most RECHECK_MS old). */
  async matcher(tx: Tx): Promise<KbMatcher> {
    const now = this.clock.now().getTime();
    const fresh = this.checkedAt !== undefined && now >= this.checkedAt && now - this.checkedAt < RECHECK_MS;
    if (this.built && fresh) return this.built.matcher;
    const version = await articlesVersion(tx);
    this.checkedAt = now;
    if (this.built?.version === version) return this.built.matcher;
    const matcher = matcherOver(articlesOf(await listArticles(tx)), this.understand, this.trainingDir);
    this.built = { version, matcher };
    this.rebuilds++;
    return matcher;
  }
}

/** What a turn may do with the knowledge base, bound to its transaction (see engine.ts storeFor). */
export interface KbStore {
  /** The article this message gets, if any. */
  answerFor(understanding: Pick<Understanding, 'intent' | 'decided' | 'entities'>, text: string): Promise<Article | undefined>;
  /** An article by id, if it is still offered. */
  article(id: string): Promise<Article | undefined>;
  /** Records that an article was given; the record's id, for its outcome. */
  given(articleId: string): Promise<number | undefined>;
  /** What came of it: it helped, or a request was opened after all. */
  outcome(answerId: number, outcome: 'helped' | 'request'): Promise<void>;
}

/** Without a knowledge base (an engine built without one): no article is ever given. */
const NO_KB: KbStore = { answerFor: async () => undefined, article: async () => undefined, given: async () => undefined, outcome: async () => {} };

export function kbStoreOf(tx: Tx, kb: KnowledgeBase | undefined, conversationId: number, now: Date): KbStore {
  if (!kb) return NO_KB;
  return {
    // The gates first: a status question or a greeting costs no look-up at all.
    answerFor: async (understanding, text) => (gateOf(understanding, text) === 'open' ? (await kb.matcher(tx)).match(text, topicIntent(understanding))?.article : undefined),
    article: async (id) => {
      const row = await articleById(tx, id);
      return row && !row.retired ? articleOf(row) : undefined;
    },
    given: (articleId) => recordKbAnswer(tx, { articleId, conversationId, at: now }),
    outcome: (answerId, outcome) => setKbOutcome(tx, answerId, outcome, now),
  };
}
