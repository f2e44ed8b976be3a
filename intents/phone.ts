// Phone numbers, read one way for the whole project: the numbers gateways post
// (SMS, USSD) and the numbers people type in a chat ("0754 33 22 11",
// "+255 754 33 22 11", "(0754) 332211") all end as E.164, "+255754332211".

/** Tanzania's country code: a number written the local way (0712 345 678) is read as Tanzanian. */
export const COUNTRY_CODE = '255';

/** What people put between a number's digits: spaces, dashes, dots, brackets. */
const SEPARATORS = /[\s().-]/g;

/** A Tanzanian mobile number once the separators are gone: +255 / 255 / 00255, maybe a trunk 0 after it ("+255 (0)754…"), or 0; then 6x or 7x and 7 digits. */
const TANZANIAN_MOBILE = new RegExp(`^(?:(?:\\+|00)?${COUNTRY_CODE}0?|0)([67]\\d{8})$`);

/**
 * A phone number as gateways and people write it, in E.164 ("+255712345678"),
 * so that USSD, SMS, WhatsApp and the chat forms see one number the same way;
 * undefined when it is not a phone number.
 */
export function normalizePhone(raw: string): string | undefined {
  const s = raw.trim().replace(SEPARATORS, '');
  const mobile = TANZANIAN_MOBILE.exec(s);
  if (mobile) return `+${COUNTRY_CODE}${mobile[1]}`;
  if (/^\+[1-9]\d{7,14}$/.test(s)) return s;
  if (/^00[1-9]\d{7,14}$/.test(s)) return `+${s.slice(2)}`;
  if (/^0[1-9]\d{8}$/.test(s)) return `+${COUNTRY_CODE}${s.slice(1)}`;
  if (new RegExp(`^${COUNTRY_CODE}[1-9]\\d{8}$`).test(s)) return `+${s}`;
  return undefined;
}

/** Between two digits of a number: nothing, or a space, a dash or a dot (with spaces around), or a bracket. */
const GAP = String.raw`\)?[ \u00a0]?[.\-]?[ \u00a0]?\(?`;

/**
 * Tanzanian mobile numbers in a message, grouped any way: "0754 33 22 11",
 * "+255 754-332-211", "255.754.332.211", "(0754) 332211". A number must stand
 * alone: not glued to letters or other digits ("ICT-2026-075412",
 * "PRJ-0754332211", a meter number "0712 3456 7890", "0754 332 211 22"), so
 * that references, codes, dates and account numbers are not read as phones
 * ("No.0754332211" is still one). Each match goes through normalizePhone.
 */
export const PHONE_PATTERN = new RegExp(
  String.raw`(?<![\p{L}\p{N}+])(?<![\p{L}\p{N}][\-/_])(?<!\p{N}\.)\(?(?:(?:\+[ \u00a0]?|00)?${COUNTRY_CODE}${GAP}(?:0${GAP})?|0${GAP})[67](?:${GAP}\d){8}(?![.\-]?\p{N})(?![ \u00a0]\p{N}{1,4}(?!\p{N}))`,
  'gu',
);
