import { describe, expect, it } from 'vitest';
import { ICT_INTENTS as INTENT_IDS } from '../support/ict.ts';
import { readLocale, translator, wordsInUse } from '../../locales/index.ts';

describe('locales', () => {
  const sw = readLocale('sw');
  const en = readLocale('en');

  it('Swahili and English have the same keys', () => {
    expect([...sw.keys()].sort()).toEqual([...en.keys()].sort());
  });

  // Swahili says "saa kumi kasoro robo" (a quarter to the NEXT hour) and "dakika 5"; English "3:45 pm", "8:05 pm".
  const COUNTED_DIFFERENTLY = new Set(['time.clock.quarter_to', 'time.clock.minutes']);

  it('each sentence has the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of sw) if (!COUNTED_DIFFERENTLY.has(key)) expect(names(text), key).toEqual(names(en.get(key) ?? ''));
  });

  it('every intent of the ICT bundle in use has a name for people in both languages', () => {
    for (const id of INTENT_IDS) {
      expect(wordsInUse('sw').has(`intent.${id}`), id).toBe(true);
      expect(wordsInUse('en').has(`intent.${id}`), id).toBe(true);
    }
  });

  it('fills placeholders and refuses unknown keys', () => {
    expect(translator('sw')('status.not_found', { reference: 'ICT-2026-000001' })).toBe(
      'Samahani, hakuna ombi lenye namba ICT-2026-000001 katika kumbukumbu zetu. Tafadhali hakiki namba hiyo kama ilivyo kwenye ujumbe uliopokea ulipowasilisha ombi, kisha uiandike tena.',
    );
    expect(() => translator('en')('no.such.key')).toThrow(/locales\/en.yml has no "no.such.key"/);
  });
});
