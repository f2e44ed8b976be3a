import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { join } from 'node:path';
import { assembleEngine, bundleOf, calendarOf, deliversByOutbox, handoffPolicyOf, staffChatOf } from '../bot/assemble.ts';
import type { Charter } from '../bot/charter/charter.ts';
import { seedArticles } from '../bot/kb/seed.ts';
import { KnowledgeBase } from '../bot/kb/library.ts';
import type { Config } from '../bot/config.ts';
import { inboxFor, type Inbox } from '../bot/engine/inbox.ts';
import { convertLegacyComplaints } from '../bot/engine/legacy-complaints.ts';
import { Interval } from '../bot/interval.ts';
import { Leadership, type LeadershipOptions, type OwnedJob } from '../bot/lease.ts';
import { Metrics } from '../bot/metrics.ts';
import { OutboxWorker } from '../bot/outbox/worker.ts';
import type { WorkingCalendar } from '../bot/sla/calendar.ts';
import type { Clock } from '../bot/sla/clock.ts';
import { SlaWatch, type SlaWatchOptions } from '../bot/sla/watch.ts';
import { pickupSweep } from '../bot/staff/pickup.ts';
import { RetentionJob } from '../bot/privacy/retention.ts';
import { StaffDesk } from '../bot/staff/desk.ts';
import { IncidentProposals, PROPOSAL_SWEEP_MS, proposalPolicyOf } from '../bot/incidents/propose.ts';
import { ANNOUNCEMENT_SWEEP_MS, AnnouncementSender } from '../bot/announcements/send.ts';
import { Alerts, LATE_JOIN_SWEEP_MS } from '../bot/alerts/alerts.ts';
import { alertRoutes } from './alerts/routes.ts';
import { openStore } from '../db/open.ts';
import type { Health, Store } from '../db/store.ts';
import type { ChannelParts, Wiring } from './channel.ts';
import { CHANNELS } from './registry.ts';
import { createServer } from './server.ts';
import { understandingOf, type Progress } from './understanding.ts';

// The composition root: config → database → understanding → charter → engine
// → channels → HTTP. The only place that knows every part; bot/ knows none of
// the channels, HTTP or the database driver.

export interface App {
  readonly store: Store;
  /** Where messages go in: resolves once a turn is committed. */
  readonly inbox: Inbox;
  readonly charter: Charter;
  readonly calendar: WorkingCalendar;
  readonly http: Hono;
  readonly sla: SlaWatch;
  /** What staff see and do (the API, the console and the staff group use it). */
  readonly desk: StaffDesk;
  /** Who runs the jobs one instance owns (SLA sweep, pick-up check, outbox, polling, the WhatsApp socket). */
  readonly leadership: Leadership;
  /** PDPA retention: erases people dormant for RETENTION_MONTHS; the leader runs it daily. */
  readonly retention: RetentionJob;
  /** Incidents Huduma proposes from many reports at once; the leader looks every PROPOSAL_SWEEP_MS. */
  readonly proposals: IncidentProposals;
  /** Planned-outage notices to areas' subscribers, a batch at a time; the leader looks every ANNOUNCEMENT_SWEEP_MS. */
  readonly announcements: AnnouncementSender;
  /** Monitoring alerts (POST /api/alerts): a request on the line an alert names, or an incident in its area. */
  readonly alerts: Alerts;
  /** A registered channel's parts, by its name in channels/registry.ts, when its settings turned it on. */
  channel(name: string): ChannelParts | undefined;
  health(): Promise<Health>;
  /**
   * Settles once messages can be understood: at once when the intent model is
   * in its cache; on a first start after it is trained (the server serves
   * meanwhile, and messages wait for it). Rejects when training failed.
   */
  readonly ready: Promise<void>;
  /** One check for hand-offs nobody took in time; the leader runs it every 2 s. */
  pickupCheck(): Promise<number>;
  /** Starts what runs beside HTTP: each channel's set-up, and the bid for leadership. */
  start(): Promise<void>;
  /** Stops those, finishing the turns taken and the sends in flight, then closes the database. */
  close(): Promise<void>;
}

export function slaWatchOf(config: Config, deps: Omit<SlaWatchOptions, 'policy' | 'staffLocale'>): SlaWatch {
  return new SlaWatch({ ...deps, staffLocale: config.DEFAULT_LOCALE, policy: { warnAt: config.SLA_WARN_AT, escalateAt: config.SLA_ESCALATE_AT } });
}

export interface AppOptions {
  /** The leader lease's timings (tests shorten them). */
  readonly lease?: Pick<LeadershipOptions, 'ttlMs' | 'renewMs' | 'holder'>;
  /** Where to say, in a plain line, what a slow start is doing (npm start: the terminal). */
  readonly progress?: Progress;
}

/** Everything but the listening socket. */
export async function createApp(config: Config, clock: Clock, log: Logger, options: AppOptions = {}): Promise<App> {
  const store = await openStore({ url: config.DATABASE_URL, path: config.DATABASE_PATH, busyTimeoutMs: config.DATABASE_BUSY_TIMEOUT_MS, poolSize: config.DATABASE_POOL_SIZE });
  const calendar = calendarOf(config);
  // The charter bundle (CHARTER / CHARTER_PATH), checked whole: a broken one stops the start with every problem named.
  const { charter, flows } = bundleOf(config);
  // The knowledge base's articles from the bundle's articles.yml; staff's edits in the console win (README: "Knowledge base").
  const seeded = await seedArticles(store, { charterPath: join(config.CHARTER_DIR, 'charter.yml'), charter, now: clock.now() });
  if (seeded.deferred) log.warn('the knowledge-base articles could not be brought up to date from articles.yml now (the database takes no writes); the next start tries again');
  else if (seeded.added + seeded.updated + seeded.retired > 0) log.info(seeded, 'knowledge-base articles brought up to date from articles.yml');
  // Complaints kept as notices before they were tracked become complaint requests, once.
  const converted = await convertLegacyComplaints(store, { charter, calendar, referencePrefix: config.REFERENCE_PREFIX });
  if (converted > 0) log.info({ converted }, 'complaints kept as notices were filed as complaint requests');
  const staffChat = staffChatOf(config);
  const metrics = new Metrics();
  const understanding = understandingOf(config, log, options.progress);
  // One knowledge base for the engine and the console's desk: an article changed here is in use at once.
  const kb = new KnowledgeBase((text) => understanding.understand(text, clock.now()), clock, join(config.CHARTER_DIR, 'training'));
  const inbox: Inbox = understanding.gate(inboxFor({ store, engine: assembleEngine(config, { clock, metrics, charter, calendar, flows, understand: understanding.understand, kb }) }));
  const sla = slaWatchOf(config, { store, charter, calendar, clock, log, deliversByOutbox, staffChat });
  const handoff = { staffChat, staffLocale: config.DEFAULT_LOCALE, handoff: handoffPolicyOf(config) };
  const pickupCheck = () => pickupSweep(store, clock.now(), deliversByOutbox, handoff);
  // Each channel's sending pace, known once the channels are made: an incident's notices to many people are spread within it.
  const paces = new Map<string, number>();
  const desk = new StaffDesk({ store, charter, calendar, clock, deliversByOutbox, staffChat, staffLocale: config.DEFAULT_LOCALE, flows, kb, outboundPace: (c) => paces.get(c) });
  const proposals = new IncidentProposals({ store, charter, clock, log, policy: proposalPolicyOf(config), staffChat, staffLocale: config.DEFAULT_LOCALE, deliversByOutbox });
  const announcements = new AnnouncementSender({ store, clock, log, deliversByOutbox, outboundPace: (c) => paces.get(c), batch: config.ANNOUNCEMENT_BATCH_SIZE });
  const alerts = new Alerts({
    store,
    charter,
    flows,
    calendar,
    clock,
    log,
    referencePrefix: config.REFERENCE_PREFIX,
    staffLocale: config.DEFAULT_LOCALE,
    staffChat,
    deliversByOutbox,
    outboundPace: (c) => paces.get(c),
    incidents: desk.incidents,
  });
  const retention = new RetentionJob({ store, clock, log, metrics, months: config.RETENTION_MONTHS });
  const wiring: Wiring = { config, store, inbox, clock, log, metrics, charter, flows, calendar, desk, staffChat };
  const channels = new Map<string, ChannelParts>();
  for (const plugin of CHANNELS) {
    const parts = await plugin.create(wiring);
    if (parts) channels.set(plugin.name, parts);
  }
  // The monitoring endpoint first: it has its own token, not the staff API's (/api/*).
  const routes = [alertRoutes({ alerts, charter, token: config.ALERTS_TOKEN }), ...[...channels.values()].flatMap((c) => c.routes ?? [])];
  const http = createServer({ store, metrics, log, routes, starting: understanding.starting });
  const worker = new OutboxWorker({ store, channels: [...channels.values()].flatMap((c) => (c.outbound ? [c.outbound] : [])), clock, log });
  for (const c of channels.values()) if (c.outbound) paces.set(c.outbound.id, c.outbound.limits.overallPerSecond);
  const every = (name: string, ms: number, job: () => unknown): OwnedJob => {
    const interval = new Interval(job, log, name);
    return { name, start: () => interval.start(ms), stop: () => interval.stop() };
  };
  const leadership = new Leadership({
    store,
    clock,
    log,
    ttlMs: config.LEADER_LEASE_SECONDS * 1000,
    renewMs: (config.LEADER_LEASE_SECONDS * 1000) / 3,
    ...options.lease,
    jobs: [
      ...[...channels.values()].flatMap((c) => c.owned ?? []),
      { name: 'outbox', start: () => worker.start(250), stop: () => worker.stop() },
      every('SLA sweep', config.SLA_SWEEP_INTERVAL_MS, () => sla.sweep()),
      every('retention', 86_400_000, () => retention.run()),
      every('hand-off pick-up check', 2_000, pickupCheck),
      every('incident proposals', PROPOSAL_SWEEP_MS, () => proposals.sweep()),
      every('planned-outage notices', ANNOUNCEMENT_SWEEP_MS, () => announcements.sweep()),
      every('late alert joins', LATE_JOIN_SWEEP_MS, () => alerts.joinLate()),
    ],
  });
  let running = false;
  return {
    store,
    inbox,
    charter,
    calendar,
    http,
    sla,
    desk,
    leadership,
    retention,
    proposals,
    announcements,
    alerts,
    channel: (name) => channels.get(name),
    health: () => store.health(),
    ready: understanding.ready,
    pickupCheck,
    async start() {
      for (const c of channels.values()) await c.start?.();
      await leadership.start();
      running = true;
    },
    async close() {
      // Inputs first (polling, sockets), then the turns already taken, then the sends in flight.
      if (running) await leadership.stop();
      if (running) for (const c of channels.values()) await c.stop?.();
      await understanding.stop();
      await inbox.drain();
      await store.close();
    },
  };
}
