import { readLexicon, variantMap } from './lexicon.ts';
import { scanPatterns } from './patterns.ts';

/** Placeholder tokens: the classifier learns "a reference was given", not its digits. */
export const PLACEHOLDER = {
  reference: '<ref>',
  phone: '<phone>',
  email: '<email>',
  date: '<date>',
  number: '<num>',
} as const;

export interface NormalizeOptions {
  /** The request reference prefix (REFERENCE_PREFIX), e.g. "ICT". */
  readonly referencePrefix?: string;
}

const SMS = variantMap(readLexicon('sms.yml'));

/** Case and accents folded; emoji and punctuation are dropped later with the non-letters. */
export function foldCase(text: string): string {
  // Most messages are plain ASCII, which has no accents to fold.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range is meant (plain text needs no decomposing).
  const decomposed = /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFKD').replace(/\p{M}+/gu, '');
  return decomposed.toLowerCase();
}

/** "sanaaaa" → "sana", "pleeeease" → "please": three or more of a letter are one. */
export function squeezeRepeats(word: string): string {
  return word.replace(/(\p{L})\1{2,}/gu, '$1');
}

// "2meshindwa" is "tumeshindwa": SMS writes the syllable "tu" as the digit 2.
const SMS_DIGIT_PREFIX = /^2(?=\p{L}{3,})/u;

function standardWords(word: string): string[] {
  const first = word.charCodeAt(0);
  if (first >= 48 && first <= 57) {
    if (/^\d+$/.test(word)) return [PLACEHOLDER.number];
    word = word.replace(SMS_DIGIT_PREFIX, 'tu');
  }
  return SMS.get(word) ?? [word];
}

function wordsOf(segment: string): string[] {
  // Apostrophes join ("ng'ombe"), every other non-letter, non-digit separates.
  return segment
    .replace(/['’`]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .flatMap(standardWords);
}

/**
 * The words of a message as the classifier sees them: folded case and accents,
 * no emoji or punctuation, SMS spellings made standard, data replaced by
 * placeholders.
 */
export function normalizeTokens(text: string, options: NormalizeOptions = {}): string[] {
  const folded = squeezeRepeats(foldCase(text));
  const tokens: string[] = [];
  let at = 0;
  for (const span of scanPatterns(folded, options.referencePrefix ?? 'ICT')) {
    tokens.push(...wordsOf(folded.slice(at, span.start)), PLACEHOLDER[span.kind]);
    at = span.end;
  }
  tokens.push(...wordsOf(folded.slice(at)));
  return tokens;
}

export function normalize(text: string, options: NormalizeOptions = {}): string {
  return normalizeTokens(text, options).join(' ');
}
