import { createNlu, type Nlu, type NluOptions, type Understanding } from '../intents/nlu.ts';
import { startNlu, type ModelStart } from '../intents/train-thread.ts';
import { join } from 'node:path';
import { useBundleWords } from '../locales/index.ts';
import { loadBundle, type Bundle } from './charter/bundle.ts';
import type { Charter } from './charter/charter.ts';
import type { Config } from './config.ts';
import { createEngine, type Engine } from './engine/engine.ts';
import type { CodeChannel } from './engine/phone-proof.ts';
import { DEFAULT_HANDOFF, type HandoffPolicy } from './engine/handoff.ts';
import { RateLimiter, SharedRateLimit, type RateLimit } from './engine/rate-limit.ts';
import type { Flows } from './flows/flows.ts';
import type { MetricsSink } from './metrics.ts';
import { WorkingCalendar } from './sla/calendar.ts';
import type { Clock } from './sla/clock.ts';
import { DEFAULT_HOLIDAYS_PATH, HolidayCalendar, readHolidayOverrides, tanzanianHolidays, type HolidaySource } from './sla/holidays.ts';
import type { StaffChat } from './staff/alerts.ts';
import { KnowledgeBase } from './kb/library.ts';

// What the conversation engine is made of, from the settings alone.

/** The channels that answer in the HTTP response and so need no outbox row (the web chat, the terminal chat). */
const ANSWERED_IN_PLACE = new Set(['webchat', 'terminal']);
export const deliversByOutbox = (channel: string): boolean => !ANSWERED_IN_PLACE.has(channel);

/** Working time: office hours, weekends, Tanzanian public holidays and the institution's corrections. */
export function calendarOf(config: Config, holidays: HolidaySource = tanzanianHolidays()): WorkingCalendar {
  const overrides = [readHolidayOverrides(DEFAULT_HOLIDAYS_PATH), ...(config.HOLIDAYS_PATH ? [readHolidayOverrides(config.HOLIDAYS_PATH)] : [])];
  return new WorkingCalendar(config.TIMEZONE, new HolidayCalendar(overrides, holidays), config.OFFICE_HOURS);
}

export const staffChatOf = (config: Config): StaffChat | undefined =>
  config.TELEGRAM_BOT_TOKEN && config.TELEGRAM_STAFF_CHAT_ID ? { channel: 'telegram', chatId: config.TELEGRAM_STAFF_CHAT_ID } : undefined;

const bundles = new Map<string, Bundle>();

/**
 * The charter bundle the settings choose, loaded and checked whole once, its
 * words put in use (one process serves one institution). Throws a
 * BundleError naming every problem.
 */
export function bundleOf(config: Pick<Config, 'CHARTER_DIR'>): Bundle {
  let bundle = bundles.get(config.CHARTER_DIR);
  if (!bundle) {
    bundle = loadBundle(config.CHARTER_DIR);
    bundles.set(config.CHARTER_DIR, bundle);
  }
  useBundleWords(bundle.words);
  return bundle;
}

/** The understanding the settings choose: the bundle's training data, its reference prefix, the cache. */
export const nluOptionsOf = (config: Config): NluOptions => ({
  dataDir: join(config.CHARTER_DIR, 'training'),
  referencePrefix: config.REFERENCE_PREFIX,
  timeZone: config.TIMEZONE,
  defaultLanguage: config.DEFAULT_LOCALE,
  cacheDir: config.NLU_CACHE_DIR,
});

/** The intent model (loaded from its cache, or trained and cached), and how long getting it took. */
export function nluOf(config: Config): { readonly nlu: Nlu; readonly ms: number } {
  const started = performance.now();
  const nlu = createNlu(nluOptionsOf(config));
  return { nlu, ms: Math.round(performance.now() - started) };
}

/** The intent model for a server: from its cache at once, or trained on a thread of its own while the server starts (a first start). */
export const modelOf = (config: Config): ModelStart => startNlu(nluOptionsOf(config));

export interface EngineDepsOf {
  readonly clock: Clock;
  /** How to understand a text; by default the intent model, loaded now. */
  readonly understand?: (text: string, now: Date) => Understanding;
  readonly metrics?: MetricsSink;
  readonly charter?: Charter;
  readonly calendar?: WorkingCalendar;
  readonly flows?: Flows;
  /** The knowledge base (answers without a ticket); by default one over the database's articles, matched with this understanding. */
  readonly kb?: KnowledgeBase;
}

/** The engine on a database connection: understanding, charter, flows, calendar, hand-off and flooding policy. */
export function assembleEngine(config: Config, deps: EngineDepsOf): Engine {
  const understand = deps.understand ?? nluOf(config).nlu.understand;
  const bundle = bundleOf(config);
  return createEngine({
    understand,
    charter: deps.charter ?? bundle.charter,
    flows: deps.flows ?? bundle.flows,
    calendar: deps.calendar ?? calendarOf(config),
    clock: deps.clock,
    referencePrefix: config.REFERENCE_PREFIX,
    defaultLocale: config.DEFAULT_LOCALE,
    deliversByOutbox,
    metrics: deps.metrics,
    staffChat: staffChatOf(config),
    handoff: handoffPolicyOf(config),
    rateLimit: rateLimitOf(config, deps.clock),
    codeChannels: codeChannelsOf(config),
    retentionMonths: config.RETENTION_MONTHS,
    kb: deps.kb ?? new KnowledgeBase((text) => understand(text, deps.clock.now()), deps.clock, bundle.trainingDir),
  });
}

/** Hand-offs to staff: the pick-up time (charter line 1), staff's silence, the wait for an officer (HANDOFF_* settings). */
export const handoffPolicyOf = (config: Config): HandoffPolicy => ({
  ...DEFAULT_HANDOFF,
  pickupMs: config.HANDOFF_PICKUP_SECONDS * 1000,
  timeoutMs: config.HANDOFF_TIMEOUT_MINUTES * 60_000,
  waitMs: config.HANDOFF_WAIT_MINUTES * 60_000,
});

/** The channels that can carry a one-time code to a phone number (bot/engine/phone-proof.ts), as the settings turn them on. */
export function codeChannelsOf(config: Config): CodeChannel[] {
  const cloud = config.WHATSAPP_CLOUD_PHONE_NUMBER_ID && config.WHATSAPP_CLOUD_ACCESS_TOKEN && config.WHATSAPP_CLOUD_APP_SECRET && config.WHATSAPP_CLOUD_VERIFY_TOKEN;
  return [...(config.SMS_USERNAME && config.SMS_API_KEY ? (['sms'] as const) : []), ...(config.WHATSAPP_ENABLED ? (['whatsapp'] as const) : []), ...(cloud ? (['whatsapp_cloud'] as const) : [])];
}

/**
 * The flood limit: in memory on SQLite (one instance), in the database on
 * PostgreSQL, where several instances must count one person's messages together.
 */
function rateLimitOf(config: Config, clock: Clock): RateLimit | undefined {
  if (config.RATE_LIMIT_PER_MINUTE <= 0) return undefined;
  if (config.DATABASE_URL) return new SharedRateLimit({ limit: config.RATE_LIMIT_PER_MINUTE });
  return new RateLimiter({ limit: config.RATE_LIMIT_PER_MINUTE, clock }).forEngine();
}
