import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ICT_INTENTS as INTENT_IDS } from '../support/ict.ts';
import { createNlu } from '../../intents/nlu.ts';

const nlu = createNlu();
const now = new Date('2026-11-23T07:00:00Z');

function checkUnderstanding(text: string): void {
  const u = nlu.understand(text, now);
  expect(INTENT_IDS).toContain(u.intent);
  expect(u.confidence).toBeGreaterThanOrEqual(0);
  expect(u.confidence).toBeLessThanOrEqual(1);
  expect(['sw', 'en']).toContain(u.language);
  for (const e of u.entities) expect(text.slice(e.start, e.end)).toBe(e.text);
}

describe('anything a person can type', () => {
  it('is understood without an error, whatever the characters', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), checkUnderstanding), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), checkUnderstanding), { numRuns: 500 });
  });

  it('copes with digits, dashes and @ in every arrangement (the entity shapes)', () => {
    const piece = fc.constantFrom('ICT', 'ict', '-', ' ', '/', '2026', '0754', '123', '456', '+255', '@', '.', 'tz', 'tarehe', '5/12', 'jana', 'hrmis', 'printa');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => checkUnderstanding(parts.join(''))),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['a 10,000-character message', 'mtandao '.repeat(1250)],
    ['control characters', 'habari\u0000\u0007\u001b[31m\u202e'],
    ['emoji only', '😡😡😡🙏'],
    ['SQL-looking text', "'; DROP TABLE requests; --"],
    ['HTML-looking text', '<script>alert("x")</script> printa imeharibika'],
    ['lone surrogates', 'printa \ud800 imeharibika \udfff'],
  ])('%s', (_, text) => checkUnderstanding(text));
});
