import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { time } from './columns.ts';
import { type BothLanguages, KB_OUTCOMES } from './enums.ts';
import { conversations } from './people.ts';
import { staff } from './staff.ts';

// The knowledge base (articles and what came of each answer) and the replies
// staff insert often.

/**
 * The knowledge base's articles (answers without a ticket): seeded from
 * articles.yml beside the charter, kept by staff in the console. `fileHash`
 * is the file's version last written here (null for an article staff added);
 * `editedBy` is set once staff change an article, and from then on the
 * file no longer overwrites it.
 */
export const articles = sqliteTable('articles', {
  id: text('id').primaryKey(),
  titleSw: text('title_sw').notNull(),
  titleEn: text('title_en').notNull(),
  questions: text('questions', { mode: 'json' }).notNull().$type<BothLanguages<string[]>>(),
  steps: text('steps', { mode: 'json' }).notNull().$type<BothLanguages<string[]>>(),
  /** The service intent whose form starts when the steps did not help. */
  offer: text('offer').notNull(),
  retired: integer('retired', { mode: 'boolean' }).notNull().default(false),
  fileHash: text('file_hash'),
  editedBy: integer('edited_by').references(() => staff.id),
  /** Counts the row's changes: every instance compares the sum over the table with its matcher's (no clock needed). */
  revision: integer('revision').notNull().default(1),
  createdAt: time('created_at').notNull(),
  updatedAt: time('updated_at').notNull(),
});

/**
 * An article given in answer, and what came of it: counts of questions
 * answered without a request, across instances and restarts. Nothing personal:
 * the conversation only tells the channel. `key` makes a repeated USSD post
 * count once.
 */
export const kbAnswers = sqliteTable(
  'kb_answers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
    conversationId: integer('conversation_id').references(() => conversations.id),
    outcome: text('outcome', { enum: KB_OUTCOMES }).notNull().default('shown'),
    shownAt: time('shown_at').notNull(),
    answeredAt: time('answered_at'),
    key: text('key'),
  },
  (t) => [index('kb_answers_shown').on(t.shownAt), index('kb_answers_outcome').on(t.outcome), uniqueIndex('kb_answers_key').on(t.key)],
);

/** Replies staff insert often, in both languages; the person gets theirs. */
export const cannedReplies = sqliteTable('canned_replies', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  title: text('title').notNull(),
  textSw: text('text_sw').notNull(),
  textEn: text('text_en').notNull(),
  updatedBy: integer('updated_by').references(() => staff.id),
  updatedAt: time('updated_at').notNull(),
});
