// `npm run sla:sweep -- --now <ISO-8601>`: one SLA sweep as if at that instant
// (warnings, breach notices and escalations queued through the outbox), then exit.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { calendarOf, slaWatchOf, staffChatOf } from '../bot/app.ts';
import { loadCharter } from '../bot/charter/charter.ts';
import { loadConfigOrExit } from '../bot/config.ts';
import { createLogger } from '../bot/logger.ts';
import { ManualClock, systemClock } from '../bot/sla/clock.ts';
import { openDatabase } from '../db/client.ts';

const args = z.object({ now: z.iso.datetime({ offset: true }).optional() });
const { values } = parseArgs({ options: { now: { type: 'string' } } });
const parsed = args.safeParse(values);
if (!parsed.success) {
  process.stderr.write('sla:sweep: --now must be an ISO-8601 instant, e.g. 2026-11-24T14:00:00+03:00\n');
  process.exit(2);
}
const config = loadConfigOrExit(process.env);
const clock = parsed.data.now ? new ManualClock(parsed.data.now) : systemClock;
const database = openDatabase(config.DATABASE_PATH);
const watch = slaWatchOf(config, {
  db: database.db,
  charter: loadCharter(config.CHARTER_PATH),
  calendar: calendarOf(config),
  clock,
  log: createLogger(config.LOG_LEVEL),
  deliversByOutbox: (channel) => channel !== 'webchat' && channel !== 'terminal',
  staffChat: staffChatOf(config),
});
const result = watch.sweep();
database.close();
process.stdout.write(`${JSON.stringify({ now: clock.now().toISOString(), ...result })}\n`);
