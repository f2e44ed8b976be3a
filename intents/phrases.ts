import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance/index.js';
import { WordMemo } from './memo.ts';
import { foldCase, squeezeRepeats } from './normalize.ts';

/** A word of the original message with where it stands, and its folded form. */
export interface Word {
  readonly folded: string;
  readonly start: number;
  readonly end: number;
}

const folded = new WordMemo((raw: string) => squeezeRepeats(foldCase(raw)).replace(/['’]/g, ''));

export function wordsWithOffsets(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu)) {
    out.push({ folded: folded.get(m[0]), start: m.index, end: m.index + m[0].length });
  }
  return out;
}

export interface PhraseHit<V> {
  readonly value: V;
  readonly start: number;
  readonly end: number;
  /** Index of the first word after the phrase. */
  readonly next: number;
}

/**
 * Finds dictionary phrases (one or more words) in a message, longest first,
 * with a typo allowed in long single words ("hrmiss", "lawsn").
 */
export class PhraseMatcher<V> {
  private readonly byFirstWord = new Map<string, { words: string[]; value: V }[]>();
  private readonly fuzzy: { word: string; value: V }[] = [];
  /** A word's nearest dictionary entry (one edit away), remembered: the distance is costly. */
  private readonly nearest = new WordMemo((word: string): { value: V } | null => {
    // One edit away means the lengths differ by at most one; most words end there, cheaply.
    // The first letter must match: "office" is not a typo of "eoffice".
    const near = this.fuzzy.find((f) => Math.abs(f.word.length - word.length) <= 1 && f.word[0] === word[0] && DamerauLevenshteinDistance(f.word, word, {}) <= 1);
    return near ? { value: near.value } : null;
  });

  constructor(
    entries: Iterable<readonly [form: string, value: V]>,
    private readonly fuzzyMinLength = 5,
  ) {
    for (const [form, value] of entries) {
      const words = form.split(/\s+/);
      const first = words[0] as string;
      const list = this.byFirstWord.get(first) ?? [];
      list.push({ words, value });
      list.sort((a, b) => b.words.length - a.words.length);
      this.byFirstWord.set(first, list);
      if (words.length === 1 && first.length >= fuzzyMinLength) this.fuzzy.push({ word: first, value });
    }
  }

  matchAt(words: readonly Word[], i: number): PhraseHit<V> | undefined {
    const w = words[i];
    if (!w) return undefined;
    for (const entry of this.byFirstWord.get(w.folded) ?? []) {
      const ok = entry.words.every((x, k) => words[i + k]?.folded === x);
      if (ok) {
        const last = words[i + entry.words.length - 1] as Word;
        return { value: entry.value, start: w.start, end: last.end, next: i + entry.words.length };
      }
    }
    if (w.folded.length < this.fuzzyMinLength || /\d/.test(w.folded)) return undefined;
    const near = this.nearest.get(w.folded);
    return near ? { value: near.value, start: w.start, end: w.end, next: i + 1 } : undefined;
  }

  findAll(words: readonly Word[]): PhraseHit<V>[] {
    const hits: PhraseHit<V>[] = [];
    for (let i = 0; i < words.length; ) {
      const hit = this.matchAt(words, i);
      if (hit) hits.push(hit);
      i = hit ? hit.next : i + 1;
    }
    return hits;
  }
}

/** `canonical: [forms]` → (form, canonical) pairs for a PhraseMatcher. */
export function formsOf(lexicon: Record<string, string[]>): [string, string][] {
  return Object.entries(lexicon).flatMap(([canonical, forms]) => forms.map((f): [string, string] => [f, canonical]));
}
