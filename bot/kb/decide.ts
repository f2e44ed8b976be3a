import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { INTENT_ID_PATTERN } from '../../intents/ids.ts';
import type { Understanding } from '../../intents/nlu.ts';
import { normalizeTokens } from '../../intents/normalize.ts';
import type { Article } from './articles.ts';
import type { KbMatcher } from './matcher.ts';

// Whether a message gets an article: one must be close enough (matcher.ts),
// and the message must not be something an article never answers: a status
// question, a greeting, a person asking staff to act or saying a thing is
// broken (signals.yml). Data, so the lines can move without code.

const signalsFile = z
  .object({
    intents: z.array(z.string().regex(INTENT_ID_PATTERN)),
    weak_intents: z.array(z.string().regex(INTENT_ID_PATTERN)),
    staff_action: z.array(z.string().min(1)).min(1),
    question: z.array(z.string().min(1)).min(1),
    helped: z.array(z.string().min(1)).min(1),
    not_helped: z.array(z.string().min(1)).min(1),
  })
  .strict();

type Phrase = readonly string[];

/** "mtume fundi" → its normalized words; a trailing "*" stays, meaning any word starting so. */
const phraseOf = (p: string): Phrase => {
  const star = p.trim().endsWith('*');
  const words = normalizeTokens(p);
  return star && words.length > 0 ? [...words.slice(0, -1), `${words.at(-1)}*`] : words;
};

const wordMatches = (pattern: string, word: string) => (pattern.endsWith('*') ? word.startsWith(pattern.slice(0, -1)) : pattern === word);

function contains(tokens: readonly string[], phrases: readonly Phrase[]): boolean {
  for (const p of phrases) {
    for (let i = 0; i + p.length <= tokens.length; i++) {
      if (p.every((w, k) => wordMatches(w, tokens[i + k] as string))) return true;
    }
  }
  return false;
}

export interface Signals {
  readonly intents: ReadonlySet<string>;
  readonly weakIntents: ReadonlySet<string>;
  readonly staffAction: readonly Phrase[];
  readonly question: readonly Phrase[];
  readonly helped: readonly Phrase[];
  readonly notHelped: readonly Phrase[];
}

export function loadSignals(path: string = fileURLToPath(new URL('./signals.yml', import.meta.url))): Signals {
  const s = signalsFile.parse(parse(readFileSync(path, 'utf8')));
  return {
    intents: new Set(s.intents),
    weakIntents: new Set(s.weak_intents),
    staffAction: s.staff_action.map(phraseOf),
    question: s.question.map(phraseOf),
    helped: s.helped.map(phraseOf),
    notHelped: s.not_helped.map(phraseOf),
  };
}

let shared: Signals | undefined;
export const defaultSignals = (): Signals => (shared ??= loadSignals());

/** Why no article was given (for the evaluation and the logs), or that one may be. */
export type Gate = 'open' | 'reference' | 'intent' | 'staff_action';

/** Whether a message may get an article at all, whatever the articles say. */
export function gateOf(understanding: Pick<Understanding, 'intent' | 'decided' | 'entities'>, text: string, signals: Signals = defaultSignals()): Gate {
  if (understanding.entities.some((e) => e.type === 'reference')) return 'reference';
  // A number to call back on: the person wants someone to act.
  if (understanding.entities.some((e) => e.type === 'phone')) return 'staff_action';
  if (understanding.decided === 'model' && signals.intents.has(understanding.intent)) return 'intent';
  const tokens = normalizeTokens(text);
  if (contains(tokens, signals.staffAction) && !contains(tokens, signals.question)) return 'staff_action';
  return 'open';
}

/** The intent an article's questions must share with the message; undefined when the classifier's says nothing of the topic. */
export function topicIntent(understanding: Pick<Understanding, 'intent' | 'decided'>, signals: Signals = defaultSignals()): string | undefined {
  return understanding.decided === 'model' && !signals.weakIntents.has(understanding.intent) ? understanding.intent : undefined;
}

/** The article a message gets, if any. */
export function articleFor(
  matcher: KbMatcher,
  understanding: Pick<Understanding, 'intent' | 'decided' | 'entities'>,
  text: string,
  signals: Signals = defaultSignals(),
): { readonly article: Article; readonly score: number } | undefined {
  return gateOf(understanding, text, signals) === 'open' ? matcher.match(text, topicIntent(understanding, signals)) : undefined;
}

/**
 * "Did this help?" answered in words: "bado haichapishi" did not, "asante,
 * imesaidia" did; a "not" wins over a thank-you ("asante, lakini bado").
 * Undefined when the words say neither.
 */
export function replyToOffer(text: string, signals: Signals = defaultSignals()): 'helped' | 'not_helped' | undefined {
  const tokens = normalizeTokens(text);
  if (contains(tokens, signals.notHelped)) return 'not_helped';
  return contains(tokens, signals.helped) ? 'helped' : undefined;
}
