import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from 'pino';
import { slaQueries, type SlaDue, type SlaQueries } from '../../db/queries/sla.ts';
import type { Store } from '../../db/store.ts';
import type { Locale } from '../../locales/index.ts';
import type { Charter, CharterLine } from '../charter/charter.ts';
import type { Config } from '../config.ts';
import type { StaffChat } from '../staff/alerts.ts';
import { Interval } from '../interval.ts';
import type { WorkingCalendar } from './calendar.ts';
import type { Clock } from './clock.ts';
import { DEFAULT_SLA_POLICY, spanOf, SweepStages, type SlaPolicy, type Span, type SlaStage } from './stages.ts';
import { AlertRouting } from './routing.ts';
import { SlaWords } from './words.ts';

export interface SlaWatchOptions {
  readonly store: Store;
  readonly charter: Charter;
  readonly calendar: WorkingCalendar;
  readonly clock: Clock;
  readonly log: Logger;
  /** Channels whose messages go out through the outbox (the web chat's are read from the transcript). */
  readonly deliversByOutbox: (channel: string) => boolean;
  readonly staffChat?: StaffChat;
  /** The language staff read (the institution's default). */
  readonly staffLocale: Locale;
  readonly policy?: SlaPolicy;
  /** Requests one transaction takes (DEFAULT_SLA_BATCH). */
  readonly batchSize?: number;
}

export interface SweepResult {
  readonly warned: number;
  readonly breached: number;
  readonly escalated: number;
}

/**
 * Requests one transaction takes by default. A batch holds the event loop, so
 * chat turns wait behind it: 500 is some 40 ms at a million stored requests.
 * Batches of 250 to 5,000 took the same time in all; what a sweep costs is
 * the pages it writes, not its commits (see BENCHMARKS.md, the SLA sweep).
 */
export const DEFAULT_SLA_BATCH = 500;

/** The SLA policy the settings give (SLA_WARN_AT, SLA_ESCALATE_AT). */
export const slaPolicyOf = (config: Pick<Config, 'SLA_WARN_AT' | 'SLA_ESCALATE_AT'>): SlaPolicy => ({ warnAt: config.SLA_WARN_AT, escalateAt: config.SLA_ESCALATE_AT });

type Timed = SlaDue & { readonly dueAt: number };

/** What one sweep batch works with: its queries, and what the sweep remembers until it ends. */
interface Sweep {
  readonly q: SlaQueries;
  readonly words: SlaWords;
  readonly stages: SweepStages;
  readonly routing: AlertRouting;
  readonly nowMs: number;
}

/**
 * The SLA watch: finds requests whose next step (warning, breach, escalation)
 * has come, and takes it. Each step is recorded in the same transaction as the
 * messages it queues, and only by the sweep that moved the request on; so
 * every step goes out once, across restarts and with sweeps running at once.
 */
export class SlaWatch {
  private readonly policy: SlaPolicy;
  private readonly interval: Interval;
  /** Charter lines by number, each with how its time is counted. */
  private readonly lines = new Map<number, { readonly line: CharterLine; readonly span: Span }>();

  constructor(private readonly options: SlaWatchOptions) {
    this.policy = options.policy ?? DEFAULT_SLA_POLICY;
    this.interval = new Interval(() => this.sweep(), options.log, 'SLA sweep');
    for (const line of options.charter.lines) if (!this.lines.has(line.line)) this.lines.set(line.line, { line, span: spanOf(line.sla, options.calendar) });
  }

  /**
   * Takes every step due at `now`, a batch of requests per transaction, until
   * a batch comes back short. Each batch commits its steps with their messages.
   */
  async sweep(now: Date = this.options.clock.now()): Promise<SweepResult> {
    const counts = { warning: 0, breach: 0, escalation: 0, done: 0 };
    const size = this.options.batchSize ?? DEFAULT_SLA_BATCH;
    const words = new SlaWords(this.options.calendar.timeZone, this.policy);
    const stages = new SweepStages(now, this.policy);
    const routing = new AlertRouting(this.options.charter, this.options.staffLocale);
    const batch = () =>
      this.options.store.transaction(async (tx) => {
        const sweep: Sweep = { q: slaQueries(tx), words, stages, routing, nowMs: now.getTime() };
        const due = await sweep.q.due(sweep.nowMs, size);
        for (const d of due) for (const stage of await this.step(sweep, d)) counts[stage]++;
        return due.length;
      });
    // Between batches the event loop serves others (chat turns, HTTP): on SQLite a batch's awaits never leave it.
    while ((await batch()) >= size) await yieldToEventLoop();
    const result = { warned: counts.warning, breached: counts.breach, escalated: counts.escalation };
    if (result.warned + result.breached + result.escalated > 0) this.options.log.info(result, 'SLA sweep');
    return result;
  }

  private async step(sweep: Sweep, d: SlaDue): Promise<readonly SlaStage[]> {
    const known = this.lines.get(d.charterLine);
    if (!known || d.dueAt === null) {
      await sweep.q.advance(d.id, d.slaStage, d.slaStage, null);
      return [];
    }
    const { fire, next, nextAt } = sweep.stages.of(d.slaStage, d.createdAt, d.dueAt, d.pausedMs, known.span);
    // Only the sweep that moved the request on takes its steps: of two at once, the other does nothing.
    if (!(await sweep.q.advance(d.id, d.slaStage, next, nextAt?.getTime() ?? null))) return [];
    for (const stage of fire) await this.act(sweep, stage, d as Timed, known.line);
    return fire;
  }

  private async act({ q, words, routing, nowMs }: Sweep, stage: SlaStage, d: Timed, line: CharterLine): Promise<void> {
    const { staffChat, staffLocale } = this.options;
    await q.event(d.id, nowMs, `sla_${stage}`);
    // A report joined to an incident: its reporter hears the incident's news, and staff follow the incident, not
    // each of its hundreds of reports (one outage would otherwise send hundreds of apologies and staff alerts).
    if (d.incidentId != null) return;
    if (stage === 'breach' && d.chat) {
      // An SMS costs by the part: its own shorter wording.
      const key = d.chat.channel === 'sms' ? 'sms.breach' : 'sla.breach_customer';
      await q.notice(d.chat, words.text(d.locale, key, d, line), nowMs, this.options.deliversByOutbox(d.chat.channel));
    }
    // Without a staff chat, staff see the request in the console: nothing is worded or queued.
    if (!staffChat) return;
    // Addressed to the request's owner (else its team), and an escalation to the team's supervisors too.
    const to = await routing.address(q, stage, d);
    const text = words.text(staffLocale, `sla.staff_${stage}`, d, line);
    await q.alert(staffChat, to.lines.length > 0 ? `${text}\n${to.lines.join('\n')}` : text, d.chat?.conversationId, nowMs, to.mentions);
  }

  /** Sweeps every `intervalMs` until stopped. */
  start(intervalMs: number): void {
    this.interval.start(intervalMs);
  }

  /** No more sweeps; resolves when the one in progress has committed. */
  stop(): Promise<void> {
    return this.interval.stop();
  }
}
