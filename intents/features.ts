import { stripPrefixes } from './affixes.ts';
import { defaultConcepts } from './concepts.ts';
import { WordMemo } from './memo.ts';

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
  /** log2 of the hash space; collisions are rare at 2^20 for our ~50k features. */
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

/** A sparse vector: hashed feature ids and their values; each kind of evidence scaled to its weight. */
export interface SparseVector {
  readonly ids: Uint32Array;
  readonly values: Float32Array;
}

// FNV-1a over the char codes, seeded per feature kind so "w:ab" ≠ "c:ab".
const FNV_PRIME = 0x01000193;
function fnv(seed: number, s: string): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}
const LEFT_EDGE = 0x3c; // '<'
const RIGHT_EDGE = 0x3e; // '>'
const SEED = { word: 0x811c9dc5, bigram: 0x2f6b8a13, char: 0x5bd1e995, stem: 0x1b873593, concept: 0x68e31da4 };

const isPlaceholder = (t: string) => t.startsWith('<');

/**
 * Character n-grams of a word with its edges marked: "<nimeshindwa>" shares
 * "shin", "hind", "ndwa>" with "tumeshindwa" and with a typo'd "nmeshndwa".
 * The edges are hashed in place, and a word's grams are remembered (people reuse words).
 */
function hashCharGrams(word: string, config: FeatureConfig): Uint32Array {
  const mask = (1 << config.hashBits) - 1;
  const out: number[] = [];
  const last = word.length;
  for (let i = -1; i <= last; i++) {
    let h = SEED.char;
    for (let n = 1; n <= config.charMax && i + n - 1 <= last; n++) {
      const at = i + n - 1;
      h = Math.imul(h ^ (at < 0 ? LEFT_EDGE : at === last ? RIGHT_EDGE : word.charCodeAt(at)), FNV_PRIME);
      if (n >= config.charMin) out.push((h >>> 0) & mask);
    }
  }
  return Uint32Array.from(out);
}

/** What one word contributes, whatever its neighbours: remembered per word. */
interface WordFeatures {
  readonly word: number;
  readonly stem: number | undefined;
  readonly chars: Uint32Array;
}

const NONE = new Uint32Array(0);
const START = fnv(SEED.bigram, '^');
const END = fnv(SEED.bigram, '$');
/** A word pair's id from the two words' hashes (order matters). */
const pair = (a: number, b: number) => Math.imul(Math.imul(a ^ SEED.bigram, FNV_PRIME) ^ b, FNV_PRIME) >>> 0;

const memos = new Map<string, WordMemo<WordFeatures>>();
function wordFeatures(config: FeatureConfig): WordMemo<WordFeatures> {
  const key = `${config.charMin}:${config.charMax}:${config.hashBits}:${config.stems}`;
  let memo = memos.get(key);
  if (!memo) {
    memo = new WordMemo((t) => {
      const stem = config.stems ? stripPrefixes(t) : t;
      return {
        word: fnv(SEED.word, t),
        stem: stem === t ? undefined : fnv(SEED.stem, stem),
        chars: isPlaceholder(t) ? NONE : hashCharGrams(t, config),
      };
    });
    memos.set(key, memo);
  }
  return memo;
}

/**
 * The evidence of a message by kind, before weighting: hashed ids of its words
 * (and stems), word pairs and concepts, and each word's character n-grams.
 */
export interface Evidence {
  readonly words: readonly number[];
  readonly bigrams: readonly number[];
  readonly concepts: readonly number[];
  /** Per word: the word itself (for callers that remember per word) and its n-grams. */
  readonly chars: readonly { readonly word: string; readonly grams: Uint32Array }[];
  readonly charCount: number;
}

export function collectEvidence(tokens: readonly string[], config: FeatureConfig = DEFAULT_FEATURES): Evidence {
  const mask = (1 << config.hashBits) - 1;
  const memo = wordFeatures(config);
  const words: number[] = [];
  const bigrams: number[] = [];
  const chars: { word: string; grams: Uint32Array }[] = [];
  let charCount = 0;
  let prev = START;
  for (const t of tokens) {
    const w = memo.get(t);
    words.push(w.word & mask);
    bigrams.push(pair(prev, w.word) & mask);
    prev = w.word;
    if (w.stem !== undefined) words.push(w.stem & mask);
    chars.push({ word: t, grams: w.chars });
    charCount += w.chars.length;
  }
  if (tokens.length > 0) bigrams.push(pair(prev, END) & mask);
  const concepts: number[] = [];
  if (config.conceptWeight > 0) {
    for (const c of defaultConcepts().find(tokens)) concepts.push((Math.imul(SEED.concept ^ c, FNV_PRIME) >>> 0) & mask);
  }
  return { words, bigrams, concepts, chars, charCount };
}

/** The value each of `count` entries of a kind gets, so that the kind weighs `weight`. */
export const entryValue = (weight: number, count: number) => (count === 0 ? 0 : weight / Math.sqrt(count));

/** Character n-grams of one word (remembered per word). */
export function charGramsOf(word: string, config: FeatureConfig = DEFAULT_FEATURES): Uint32Array {
  return wordFeatures(config).get(word).chars;
}

export function extractFeatures(tokens: readonly string[], config: FeatureConfig = DEFAULT_FEATURES): SparseVector {
  const e = collectEvidence(tokens, config);
  // The kinds are hashed with their own seeds, so an id rarely stands in two of them;
  // when it does, scoring adds both entries, as a merged one would. A repeated id is
  // simply listed again, so no counting (and no sorting) is needed.
  const ids: number[] = [];
  const values: number[] = [];
  const put = (list: readonly number[] | Uint32Array, value: number) => {
    for (const id of list) ids.push(id), values.push(value);
  };
  put(e.concepts, entryValue(config.conceptWeight, e.concepts.length));
  put(e.words, entryValue(config.wordWeight, e.words.length));
  put(e.bigrams, entryValue(config.bigramWeight, e.bigrams.length));
  const charValue = entryValue(config.charWeight, e.charCount);
  for (const c of e.chars) put(c.grams, charValue);
  return { ids: Uint32Array.from(ids), values: Float32Array.from(values) };
}
