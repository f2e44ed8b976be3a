import type { Logger } from 'pino';
import { canWrite, openDatabase, type Db } from '../db/client.ts';
import { loadCharter, type Charter } from './charter/charter.ts';
import type { Config } from './config.ts';
import type { Engine } from './engine/engine.ts';
import { loadFlows } from './flows/flows.ts';
import { Metrics } from './metrics.ts';
import { createServer } from './server.ts';
import type { WorkingCalendar } from './sla/calendar.ts';
import type { Clock } from './sla/clock.ts';
import { assembleEngine, calendarOf, deliversByOutbox, nluOf, staffChatOf } from './assemble.ts';
import { EngineThread } from './engine/thread/engine-thread.ts';
import { TelegramChannel } from '../channels/telegram/telegram.ts';
import { telegramWebhookRoutes } from '../channels/telegram/webhook.ts';
import { OutboxWorker } from './outbox/worker.ts';
import { Interval } from './interval.ts';
import { SlaWatch, type SlaWatchOptions } from './sla/watch.ts';
import { pickupSweep } from './staff/pickup.ts';
import { StaffDesk } from './staff/desk.ts';
import { staffApiRoutes } from '../channels/staff/api.ts';
import { staffConsoleRoutes } from '../channels/staff/console/routes.ts';
import type { WhatsAppChannel } from '../channels/whatsapp/whatsapp.ts';
import { WhatsAppCloudChannel } from '../channels/whatsapp-cloud/cloud.ts';
import { OutboxDeliveryLog } from '../channels/whatsapp-cloud/delivery.ts';
import { chatLookupsOf, missingWhatsAppCloudSettings, whatsAppCloudSettingsOf } from '../channels/whatsapp-cloud/settings.ts';
import { whatsappCloudWebhookRoutes } from '../channels/whatsapp-cloud/webhook.ts';
import { SmsChannel } from '../channels/sms/sms.ts';
import { smsRoutes } from '../channels/sms/routes.ts';
import { ussdRoutes } from '../channels/ussd/routes.ts';
import { GroupCommit } from './engine/group-commit.ts';

export interface App {
  readonly engine: Engine;
  readonly db: Db;
  readonly charter: Charter;
  readonly calendar: WorkingCalendar;
  readonly http: ReturnType<typeof createServer>;
  readonly telegram: TelegramChannel | undefined;
  /** Loaded by start() when WHATSAPP_ENABLED (Baileys is large: it is not imported otherwise). */
  readonly whatsapp: WhatsAppChannel | undefined;
  readonly whatsappCloud: WhatsAppCloudChannel | undefined;
  /** The SLA watch; `start()` runs it on SLA_SWEEP_INTERVAL_MS. */
  readonly sla: SlaWatch;
  /** What staff see and do (the API, the console and the staff group use it). */
  readonly desk: StaffDesk;
  /** Whether the database takes writes now. */
  canWrite(): boolean;
  /** One check for hand-offs nobody took in time; `start()` runs it every 2 s. */
  pickupCheck(): number;
  /** Starts what runs beside HTTP: Telegram polling (when configured) and the outbox worker. */
  start(): Promise<void>;
  /** Stops those, finishing the sends in flight, then closes the database. */
  close(): Promise<void>;
}

export { calendarOf, staffChatOf } from './assemble.ts';

export function slaWatchOf(config: Config, deps: Omit<SlaWatchOptions, 'policy' | 'staffLocale'>): SlaWatch {
  return new SlaWatch({ ...deps, staffLocale: config.DEFAULT_LOCALE, policy: { warnAt: config.SLA_WARN_AT, escalateAt: config.SLA_ESCALATE_AT } });
}

export interface AppOptions {
  /**
   * Runs the conversation engine on a thread of its own, reading its settings
   * from this environment as the config was read (npm start does, when
   * ENGINE_THREAD is on). Without it the engine runs on the calling thread.
   */
  readonly engineThreadEnv?: Readonly<Record<string, string | undefined>>;
}

/** Everything but the listening socket: config → database → understanding → charter → engine → HTTP routes. */
export function createApp(config: Config, clock: Clock, log: Logger, options: AppOptions = {}): App {
  const database = openDatabase(config.DATABASE_PATH, { busyTimeoutMs: config.DATABASE_BUSY_TIMEOUT_MS });
  const calendar = calendarOf(config);
  const charter = loadCharter(config.CHARTER_PATH);
  const staffChat = staffChatOf(config);
  const flows = loadFlows();
  const metrics = new Metrics();
  const { nlu, ms } = nluOf(config);
  log.info({ trained: nlu.trained, ms }, 'intent model ready');
  // With an engine thread, this thread understands the messages and that thread takes the turns on its own connection;
  // an engine here is made only if asked for (tests, the terminal chat).
  let local: Engine | undefined;
  const localEngine = (): Engine => (local ??= assembleEngine(config, { db: database.db, clock, metrics, charter, calendar, flows, understand: nlu.understand }));
  const inbox = options.engineThreadEnv
    ? new EngineThread({ env: options.engineThreadEnv, clock, log, metrics, understand: nlu.understand })
    : new GroupCommit({ db: database.db, engine: localEngine() });
  const sla = slaWatchOf(config, { db: database.db, charter, calendar, clock, log, deliversByOutbox, staffChat });
  const pickup = new Interval(() => pickupSweep(database.db, clock.now(), deliversByOutbox), log, 'hand-off pick-up check');
  const desk = new StaffDesk({ db: database.db, charter, calendar, clock, deliversByOutbox, staffChat, staffLocale: config.DEFAULT_LOCALE });
  const telegram = config.TELEGRAM_BOT_TOKEN
    ? new TelegramChannel({ token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, deliver: inbox.submit, clock, log, staff: staffChat ? { chatId: staffChat.chatId, desk } : undefined })
    : undefined;
  let whatsapp: WhatsAppChannel | undefined;
  const loadWhatsApp = async (): Promise<WhatsAppChannel | undefined> => {
    if (!config.WHATSAPP_ENABLED) return undefined;
    const { WhatsAppChannel } = await import('../channels/whatsapp/whatsapp.ts');
    return new WhatsAppChannel({ db: database.db, deliver: inbox.submit, clock, log, messagesPerMinute: config.WHATSAPP_MESSAGES_PER_MINUTE, pairingNumber: config.WHATSAPP_PAIRING_NUMBER, defaultLocale: config.DEFAULT_LOCALE });
  };
  const webhookSecret = config.TELEGRAM_WEBHOOK_SECRET;
  const cloud = whatsAppCloudSettingsOf(config);
  const cloudMissing = missingWhatsAppCloudSettings(config);
  if (cloudMissing.length > 0) log.warn({ missing: cloudMissing }, 'WhatsApp Cloud API is off: some of its settings are missing');
  const whatsappCloud = cloud
    ? new WhatsAppCloudChannel({ ...cloud, deliver: inbox.submit, clock, log, defaultLocale: config.DEFAULT_LOCALE, deliveries: new OutboxDeliveryLog(database.db, clock), ...chatLookupsOf(database.db) })
    : undefined;
  const sms = config.SMS_USERNAME && config.SMS_API_KEY
    ? new SmsChannel({ apiRoot: config.SMS_API_ROOT, username: config.SMS_USERNAME, apiKey: config.SMS_API_KEY, senderId: config.SMS_SENDER_ID, db: database.db, defaultLocale: config.DEFAULT_LOCALE })
    : undefined;
  if (config.USSD_ENABLED && !sms) log.warn('USSD is on but SMS is not (SMS_USERNAME, SMS_API_KEY): references and notices for USSD users will wait in the outbox');
  const channelRoutes = [
    ...(sms ? [smsRoutes({ deliver: inbox.submit, db: database.db, clock, defaultLocale: config.DEFAULT_LOCALE, callbackSecret: config.SMS_CALLBACK_SECRET })] : []),
    ...(config.USSD_ENABLED ? [ussdRoutes({ db: database.db, charter, flows, calendar, clock, referencePrefix: config.REFERENCE_PREFIX, defaultLocale: config.DEFAULT_LOCALE, callbackSecret: config.SMS_CALLBACK_SECRET })] : []),
    ...(telegram && webhookSecret ? [telegramWebhookRoutes(webhookSecret, (u) => telegram.handleUpdate(u))] : []),
    ...(whatsappCloud && cloud ? [whatsappCloudWebhookRoutes({ verifyToken: cloud.verifyToken, appSecret: cloud.appSecret, handle: (p) => whatsappCloud.handleWebhook(p) })] : []),
  ];
  const http = createServer({ submit: inbox.submit, canWrite: () => canWrite(database.sqlite), db: database.db, clock, metrics, log, defaultLocale: config.DEFAULT_LOCALE, channelRoutes: [...channelRoutes, staffApiRoutes(desk), staffConsoleRoutes(desk, { locale: config.DEFAULT_LOCALE, timeZone: config.TIMEZONE, clock })] });
  let worker: OutboxWorker | undefined;
  // Beside the engine thread, the outbox is sent from a connection that never sleeps on its lock (db/busy.ts).
  const outboxDb = inbox instanceof EngineThread ? openDatabase(config.DATABASE_PATH, { busyTimeoutMs: 0 }) : database;
  let running = false;
  return {
    get engine() {
      return localEngine();
    },
    db: database.db,
    charter,
    calendar,
    http,
    telegram,
    get whatsapp() {
      return whatsapp;
    },
    whatsappCloud,
    sla,
    desk,
    canWrite: () => canWrite(database.sqlite),
    pickupCheck: () => pickupSweep(database.db, clock.now(), deliversByOutbox),
    async start() {
      if (inbox instanceof EngineThread) await inbox.ready();
      whatsapp = await loadWhatsApp();
      worker = new OutboxWorker({ db: outboxDb.db, channels: [telegram, whatsapp, whatsappCloud, sms].filter((c) => c !== undefined), clock, log });
      // Webhook mode when a secret is set (contracts.md); Telegram is told the address when we know it.
      if (telegram && webhookSecret) {
        if (config.TELEGRAM_WEBHOOK_URL) await telegram.useWebhook(config.TELEGRAM_WEBHOOK_URL, webhookSecret);
      } else if (telegram) await telegram.start();
      await whatsapp?.start();
      worker.start(250);
      sla.start(config.SLA_SWEEP_INTERVAL_MS);
      pickup.start(2_000);
      running = true;
    },
    async close() {
      // Inputs first, then the turns already taken, then the sends in flight.
      if (running) await Promise.all([telegram?.stop(), whatsapp?.stop()]);
      await (inbox instanceof EngineThread ? inbox.close() : inbox.drain());
      sla.stop();
      pickup.stop();
      if (running) await worker?.stop();
      if (outboxDb !== database) outboxDb.close();
      database.close();
    },
  };
}
