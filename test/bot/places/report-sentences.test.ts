import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Places, type PlaceMatch } from '../../../bot/places/places.ts';

// Real report sentences (the utility bundle's training and held-out lines,
// copied into report-sentences.yml): the Swahili and English around a place
// ("umeme umekatika", "hakuna umeme tangu", "transfoma inawaka") is never
// taken for one, and the place a sentence names is the one found.

const sentences = parse(readFileSync(new URL('./report-sentences.yml', import.meta.url), 'utf8')) as {
  none: string[];
  found: { text: string; key: string }[];
  ambiguous: { text: string; keys: string[] }[];
};
const places = Places.load();

const said = (m: PlaceMatch): string => (m.status === 'found' ? m.place.key : m.status === 'ambiguous' ? `one of ${m.candidates.map((c) => c.key).join(', ')}` : 'none');

describe('report sentences of the utility bundle', () => {
  it('holds many of each: sentences naming no place, naming one, naming several', () => {
    expect(sentences.none.length).toBeGreaterThan(1000);
    expect(sentences.found.length).toBeGreaterThan(300);
    expect(sentences.ambiguous.length).toBeGreaterThan(0);
  });

  it('finds no place in a sentence that names none', () => {
    const wrong = sentences.none.map((text) => ({ text, got: said(places.find(text)) })).filter((r) => r.got !== 'none');
    expect(wrong).toEqual([]);
  });

  it('finds the place a sentence names', () => {
    const wrong = sentences.found.map(({ text, key }) => ({ text, key, got: said(places.find(text)) })).filter((r) => r.got !== r.key);
    expect(wrong).toEqual([]);
  });

  it('offers the places a sentence could mean when it names several', () => {
    const wrong = sentences.ambiguous
      .map(({ text, keys }) => ({ text, want: `one of ${[...keys].sort().join(', ')}`, m: places.find(text) }))
      .map((r) => ({
        ...r,
        got:
          r.m.status === 'ambiguous'
            ? `one of ${r.m.candidates
                .map((c) => c.key)
                .sort()
                .join(', ')}`
            : said(r.m),
      }))
      .filter((r) => r.got !== r.want)
      .map(({ text, want, got }) => ({ text, want, got }));
    expect(wrong).toEqual([]);
  });
});
