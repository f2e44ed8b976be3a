import { describe, expect, it } from 'vitest';
import { extractEntities } from '../../intents/entities.ts';
import { normalizePhone } from '../../intents/phone.ts';

// Phone numbers as Tanzanians write them, and the digit runs that must not be
// taken for one. The table is the specification: every row is read in a
// sentence, since that is where people put them.
const now = new Date('2026-11-23T07:00:00Z');
const phonesIn = (text: string) =>
  extractEntities(text, { now })
    .filter((e) => e.type === 'phone')
    .map((e) => e.value);

describe('phone numbers in a message', () => {
  it.each([
    // The issue's own: pairs, and the country code with pairs.
    ['0754 33 22 11', '+255754332211'],
    ['+255 754 33 22 11', '+255754332211'],
    // Dashes, dots, brackets, threes, none.
    ['0754-332-211', '+255754332211'],
    ['255.754.332.211', '+255754332211'],
    ['(0754) 332211', '+255754332211'],
    ['(0754) 332 211', '+255754332211'],
    ['0754 332 211', '+255754332211'],
    ['0754332211', '+255754332211'],
    ['0754.332.211', '+255754332211'],
    ['0754 - 332 - 211', '+255754332211'],
    ['07 54 33 22 11', '+255754332211'],
    ['0 754 332 211', '+255754332211'],
    // The country code every way: +255, 255, 00255, in brackets, with the trunk 0 kept.
    ['+255754332211', '+255754332211'],
    ['+255-754-332-211', '+255754332211'],
    ['+255 754332211', '+255754332211'],
    ['255754332211', '+255754332211'],
    ['255 754 332 211', '+255754332211'],
    ['00255 754 332 211', '+255754332211'],
    ['(+255) 754 332 211', '+255754332211'],
    ['+255 (754) 332-211', '+255754332211'],
    ['+255 (0) 754 332 211', '+255754332211'],
    ['+2550754332211', '+255754332211'],
    // Every mobile range: 06x and 07x.
    ['0612 345 678', '+255612345678'],
    ['0621 345 678', '+255621345678'],
    ['0655 443 322', '+255655443322'],
    ['0688 123 456', '+255688123456'],
    ['0713 000 111', '+255713000111'],
    ['0736 222 333', '+255736222333'],
    ['0767 444 555', '+255767444555'],
    ['0784 666 777', '+255784666777'],
  ])('reads %s as %s', (typed, value) => {
    for (const text of [typed, `nipigie ${typed} tafadhali`, `my number is ${typed}.`, `simu:${typed}`, `No.${typed}`, `namba yangu ni ${typed}, asante`])
      expect(phonesIn(text), text).toEqual([value]);
  });

  it('reads two numbers in one message, apart', () => {
    expect(phonesIn('0754332211 au 0655 44 33 22')).toEqual(['+255754332211', '+255655443322']);
    expect(phonesIn('0754332211 0655443322')).toEqual(['+255754332211', '+255655443322']);
    expect(phonesIn('0754 332 211 / +255 655 443 322')).toEqual(['+255754332211', '+255655443322']);
  });

  it.each([
    // References, in every way they are typed.
    'ombi ICT-2026-000001 limefika wapi',
    'ICT-2026-075433',
    'ICT 2026 0754332',
    // Dates and times.
    'tangu tarehe 07.05.2026',
    'tarehe 06/07/2026 saa 07:30',
    '2026-07-15',
    // Meter, account and asset numbers: longer digit runs, grouped or not.
    'mita namba 07543322110',
    'luku 0712 3456 7890',
    'akaunti 0150 2345 6789 00',
    'account 0754 332 211 22',
    'namba ya kifaa 07543322',
    'asset tag PRJ-0754332211',
    'serial SN0754332211',
    // Counts and amounts.
    'watu 75',
    'shilingi 754,332,211',
    'washiriki 7 au 8',
    // Not a Tanzanian mobile: landlines, other countries, wrong ranges, too short or long.
    '0854 123 456',
    '022 211 2345',
    '+254 712 345 678',
    '+1 754 332 2110',
    '075412345',
    '07541234567',
    '0754 33 22',
    '754 332 211',
  ])('does not take a phone from %s', (text) => {
    expect(phonesIn(text)).toEqual([]);
  });
});

describe('normalizePhone: one number, as a gateway or a person writes it', () => {
  it.each([
    ['+255712345678', '+255712345678'],
    ['0712 345 678', '+255712345678'],
    ['255712345678', '+255712345678'],
    ['00255712345678', '+255712345678'],
    ['+255 (712) 345-678', '+255712345678'],
    ['0712 34 56 78', '+255712345678'],
    ['+255 (0) 712 345 678', '+255712345678'],
    ['255.712.345.678', '+255712345678'],
    // A Tanzanian landline, and other countries' numbers from a gateway, kept in E.164.
    ['0222 123 456', '+255222123456'],
    ['+254712345678', '+254712345678'],
    ['0044 20 7946 0000', '+442079460000'],
  ])('%s → %s', (raw, e164) => {
    expect(normalizePhone(raw)).toBe(e164);
  });

  it.each(['hello', '12345', '+0712345678', '', '0712 345', 'ICT-2026-000001'])('%s is not a phone number', (raw) => {
    expect(normalizePhone(raw)).toBeUndefined();
  });

  it('gives what it finds in a message the same form as what a gateway posts', () => {
    for (const typed of ['0754 33 22 11', '+255 754 33 22 11', '(0754) 332211', '255.754.332.211']) expect(phonesIn(typed)).toEqual([normalizePhone(typed)]);
  });
});
