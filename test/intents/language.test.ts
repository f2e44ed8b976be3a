import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../intents/language.ts';
import { normalizeTokens } from '../../intents/normalize.ts';

const lang = (text: string, fallback: 'sw' | 'en' = 'sw') => detectLanguage(normalizeTokens(text), fallback);

describe('language of a message', () => {
  it.each(['barua pepe yangu haifanyi kazi tangu jana', 'nmeshndwa kuingia kwnye email', 'network iko down tangu asubuhi', 'habari', 'tafadhali nisaidie', 'printa imeharibika'])(
    'Swahili, also in SMS spelling and code-switched: %s',
    (text) => {
      expect(lang(text, 'en')).toBe('sw');
    },
  );

  it.each(['my email is not working since yesterday', 'hello, I need help', 'where is my request?', 'the printer is broken', 'thanks'])('English: %s', (text) => {
    expect(lang(text)).toBe('en');
  });

  it('keeps the default when the words say nothing', () => {
    expect(lang('ICT-2026-000123', 'sw')).toBe('sw');
    expect(lang('ICT-2026-000123', 'en')).toBe('en');
    expect(lang('👍', 'en')).toBe('en');
  });
});
