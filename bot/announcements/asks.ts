import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { PhraseMatcher, wordsWithOffsets, type Word } from '../../intents/phrases.ts';

// "nijulishe kuhusu katizo la umeme Sinza", "stop notices": a person asking
// for planned-outage notices of an area, or to stop them. The phrases are
// data (asks.yml); a message is an ask when it begins with one, and what
// follows it, a few words at most, names the area.

export type NoticeAskKind = 'subscribe' | 'unsubscribe' | 'list';

export interface NoticeAsk {
  readonly kind: NoticeAskKind;
  /** What follows the phrase, as the person wrote it (the area's name), or '' when nothing does. */
  readonly area: string;
}

const phrases = z.array(z.string().min(1)).min(1);
const file = z.object({ subscribe: phrases, unsubscribe: phrases, list: phrases, courtesy: phrases, connectors: phrases }).strict();
const words = file.parse(parse(readFileSync(fileURLToPath(new URL('./asks.yml', import.meta.url)), 'utf8')));

/** A phrase as a message's words are compared (wordsWithOffsets folds them the same way). */
const folded = (phrase: string) =>
  wordsWithOffsets(phrase)
    .map((w) => w.folded)
    .join(' ');

// No typo allowance beyond the spellings listed: "acha" and "achana" must not meet.
const matcher = new PhraseMatcher<NoticeAskKind>(
  (['subscribe', 'unsubscribe', 'list'] as const).flatMap((kind) => words[kind].map((p): [string, NoticeAskKind] => [folded(p), kind])),
  Infinity,
);
const courtesy = new Set(words.courtesy.map(folded));
const connectors = new Set(words.connectors.map(folded));

/** The longest text that may be an ask, and the most words an area's name takes after the phrase. */
const LONGEST = 160;
const AREA_WORDS = 6;

/** The ask a message is, if any. */
export function noticeAsk(text: string): NoticeAsk | undefined {
  if (text.length > LONGEST) return undefined;
  const all = wordsWithOffsets(text);
  let i = 0;
  while (i < all.length - 1 && courtesy.has(all[i]?.folded ?? '')) i++;
  const hit = matcher.matchAt(all, i);
  if (!hit) return undefined;
  let rest: Word[] = all.slice(hit.next);
  while (rest.length > 0 && (connectors.has(rest[0]?.folded ?? '') || courtesy.has(rest[0]?.folded ?? ''))) rest = rest.slice(1);
  while (rest.length > 0 && courtesy.has(rest.at(-1)?.folded ?? '')) rest = rest.slice(0, -1);
  // A longer sentence after the phrase says more than an area: the message is understood as usual.
  if (rest.length > AREA_WORDS) return undefined;
  const first = rest[0];
  const last = rest.at(-1);
  return { kind: hit.value, area: first && last ? text.slice(first.start, last.end) : '' };
}
