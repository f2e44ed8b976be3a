// How a place name and a customer's text are compared: both are cut into
// words and each word written one plain way, so "Chang'ombe", "changombe",
// "CHANG’OMBE" and "Sinza-Mori" meet their names whatever the keyboard did.

/** One word of the text, plain, with where it stood and how it was written. */
export interface Token {
  readonly plain: string;
  readonly start: number;
  readonly end: number;
  /** Written with a capital and then small letters ("Majengo", not "majengo" or "MAJENGO"). */
  readonly capitalised: boolean;
  /** The first word of the text or of a sentence, where any word takes a capital. */
  readonly opensSentence: boolean;
  /** A stop or comma stands between this word and the one before: one name does not run across it. */
  readonly breakBefore: boolean;
}

// Letters, digits and the apostrophes inside names (Chang'ombe, Nyang’hwale).
const WORD = /[\p{L}\p{N}]+(?:['’‘`ʼ][\p{L}\p{N}]+)*/gu;
const APOSTROPHES = /['’‘`ʼ]/g;
const MARKS = /\p{M}/gu;

/**
 * One word written the plain way: no accents or apostrophes, small letters,
 * and the SMS "x" read as the "s" it stands for ("xinza", "kixutu"); no
 * Tanzanian place name is written with an x.
 */
export function plainWord(word: string): string {
  return bare(word).replace(/x/g, 's');
}

/** Small letters without accents or apostrophes. */
const bare = (word: string): string => word.normalize('NFKD').replace(MARKS, '').replace(APOSTROPHES, '').toLowerCase();

/** A name's words the plain way, in order ("Dar es Salaam" → dar, es, salaam). */
export function plainWords(name: string): string[] {
  return [...name.matchAll(WORD)].map((m) => plainWord(m[0]));
}

/** A name as one run of letters, the form names are looked up by ("Gongo la Mboto" → gongolamboto). */
export function joined(name: string): string {
  return plainWords(name).join('');
}

/** A place key's segment: "Dar es Salaam" → dar-es-salaam, "Chang'ombe" → changombe (letters as written, x kept). */
export function slug(name: string): string {
  return [...name.matchAll(WORD)].map((m) => bare(m[0])).join('-');
}

/** The text's words, each with where it stands and whether it was capitalised. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let previousEnd = 0;
  for (const m of text.matchAll(WORD)) {
    const word = m[0];
    const start = m.index ?? 0;
    const between = text.slice(previousEnd, start);
    tokens.push({
      plain: plainWord(word),
      start,
      end: start + word.length,
      capitalised: /^\p{Lu}/u.test(word) && /\p{Ll}/u.test(word),
      opensSentence: tokens.length === 0 || /[.!?:;\n]/.test(between),
      breakBefore: /[.!?:;,()\n]/.test(between),
    });
    previousEnd = start + word.length;
  }
  return tokens;
}

/**
 * Whether capitals tell anything in this text: not when it is all capitals
 * ("UMEME UMEKATIKA SINZA") or every word starts with one ("Umeme Umekatika
 * Sinza"), only when a capital stands out.
 */
export function capitalsSpeak(tokens: readonly Token[]): boolean {
  const words = tokens.filter((t) => !t.opensSentence && /^[a-z]/.test(t.plain) && t.plain.length > 2);
  if (words.length < 2) return false;
  return words.filter((t) => t.capitalised).length / words.length < 0.6;
}

/** Levenshtein distance with adjacent swaps (optimal string alignment), cut off above 1. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    // one substitution, or two neighbours swapped
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  // one letter more in the longer
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Every string one deletion away, with the string itself: the key of the typo index. */
export function deletions(s: string): string[] {
  const out = [s];
  for (let i = 0; i < s.length; i++) out.push(s.slice(0, i) + s.slice(i + 1));
  return out;
}
