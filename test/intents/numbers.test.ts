import { describe, expect, it } from 'vitest';
import { extractEntities } from '../../intents/entities.ts';
import { parseCount } from '../../intents/numbers.ts';

// Counts as people write them: digits, Swahili words in every agreement, English words.
describe('a count in words or digits', () => {
  it.each([
    // Swahili 1-10, bare and as people are counted (watu watano).
    ['moja', 1],
    ['mmoja', 1],
    ['mbili', 2],
    ['wawili', 2],
    ['tatu', 3],
    ['watatu', 3],
    ['nne', 4],
    ['wanne', 4],
    ['tano', 5],
    ['watano', 5],
    ['sita', 6],
    ['saba', 7],
    ['nane', 8],
    ['wanane', 8],
    ['tisa', 9],
    ['kumi', 10],
    // Other agreements: vitu viwili, mambo matatu.
    ['viwili', 2],
    ['matatu', 3],
    ['vitano', 5],
    // 11-19 are built with "na".
    ['kumi na moja', 11],
    ['kumi na mmoja', 11],
    ['kumi na mbili', 12],
    ['kumi na wawili', 12],
    ['kumi na tano', 15],
    ['kumi na tisa', 19],
    // The tens.
    ['ishirini', 20],
    ['ishirini na moja', 21],
    ['ishirini na watano', 25],
    ['thelathini', 30],
    ['thelathini na nane', 38],
    ['arobaini', 40],
    ['hamsini', 50],
    ['sitini', 60],
    ['sabini', 70],
    ['themanini', 80],
    ['tisini na tisa', 99],
    // Hundreds and thousands: the multiplier after the word.
    ['mia', 100],
    ['mia moja', 100],
    ['mia mbili', 200],
    ['mia moja na tano', 105],
    ['mia moja na ishirini', 120],
    ['mia mbili na hamsini', 250],
    ['mia tatu hamsini na tano', 355],
    ['elfu moja', 1000],
    ['elfu moja mia tano', 1500],
    ['elfu mbili na ishirini', 2020],
    // SMS spellings and capitals.
    ['ishrini', 20],
    ['Hamsin', 50],
    ['KUMI NA MBILI', 12],
    // English.
    ['one', 1],
    ['five', 5],
    ['ten', 10],
    ['eleven', 11],
    ['twelve', 12],
    ['nineteen', 19],
    ['twenty', 20],
    ['twenty-five', 25],
    ['twenty five', 25],
    ['thirty', 30],
    ['forty-two', 42],
    ['ninety nine', 99],
    ['hundred', 100],
    ['a hundred', 100],
    ['one hundred', 100],
    ['one hundred and one', 101],
    ['two hundred and fifty', 250],
    ['two hundred fifty five', 255],
    ['one thousand two hundred', 1200],
    ['a dozen', 12],
    ['two dozen', 24],
    ['dazeni mbili', 24],
    // Digits.
    ['5', 5],
    ['12', 12],
    ['250', 250],
    ['9999', 9999],
    // A count inside an answer.
    ['watu watano', 5],
    ['kwa watu watano', 5],
    ['tutakuwa watano', 5],
    ['ni watu 20', 20],
    ['washiriki ni kumi na wanne', 14],
    ['watumishi wapatao thelathini', 30],
    ['wawili tu', 2],
    ['twelve people', 12],
    ['about 30 participants', 30],
    ['we will be fifteen', 15],
    ['around twenty five people', 25],
    // Another number beside a headcount: the headcount is the answer.
    ['watu 5 kutoka idara 2', 5],
    ['12 participants from 3 units', 12],
  ])('%s → %i', (text, value) => {
    expect(parseCount(text)).toBe(value);
  });

  it.each([
    '',
    'wengi',
    'sijui bado',
    'quite a few',
    'many',
    // Two numbers and no headcount: which one is meant is not clear.
    'watano au sita',
    'tano tano',
    '10-15',
    'one or two',
    // Not a count: zero, too many, a phone number.
    '0',
    'sifuri',
    '10000',
    '0754 332 211',
    // Words that only look like numbers.
    'sitaki tena',
    'mimi',
    'a',
    'na',
    'and',
  ])('%s is not a count', (text) => {
    expect(parseCount(text)).toBeUndefined();
  });
});

describe('a number of people in a message (headcount)', () => {
  const headcounts = (text: string) =>
    extractEntities(text, { now: new Date('2026-11-23T08:00:00Z') })
      .filter((e) => e.type === 'headcount')
      .map((e) => [e.value, e.text]);

  it.each([
    ['Tunaomba mafunzo ya HRMIS kwa watu watano', '5', 'watu watano'],
    ['mafunzo kwa washiriki wapatao 30', '30', 'washiriki wapatao 30'],
    ['tunahitaji mafunzo ya Excel kwa watu kumi na wawili', '12', 'watu kumi na wawili'],
    ['watumishi ishirini na watano wa idara ya fedha', '25', 'watumishi ishirini na watano'],
    ['mafunzo ya e-Office kwa wafanyakazi mia moja', '100', 'wafanyakazi mia moja'],
    ['We need training on e-Office for twelve people', '12', 'twelve people'],
    ['training for about 40 participants', '40', 'about 40 participants'],
    ['a hundred staff need it', '100', 'a hundred staff'],
    ['two dozen trainees', '24', 'two dozen trainees'],
  ])('%s', (text, value, said) => {
    expect(headcounts(text)).toEqual([[value, said]]);
  });

  it.each(['printa tano zimeharibika', 'nimesubiri siku tano', 'tarehe 5 Desemba', 'ICT-2026-000005', 'nipigie 0754 33 22 11', 'watu wengi', 'people are waiting'])(
    'finds no headcount in %s',
    (text) => {
      expect(headcounts(text)).toEqual([]);
    },
  );
});
