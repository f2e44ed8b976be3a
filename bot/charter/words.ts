import { join } from 'node:path';
import { LOCALES, readWordsFile, type BundleWords, type Locale } from '../../locales/index.ts';
import { CONVERSATION_INTENTS } from '../../intents/ids.ts';
import type { Flows } from '../flows/flows.ts';
import type { Charter } from './charter.ts';

// A bundle's own words (words.sw.yml, words.en.yml beside its charter), laid
// over the sentences every desk shares (locales/). A bundle names its
// services, its forms' details and choices, and every sentence that names the
// desk itself ("afisa wa TEHAMA", "the ICT help desk").

/** The sentences that name the desk: every bundle words them in both languages. */
export const DESK_KEYS = [
  'chat.report_prompt',
  'chat.out_of_scope',
  'chat.handoff_recorded',
  'chat.cost',
  'chat.handoff_started',
  'chat.complaint_filed',
  'chat.complaint_filed_on',
  'webchat.title',
  'webchat.intro',
  'staff.reply',
  'console_staff.title',
  'console_staff.errors.reference',
  'ussd.root',
  'link.code_message',
  'referral.reply',
  'referral.more',
  'steer.officer',
  // The list of services: whether they cost anything is the desk's to say.
  'service_list.intro',
  // The answers to a yes/no question (a choice the engine also offers for proof, complaints, cancelling).
  'choice.yes',
  'choice.no',
] as const;

export type WordsRead = { readonly status: 'read'; readonly words: BundleWords } | { readonly status: 'invalid'; readonly problems: readonly string[] };

/** words.<locale>.yml of a bundle folder, both languages. */
export function readBundleWords(dir: string): WordsRead {
  const problems: string[] = [];
  const read = (l: Locale): ReadonlyMap<string, string> => {
    try {
      return readWordsFile(join(dir, `words.${l}.yml`));
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
      return new Map();
    }
  };
  const words = { sw: read('sw'), en: read('en') };
  return problems.length > 0 ? { status: 'invalid', problems } : { status: 'read', words };
}

/** The keys a bundle's words must hold for its charter and forms. */
export function neededKeys(charter: Charter, flows: Flows): string[] {
  const intents = new Set<string>([...CONVERSATION_INTENTS, ...charter.services, ...charter.lines.map((l) => l.intent)]);
  const fields = new Set(flows.intents.flatMap((i) => flows.fieldsOf(i)));
  const options = [...fields].flatMap((f) => {
    const spec = flows.fields[f];
    return spec?.kind === 'choice' ? Object.keys(spec.options) : [];
  });
  return [...DESK_KEYS, ...[...intents].map((i) => `intent.${i}`), ...[...fields].flatMap((f) => [`field.${f}.label`, `field.${f}.ask`]), ...options.map((o) => `choice.${o}`)];
}

/** Every key missing from a language, and every key one language has that the other lacks. */
export function wordProblems(words: BundleWords, needed: readonly string[]): string[] {
  const problems: string[] = [];
  for (const l of LOCALES) {
    const missing = needed.filter((k) => !words[l].has(k));
    if (missing.length > 0) problems.push(`words.${l}.yml has no ${missing.join(', ')}`);
  }
  const [sw, en] = [words.sw, words.en];
  const onlySw = [...sw.keys()].filter((k) => !en.has(k));
  const onlyEn = [...en.keys()].filter((k) => !sw.has(k));
  if (onlySw.length > 0) problems.push(`words.en.yml lacks what words.sw.yml says: ${onlySw.join(', ')}`);
  if (onlyEn.length > 0) problems.push(`words.sw.yml lacks what words.en.yml says: ${onlyEn.join(', ')}`);
  return problems;
}
