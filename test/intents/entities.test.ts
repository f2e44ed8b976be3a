import { describe, expect, it } from 'vitest';
import { extractEntities, type EntityType } from '../../intents/entities.ts';

// Sunday 22 November 2026, 10:00 in Dar es Salaam.
const now = new Date('2026-11-22T07:00:00Z');
const found = (text: string, type?: EntityType) =>
  extractEntities(text, { now })
    .filter((e) => !type || e.type === type)
    .map((e) => e.value);

describe('entities', () => {
  it.each([
    ['ombi ICT-2026-000123 limefika wapi', 'ICT-2026-000123'],
    ['status ya ict 2026 000045', 'ICT-2026-000045'],
    ['ICT2026000311 pls', 'ICT-2026-000311'],
    ['namba ni ict-2026-123', 'ICT-2026-000123'],
    ['ICT/2026/000777', 'ICT-2026-000777'],
  ])('reads a request reference however it is typed: %s', (text, value) => {
    expect(found(text, 'reference')).toEqual([value]);
  });

  it('reads references with the institution’s own prefix', () => {
    expect(extractEntities('HR 2026 000009', { now, referencePrefix: 'HR' }).map((e) => e.value)).toEqual(['HR-2026-000009']);
  });

  it.each([
    ['nipigie 0754 123 456', '+255754123456'],
    ['namba yangu ni +255 713-000-111', '+255713000111'],
    ['255622333444', '+255622333444'],
    ['call 0688123456 please', '+255688123456'],
  ])('reads Tanzanian mobile numbers: %s', (text, value) => {
    expect(found(text, 'phone')).toEqual([value]);
  });

  it.each(['0854 123 456', '075412345', '07541234567', '+254 712 345 678', 'ICT-2026-075412'])('does not take other digit runs for a phone: %s', (text) => {
    expect(found(text, 'phone')).toEqual([]);
  });

  it('reads e-mail addresses and not things that only look like them', () => {
    expect(found('tuma kwa Juma.Ally@Taasisi.go.tz leo', 'email')).toEqual(['juma.ally@taasisi.go.tz']);
    expect(found('email yangu ni juma@ haifanyi', 'email')).toEqual([]);
    expect(found('juma@taasisi', 'email')).toEqual([]);
  });

  it('reads information-system names, with case, hyphens and a typo', () => {
    expect(found('nmesahau password ya hrmis', 'system')).toEqual(['HRMIS']);
    expect(found('e-Office na GePG hazifunguki', 'system')).toEqual(['e-Office', 'GePG']);
    expect(found('eoffice iko down', 'system')).toEqual(['e-Office']);
    expect(found('lowson imekataa', 'system')).toEqual(['Lawson']);
    expect(found('mfumo wa planrep', 'system')).toEqual(['PlanRep']);
    expect(found('my house is nice', 'system')).toEqual([]);
    expect(found('the office printer and the lesson', 'system')).toEqual([]);
  });

  it('reads equipment kinds in Swahili and English', () => {
    expect(found('printa na projekta zimeharibika', 'equipment')).toEqual(['printer', 'projector']);
    expect(found('kompyuta mpakato yangu', 'equipment')).toEqual(['laptop']);
    expect(found('the scanner and the UPS', 'equipment')).toEqual(['scanner', 'ups']);
  });

  it('reads simple dates against today in Dar es Salaam', () => {
    expect(found('tangu jana', 'date')).toEqual(['2026-11-21']);
    expect(found('leo asubuhi', 'date')).toEqual(['2026-11-22']);
    expect(found('kesho', 'date')).toEqual(['2026-11-23']);
    expect(found('since yesterday', 'date')).toEqual(['2026-11-21']);
    expect(found('tarehe 5/12', 'date')).toEqual(['2026-12-05']);
    expect(found('tarehe 05-01-2027', 'date')).toEqual(['2027-01-05']);
    expect(found('tarehe 3 Desemba', 'date')).toEqual(['2026-12-03']);
    expect(found('on 14 february 2027', 'date')).toEqual(['2027-02-14']);
  });

  it('reads nothing odd from a day number at the end of a message', () => {
    expect(found('nimefika tarehe 5')).toEqual([]);
    expect(found('5')).toEqual([]);
  });

  it('does not read impossible dates', () => {
    expect(found('tarehe 31/2', 'date')).toEqual([]);
    expect(found('tarehe 12/13', 'date')).toEqual([]);
  });

  it('uses the local day, not UTC, near midnight', () => {
    const lateNight = new Date('2026-11-22T22:30:00Z'); // 01:30 on the 23rd in Dar es Salaam
    expect(extractEntities('leo', { now: lateNight }).map((e) => e.value)).toEqual(['2026-11-23']);
  });

  it('gives where each entity stands in the message', () => {
    const text = 'nmesahau password ya HRMIS, nipigie 0754123456';
    for (const e of extractEntities(text, { now })) expect(text.slice(e.start, e.end)).toBe(e.text);
  });
});
