import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Kind } from './places-file.ts';
import { joined, plainWords } from './text.ts';

// The words around place names (words.yml) and the everyday words no typo may
// turn into a place (vocabulary.yml), read once, the plain way.

const phrases = z.array(z.string().min(1));
const wordsFile = z
  .object({
    before: z.object({ strong: phrases, weak: phrases }).strict(),
    road: z.object({ before: phrases, after: phrases }).strict(),
    after: phrases,
    kinds: z.record(z.string(), z.enum(['region', 'district', 'ward', 'street'])),
    ordinary: phrases,
    everyday: phrases,
    elsewhere: phrases,
  })
  .strict();
const vocabularyFile = z.object({ words: phrases }).strict();

export interface PlaceWords {
  /** Phrases before a name, as plain word lists, longest first. */
  readonly strongBefore: readonly (readonly string[])[];
  readonly weakBefore: readonly (readonly string[])[];
  /** Words before or after a name that make it a road's name ("barabara ya Morogoro", "Bagamoyo Road"). */
  readonly roadBefore: readonly (readonly string[])[];
  readonly roadAfter: ReadonlySet<string>;
  readonly after: ReadonlySet<string>;
  /** A context phrase (plain words joined by a space) → the kind it names. */
  readonly kinds: ReadonlyMap<string, Kind>;
  /** Names (joined) that are also words of every day, by how much they ask of the words around them. */
  readonly ordinary: ReadonlySet<string>;
  readonly everyday: ReadonlySet<string>;
  readonly elsewhere: ReadonlySet<string>;
  /** Everyday words (plain) that a one-letter slip must not make a place of. */
  readonly vocabulary: ReadonlySet<string>;
}

const here = (file: string) => fileURLToPath(new URL(`./${file}`, import.meta.url));

let loaded: PlaceWords | undefined;

/** The words, read on first use (they ship with the code; a mistake in them is a programming error). */
export function placeWords(): PlaceWords {
  if (loaded) return loaded;
  const w = wordsFile.parse(parse(readFileSync(here('words.yml'), 'utf8')));
  const v = vocabularyFile.parse(parse(readFileSync(here('vocabulary.yml'), 'utf8')));
  const longestFirst = (list: readonly string[]) => list.map((p) => plainWords(p)).sort((a, b) => b.length - a.length);
  loaded = {
    strongBefore: longestFirst(w.before.strong),
    weakBefore: longestFirst(w.before.weak),
    roadBefore: longestFirst(w.road.before),
    roadAfter: new Set(w.road.after.map((p) => plainWords(p).join(' '))),
    after: new Set(w.after.map((p) => plainWords(p).join(' '))),
    kinds: new Map(Object.entries(w.kinds).map(([p, k]) => [plainWords(p).join(' '), k])),
    ordinary: new Set(w.ordinary.map(joined)),
    everyday: new Set(w.everyday.map(joined)),
    elsewhere: new Set(w.elsewhere.map(joined)),
    vocabulary: new Set(v.words.flatMap((p) => plainWords(p))),
  };
  return loaded;
}
