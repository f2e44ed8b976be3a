// `npm run sla:sweep -- --now <ISO-8601>`: one SLA sweep as if at that instant
// (warnings, breach notices and escalations queued through the outbox), then exit.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { calendarOf, deliversByOutbox, staffChatOf } from '../bot/assemble.ts';
import { loadCharter } from '../bot/charter/charter.ts';
import { loadConfigOrExit } from '../bot/config.ts';
import { createLogger } from '../bot/logger.ts';
import { ManualClock, systemClock } from '../bot/sla/clock.ts';
import { SlaWatch, slaPolicyOf } from '../bot/sla/watch.ts';
import { openStore } from '../db/open.ts';

const args = z.object({ now: z.iso.datetime({ offset: true }).optional() });
const { values } = parseArgs({ options: { now: { type: 'string' } } });
const parsed = args.safeParse(values);
if (!parsed.success) {
  process.stderr.write('sla:sweep: --now must be an ISO-8601 instant, e.g. 2026-11-24T14:00:00+03:00\n');
  process.exit(2);
}
const config = loadConfigOrExit(process.env);
const clock = parsed.data.now ? new ManualClock(parsed.data.now) : systemClock;
const store = await openStore({ url: config.DATABASE_URL, path: config.DATABASE_PATH, busyTimeoutMs: config.DATABASE_BUSY_TIMEOUT_MS, poolSize: config.DATABASE_POOL_SIZE });
// Built here rather than through the app: a sweep needs no channels, HTTP or intent model.
const watch = new SlaWatch({
  store,
  charter: loadCharter(config.CHARTER_DIR),
  calendar: calendarOf(config),
  clock,
  log: createLogger(config.LOG_LEVEL),
  deliversByOutbox,
  staffChat: staffChatOf(config),
  staffLocale: config.DEFAULT_LOCALE,
  policy: slaPolicyOf(config),
});
const result = await watch.sweep().finally(() => store.close());
process.stdout.write(`${JSON.stringify({ now: clock.now().toISOString(), ...result })}\n`);
