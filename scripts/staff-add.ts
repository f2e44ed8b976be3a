// `npm run staff:add -- --name NAME [--role agent|supervisor|admin] [--team ID] [--locale sw|en]`:
// makes a staff member on the database the server uses (DATABASE_URL, else
// DATABASE_PATH), says which database that is, and prints their token once;
// only its hash is stored.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadCharter } from '../bot/charter/charter.ts';
import { TEAM_ID } from '../bot/charter/teams.ts';
import { loadConfigOrExit } from '../bot/config.ts';
import { hashSecret, newSecret } from '../bot/secrets.ts';
import { systemClock } from '../bot/sla/clock.ts';
import { databaseName } from '../db/describe.ts';
import { openStore } from '../db/open.ts';
import { addStaff } from '../db/queries/staff.ts';
import { STAFF_ROLES } from '../db/schema.ts';
import { LOCALES } from '../locales/index.ts';

const args = z.object({
  name: z.string().trim().min(2, 'give a name of at least 2 characters: --name "Asha Mushi"').max(100),
  role: z.enum(STAFF_ROLES, { error: `one of ${STAFF_ROLES.join(', ')}` }).default('agent'),
  team: z.string().regex(TEAM_ID, 'a team id of teams.yml, such as networks').optional(),
  locale: z.enum(LOCALES, { error: `one of ${LOCALES.join(', ')}` }).optional(),
});

const fail = (message: string): never => {
  process.stderr.write(`staff:add: ${message}\n`);
  process.exit(2);
};

const { values } = parseArgs({ options: { name: { type: 'string' }, role: { type: 'string' }, team: { type: 'string' }, locale: { type: 'string' } } });
const parsed = args.safeParse(values);
if (!parsed.success) fail(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
const member = parsed.data as z.infer<typeof args>;
const config = loadConfigOrExit(process.env);
const teams = loadCharter(config.CHARTER_DIR).teams.list.map((t) => t.id);
if (member.team !== undefined && !teams.includes(member.team))
  fail(teams.length > 0 ? `--team: no team ${member.team}; the teams are ${teams.join(', ')}` : `--team: this charter keeps no teams (teams.yml beside it)`);
const where = databaseName({ url: config.DATABASE_URL, path: config.DATABASE_PATH });
const store = await openStore({ url: config.DATABASE_URL, path: config.DATABASE_PATH, busyTimeoutMs: config.DATABASE_BUSY_TIMEOUT_MS, poolSize: 1 });
const token = newSecret();
const row = await store.transaction((tx) => addStaff(tx, { ...member, tokenHash: hashSecret(token), at: systemClock.now() })).finally(() => store.close());
const team = row.team ? `, team ${row.team}` : '';
process.stdout.write(`Staff member #${row.id} ${row.name} (${row.role}${team}, console in ${row.locale}) added to the database ${where}.\nToken (shown only this once; keep it safe):\n${token}\n`);
