import type { Logger } from 'pino';
import { openDatabase, type Db } from '../db/client.ts';
import { createNlu } from '../intents/nlu.ts';
import { loadCharter } from './charter/charter.ts';
import type { Config } from './config.ts';
import { createEngine, type Engine } from './engine/engine.ts';
import { loadFlows } from './flows/flows.ts';
import { Metrics } from './metrics.ts';
import { createServer } from './server.ts';
import { WorkingCalendar } from './sla/calendar.ts';
import type { Clock } from './sla/clock.ts';
import { DEFAULT_HOLIDAYS_PATH, HolidayCalendar, readHolidayOverrides } from './sla/holidays.ts';
import { TelegramChannel } from '../channels/telegram/telegram.ts';
import { telegramWebhookRoutes } from '../channels/telegram/webhook.ts';
import { WEBCHAT } from '../channels/webchat/routes.ts';
import { OutboxWorker } from './outbox/worker.ts';
import { GroupCommit } from './engine/group-commit.ts';

export interface App {
  readonly engine: Engine;
  readonly db: Db;
  readonly http: ReturnType<typeof createServer>;
  readonly telegram: TelegramChannel | undefined;
  /** Starts what runs beside HTTP: Telegram polling (when configured) and the outbox worker. */
  start(): Promise<void>;
  /** Stops those, finishing the sends in flight, then closes the database. */
  close(): Promise<void>;
}

/** Everything but the listening socket: config → database → understanding → charter → engine → HTTP routes. */
export function createApp(config: Config, clock: Clock, log: Logger): App {
  const database = openDatabase(config.DATABASE_PATH);
  const started = performance.now();
  const nlu = createNlu({ referencePrefix: config.REFERENCE_PREFIX, timeZone: config.TIMEZONE, defaultLanguage: config.DEFAULT_LOCALE, cacheDir: config.NLU_CACHE_DIR });
  log.info({ trained: nlu.trained, ms: Math.round(performance.now() - started) }, 'intent model ready');
  const overrides = [readHolidayOverrides(DEFAULT_HOLIDAYS_PATH), ...(config.HOLIDAYS_PATH ? [readHolidayOverrides(config.HOLIDAYS_PATH)] : [])];
  const calendar = new WorkingCalendar(config.TIMEZONE, new HolidayCalendar(overrides), config.OFFICE_HOURS);
  const metrics = new Metrics();
  const engine = createEngine({
    db: database.db,
    understand: nlu.understand,
    charter: loadCharter(config.CHARTER_PATH),
    flows: loadFlows(),
    calendar,
    clock,
    referencePrefix: config.REFERENCE_PREFIX,
    defaultLocale: config.DEFAULT_LOCALE,
    deliversByOutbox: (channel) => channel !== WEBCHAT && channel !== 'terminal',
    metrics,
  });
  const inbox = new GroupCommit({ db: database.db, engine });
  const telegram = config.TELEGRAM_BOT_TOKEN
    ? new TelegramChannel({ token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, deliver: inbox.submit, clock, log })
    : undefined;
  const webhookSecret = config.TELEGRAM_WEBHOOK_SECRET;
  const channelRoutes = telegram && webhookSecret ? [telegramWebhookRoutes(webhookSecret, (u) => telegram.handleUpdate(u))] : [];
  const http = createServer({ submit: inbox.submit, db: database.db, clock, metrics, log, defaultLocale: config.DEFAULT_LOCALE, channelRoutes });
  const worker = new OutboxWorker({ db: database.db, channels: telegram ? [telegram] : [], clock, log });
  let running = false;
  return {
    engine,
    db: database.db,
    http,
    telegram,
    async start() {
      // Webhook mode when a secret is set (contracts.md); Telegram is told the address when we know it.
      if (telegram && webhookSecret) {
        if (config.TELEGRAM_WEBHOOK_URL) await telegram.useWebhook(config.TELEGRAM_WEBHOOK_URL, webhookSecret);
      } else if (telegram) await telegram.start();
      worker.start(250);
      running = true;
    },
    async close() {
      // Inputs first, then the turns already taken, then the sends in flight.
      if (running) await telegram?.stop();
      await inbox.drain();
      if (running) await worker.stop();
      database.close();
    },
  };
}
