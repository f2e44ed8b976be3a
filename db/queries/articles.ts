import { and, asc, count, eq, gte, isNotNull, isNull, lt, notInArray, sql } from 'drizzle-orm';
import type { articles, BothLanguages, KB_OUTCOMES } from '../schema.ts';
import type { Tx } from '../store.ts';
import { first } from './rows.ts';

// The knowledge base: its articles (seeded from articles.yml, kept by staff)
// and the answers it gave, counted by outcome.

export type ArticleRow = typeof articles.$inferSelect;
export type KbOutcome = (typeof KB_OUTCOMES)[number];

/** What an article says, as the file and the console give it. */
export interface ArticleContent {
  readonly titleSw: string;
  readonly titleEn: string;
  readonly questions: BothLanguages<string[]>;
  readonly steps: BothLanguages<string[]>;
  readonly offer: string;
}

/** Every article, the retired ones too when asked, by id. */
export async function listArticles(tx: Tx, o: { withRetired?: boolean } = {}): Promise<ArticleRow[]> {
  const { articles } = tx.t;
  const q = tx.orm.select().from(articles);
  return o.withRetired ? q.orderBy(asc(articles.id)) : q.where(eq(articles.retired, false)).orderBy(asc(articles.id));
}

export async function articleById(tx: Tx, id: string): Promise<ArticleRow | undefined> {
  return first(await tx.orm.select().from(tx.t.articles).where(eq(tx.t.articles.id, id)));
}

/**
 * What changes whenever an article does: the sum of the rows' revisions
 * (every change adds one to its row's, none deletes) and how many there are.
 * No clock is involved, so instances whose clocks differ, or two changes in
 * one millisecond, still see a new version. An instance compares it with the
 * version its matcher was built from.
 */
export async function articlesVersion(tx: Tx): Promise<string> {
  const { articles } = tx.t;
  const row = first(await tx.orm.select({ revisions: sql<number>`coalesce(sum(${articles.revision}), 0)`.mapWith(Number), n: count() }).from(articles));
  return `${row?.revisions ?? 0}:${row?.n ?? 0}`;
}

/** One more change to the row (see articlesVersion). */
const nextRevision = (tx: Tx) => sql`${tx.t.articles.revision} + 1`;

/**
 * The file's version of an article: added when new; written over the stored
 * one only when staff never edited it and the file changed since it was last
 * written (its hash). A retired article the file still brings stays retired.
 */
export async function seedArticle(tx: Tx, a: ArticleContent & { id: string; fileHash: string; at: Date }): Promise<'added' | 'updated' | 'kept'> {
  const { articles } = tx.t;
  const { id, fileHash, at, ...content } = a;
  // Instances starting together on one PostgreSQL: the first to insert wins, the others find its row.
  const added = await tx.orm
    .insert(articles)
    .values({ id, ...content, fileHash, createdAt: at, updatedAt: at })
    .onConflictDoNothing()
    .returning({ id: articles.id });
  if (added.length > 0) return 'added';
  const stored = await articleById(tx, id);
  if (!stored || stored.editedBy !== null || stored.fileHash === fileHash) return 'kept';
  await tx.orm
    .update(articles)
    .set({ ...content, fileHash, updatedAt: at, revision: nextRevision(tx) })
    .where(and(eq(articles.id, id), isNull(articles.editedBy)));
  return 'updated';
}

/** Articles the file once brought, no longer in it and never edited by staff: retired. How many were. */
export async function retireDroppedFromFile(tx: Tx, keep: readonly string[], at: Date): Promise<number> {
  const { articles } = tx.t;
  const cond = and(eq(articles.retired, false), isNull(articles.editedBy), isNotNull(articles.fileHash));
  const gone = await tx.orm
    .update(articles)
    .set({ retired: true, updatedAt: at, revision: nextRevision(tx) })
    .where(keep.length > 0 ? and(cond, notInArray(articles.id, [...keep])) : cond)
    .returning({ id: articles.id });
  return gone.length;
}

/** A new article written by staff; undefined when the id is taken. */
export async function insertArticle(tx: Tx, a: ArticleContent & { id: string; staffId: number; at: Date }): Promise<ArticleRow | undefined> {
  const { id, staffId, at, ...content } = a;
  const rows = await tx.orm
    .insert(tx.t.articles)
    .values({ id, ...content, editedBy: staffId, createdAt: at, updatedAt: at })
    .onConflictDoNothing()
    .returning();
  return first(rows);
}

/** Staff's change to an article: from now on the file leaves it alone. */
export async function updateArticle(tx: Tx, id: string, a: ArticleContent & { staffId: number; at: Date }): Promise<ArticleRow | undefined> {
  const { staffId, at, ...content } = a;
  const { articles } = tx.t;
  return first(
    await tx.orm
      .update(articles)
      .set({ ...content, editedBy: staffId, updatedAt: at, revision: nextRevision(tx) })
      .where(eq(articles.id, id))
      .returning(),
  );
}

/** Retires an article (no longer offered) or brings it back; a staff decision the file does not undo. */
export async function setArticleRetired(tx: Tx, id: string, retired: boolean, s: { staffId: number; at: Date }): Promise<ArticleRow | undefined> {
  const { articles } = tx.t;
  return first(
    await tx.orm
      .update(articles)
      .set({ retired, editedBy: s.staffId, updatedAt: s.at, revision: nextRevision(tx) })
      .where(eq(articles.id, id))
      .returning(),
  );
}

/** An article given in answer; with a key, given once however often the same post comes (USSD). The row's id, or undefined when the key was used. */
export async function recordKbAnswer(tx: Tx, a: { articleId: string; conversationId?: number; at: Date; outcome?: KbOutcome; key?: string }): Promise<number | undefined> {
  const rows = await tx.orm
    .insert(tx.t.kbAnswers)
    .values({
      articleId: a.articleId,
      conversationId: a.conversationId ?? null,
      outcome: a.outcome ?? 'shown',
      shownAt: a.at,
      answeredAt: a.outcome && a.outcome !== 'shown' ? a.at : null,
      key: a.key ?? null,
    })
    .onConflictDoNothing()
    .returning({ id: tx.t.kbAnswers.id });
  return first(rows)?.id;
}

/** What the person said to "Did this help?": only the first answer counts. */
export async function setKbOutcome(tx: Tx, id: number, outcome: Exclude<KbOutcome, 'shown'>, at: Date): Promise<void> {
  const { kbAnswers } = tx.t;
  await tx.orm
    .update(kbAnswers)
    .set({ outcome, answeredAt: at })
    .where(and(eq(kbAnswers.id, id), eq(kbAnswers.outcome, 'shown')));
}

/** Answers given in [from, to), per article, channel and outcome. */
export async function kbAnswerCounts(tx: Tx, from: Date, to: Date): Promise<{ articleId: string; channel: string | null; outcome: KbOutcome; count: number }[]> {
  const { kbAnswers, conversations } = tx.t;
  return tx.orm
    .select({ articleId: kbAnswers.articleId, channel: conversations.channel, outcome: kbAnswers.outcome, count: count() })
    .from(kbAnswers)
    .leftJoin(conversations, eq(conversations.id, kbAnswers.conversationId))
    .where(and(gte(kbAnswers.shownAt, from), lt(kbAnswers.shownAt, to)))
    .groupBy(kbAnswers.articleId, conversations.channel, kbAnswers.outcome);
}

/** Every answer ever given, by outcome (for /metrics; counted on the outcome's index). */
export async function kbAnswerTotals(tx: Tx): Promise<{ outcome: KbOutcome; count: number }[]> {
  const { kbAnswers } = tx.t;
  return tx.orm.select({ outcome: kbAnswers.outcome, count: count() }).from(kbAnswers).groupBy(kbAnswers.outcome);
}

/** The outcome of the answer recorded under a key (a USSD session's article); only the first answer counts. */
export async function setKbOutcomeByKey(tx: Tx, key: string, outcome: Exclude<KbOutcome, 'shown'>, at: Date): Promise<void> {
  const { kbAnswers } = tx.t;
  await tx.orm
    .update(kbAnswers)
    .set({ outcome, answeredAt: at })
    .where(and(eq(kbAnswers.key, key), eq(kbAnswers.outcome, 'shown')));
}
