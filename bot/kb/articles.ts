import { readYamlFile } from '../charter/yaml-file.ts';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { ArticleContent, ArticleRow } from '../../db/queries/articles.ts';
import { INTENT_ID_PATTERN, type ServiceIntent } from '../../intents/ids.ts';
import type { Locale } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';

// An article of the knowledge base: a question people ask, its answer in a
// few short steps, and the service to offer when the steps did not help.
// The same rules hold for the file (articles.yml) and for staff's edits.

export interface Article {
  readonly id: string;
  readonly title: Readonly<Record<Locale, string>>;
  readonly questions: Readonly<Record<Locale, readonly string[]>>;
  readonly steps: Readonly<Record<Locale, readonly string[]>>;
  readonly offer: ServiceIntent;
}

/**
 * The steps go out as one message: by SMS at most three parts (3 × 153
 * GSM-7 characters), so the title and the numbered steps together stay
 * under this.
 */
export const STEPS_MESSAGE_MAX = 450;
export const MAX_STEPS = 6;
export const MAX_QUESTIONS = 20;
export const ARTICLE_ID = /^[a-z][a-z0-9_]{1,59}$/;

/** The steps as they are sent: the title, then one numbered line a step. */
export function stepsText(a: Pick<Article, 'title' | 'steps'>, locale: Locale): string {
  return [a.title[locale], ...a.steps[locale].map((s, i) => `${i + 1}. ${s}`)].join('\n');
}

const line = (max: number) => z.string().trim().min(1).max(max);
const both = <T extends z.ZodType>(t: T) => z.object({ sw: t, en: t }).strict();

export const articleSchema = z
  .object({
    id: z.string().regex(ARTICLE_ID, 'small letters, digits and _, starting with a letter'),
    title: both(line(80)),
    questions: both(z.array(line(300)).min(1).max(MAX_QUESTIONS)),
    steps: both(z.array(line(200)).min(1).max(MAX_STEPS)),
    offer: z.string().regex(INTENT_ID_PATTERN, 'a service of the charter'),
  })
  .strict()
  .superRefine((a, ctx) => {
    for (const locale of ['sw', 'en'] as const) {
      const length = stepsText(a, locale).length;
      if (length > STEPS_MESSAGE_MAX) ctx.addIssue({ code: 'custom', path: ['steps', locale], message: `the title and steps take ${length} characters; at most ${STEPS_MESSAGE_MAX} fit three SMS` });
    }
  });

const file = z.object({ articles: z.array(articleSchema) }).strict();

/** The articles file beside the charter bundle (like teams.yml). */
export const articlesPathBeside = (charterPath: string) => join(dirname(charterPath), 'articles.yml');

export type ArticlesFile = { readonly status: 'loaded'; readonly articles: readonly Article[] } | { readonly status: 'invalid'; readonly path: string; readonly problems: readonly string[] };

/**
 * Reads and checks the articles file: its shape (zod), unique ids, and an
 * offer every charter line can take. No file: no articles (staff may add
 * some in the console).
 */
export function loadArticlesFile(path: string, charter: Pick<Charter, 'linesFor'>): ArticlesFile {
  if (!existsSync(path)) return { status: 'loaded', articles: [] };
  const parsed = readYamlFile(path, file);
  if (parsed.status === 'invalid') return parsed;
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const a of parsed.data.articles) {
    if (seen.has(a.id)) problems.push(`${a.id}: the id is used twice`);
    seen.add(a.id);
    if (charter.linesFor(a.offer).length === 0) problems.push(`${a.id}: offers ${a.offer}, which no line of the charter serves`);
  }
  return problems.length > 0 ? { status: 'invalid', path, problems } : { status: 'loaded', articles: parsed.data.articles };
}

/** An article as the database keeps it. */
export const contentOf = (a: Article): ArticleContent => ({
  titleSw: a.title.sw,
  titleEn: a.title.en,
  questions: { sw: [...a.questions.sw], en: [...a.questions.en] },
  steps: { sw: [...a.steps.sw], en: [...a.steps.en] },
  offer: a.offer,
});

/** A fingerprint of what the file says of an article: the stored copy is rewritten only when it changes. */
export const fileHashOf = (a: Article): string =>
  createHash('sha256')
    .update(JSON.stringify(contentOf(a)))
    .digest('hex')
    .slice(0, 32);

/** A stored row as an article; undefined when it no longer passes the rules (a hand edit, an old version). */
export function articleOf(row: ArticleRow): Article | undefined {
  const parsed = articleSchema.safeParse({ id: row.id, title: { sw: row.titleSw, en: row.titleEn }, questions: row.questions, steps: row.steps, offer: row.offer });
  return parsed.success ? parsed.data : undefined;
}
