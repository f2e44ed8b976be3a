// The GSM 03.38 alphabet: a text written only in it travels 160 characters to
// an SMS; one character outside it turns the whole message into UCS-2, 70 a part.
const BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Characters sent as two (an escape and the character). */
const EXTENDED = '^{}\\[~]|€\f';

const basic = new Set(BASIC);
const extended = new Set(EXTENDED);

/** The length of a text in GSM-7 septets; undefined when it has a character GSM-7 cannot carry. */
export function gsm7Length(text: string): number | undefined {
  let n = 0;
  for (const ch of text) {
    if (basic.has(ch)) n += 1;
    else if (extended.has(ch)) n += 2;
    else return undefined;
  }
  return n;
}

/** Typographic characters the bot's chat texts use, and their GSM-7 look-alikes. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  '\u2014': '-', // em dash
  '\u2013': '-', // en dash
  '\u2026': '...',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u201c': '"',
  '\u201d': '"',
  '\u2018': "'",
  '\u2019': "'",
  '\u00a0': ' ',
  '\u00b7': '-',
  '\u2022': '*', // bullet (a masked phone number, "07•• ••• 111")
};

/**
 * A text with its typographic punctuation made plain, so that a dash or a
 * quotation mark written for the chat does not make an SMS cost twice as many
 * parts. Letters outside GSM-7 are kept (a name must not change); emoji are
 * dropped, as most feature phones show them as boxes.
 */
export function toGsm7(text: string): string {
  return text.replace(/[\u2014\u2013\u2026\u00ab\u00bb\u201c\u201d\u2018\u2019\u00a0\u00b7\u2022]/g, (c) => LOOK_ALIKES[c] ?? c).replace(/\p{Extended_Pictographic}\uFE0F?\s?/gu, '');
}
