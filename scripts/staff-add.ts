// `npm run staff:add -- --name NAME [--role agent|admin]`: makes a staff member
// and prints their token once; only its hash is stored.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfigOrExit } from '../bot/config.ts';
import { hashSecret, newSecret } from '../bot/staff/tokens.ts';
import { openDatabase } from '../db/client.ts';
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
const config = loadConfigOrExit(process.env);
const database = openDatabase(config.DATABASE_PATH);
const token = newSecret();
const member = database.db.transaction((tx) => addStaff(tx, { name: parsed.data.name, role: parsed.data.role, tokenHash: hashSecret(token), at: new Date() }));
database.close();
process.stdout.write(`Staff member #${member.id} ${member.name} (${member.role}) added.\nToken (shown only this once; keep it safe):\n${token}\n`);
