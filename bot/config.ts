import { join } from 'node:path';
import { z } from 'zod';
import { bundleDirOf, SHIPPED_BUNDLES } from './charter/bundle-dir.ts';
import { readYamlFile } from './charter/yaml-file.ts';
import { parseOfficeHours } from './sla/calendar.ts';

const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'is not an IANA time zone (e.g. Africa/Dar_es_Salaam)');

/** A WhatsApp template language code, as Meta spells them: sw, en, en_US. */
const templateLanguage = z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a WhatsApp language code such as sw or en_US');

/** The environment contract of shared/contracts.md; README.md lists the same. */
const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_PATH: z.string().min(1).default('./data/huduma.db'),
  /** postgres://user:pass@host:port/db selects PostgreSQL (several instances may share it); unset, the SQLite file at DATABASE_PATH. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a PostgreSQL URL, postgres://user:password@host:port/database')
    .optional(),
  /** Connections one instance keeps to PostgreSQL. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DEFAULT_LOCALE: z.enum(['sw', 'en']).default('sw'),
  TIMEZONE: timeZone.default('Africa/Dar_es_Salaam'),
  /** Unset: the charter bundle's own prefix (ICT, UMM). */
  REFERENCE_PREFIX: z
    .string()
    .regex(/^[A-Z]{2,6}$/, 'must be 2 to 6 capital letters, e.g. ICT')
    .optional(),
  TELEGRAM_BOT_TOKEN: optionalText,
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, "may hold only letters, digits, _ and - (Telegram's rule)")
    .optional(),
  /** The public https address Telegram posts updates to (it ends in /telegram/webhook). */
  TELEGRAM_WEBHOOK_URL: z.url().optional(),
  TELEGRAM_STAFF_CHAT_ID: optionalText,
  WHATSAPP_ENABLED: flag,
  /** The number Huduma links as, for a pairing code instead of a QR code: digits only, with the country code. */
  WHATSAPP_PAIRING_NUMBER: z
    .string()
    .trim()
    .regex(/^[1-9]\d{7,14}$/, 'must be the number in digits only, with the country code and no + or leading 0, e.g. 255712345678')
    .optional(),
  /** The overall sending pace on WhatsApp; kept low, as bursts from a linked device get numbers banned. */
  WHATSAPP_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(600).default(20),
  /** WhatsApp Business Cloud API (Meta): enabled when the phone number id, access token, app secret and verify token are all set. */
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: optionalText,
  WHATSAPP_CLOUD_ACCESS_TOKEN: optionalText,
  /** Signs every webhook post (X-Hub-Signature-256); posts without a matching signature are refused. */
  WHATSAPP_CLOUD_APP_SECRET: optionalText,
  /** What Meta must echo when it verifies the webhook address (hub.verify_token). */
  WHATSAPP_CLOUD_VERIFY_TOKEN: optionalText,
  WHATSAPP_CLOUD_API_ROOT: z.url().default('https://graph.facebook.com/v21.0'),
  /** The approved template a notice goes out as when the person has not written for 24 hours; Meta's names are lower case, digits and _. */
  WHATSAPP_CLOUD_TEMPLATE_NOTICE: z
    .string()
    .regex(/^[a-z0-9_]{1,512}$/, 'must be a WhatsApp template name: lower-case letters, digits and _')
    .default('huduma_notice'),
  /** The template's language code for people Huduma answers in Swahili, and in English. */
  WHATSAPP_CLOUD_TEMPLATE_LANGUAGE_SW: templateLanguage.default('sw'),
  WHATSAPP_CLOUD_TEMPLATE_LANGUAGE_EN: templateLanguage.default('en'),
  /** The overall sending pace on the Cloud API (Meta allows a business number about 80 a second). */
  WHATSAPP_CLOUD_MESSAGES_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(20),
  /** The USSD menu at POST /ussd (Africa's Talking's callback shape); its users are answered later by SMS. */
  USSD_ENABLED: flag,
  /** Africa's Talking's messaging API (the sandbox: https://api.sandbox.africastalking.com/version1). */
  SMS_API_ROOT: z.url().default('https://api.africastalking.com/version1'),
  SMS_USERNAME: optionalText,
  SMS_API_KEY: optionalText,
  /** An approved alphanumeric sender id or short code; the account's default when unset. */
  SMS_SENDER_ID: optionalText,
  /** Africa's Talking does not sign callbacks: when set, /ussd and /sms/inbound need it as ?secret= or the X-Callback-Secret header. */
  SMS_CALLBACK_SECRET: optionalText,
  SLA_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
  /**
   * Several instances on one PostgreSQL: the leader (who runs the SLA sweep, the pick-up check, the outbox,
   * Telegram polling and the WhatsApp socket) holds a lease this long, renewed every third of it; another
   * instance takes over at most this long plus a third after the leader dies.
   */
  LEADER_LEASE_SECONDS: z.coerce.number().int().min(3).max(300).default(15),
  /** Share of the promised time used when staff are warned, and the multiple of it after which a supervisor is told. */
  SLA_WARN_AT: z.coerce.number().gt(0).lt(1).default(0.75),
  SLA_ESCALATE_AT: z.coerce.number().gt(1).max(10).default(2),
  /** Charter line 1: staff take a hand-off within 20 seconds, or the person is told and offered a request. */
  HANDOFF_PICKUP_SECONDS: z.coerce.number().int().min(1).max(3600).default(20),
  /** After this long without a staff word, the bot takes a handed-off chat back. */
  HANDOFF_TIMEOUT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
  /** A person waiting for an officer nobody takes is told, and looked after by the bot again, this long after asking. */
  HANDOFF_WAIT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** Incidents: this many reports of one service in one area (a ward, or a district) within INCIDENT_PROPOSE_MINUTES make Huduma propose an incident to staff; 0 = never. */
  INCIDENT_PROPOSE_REPORTS: z.coerce.number().int().min(0).max(100_000).default(5),
  INCIDENT_PROPOSE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(30),
  /** Monitoring (POST /api/alerts, Prometheus Alertmanager): the bearer token its webhook_config sends; unset, the endpoint is off (503). */
  ALERTS_TOKEN: z
    .string()
    .trim()
    .regex(/^[\x21-\x7e]{24,256}$/, 'must be 24 to 256 visible characters without spaces, e.g. from `openssl rand -base64 32`')
    .optional(),
  /** Planned-outage notices: the subscribers told in one transaction, one batch a notice per look (every 2 s), so conversations' turns go between batches. */
  ANNOUNCEMENT_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  /** Web chat: sessions one client address may open a minute (429 beyond); 0 = no limit. */
  RATE_LIMIT_PER_IP_PER_MINUTE: z.coerce.number().int().min(0).max(100_000).default(60),
  /** Web chat: messages one client address may send a minute, over all its sessions (429 beyond); 0 = no limit. */
  RATE_LIMIT_MESSAGES_PER_IP_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  /** Behind a proxy that sets X-Forwarded-For: read the client's address from it. */
  TRUST_PROXY: flag,
  /** Web chat: a session silent this many days expires (the page then starts a new one). */
  WEBCHAT_SESSION_DAYS: z.coerce.number().min(1).max(3650).default(30),
  /**
   * PDPA 2022: a person none of whose requests is open, and with whom nothing has happened for this many
   * months, has their personal data and transcripts erased by the daily retention job (bot/privacy/retention.ts).
   */
  RETENTION_MONTHS: z.coerce.number().int().min(1).max(1200).default(24),
  /** Flooding: messages one person (channel + sender) may send a minute before Huduma stops answering for a while; 0 = no limit. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1000).default(20),
  /** How long a write waits for another connection's lock before the request fails with 503, in ms. */
  DATABASE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NLU_CACHE_DIR: optionalText,
  /** A charter bundle shipped with Huduma (bot/charter/<name>/). */
  CHARTER: z.enum(Object.keys(SHIPPED_BUNDLES) as [keyof typeof SHIPPED_BUNDLES]).default('ict'),
  /** A bundle folder of one's own (or the charter.yml in it); wins over CHARTER. */
  CHARTER_PATH: optionalText,
  HOLIDAYS_PATH: optionalText,
  OFFICE_HOURS: z
    .string()
    .default('08:00-16:00')
    .transform((v, ctx) => parseOfficeHours(v) ?? (ctx.addIssue({ code: 'custom', message: 'must look like 08:00-16:00, opening before closing' }), z.NEVER)),
});

export type Config = Readonly<
  Omit<z.output<typeof schema>, 'REFERENCE_PREFIX'> & {
    /** The bundle's prefix unless REFERENCE_PREFIX is set. */
    REFERENCE_PREFIX: string;
    /** The charter bundle's folder (CHARTER_PATH, or the shipped CHARTER's). */
    CHARTER_DIR: string;
  }
>;

/** A setting that is wrong: start-up stops and says which and why. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Huduma cannot start, the settings are wrong:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "not set", as a shell's `FOO= npm start` intends.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const CHARTER_DIR = bundleDirOf(parsed.data);
  const prefix = parsed.data.REFERENCE_PREFIX ? { status: 'read' as const, prefix: parsed.data.REFERENCE_PREFIX } : prefixOf(CHARTER_DIR);
  if (prefix.status === 'invalid') throw new ConfigError([`CHARTER_PATH: ${prefix.problem}`]);
  return Object.freeze({ ...parsed.data, CHARTER_DIR, REFERENCE_PREFIX: prefix.prefix });
}

/** The reference prefix a bundle's charter.yml gives (the whole bundle is checked when it loads). */
function prefixOf(dir: string): { status: 'read'; prefix: string } | { status: 'invalid'; problem: string } {
  const read = readYamlFile(join(dir, 'charter.yml'), z.object({ prefix: z.string().regex(/^[A-Z]{2,6}$/) }));
  return read.status === 'parsed' ? { status: 'read', prefix: read.data.prefix } : { status: 'invalid', problem: `${read.path}: ${read.problems.join('; ')}` };
}

/** For programs' entry points: a wrong setting ends the program with the reason, not a stack trace. */
export function loadConfigOrExit(env: Record<string, string | undefined>): Config {
  try {
    return loadConfig(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
