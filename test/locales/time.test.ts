import { describe, expect, it } from 'vitest';
import { toLocal } from '../../bot/sla/zoned.ts';
import { translator } from '../../locales/index.ts';
import { formatClock, formatDeadline } from '../../locales/time.ts';

const TZ = 'Africa/Dar_es_Salaam';
const at = (iso: string) => toLocal(new Date(iso), TZ);
const sw = translator('sw');
const en = translator('en');

describe('due times in words', () => {
  it('the issue’s example, in Swahili time-keeping', () => {
    expect(formatDeadline(sw, at('2026-11-24T15:00:00+03:00'))).toBe('kabla ya saa tisa alasiri, Jumanne tarehe 24 Novemba 2026');
    expect(formatDeadline(en, at('2026-11-24T15:00:00+03:00'))).toBe('before Tuesday, 24 November 2026, 3:00 pm');
  });

  it.each([
    ['07:00', 'saa moja asubuhi', '7:00 am'],
    ['08:00', 'saa mbili asubuhi', '8:00 am'],
    ['10:30', 'saa nne na nusu asubuhi', '10:30 am'],
    ['12:00', 'saa sita mchana', '12:00 pm'],
    ['13:15', 'saa saba na robo mchana', '1:15 pm'],
    ['15:45', 'saa kumi kasoro robo alasiri', '3:45 pm'],
    ['16:00', 'saa kumi alasiri', '4:00 pm'],
    ['17:00', 'saa kumi na moja jioni', '5:00 pm'],
    ['18:00', 'saa kumi na mbili jioni', '6:00 pm'],
    ['20:10', 'saa mbili na dakika 10 usiku', '8:10 pm'],
    ['09:05', 'saa tatu na dakika 5 asubuhi', '9:05 am'],
    ['00:00', 'saa sita usiku', '12:00 am'],
    ['05:00', 'saa kumi na moja alfajiri', '5:00 am'],
  ])('%s is "%s" and "%s"', (hhmm, swahili, english) => {
    const w = at(`2026-11-24T${hhmm}:00+03:00`);
    expect(formatClock(sw, w)).toBe(swahili);
    expect(formatClock(en, w)).toBe(english);
  });
});
