import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Places, type PlaceMatch } from '../../../bot/places/places.ts';

// Reading an area from what a customer wrote (cases.yml): the order, spelling
// and sentence people use, slips of the thumb, names that are also everyday
// words, and one name meaning many places.

interface Found {
  text: string;
  key: string;
  matched?: string;
}
interface Ambiguous {
  text: string;
  keys: string[];
}
const cases = parse(readFileSync(new URL('./cases.yml', import.meta.url), 'utf8')) as {
  found: Found[];
  slips: Found[];
  not_slips: string[];
  ordinary_found: Found[];
  ordinary_ambiguous: Ambiguous[];
  ordinary_none: string[];
  ambiguous: Ambiguous[];
  answers: Found[];
  answers_ambiguous: Ambiguous[];
  answers_none: string[];
};

const places = Places.load();

/** What a match says, short enough to read in a failure. */
function said(m: PlaceMatch): string {
  if (m.status === 'found') return `found ${m.place.key} from "${m.matched}"`;
  if (m.status === 'ambiguous') return `ambiguous: ${m.candidates.map((c) => c.key).join(', ')}`;
  return 'none';
}

function expectFound(c: Found, answer = false): void {
  const m = places.find(c.text, { answer });
  expect(said(m)).toBe(`found ${c.key} from "${m.status === 'found' ? (c.matched ?? m.matched) : ''}"`);
}

function expectAmbiguous(c: Ambiguous, answer = false): void {
  const m = places.find(c.text, { answer });
  expect(m.status === 'ambiguous' ? m.candidates.map((p) => p.key).sort() : said(m)).toEqual([...c.keys].sort());
}

describe('an area in free text', () => {
  it.each(cases.found)('"$text" → $key', (c) => expectFound(c));

  it('gives the place whole: its key, name, kind, path and a label to show', () => {
    const m = places.find('umeme umekatika Sinza Mori tangu asubuhi');
    if (m.status !== 'found') throw new Error(said(m));
    expect(m.place).toMatchObject({ key: 'dar-es-salaam/ubungo/sinza/sinza-mori', name: 'Sinza Mori', kind: 'street', path: ['Dar es Salaam', 'Ubungo', 'Sinza', 'Sinza Mori'], zanzibar: false });
    expect(places.label(m.place)).toBe('Sinza Mori, Ubungo, Dar es Salaam');
    expect(places.byKey(m.place.key)).toBe(m.place);
  });

  it('finds nothing in an empty or placeless text', () => {
    for (const t of ['', '   ', '?!', '12345678901', 'habari', 'umeme umekatika']) expect(said(places.find(t))).toBe('none');
  });
});

describe('an answer to a form’s “where?”', () => {
  it.each(cases.answers)('"$text" → $key', (c) => expectFound(c, true));
  it.each(cases.answers_ambiguous)('"$text" is one of several', (c) => expectAmbiguous(c, true));
  it.each(cases.answers_none)('"%s" names no place we know', (text) => expect(said(places.find(text, { answer: true }))).toBe('none'));

  it('is read as free text unless said to be an answer', () => {
    expect(said(places.find('Moshi'))).toBe('none');
    expect(said(places.find('Moshi', { answer: true }))).toBe('found kilimanjaro/moshi-municipal from "Moshi"');
  });
});

describe('a slip of the thumb', () => {
  it.each(cases.slips)('"$text" → $key', (c) => expectFound(c));
  it.each(cases.not_slips)('"%s" names no place', (text) => expect(said(places.find(text))).toBe('none'));
});

describe('names that are also everyday words', () => {
  it.each(cases.ordinary_found)('"$text" → $key', (c) => expectFound(c));
  it.each(cases.ordinary_ambiguous)('"$text" is one of several', (c) => expectAmbiguous(c));
  it.each(cases.ordinary_none)('"%s" names no place', (text) => expect(said(places.find(text))).toBe('none'));
});

describe('one name, many places', () => {
  it.each(cases.ambiguous)('"$text" is one of several', (c) => expectAmbiguous(c));
});
