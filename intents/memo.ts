/**
 * Remembers a pure function's answers for the words people keep using; it
 * forgets everything when full, so memory stays bounded whatever is typed.
 */
export class WordMemo<V> {
  private readonly answers = new Map<string, V>();
  constructor(
    private readonly make: (word: string) => V,
    private readonly limit = 50_000,
  ) {}

  get(word: string): V {
    let v = this.answers.get(word);
    if (v === undefined) {
      if (this.answers.size >= this.limit) this.answers.clear();
      v = this.make(word);
      this.answers.set(word, v);
    }
    return v;
  }
}
