import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { stripPrefixes } from '../../intents/affixes.ts';
import { defaultConcepts } from '../../intents/concepts.ts';
import { normalizeTokens } from '../../intents/normalize.ts';
import type { Article } from './articles.ts';

// Retrieval over the articles' example questions: a message is compared with
// every example (TF-IDF, cosine), and an article scores its best example.
// The terms are what the intent classifier reads too: words as the
// normalizer leaves them (SMS spellings made standard), their Swahili stems,
// and the lexicon's concepts, so "nmesahau pswd ya imeil" meets "nimesahau
// nywila ya barua pepe". Measured against "articles as intents" in
// BENCHMARKS.md ("Knowledge base"); `npm run kb:evaluate` re-measures.

export interface MatcherOptions {
  /** The least cosine similarity for an article to be given, when the message's intent is one of the article's. */
  readonly threshold: number;
  /** The least when the intent says nothing of the topic (out of scope, a plain "help", a doubtful call). */
  readonly weakThreshold: number;
  /** How much a concept weighs against a word. */
  readonly conceptWeight: number;
  /** How much a stem (a word without its Swahili prefixes) weighs against a word. */
  readonly stemWeight: number;
}

/** Chosen on the project's own dev questions (bot/kb/dev-questions.jsonl), never on the held-out file. */
export const DEFAULT_MATCHER: MatcherOptions = Object.freeze({ threshold: 0.35, weakThreshold: 0.5, conceptWeight: 2, stemWeight: 0.5 });

export interface Ranked {
  readonly article: string;
  readonly score: number;
}

type Vector = ReadonlyMap<string, number>;

const stopwordsFile = z.object({ sw: z.array(z.string()), en: z.array(z.string()) }).strict();
const STOPWORDS: ReadonlySet<string> = (() => {
  const s = stopwordsFile.parse(parse(readFileSync(fileURLToPath(new URL('./stopwords.yml', import.meta.url)), 'utf8')));
  return new Set([...s.sw, ...s.en].flatMap((w) => normalizeTokens(w)));
})();

/** A text's terms with their weights before IDF: words (not stop words), stems and concepts, each counted once. */
export function termsOf(text: string, options: MatcherOptions = DEFAULT_MATCHER): Map<string, number> {
  const tokens = normalizeTokens(text).filter((t) => !t.startsWith('<'));
  const terms = new Map<string, number>();
  const put = (term: string, weight: number) => terms.set(term, Math.max(terms.get(term) ?? 0, weight));
  // Concepts are found in the whole message ("not working" needs its "not"); words only when they say something.
  for (const t of tokens) {
    if (STOPWORDS.has(t)) continue;
    put(t, 1);
    const stem = stripPrefixes(t);
    if (stem !== t && options.stemWeight > 0) put(`~${stem}`, options.stemWeight);
  }
  if (options.conceptWeight > 0) for (const c of defaultConcepts().find(tokens)) put(`#${c}`, options.conceptWeight);
  return terms;
}

interface Doc {
  readonly article: string;
  readonly vector: Vector;
}

/**
 * How many texts of a background set (the intent classifier's training
 * lines) hold each term: words everyone writes ("msaada", "naomba",
 * "please", "my") weigh little, whatever the few articles hold. Counted
 * once; the matcher is rebuilt over it whenever the articles change.
 */
export class Background {
  private constructor(
    readonly df: ReadonlyMap<string, number>,
    readonly size: number,
  ) {}

  static of(texts: readonly string[], options: MatcherOptions = DEFAULT_MATCHER): Background {
    const df = new Map<string, number>();
    for (const text of texts) for (const term of termsOf(text, options).keys()) df.set(term, (df.get(term) ?? 0) + 1);
    return new Background(df, texts.length);
  }

  static readonly none = new Background(new Map(), 0);
}

/** What the intent classifier makes of a text: its intent, when it decided on one. */
export type IntentOf = (text: string) => string | undefined;

export class KbMatcher {
  private readonly idf = new Map<string, number>();
  private readonly docs: Doc[] = [];
  /** Per article: its offer and the intents its own example questions are understood as. */
  private readonly intents = new Map<string, ReadonlySet<string>>();
  /** The weight of a term no example has: as rare as rare gets. */
  private readonly unseen: number;

  constructor(
    readonly articles: readonly Article[],
    readonly options: MatcherOptions = DEFAULT_MATCHER,
    background: Background = Background.none,
    intentOf?: IntentOf,
  ) {
    for (const a of articles) {
      const seen = new Set<string>([a.offer]);
      if (intentOf) for (const q of [...a.questions.sw, ...a.questions.en]) seen.add(intentOf(q) ?? a.offer);
      this.intents.set(a.id, seen);
    }
    const raw = articles.flatMap((a) => [a.title.sw, a.title.en, ...a.questions.sw, ...a.questions.en].map((text) => ({ article: a.id, terms: termsOf(text, options) })));
    const df = new Map(background.df);
    for (const d of raw) for (const term of d.terms.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    const n = raw.length + background.size;
    for (const [term, count] of df) this.idf.set(term, Math.log((n + 1) / (count + 0.5)));
    this.unseen = Math.log((n + 1) / 0.5);
    for (const d of raw) this.docs.push({ article: d.article, vector: this.weigh(d.terms) });
  }

  private weigh(terms: ReadonlyMap<string, number>): Vector {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [term, w] of terms) {
      const x = w * (this.idf.get(term) ?? this.unseen);
      v.set(term, x);
      norm += x * x;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [term, x] of v) v.set(term, x / norm);
    return v;
  }

  /** Every article with its best example's similarity to the text, best first. */
  rank(text: string): Ranked[] {
    const q = this.weigh(termsOf(text, this.options));
    const best = new Map<string, number>();
    for (const d of this.docs) {
      let dot = 0;
      for (const [term, x] of q) {
        const y = d.vector.get(term);
        if (y !== undefined) dot += x * y;
      }
      if (dot > (best.get(d.article) ?? 0)) best.set(d.article, dot);
    }
    return [...best].map(([article, score]) => ({ article, score })).sort((a, b) => b.score - a.score || a.article.localeCompare(b.article));
  }

  /** The intents an article's questions are understood as (and its offer). */
  intentsOf(article: string): ReadonlySet<string> {
    return this.intents.get(article) ?? new Set();
  }

  /**
   * The article that answers the text, if one is close enough: the best
   * whose questions share the text's intent, at `threshold`; or, when the
   * intent says nothing of the topic (`intent` undefined), the best at
   * `weakThreshold`.
   */
  match(text: string, intent?: string): { readonly article: Article; readonly score: number } | undefined {
    for (const r of this.rank(text)) {
      if (r.score < (intent === undefined ? this.options.weakThreshold : this.options.threshold)) return undefined;
      if (intent !== undefined && !this.intentsOf(r.article).has(intent)) continue;
      const article = this.articles.find((a) => a.id === r.article);
      if (article) return { article, score: r.score };
    }
    return undefined;
  }
}
