import { z } from 'zod';
import { readLexiconAs } from './lexicon.ts';
import { wordsWithOffsets, type Word } from './phrases.ts';

// Numbers as people write them for a count: digits ("15"), Swahili words
// ("kumi na tano", "watano", "mia mbili"), English words ("fifteen", "two
// hundred and five", "a dozen"). The words are data (lexicon/numbers.yml).

const wordsByValue = z.record(z.string().regex(/^\d+$/), z.array(z.string().min(1)).min(1));
const lexicon = readLexiconAs(
  'numbers.yml',
  z
    .object({
      units: wordsByValue,
      teens: wordsByValue,
      tens: wordsByValue,
      scales: wordsByValue,
      joiners: z.array(z.string().min(1)).min(1),
      articles: z.array(z.string().min(1)).min(1),
      people: z.array(z.string().min(1)).min(1),
      about: z.array(z.string().min(1)).min(1),
    })
    .strict(),
);

type Kind = 'unit' | 'teen' | 'ten' | 'scale';
interface NumberWord {
  readonly kind: Kind;
  readonly value: number;
}

const numberWords = new Map<string, NumberWord>();
for (const kind of ['unit', 'teen', 'ten', 'scale'] as const) {
  for (const [value, forms] of Object.entries(lexicon[`${kind}s`])) {
    for (const form of forms) {
      if (numberWords.has(form)) throw new Error(`intents/lexicon/numbers.yml: "${form}" is listed twice`);
      numberWords.set(form, { kind, value: Number(value) });
    }
  }
}
const joiners = new Set(lexicon.joiners);
const articles = new Set(lexicon.articles);
const people = new Set(lexicon.people);
const about = new Set(lexicon.about);

/** The largest count a form takes: more than this is not a count of anything a request is about. */
export const MAX_COUNT = 9999;

/** A number found among a message's words. */
export interface NumberHit {
  readonly value: number;
  readonly start: number;
  readonly end: number;
  /** Index of the first word after the number. */
  readonly next: number;
}

/**
 * The number built so far: `total` holds whole thousands, `group` the part
 * below; `place` is the smallest place the group has filled (a unit after
 * "ishirini" is fine, a unit after "tano" starts another number).
 */
interface Reading {
  readonly total: number;
  readonly group: number;
  readonly place: number;
}

/** The reading with `w` added (and how many words it took), or undefined when `w` cannot continue this number. */
function add(r: Reading, w: NumberWord, after: NumberWord | undefined): { reading: Reading; took: number } | undefined {
  const { total, group, place } = r;
  switch (w.kind) {
    case 'unit':
      return place > 1 ? { reading: { total, group: group + w.value, place: 1 }, took: 1 } : undefined;
    case 'teen':
      return place > 10 ? { reading: { total, group: group + w.value, place: 1 }, took: 1 } : undefined;
    case 'ten':
      return place > 10 ? { reading: { total, group: group + w.value, place: 10 }, took: 1 } : undefined;
    case 'scale': {
      // English puts the multiplier first ("two hundred"); Swahili after ("mia mbili"), or none ("mia", "a hundred").
      const before = group > 0 && group < w.value && place < w.value;
      const swahili = group === 0 && place > w.value;
      if (!before && !swahili) return undefined;
      const times = before ? group : after?.kind === 'unit' ? after.value : 1;
      const took = !before && after?.kind === 'unit' ? 2 : 1;
      const value = times * w.value;
      // After thousands come hundreds; after hundreds, tens; a dozen closes the number.
      if (w.value >= 1000) return { reading: { total: total + value, group: 0, place: w.value }, took };
      return { reading: { total, group: value, place: w.value >= 100 ? w.value : 0 }, took };
    }
  }
}

/** The number word at `i`: a lone article counts as one when a scale follows it ("a hundred"). */
function wordAt(words: readonly Word[], i: number): NumberWord | undefined {
  const w = words[i];
  if (!w) return undefined;
  const known = numberWords.get(w.folded);
  if (known) return known;
  const next = words[i + 1] && numberWords.get((words[i + 1] as Word).folded);
  return articles.has(w.folded) && next?.kind === 'scale' ? { kind: 'unit', value: 1 } : undefined;
}

/** The number written at word `i`, in digits or in words, read as far as it goes ("kumi na mbili" → 12). */
export function numberAt(words: readonly Word[], i: number): NumberHit | undefined {
  const first = words[i];
  if (!first) return undefined;
  if (/^\d{1,9}$/.test(first.folded)) return { value: Number(first.folded), start: first.start, end: first.end, next: i + 1 };
  let reading: Reading = { total: 0, group: 0, place: Number.POSITIVE_INFINITY };
  let next = i;
  for (let j = i; j < words.length; ) {
    // A joiner belongs to the number only between two of its words.
    const joined = j > i && joiners.has((words[j] as Word).folded);
    const at = joined ? j + 1 : j;
    const w = wordAt(words, at);
    const step = w && add(reading, w, wordAt(words, at + 1));
    if (!step) break;
    reading = step.reading;
    j = next = at + step.took;
  }
  const value = reading.total + reading.group;
  if (next === i || value === 0) return undefined;
  return { value, start: first.start, end: (words[next - 1] as Word).end, next };
}

/**
 * A number of people at word `i`: "watu watano", "washiriki wapatao 20",
 * "kwa watu kumi na wawili" (Swahili: the noun first), "twelve people",
 * "about 30 participants" (English: the number first).
 */
export function headcountAt(words: readonly Word[], i: number): NumberHit | undefined {
  const w = words[i];
  if (!w) return undefined;
  const skipAbout = (j: number) => (words[j] && about.has((words[j] as Word).folded) ? j + 1 : j);
  if (people.has(w.folded)) {
    const n = numberAt(words, skipAbout(i + 1));
    return n && { ...n, start: w.start };
  }
  const n = numberAt(words, skipAbout(i));
  const noun = n && words[n.next];
  return n && noun && people.has(noun.folded) ? { value: n.value, start: w.start, end: noun.end, next: n.next + 1 } : undefined;
}

/** Every number in `words`, in order, none overlapping. */
function numbersIn(words: readonly Word[], find: (words: readonly Word[], i: number) => NumberHit | undefined): NumberHit[] {
  const hits: NumberHit[] = [];
  for (let i = 0; i < words.length; ) {
    const hit = find(words, i);
    if (hit) hits.push(hit);
    i = hit ? hit.next : i + 1;
  }
  return hits;
}

/**
 * An answer to "how many?" as a count: "12", "kumi na mbili", "watano",
 * "tutakuwa watu 20", "about thirty people". One number of people, or else
 * one number alone; undefined when there is none, several, or it is out of
 * range (1 to MAX_COUNT).
 */
export function parseCount(text: string): number | undefined {
  const words = wordsWithOffsets(text);
  const heads = numbersIn(words, headcountAt);
  const numbers = numbersIn(words, numberAt);
  const only = heads.length === 1 ? heads[0] : heads.length === 0 && numbers.length === 1 ? numbers[0] : undefined;
  return only && only.value >= 1 && only.value <= MAX_COUNT ? only.value : undefined;
}
