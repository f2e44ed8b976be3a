import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CharterError, DEFAULT_CHARTER_PATH, loadCharter } from '../../../bot/charter/charter.ts';

// Where to send people for what the help desk does not do: referrals.yml
// beside the charter, edited by staff, checked at start with errors that say
// where and what.

const shipped = readFileSync(join(DEFAULT_CHARTER_PATH, '..', 'referrals.yml'), 'utf8');

/** A charter folder with the shipped charter and teams, and this referrals file (or none). */
function bundle(referrals?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'huduma-referrals-'));
  copyFileSync(DEFAULT_CHARTER_PATH, join(dir, 'charter.yml'));
  copyFileSync(join(DEFAULT_CHARTER_PATH, '..', 'teams.yml'), join(dir, 'teams.yml'));
  if (referrals !== undefined) writeFileSync(join(dir, 'referrals.yml'), referrals);
  return join(dir, 'charter.yml');
}

/** The error loading a charter folder gives, as the operator reads it. */
function problemOf(referrals: string): string {
  try {
    loadCharter(bundle(referrals));
  } catch (e) {
    expect(e).toBeInstanceOf(CharterError);
    return (e as Error).message;
  }
  throw new Error('the charter loaded');
}

describe('referrals beside the charter', () => {
  const { referrals } = loadCharter();

  it('name the place for each out-of-scope matter, as people write it (SMS spellings, both languages)', () => {
    const cases: [string, string | undefined][] = [
      ['luku ya TANESCO haiingii', 'electricity'],
      ['nmenunua umeme cjapata tokeni', 'electricity'],
      ['My LUKU tokens were rejected', 'electricity'],
      ['bili ya maji imekuja kubwa', 'water'],
      ['where do I report a burst water pipe', 'water'],
      ['kitambulisho changu cha taifa kimepotea', 'national_id'],
      ['pasipoti yangu imechelewa', 'immigration'],
      ['TIN namba ya TRA napataje', 'tax'],
      ['matokeo ya kidato cha nne', 'exams'],
      ['mkopo wangu wa HESLB haujaingia', 'student_loans'],
      ['mafao yangu ya PSSSF', 'pensions'],
      ['nimeibiwa simu, polisi ni namba gani', 'emergency'],
      ['ATM ya CRDB imemeza kadi', 'banks'],
      ['bando langu limeisha', 'mobile_networks'],
      // "airtel money" is one mention, and the token is TANESCO's: the matter is the electricity.
      ['How do I buy LUKU tokens using Airtel Money?', 'electricity'],
      // Whole words only: a phone fallen in water is no water bill, "Rita" is a name.
      ['simu yangu imeingia maji haiwaki', undefined],
      ['habari yako Rita', undefined],
      ['Simba wamecheza na nani jana', undefined],
    ];
    for (const [text, id] of cases) expect(referrals.match(text)?.id, text).toBe(id);
  });

  it('give contacts only where they are known: a phone and a website for TANESCO, neither for "your bank"', () => {
    expect(referrals.list.find((r) => r.id === 'electricity')?.contact).toMatchObject({ phone: '180', website: 'www.tanesco.co.tz' });
    const bank = referrals.list.find((r) => r.id === 'banks')?.contact;
    expect(bank?.phone).toBeUndefined();
    expect(bank?.website).toBeUndefined();
  });

  it('are none where a charter folder has no referrals.yml (the plain out-of-scope answer)', () => {
    expect(loadCharter(bundle()).referrals.list).toEqual([]);
  });

  it('stop the start with the file, the line, the topic and the problem when a topic is incomplete', () => {
    const broken = shipped.replace('      name: { sw: Huduma kwa Wateja ya TANESCO, en: TANESCO customer service }\n', '');
    expect(broken).not.toBe(shipped);
    const message = problemOf(broken);
    expect(message).toMatch(/referrals\.yml is not valid/);
    expect(message).toMatch(/line \d+, referrals\.0 \(electricity\)\.contact\.name: /);
  });

  it('stop the start on a phone number written without quotes (YAML would drop a leading 0)', () => {
    expect(problemOf(shipped.replace('phone: "112"', 'phone: 112'))).toMatch(/line \d+, referrals\.\d+ \(emergency\)\.contact\.phone: write the phone number in quotes/);
  });

  it('stop the start when a word names two topics, saying which', () => {
    const message = problemOf(shipped.replace('sw: [nida,', 'sw: [nida, tanesco,'));
    expect(message).toMatch(/referrals\.2 \(national_id\): "tanesco" is also a word of electricity; give it to one topic/);
  });

  it('stop the start on a file that is not YAML, or has no referrals list', () => {
    expect(problemOf('referrals: [\n  - id: x\n')).toMatch(/referrals\.yml is not valid/);
    expect(problemOf('topics: []\n')).toMatch(/Unrecognized key: "topics"/);
  });
});
