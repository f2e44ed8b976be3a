import { readYamlFile } from './yaml-file.ts';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { INTENT_ID_PATTERN, type IntentId } from '../../intents/ids.ts';

// Who does the work: the institution's teams and the services each handles,
// as data beside the charter (teams.yml in the charter's folder). A new
// request goes to its service's team; officers belong to one (staff.team).

export const TEAM_ID = /^[a-z][a-z0-9_]{1,39}$/;

const team = z
  .object({
    id: z.string().regex(TEAM_ID, 'a team id is 2–40 of a-z, 0-9 and _, starting with a letter'),
    name: z.object({ sw: z.string().min(1), en: z.string().min(1) }).strict(),
    services: z.array(z.string().regex(INTENT_ID_PATTERN, 'an intent id of the charter')).min(1),
  })
  .strict();
export type Team = z.infer<typeof team>;

const file = z.object({ teams: z.array(team).min(1) }).strict();

/** The teams, and which one a service goes to. */
export class Teams {
  private readonly byService = new Map<string, Team>();

  constructor(readonly list: readonly Team[]) {
    for (const t of list) for (const s of t.services) this.byService.set(s, t);
  }

  /** The team a new request of `service` goes to; none when the institution keeps no teams. */
  of(service: string): Team | undefined {
    return this.byService.get(service);
  }

  byId(id: string | null | undefined): Team | undefined {
    return id ? this.list.find((t) => t.id === id) : undefined;
  }
}

export const NO_TEAMS = new Teams([]);

/**
 * What is wrong with a teams file against its charter's services: ids that
 * repeat, a service two teams claim, a charter service no team serves, a
 * service no charter line offers. Empty when it can be used.
 */
export function teamProblems(teams: readonly Team[], charterIntents: ReadonlySet<IntentId>): string[] {
  const problems: string[] = [];
  const ids = teams.map((t) => t.id);
  for (const id of new Set(ids)) if (ids.filter((i) => i === id).length > 1) problems.push(`the team id ${id} is used twice`);
  const owner = new Map<string, string>();
  for (const t of teams)
    for (const s of t.services) {
      const other = owner.get(s);
      if (other !== undefined && other !== t.id) problems.push(`${s} is served by two teams, ${other} and ${t.id}: give it to one`);
      else if (!charterIntents.has(s)) problems.push(`team ${t.id} lists ${s}, which no charter line offers`);
      owner.set(s, t.id);
    }
  const unserved = [...charterIntents].filter((s) => !owner.has(s));
  if (unserved.length > 0) problems.push(`no team serves ${unserved.join(', ')}: add each to one team's services`);
  return problems;
}

export type TeamsLoad = { readonly status: 'loaded'; readonly teams: Teams } | { readonly status: 'invalid'; readonly path: string; readonly problems: readonly string[] };

/** teams.yml beside the charter file: none there means no teams (requests are filed without one). */
export function loadTeamsBeside(charterPath: string, charterIntents: ReadonlySet<IntentId>): TeamsLoad {
  const path = join(dirname(charterPath), 'teams.yml');
  if (!existsSync(path)) return { status: 'loaded', teams: NO_TEAMS };
  const parsed = readYamlFile(path, file);
  if (parsed.status === 'invalid') return parsed;
  const problems = teamProblems(parsed.data.teams, charterIntents);
  return problems.length > 0 ? { status: 'invalid', path, problems } : { status: 'loaded', teams: new Teams(parsed.data.teams) };
}
