import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import { connectionOfDb, slaStatements, type SlaDue, type SlaStatements } from '../../db/queries/sla.ts';
import type { Locale } from '../../locales/index.ts';
import type { Charter, CharterLine } from '../charter/charter.ts';
import type { StaffChat } from '../staff/alerts.ts';
import { Interval } from '../interval.ts';
import type { WorkingCalendar } from './calendar.ts';
import type { Clock } from './clock.ts';
import { DEFAULT_SLA_POLICY, spanOf, SweepStages, type SlaPolicy, type Span, type SlaStage } from './stages.ts';
import { SlaWords } from './words.ts';

export interface SlaWatchOptions {
  readonly db: Db;
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

type Timed = SlaDue & { readonly dueAt: number };

/** What one sweep works with: its statements, and what it remembers until it ends. */
interface Sweep {
  readonly q: SlaStatements;
  readonly words: SlaWords;
  readonly stages: SweepStages;
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

  sweep(now: Date = this.options.clock.now()): SweepResult {
    const counts = { warning: 0, breach: 0, escalation: 0, done: 0 };
    const size = this.options.batchSize ?? DEFAULT_SLA_BATCH;
    const sqlite = connectionOfDb(this.options.db);
    const q = slaStatements(sqlite);
    const sweep: Sweep = { q, words: new SlaWords(this.options.calendar.timeZone, this.policy), stages: new SweepStages(now, this.policy), nowMs: now.getTime() };
    const batch = sqlite.transaction(() => {
      const due = q.due(sweep.nowMs, size);
      for (const d of due) for (const stage of this.step(sweep, d)) counts[stage]++;
      return due.length;
    });
    while (batch.immediate() >= size);
    const result = { warned: counts.warning, breached: counts.breach, escalated: counts.escalation };
    if (result.warned + result.breached + result.escalated > 0) this.options.log.info(result, 'SLA sweep');
    return result;
  }

  private step(sweep: Sweep, d: SlaDue): readonly SlaStage[] {
    const known = this.lines.get(d.charterLine);
    if (!known || d.dueAt === null) {
      sweep.q.advance(d.id, d.slaStage, d.slaStage, null);
      return [];
    }
    const { fire, next, nextAt } = sweep.stages.of(d.slaStage, d.createdAt, d.dueAt, d.pausedMs, known.span);
    if (!sweep.q.advance(d.id, d.slaStage, next, nextAt?.getTime() ?? null)) return [];
    for (const stage of fire) this.act(sweep, stage, d as Timed, known.line);
    return fire;
  }

  private act({ q, words, nowMs }: Sweep, stage: SlaStage, d: Timed, line: CharterLine): void {
    const { staffChat, staffLocale } = this.options;
    q.event(d.id, nowMs, `sla_${stage}`);
    if (stage === 'breach' && d.chat) {
      // An SMS costs by the part: its own shorter wording.
      const key = d.chat.channel === 'sms' ? 'sms.breach' : 'sla.breach_customer';
      q.notice(d.chat, words.text(d.locale, key, d, line), nowMs, this.options.deliversByOutbox(d.chat.channel));
    }
    // Without a staff chat, staff see the request in the console: nothing is worded or queued.
    if (staffChat) q.alert(staffChat, words.text(staffLocale, `sla.staff_${stage}`, d, line), d.chat?.conversationId, nowMs);
  }

  /** Sweeps every `intervalMs` until stopped. */
  start(intervalMs: number): void {
    this.interval.start(intervalMs);
  }

  stop(): void {
    this.interval.stop();
  }
}
