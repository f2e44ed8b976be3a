import { stripPrefixes } from './affixes.ts';
import { defaultConcepts } from './concepts.ts';

/** Which evidence the classifier reads from a message, and how much each kind weighs. */
export interface FeatureConfig {
  readonly wordWeight: number;
  readonly bigramWeight: number;
  readonly charWeight: number;
  /** Weight of the synonym clusters of intents/lexicon/concepts.yml (0: not used). */
  readonly conceptWeight: number;
  readonly charMin: number;
  readonly charMax: number;
  /** Adds the stem left by the Swahili prefix stripper as a feature. */
  readonly stems: boolean;
  /** log2 of the hash space; collisions are rare at 2^20 for our ~100k features. */
  readonly hashBits: number;
}

export const DEFAULT_FEATURES: FeatureConfig = Object.freeze({
  wordWeight: 1,
  bigramWeight: 0.3,
  charWeight: 1,
  conceptWeight: 1.5,
  charMin: 3,
  charMax: 4,
  stems: false,
  hashBits: 20,
});

/** A sparse vector: hashed feature ids and their weights, L2-normalised per kind. */
export interface SparseVector {
  readonly ids: Uint32Array;
  readonly values: Float32Array;
}

// FNV-1a over the char codes, seeded per feature kind so "w:ab" ≠ "c:ab".
const FNV_PRIME = 0x01000193;
function fnv(seed: number, s: string, from = 0, to = s.length): number {
  let h = seed;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}
const SEED = { word: 0x811c9dc5, bigram: 0x2f6b8a13, char: 0x5bd1e995, stem: 0x1b873593, concept: 0x68e31da4 };

/**
 * One kind of evidence: its hashed ids, counted (repeats are sublinear: 1 + log n)
 * and scaled so the kind weighs `weight` whatever the message's length.
 */
function weigh(collected: readonly number[], weight: number, ids: number[], values: number[]): void {
  if (collected.length === 0 || weight === 0) return;
  const sorted = Uint32Array.from(collected).sort();
  const start = values.length;
  let norm = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    const v = 1 + Math.log(j - i);
    ids.push(sorted[i] as number);
    values.push(v);
    norm += v * v;
    i = j;
  }
  const scale = weight / Math.sqrt(norm);
  for (let k = start; k < values.length; k++) values[k] = (values[k] as number) * scale;
}

const isPlaceholder = (t: string) => t.startsWith('<');

export function extractFeatures(tokens: readonly string[], config: FeatureConfig = DEFAULT_FEATURES): SparseVector {
  const mask = (1 << config.hashBits) - 1;
  const words: number[] = [];
  const bigrams: number[] = [];
  const chars: number[] = [];
  let prev = '^';
  for (const t of tokens) {
    words.push(fnv(SEED.word, t) & mask);
    bigrams.push(fnv(fnv(SEED.bigram, prev), ' ' + t) & mask);
    prev = t;
    if (config.stems) {
      const stem = stripPrefixes(t);
      if (stem !== t) words.push(fnv(SEED.stem, stem) & mask);
    }
    if (isPlaceholder(t)) continue;
    // Character n-grams of the word with its edges marked: "<nimeshindwa>"
    // shares "shind", "hindw", "ndwa>" with "tumeshindwa" and with a typo'd "nmeshndwa".
    const padded = `<${t}>`;
    for (let i = 0; i < padded.length; i++) {
      let h = SEED.char;
      for (let n = 1; n <= config.charMax && i + n <= padded.length; n++) {
        h = Math.imul(h ^ padded.charCodeAt(i + n - 1), FNV_PRIME);
        if (n >= config.charMin) chars.push((h >>> 0) & mask);
      }
    }
  }
  if (tokens.length > 0) bigrams.push(fnv(fnv(SEED.bigram, prev), ' $') & mask);
  const concepts: number[] = [];
  if (config.conceptWeight > 0) {
    for (const c of defaultConcepts().find(tokens)) concepts.push((Math.imul(SEED.concept ^ c, FNV_PRIME) >>> 0) & mask);
  }
  // The kinds are hashed with their own seeds, so an id rarely stands in two of them;
  // when it does, scoring adds both entries, as a merged one would.
  const ids: number[] = [];
  const values: number[] = [];
  weigh(concepts, config.conceptWeight, ids, values);
  weigh(words, config.wordWeight, ids, values);
  weigh(bigrams, config.bigramWeight, ids, values);
  weigh(chars, config.charWeight, ids, values);
  return { ids: Uint32Array.from(ids), values: Float32Array.from(values) };
}
