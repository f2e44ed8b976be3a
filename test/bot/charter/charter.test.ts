import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CharterError, DEFAULT_CHARTER_PATH, loadCharter } from '../../../bot/charter/charter.ts';
import { ICT_SERVICES } from '../../support/ict.ts';

const original = parse(readFileSync(DEFAULT_CHARTER_PATH, 'utf8'));
function variant(change: (c: typeof original) => void): string {
  const copy = structuredClone(original);
  change(copy);
  const path = join(mkdtempSync(join(tmpdir(), 'huduma-charter-')), 'charter.yml');
  writeFileSync(path, stringify(copy));
  return path;
}

describe('the ICT service charter as data', () => {
  const charter = loadCharter();

  it('holds all 16 lines of the charter, free of charge, and the institution’s own line for complaints', () => {
    expect(charter.lines.map((l) => l.line)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(charter.data.cost).toEqual({ sw: 'Bure', en: 'Free of charge' });
    expect(charter.line('complaint')).toMatchObject({ line: 17, sla: { kind: 'working_days', days: 2 }, promise: { en: 'Within 2 working days' } });
  });

  it('says what happens next where a line’s clock waits for a schedule or an event', () => {
    expect(charter.line('equipment_repair', 'workshop')?.next?.sw).toMatch(/peleka kifaa karakana ya TEHAMA \(jengo la TEHAMA, ghorofa ya chini\)/);
    expect(charter.line('equipment_repair', 'workshop')?.next?.en).toMatch(/bring the equipment to the ICT workshop/);
    expect(charter.line('equipment_maintenance')?.next?.en).toMatch(/set the servicing date/);
    for (const l of charter.lines) if (l.sla.kind === 'schedule' || l.sla.kind === 'after_event') expect(l.next, `line ${l.line}`).toBeDefined();
  });

  it('refuses a charter without a line for complaints', () => {
    expect(() => loadCharter(variant((c) => (c.lines = c.lines.filter((l: { intent: string }) => l.intent !== 'complaint'))))).toThrow(/no line for complaints/);
  });

  it('serves every service intent, with the charter’s times', () => {
    for (const intent of ICT_SERVICES) expect(charter.linesFor(intent).length, intent).toBeGreaterThan(0);
    expect(charter.line('network_email_fault')?.sla).toEqual({ kind: 'working_days', days: 1 });
    expect(charter.line('security_incident')?.sla).toEqual({ kind: 'working_days', days: 2 });
    expect(charter.line('website_development')?.sla).toEqual({ kind: 'calendar', unit: 'months', amount: 1 });
    expect(charter.line('equipment_maintenance')?.sla).toEqual({ kind: 'schedule' });
    expect(charter.line('project_implementation')?.sla).toEqual({ kind: 'calendar', unit: 'years', amount: 1 });
    expect(charter.line('human_handoff')?.sla).toEqual({ kind: 'seconds', seconds: 20 });
  });

  it('tells apart the two lines of training and of equipment repair', () => {
    expect(charter.line('training', 'mis')?.sla).toEqual({ kind: 'calendar', unit: 'weeks', amount: 2 });
    expect(charter.line('training', 'general')?.sla).toEqual({ kind: 'working_days', days: 4 });
    expect(charter.line('equipment_repair', 'contract')?.sla).toEqual({ kind: 'calendar', unit: 'weeks', amount: 2 });
    expect(charter.line('equipment_repair', 'workshop')?.sla).toEqual({ kind: 'after_event', event: 'delivered_to_workshop', unit: 'weeks', amount: 6 });
  });

  it('has every name and promise in Swahili and English', () => {
    for (const l of charter.lines) {
      expect(l.name.sw && l.name.en && l.promise.sw && l.promise.en, `line ${l.line}`).toBeTruthy();
      expect(l.requirements.sw.length).toBe(l.requirements.en.length);
    }
  });

  it('loads another institution’s charter without code changes', () => {
    const path = variant((c) => {
      c.institution = { sw: 'Idara ya TEHAMA, Halmashauri', en: 'District ICT Office' };
      c.lines[1].sla = { kind: 'working_days', days: 3 };
    });
    const other = loadCharter(path);
    expect(other.data.institution.en).toBe('District ICT Office');
    expect(other.line('network_email_fault')?.sla).toEqual({ kind: 'working_days', days: 3 });
  });

  it('refuses an unknown SLA kind and two lines for one intent without variants', () => {
    expect(() => loadCharter(variant((c) => (c.lines[1].sla = { kind: 'fortnights', amount: 1 })))).toThrow(CharterError);
    expect(() => loadCharter(variant((c) => delete c.lines[14].variant))).toThrow(/two lines for equipment_repair/);
  });
});
