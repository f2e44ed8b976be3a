import { describe, expect, it } from 'vitest';
import { normalize } from '../../intents/normalize.ts';

describe('normalize', () => {
  it.each([
    ['Habari ZA Asubuhi!!!', 'habari za asubuhi'],
    ['Café — ÉMAIL?', 'cafe email'],
    ['asante sanaaaa 🙏🙏', 'asante sana'],
    ['pleeeease help 😭', 'please help'],
    ['ng’ombe', 'ngombe'],
  ])('folds case, accents, punctuation, emoji and repeated letters: %s', (input, expected) => {
    expect(normalize(input)).toBe(expected);
  });

  it.each([
    ['cjui', 'sijui'],
    ['nmeshndwa kuingia kwnye email', 'nimeshindwa kuingia kwenye email'],
    ['pls nsaidie', 'tafadhali nisaidie'],
    ['tafadhar', 'tafadhali'],
    ['mtndao uko chini', 'mtandao uko chini'],
    ['xaxa ngp?', 'sasa ngapi'],
    ['2meshindwa', 'tumeshindwa'],
    ['nmesahau pasword', 'nimesahau password'],
  ])('makes SMS and chat spellings standard: %s', (input, expected) => {
    expect(normalize(input)).toBe(expected);
  });

  it('replaces data with placeholders so digits are not learnt as words', () => {
    expect(normalize('ombi ICT-2026-000123 na ict 2026 45')).toBe('ombi <ref> na <ref>');
    expect(normalize('nipigie 0754 123 456 au +255 713 000 111')).toBe('nipigie <phone> au <phone>');
    expect(normalize('tuma kwa Juma.Ally@taasisi.go.tz')).toBe('tuma kwa <email>');
    expect(normalize('tarehe 5/12 saa 3')).toBe('tarehe <date> saa <num>');
  });

  it('keeps a custom reference prefix apart from the default', () => {
    expect(normalize('HR-2026-000001', { referencePrefix: 'HR' })).toBe('<ref>');
    expect(normalize('HR-2026-000001')).not.toContain('<ref>');
  });
});
