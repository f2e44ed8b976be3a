import type { RequestSearch } from '../../db/queries/staff-requests.ts';

const MAX_WORDS = 8;
/** What a typed phone number looks like: digits, maybe a +, spaces, dashes, dots or brackets, and at least 7 digits. */
const PHONE = /^\+?[\d\s().-]+$/;
/** A Tanzanian number's subscriber part: the last nine digits, however it was written (0713…, +255 713…, 255713…). */
const SUBSCRIBER_DIGITS = 9;

/**
 * What staff typed in the search box, as the list's query takes it: a phone
 * number is looked for by its digits (written any way); anything else word
 * by word, every word found somewhere (reference, name, phone, the details).
 */
export function searchOf(q: string, fields: readonly string[]): RequestSearch | undefined {
  const text = q.trim();
  if (text === '') return undefined;
  const digits = text.replace(/\D/g, '');
  if (PHONE.test(text) && digits.length >= 7) return { words: [text], digits: digits.slice(-SUBSCRIBER_DIGITS), fields };
  return { words: text.split(/\s+/).slice(0, MAX_WORDS), fields };
}
