// `npm run staff:link-telegram -- --staff ID --telegram-user USERID` (or `--unlink`): links a
// Telegram staff-group member to their staff row, so what they do in the group
// (answers, /maliza) is theirs in the audit trail. Uses the database the server
// uses (DATABASE_URL, else DATABASE_PATH) and says which.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfigOrExit } from '../bot/config.ts';
import { linkTelegramIn } from '../bot/staff/staff-admin.ts';
import { databaseName } from '../db/describe.ts';
import { openStore } from '../db/open.ts';

const args = z
  .object({
    staff: z.coerce.number({ error: 'the staff id: --staff 3' }).int().positive('the staff id: --staff 3'),
    'telegram-user': z
      .string()
      .regex(/^\d{1,20}$/, "the member's Telegram user id (digits; the bot logs it, or ask @userinfobot)")
      .optional(),
    unlink: z.boolean().optional(),
  })
  .refine((a) => (a['telegram-user'] !== undefined) !== (a.unlink === true), { message: 'give --telegram-user USERID, or --unlink' });

const fail = (message: string, code = 2): never => {
  process.stderr.write(`staff:link-telegram: ${message}\n`);
  process.exit(code);
};

const { values } = parseArgs({ options: { staff: { type: 'string' }, 'telegram-user': { type: 'string' }, unlink: { type: 'boolean' } } });
const parsed = args.safeParse(values);
if (!parsed.success) fail(parsed.error.issues.map((i) => (i.path.length > 0 ? `--${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
const a = parsed.data as z.infer<typeof args>;
const config = loadConfigOrExit(process.env);
const where = databaseName({ url: config.DATABASE_URL, path: config.DATABASE_PATH });
const store = await openStore({ url: config.DATABASE_URL, path: config.DATABASE_PATH, busyTimeoutMs: config.DATABASE_BUSY_TIMEOUT_MS, poolSize: 1 });
const userId = a['telegram-user'] ?? null;
const done = await store.transaction((tx) => linkTelegramIn(tx, a.staff, userId)).finally(() => store.close());
if (done.status === 'not_found') fail(`no staff member #${a.staff} in the database ${where}`, 1);
if (done.status === 'telegram_taken') fail(`Telegram user ${userId} is already linked to #${done.by.id} ${done.by.name}; unlink them first`, 1);
if (done.status !== 'changed') fail(`not linked (${done.status})`, 1);
if (done.status === 'changed')
  process.stdout.write(
    userId === null
      ? `Staff member #${done.staff.id} ${done.staff.name} is no longer linked to a Telegram user (database ${where}).\n`
      : `Staff member #${done.staff.id} ${done.staff.name} is linked to Telegram user ${userId} (database ${where}); the staff group's audit trail now names them.\n`,
  );
