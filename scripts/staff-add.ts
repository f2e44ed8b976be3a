// `npm run staff:add -- --name NAME [--role agent|admin]`: makes a staff member
// and prints their token once; only its hash is stored.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfigOrExit } from '../bot/config.ts';
import { systemClock } from '../bot/sla/clock.ts';
import { hashSecret, newSecret } from '../bot/secrets.ts';
import { openStore } from '../db/open.ts';
import { addStaff } from '../db/queries/staff.ts';

const args = z.object({
  name: z.string().trim().min(2, 'give a name of at least 2 characters: --name "Asha Mushi"').max(100),
  role: z.enum(['agent', 'admin']).default('agent'),
});

const { values } = parseArgs({ options: { name: { type: 'string' }, role: { type: 'string' } } });
const parsed = args.safeParse(values);
if (!parsed.success) {
  process.stderr.write(`staff:add: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n`);
  process.exit(2);
}
const { name, role } = parsed.data;
const config = loadConfigOrExit(process.env);
const store = await openStore({ url: config.DATABASE_URL, path: config.DATABASE_PATH, busyTimeoutMs: config.DATABASE_BUSY_TIMEOUT_MS, poolSize: config.DATABASE_POOL_SIZE });
const token = newSecret();
const member = await store.transaction((tx) => addStaff(tx, { name, role, tokenHash: hashSecret(token), at: systemClock.now() })).finally(() => store.close());
process.stdout.write(`Staff member #${member.id} ${member.name} (${member.role}) added.\nToken (shown only this once; keep it safe):\n${token}\n`);
