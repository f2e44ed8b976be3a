import { readLexicon } from './lexicon.ts';
import { WordMemo } from './memo.ts';

// Concepts (intents/lexicon/concepts.yml) are synonym clusters across Swahili,
// SMS spelling and English: "inaganda", "hang" and "frozen" all say freeze_hang.
// They let a word never seen in training still count, through its concept.

interface Form {
  readonly words: readonly string[];
  readonly concept: number;
}

const matches = (pattern: string, word: string) => (pattern.endsWith('*') ? word.startsWith(pattern.slice(0, -1)) : pattern === word);

export class ConceptMatcher {
  readonly names: readonly string[];
  private readonly exact = new Map<string, Form[]>();
  /** Forms whose first word is a prefix ("haifany*"), indexed by their first two letters. */
  private readonly prefixed = new Map<string, Form[]>();

  constructor(lexicon: Record<string, string[]>) {
    this.names = Object.keys(lexicon);
    this.names.forEach((name, concept) => {
      for (const form of lexicon[name] ?? []) {
        const words = form.split(/\s+/);
        const first = words[0] as string;
        const index = first.endsWith('*') ? this.prefixed : this.exact;
        const key = first.endsWith('*') ? first.slice(0, 2) : first;
        index.set(key, [...(index.get(key) ?? []), { words, concept }]);
      }
    });
  }

  /** The forms that can start at a word: those whose first word is it, or a prefix of it. */
  private readonly startingAt = new WordMemo((word: string): readonly Form[] => [
    ...(this.exact.get(word) ?? []),
    ...(this.prefixed.get(word.slice(0, 2)) ?? []).filter((f) => matches(f.words[0] as string, word)),
  ]);

  /** The ids of the concepts present in a message's normalized words, each once. */
  find(tokens: readonly string[]): Set<number> {
    const found = new Set<number>();
    for (let i = 0; i < tokens.length; i++) {
      for (const form of this.startingAt.get(tokens[i] as string)) {
        if (found.has(form.concept) || i + form.words.length > tokens.length) continue;
        let ok = true;
        for (let k = 1; ok && k < form.words.length; k++) ok = matches(form.words[k] as string, tokens[i + k] as string);
        if (ok) found.add(form.concept);
      }
    }
    return found;
  }
}

let shared: ConceptMatcher | undefined;
export function defaultConcepts(): ConceptMatcher {
  shared ??= new ConceptMatcher(readLexicon('concepts.yml'));
  return shared;
}
