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

class Accumulator {
  private readonly counts = new Map<number, number>();
  add(id: number): void {
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }
  /** Sublinear counts, scaled to length `weight`. */
  into(out: Map<number, number>, weight: number): void {
    let norm = 0;
    for (const c of this.counts.values()) norm += (1 + Math.log(c)) ** 2;
    if (norm === 0) return;
    const scale = weight / Math.sqrt(norm);
    for (const [id, c] of this.counts) out.set(id, (out.get(id) ?? 0) + (1 + Math.log(c)) * scale);
  }
}

const isPlaceholder = (t: string) => t.startsWith('<');

export function extractFeatures(tokens: readonly string[], config: FeatureConfig = DEFAULT_FEATURES): SparseVector {
  const mask = (1 << config.hashBits) - 1;
  const words = new Accumulator();
  const bigrams = new Accumulator();
  const chars = new Accumulator();
  let prev = '^';
  for (const t of tokens) {
    words.add(fnv(SEED.word, t) & mask);
    bigrams.add(fnv(fnv(SEED.bigram, prev), ' ' + t) & mask);
    prev = t;
    if (config.stems) {
      const stem = stripPrefixes(t);
      if (stem !== t) words.add(fnv(SEED.stem, stem) & mask);
    }
    if (isPlaceholder(t)) continue;
    // Character n-grams of the word with its edges marked: "<nimeshindwa>"
    // shares "shind", "hindw", "ndwa>" with "tumeshindwa" and with a typo'd "nmeshndwa".
    const padded = `<${t}>`;
    for (let i = 0; i < padded.length; i++) {
      let h = SEED.char;
      for (let n = 1; n <= config.charMax && i + n <= padded.length; n++) {
        h = Math.imul(h ^ padded.charCodeAt(i + n - 1), FNV_PRIME);
        if (n >= config.charMin) chars.add((h >>> 0) & mask);
      }
    }
  }
  if (tokens.length > 0) bigrams.add(fnv(fnv(SEED.bigram, prev), ' $') & mask);
  const concepts = new Accumulator();
  if (config.conceptWeight > 0) {
    for (const c of defaultConcepts().find(tokens)) concepts.add(Math.imul(SEED.concept ^ c, FNV_PRIME) >>> 0 & mask);
  }
  const merged = new Map<number, number>();
  concepts.into(merged, config.conceptWeight);
  words.into(merged, config.wordWeight);
  bigrams.into(merged, config.bigramWeight);
  chars.into(merged, config.charWeight);
  const ids = new Uint32Array(merged.size);
  const values = new Float32Array(merged.size);
  let k = 0;
  for (const [id, v] of merged) {
    ids[k] = id;
    values[k++] = v;
  }
  return { ids, values };
}
