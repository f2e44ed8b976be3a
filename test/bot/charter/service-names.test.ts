import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEFAULT_CHARTER_PATH, loadCharter } from '../../../bot/charter/charter.ts';
import { isServiceIntent } from '../../../intents/ids.ts';
import { LOCALES } from '../../../locales/index.ts';

// The one name of each service comes from the charter bundle (issue 15, item 6).

const charter = loadCharter();

describe('service names in the charter bundle', () => {
  it('names every line apart from every other, in both languages (lines 10 and 11 too)', () => {
    for (const locale of LOCALES) {
      const names = charter.lines.map((l) => l.name[locale]);
      expect(new Set(names).size, names.join(' | ')).toBe(names.length);
    }
    expect(charter.byNumber(10)?.name.sw).not.toBe(charter.byNumber(11)?.name.sw);
  });

  it('no longer calls line 15 "an increase of faults"', () => {
    expect(charter.byNumber(15)?.name.sw).not.toMatch(/Kuongezeka kwa kasoro/);
    expect(charter.byNumber(15)?.name.en).not.toMatch(/Escalating/);
  });

  it('names a service by its line; one with several lines told apart by its form by the bundle’s name until the line is known', () => {
    expect(charter.serviceName('network_email_fault', 'sw')).toBe(charter.byNumber(2)?.name.sw);
    expect(charter.serviceName('training', 'en')).toBe('Training requests');
    expect(charter.serviceName('training', 'en', 'general')).toBe(charter.byNumber(12)?.name.en);
    expect(charter.serviceName('equipment_repair', 'sw', 'workshop')).toBe(charter.byNumber(15)?.name.sw);
    // User support's form asks no variant and files under line 10: its name until then is line 10's.
    expect(charter.serviceName('user_support', 'sw')).toBe(charter.byNumber(10)?.name.sw);
    expect(charter.serviceName('not_a_service', 'sw')).toBeUndefined();
  });

  it('names a filed request by its line, and one whose line the bundle lost by its service', () => {
    expect(charter.requestName({ charterLine: 14, service: 'equipment_repair' }, 'en')).toBe(charter.byNumber(14)?.name.en);
    expect(charter.requestName({ charterLine: 99, service: 'training' }, 'sw')).toBe('Maombi ya mafunzo');
    expect(charter.requestName({ charterLine: 99, service: 'retired_service' }, 'sw')).toBe('retired_service');
  });

  it('says how to get each line that has no form', () => {
    for (const l of charter.lines) if (!isServiceIntent(l.intent)) expect(l.how, `line ${l.line}`).toBeDefined();
  });

  it('refuses a bundle name for a service with one line', () => {
    const copy = parse(readFileSync(DEFAULT_CHARTER_PATH, 'utf8'));
    copy.services = { ...copy.services, network_email_fault: { sw: 'Mtandao', en: 'Network' } };
    const path = join(mkdtempSync(join(tmpdir(), 'huduma-charter-')), 'charter.yml');
    writeFileSync(path, stringify(copy));
    expect(() => loadCharter(path)).toThrow(/services\.network_email_fault: a name is only for an intent with several lines/);
  });
});
