import { readLexicon } from './lexicon.ts';

export const LANGUAGES = ['sw', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const lexicon = readLexicon('language.yml');
const marks = new Map<string, Language>();
for (const lang of LANGUAGES) for (const w of new Set(lexicon[lang] ?? [])) marks.set(w, marks.get(w) ?? lang);

// Swahili verbs carry their subject and tense in front: "nimeshindwa", "haifunguki", "tumetuma".
const SWAHILI_VERB = /^(?:ni|u|a|tu|m|wa|i|li|ya|ki|vi|zi|si|ha|hatu|hawa|hai|hau)(?:me|na|li|ta|ja|ka|nge|sha)\p{L}{2,}[aeiou]$/u;

/**
 * The language of a message, from its normalized words: `fallback` (the
 * default locale) when the words give no answer, as with "ok" or a bare reference.
 */
export function detectLanguage(tokens: readonly string[], fallback: Language = 'sw', margin = 1): Language {
  return languageOf(languageEvidence(tokens), fallback, margin);
}

/** The language the marker words say, when one leads by `margin` or more; else the fallback. */
export function languageOf(evidence: LanguageEvidence, fallback: Language = 'sw', margin = 1): Language {
  const { sw, en } = evidence;
  if (Math.abs(sw - en) < margin) return fallback;
  return sw > en ? 'sw' : 'en';
}

export interface LanguageEvidence {
  readonly sw: number;
  readonly en: number;
}

/** How many of the words mark each language. */
export function languageEvidence(tokens: readonly string[]): LanguageEvidence {
  let sw = 0;
  let en = 0;
  for (const t of tokens) {
    const mark = marks.get(t);
    if (mark === 'sw') sw++;
    else if (mark === 'en') en++;
    else if (SWAHILI_VERB.test(t)) sw++;
  }
  return { sw, en };
}
