// A light Swahili prefix stripper: subject, negation and tense markers come
// before the verb root ("ha-wa-ja-pokea", "ni-me-shindwa", "tu-li-tuma"), so
// people writing about the same action in other persons and tenses share a stem.
// Whether it earns its place is measured in BENCHMARKS.md (nlu ablation).

const SUBJECT = ['hatu', 'ham', 'hawa', 'hu', 'ha', 'si', 'ni', 'tu', 'wa', 'u', 'a', 'm', 'i', 'ki', 'li', 'ya', 'zi', 'ku'];
const TENSE = ['me', 'na', 'li', 'ta', 'ja', 'ki', 'nge', 'ngali', 'sha', 'ka'];
const MIN_STEM = 4;

function stripOne(word: string, list: readonly string[]): string {
  for (const p of list) {
    if (word.startsWith(p) && word.length - p.length >= MIN_STEM) return word.slice(p.length);
  }
  return word;
}

/** "nimeshindwa", "tumeshindwa", "hawajashindwa" → "shindwa". Short words are left alone. */
export function stripPrefixes(word: string): string {
  if (word.length < MIN_STEM + 3) return word;
  const afterSubject = stripOne(word, SUBJECT);
  if (afterSubject === word) return word;
  return stripOne(afterSubject, TENSE);
}
