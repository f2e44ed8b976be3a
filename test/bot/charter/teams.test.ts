import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CharterError, DEFAULT_CHARTER_PATH, loadCharter } from '../../../bot/charter/charter.ts';

// Teams as data beside the charter (teams.yml), checked at load against the
// charter's services; and the words a waiting clock is shown with.

const teamsPath = join(DEFAULT_CHARTER_PATH, '..', 'teams.yml');
const originalTeams = parse(readFileSync(teamsPath, 'utf8'));
const originalCharter = parse(readFileSync(DEFAULT_CHARTER_PATH, 'utf8'));

/** A charter folder with the shipped charter and a teams file changed by `change` (or none). */
function bundle(change?: (t: typeof originalTeams) => void, charter?: (c: typeof originalCharter) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'huduma-teams-'));
  const path = join(dir, 'charter.yml');
  if (charter) {
    const c = structuredClone(originalCharter);
    charter(c);
    writeFileSync(path, stringify(c));
  } else copyFileSync(DEFAULT_CHARTER_PATH, path);
  if (change) {
    const t = structuredClone(originalTeams);
    change(t);
    writeFileSync(join(dir, 'teams.yml'), stringify(t));
  }
  return path;
}

const problems = (path: string) => {
  try {
    loadCharter(path);
  } catch (e) {
    if (e instanceof CharterError) return { path: e.path, problems: e.problems };
    throw e;
  }
  throw new Error('the charter loaded');
};

describe('teams beside the charter', () => {
  it('sends every charter service to exactly one team', () => {
    const { teams } = loadCharter();
    for (const line of loadCharter().lines) expect(teams.of(line.intent), line.intent).toBeDefined();
    expect(teams.of('network_email_fault')?.id).toBe('networks');
    expect(teams.of('equipment_repair')?.name).toEqual({ sw: 'Karakana ya Vifaa vya TEHAMA', en: 'ICT Equipment Workshop' });
    expect(teams.of('complaint')?.id).toBe('head_office');
  });

  it('without a teams file, there are no teams and requests are filed without one', () => {
    expect(loadCharter(bundle()).teams.list).toEqual([]);
  });

  it('refuses a service no team serves, one two teams claim, one no line offers, and a repeated id, naming the teams file', () => {
    const found = problems(
      bundle((t) => {
        t.teams[0].services = t.teams[0].services.filter((s: string) => s !== 'training');
        t.teams[1].services.push('equipment_repair', 'greeting');
        t.teams[2].id = 'networks';
      }),
    );
    expect(found.path).toMatch(/teams\.yml$/);
    expect(found.problems).toEqual(
      expect.arrayContaining([
        'the team id networks is used twice',
        'equipment_repair is served by two teams, networks and workshop: give it to one',
        'team networks lists greeting, which no charter line offers',
        "no team serves training: add each to one team's services",
      ]),
    );
    expect(problems(bundle((t) => (t.teams[0].services = ['kahawa']))).problems.join(' ')).toContain('team help_desk lists kahawa, which no charter line offers');
  });

  it('wants words for what each waiting clock waits for', () => {
    const found = problems(bundle(undefined, (c) => delete c.events.delivered_to_workshop));
    expect(found.problems.join(' ')).toContain('line 15 waits for delivered_to_workshop: give it words under events');
    expect(loadCharter().eventName('scheduled')?.sw).toBe('Tarehe ya matengenezo kupangwa kwa ratiba ya mkataba');
  });
});
