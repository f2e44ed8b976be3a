import { describe, expect, it } from 'vitest';
import { noticeAsk } from '../../../bot/announcements/asks.ts';
import { scheduleOf } from '../../../bot/announcements/schedule.ts';
import { noticeText, plannedText } from '../../../bot/announcements/words.ts';

// How people ask for planned-outage notices (phrases as data, both languages,
// SMS spellings), when a notice's hours are, and how it reads.

describe('asking for planned-outage notices, and to stop them', () => {
  it.each([
    ['nijulishe kuhusu katizo la umeme Sinza', 'subscribe', 'Sinza'],
    ['notify me of power cuts in Sinza', 'subscribe', 'Sinza'],
    ['nipe taarifa za mgao Kimara', 'subscribe', 'Kimara'],
    ['Habari, naomba nijulishe kuhusu katizo la umeme Sinza Mori', 'subscribe', 'Sinza Mori'],
    ['nijulshe katizo kwa Mori Sinza', 'subscribe', 'kwa Mori Sinza'],
    ['ntumie taarifa za katizo eneo la Mbezi Juu', 'subscribe', 'Mbezi Juu'],
    ['Tafadhali nijulishe kuhusu katizo la umeme', 'subscribe', ''],
    ['notify me of power cuts in my area please', 'subscribe', ''],
    ['acha taarifa', 'unsubscribe', ''],
    ['Sitaki taarifa tena!', 'unsubscribe', ''],
    ['stop notices', 'unsubscribe', ''],
    ['acha taarifa za Sinza tafadhali', 'unsubscribe', 'Sinza'],
    ['stop notices for Kimara', 'unsubscribe', 'Kimara'],
    ['taarifa zangu za katizo', 'list', ''],
  ])('%s', (text, kind, area) => {
    expect(noticeAsk(text)).toEqual({ kind, area });
  });

  it.each([
    'umeme umekatika Sinza tangu asubuhi',
    'umeme utakatika lini Sinza?',
    'nipe taarifa zangu',
    'acha',
    'stop',
    'nijulishe ombi langu likikamilika',
    'nijulishe kuhusu katizo la umeme Sinza kwa sababu kesho nina sherehe kubwa nyumbani kwetu',
  ])('not an ask: %s', (text) => {
    expect(noticeAsk(text)).toBeUndefined();
  });
});

describe("a notice's hours", () => {
  const TZ = 'Africa/Dar_es_Salaam';
  const now = new Date('2026-11-23T08:00:00Z'); // Monday 11:00 in Dar es Salaam

  it('is a day ahead of its start, or now when it starts sooner', () => {
    expect(scheduleOf({ day: '2026-11-25', from: '07:00', to: '17:00' }, TZ, now)).toEqual({
      status: 'ok',
      startsAt: new Date('2026-11-25T04:00:00Z'),
      endsAt: new Date('2026-11-25T14:00:00Z'),
      tellAt: new Date('2026-11-24T04:00:00Z'),
    });
    expect(scheduleOf({ day: '2026-11-23', from: '14:00', to: '16:00' }, TZ, now)).toMatchObject({ status: 'ok', tellAt: now });
    // Under way already, and not over: told at once.
    expect(scheduleOf({ day: '2026-11-23', from: '08:00', to: '16:00' }, TZ, now)).toMatchObject({ status: 'ok', tellAt: now });
  });

  it('runs past midnight into the next day when said to end then', () => {
    // Thursday 22:00 to Friday 04:00 in Dar es Salaam (UTC+3), across a month's end too.
    expect(scheduleOf({ day: '2026-11-26', from: '22:00', to: '04:00', nextDay: true }, TZ, now)).toEqual({
      status: 'ok',
      startsAt: new Date('2026-11-26T19:00:00Z'),
      endsAt: new Date('2026-11-27T01:00:00Z'),
      tellAt: new Date('2026-11-25T19:00:00Z'),
    });
    expect(scheduleOf({ day: '2026-11-30', from: '23:30', to: '00:30', nextDay: true }, TZ, now)).toMatchObject({ status: 'ok', endsAt: new Date('2026-11-30T21:30:00Z') });
    // Last night's, still under way this morning: not in the past.
    expect(scheduleOf({ day: '2026-11-22', from: '22:00', to: '12:00', nextDay: true }, TZ, now)).toMatchObject({ status: 'ok', tellAt: now });
  });

  it('refuses what is not a day, an end not after the start, the past and more than a year ahead', () => {
    expect(scheduleOf({ day: '2026-02-29', from: '07:00', to: '17:00' }, TZ, now)).toEqual({ status: 'bad_date' });
    expect(scheduleOf({ day: '2026-11-25', from: '17:00', to: '17:00' }, TZ, now)).toEqual({ status: 'bad_times' });
    expect(scheduleOf({ day: '2026-11-25', from: '24:00', to: '23:00' }, TZ, now)).toEqual({ status: 'bad_times' });
    // Past midnight only when said so ("17:00 to 07:00" is more often a slip), and then less than a day.
    expect(scheduleOf({ day: '2026-11-25', from: '17:00', to: '07:00' }, TZ, now)).toEqual({ status: 'bad_times' });
    expect(scheduleOf({ day: '2026-11-25', from: '07:00', to: '17:00', nextDay: true }, TZ, now)).toEqual({ status: 'bad_times' });
    expect(scheduleOf({ day: '2026-11-25', from: '07:00', to: '07:00', nextDay: true }, TZ, now)).toEqual({ status: 'bad_times' });
    expect(scheduleOf({ day: '2026-11-23', from: '07:00', to: '10:59' }, TZ, now)).toEqual({ status: 'in_the_past' });
    expect(scheduleOf({ day: '2026-11-22', from: '22:00', to: '10:59', nextDay: true }, TZ, now)).toEqual({ status: 'in_the_past' });
    expect(scheduleOf({ day: '2027-12-01', from: '07:00', to: '17:00' }, TZ, now)).toEqual({ status: 'too_far' });
  });
});

describe('a notice as a utility writes it', () => {
  const notice = { areaLabel: 'Kimara, Ubungo, Dar es Salaam', day: '2026-12-10', fromTime: '07:00', toTime: '17:00', reason: { sw: 'Matengenezo ya njia kuu.', en: 'Maintenance of the main line' } };

  it('in Swahili time for Swahili, on the 12-hour clock for English, with the safety line and how to stop', () => {
    const sw = noticeText('sw', 'webchat', 'before', notice);
    expect(sw).toMatch(/^⚡ TAARIFA YA KATIZO LA UMEME\n/);
    expect(sw).toContain('Siku: Alhamisi tarehe 10 Desemba 2026\nMuda: kuanzia saa moja asubuhi hadi saa kumi na moja jioni\nSababu: Matengenezo ya njia kuu.\n');
    expect(sw).toContain('Tafadhali chukulia kuwa umeme upo wakati wote; usiguse nyaya.');
    expect(sw).toMatch(/andika "acha taarifa"\.$/);
    const en = noticeText('en', 'telegram', 'before', notice);
    expect(en).toContain('Date: Thursday, 10 December 2026\nTime: from 7:00 am to 5:00 pm\nReason: Maintenance of the main line.\n');
    expect(en).toContain('treat all power lines as live');
  });

  it('by SMS without emoji, with how to stop by SMS; when it ends and when it is called off', () => {
    const sms = noticeText('sw', 'sms', 'before', notice);
    expect(sms).toMatch(
      /^TAARIFA YA KATIZO LA UMEME: Kimara, Ubungo, Dar es Salaam, Alhamisi tarehe 10 Desemba 2026, kuanzia saa moja asubuhi hadi saa kumi na moja jioni\. Sababu: Matengenezo ya njia kuu\. /,
    );
    expect(sms).toMatch(/Kuacha, tuma: ACHA TAARIFA$/);
    expect(/\p{Extended_Pictographic}/u.test(sms)).toBe(false);
    expect(noticeText('sw', 'webchat', 'ended', notice)).toMatch(/^✅ UMEME UMEREJEA\n.*Kama bado huna umeme/s);
    expect(noticeText('en', 'sms', 'cancelled', notice)).toMatch(/^INTERRUPTION CANCELLED: .* will not take place/);
    // A reporter during its hours is not told how to stop notices they never asked for.
    expect(plannedText('en', 'webchat', notice)).toMatch(/^ℹ️ Your area is in a planned power interruption.*\n⚡ PLANNED POWER INTERRUPTION\n/s);
    expect(plannedText('en', 'webchat', notice)).not.toContain('stop notices');
  });

  it('names the next day for an end past midnight', () => {
    const night = { ...notice, fromTime: '22:00', toTime: '04:00' };
    expect(noticeText('sw', 'webchat', 'before', night)).toContain('Siku: Alhamisi tarehe 10 Desemba 2026\nMuda: kuanzia saa nne usiku hadi saa kumi alfajiri siku ya Ijumaa tarehe 11 Desemba 2026\n');
    expect(noticeText('en', 'webchat', 'before', night)).toContain('Date: Thursday, 10 December 2026\nTime: from 10:00 pm to 4:00 am on Friday, 11 December 2026\n');
    expect(noticeText('en', 'sms', 'cancelled', night)).toContain('Thursday, 10 December 2026, 10:00 pm to 4:00 am on Friday, 11 December 2026, will not take place');
  });
});
