import { boolean, index, integer, jsonb, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { type BothLanguages, KB_OUTCOMES } from '../../schema/enums.ts';
import { time } from './columns.ts';
import { conversations } from './people.ts';
import { staff } from './staff.ts';

/** The knowledge base's articles (see db/schema/kb.ts). */
export const articles = pgTable('articles', {
  id: text('id').primaryKey(),
  titleSw: text('title_sw').notNull(),
  titleEn: text('title_en').notNull(),
  questions: jsonb('questions').notNull().$type<BothLanguages<string[]>>(),
  steps: jsonb('steps').notNull().$type<BothLanguages<string[]>>(),
  offer: text('offer').notNull(),
  retired: boolean('retired').notNull().default(false),
  fileHash: text('file_hash'),
  editedBy: integer('edited_by').references(() => staff.id),
  revision: integer('revision').notNull().default(1),
  createdAt: time('created_at').notNull(),
  updatedAt: time('updated_at').notNull(),
});

/** An article given in answer, and what came of it (see db/schema/kb.ts). */
export const kbAnswers = pgTable(
  'kb_answers',
  {
    id: serial('id').primaryKey(),
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
export const cannedReplies = pgTable('canned_replies', {
  id: serial('id').primaryKey(),
  title: text('title').notNull(),
  textSw: text('text_sw').notNull(),
  textEn: text('text_en').notNull(),
  updatedBy: integer('updated_by').references(() => staff.id),
  updatedAt: time('updated_at').notNull(),
});
