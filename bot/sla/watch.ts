import type { Logger } from 'pino';
import type { Db, Tx } from '../../db/client.ts';
import { insertReplies } from '../../db/queries/messages.ts';
import { addEvent } from '../../db/queries/requests.ts';
import { advanceSla, dueForSla, type SlaDue } from '../../db/queries/sla.ts';
import { formatDeadline } from '../../locales/time.ts';
import { translator, type Locale } from '../../locales/index.ts';
import type { Charter, CharterLine } from '../charter/charter.ts';
import { alertStaff, type StaffChat } from '../staff/alerts.ts';
import { Interval } from '../interval.ts';
import type { WorkingCalendar } from './calendar.ts';
import type { Clock } from './clock.ts';
import { DEFAULT_SLA_POLICY, dueStages, spanOf, type SlaPolicy, type SlaStage } from './stages.ts';
import { toLocal } from './zoned.ts';

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
  /** Requests one transaction takes. */
  readonly batchSize?: number;
}

export interface SweepResult {
  readonly warned: number;
  readonly breached: number;
  readonly escalated: number;
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

  constructor(private readonly options: SlaWatchOptions) {
    this.policy = options.policy ?? DEFAULT_SLA_POLICY;
    this.interval = new Interval(() => this.sweep(), options.log, 'SLA sweep');
  }

  sweep(now: Date = this.options.clock.now()): SweepResult {
    const counts = { warning: 0, breach: 0, escalation: 0, done: 0 };
    const size = this.options.batchSize ?? 500;
    for (;;) {
      const taken = this.options.db.transaction(
        (tx) => {
          const due = dueForSla(tx, now, size);
          for (const d of due) for (const stage of this.step(tx, d, now)) counts[stage]++;
          return due.length;
        },
        { behavior: 'immediate' },
      );
      if (taken < size) break;
    }
    const result = { warned: counts.warning, breached: counts.breach, escalated: counts.escalation };
    if (result.warned + result.breached + result.escalated > 0) this.options.log.info(result, 'SLA sweep');
    return result;
  }

  private step(tx: Tx, d: SlaDue, now: Date): SlaStage[] {
    const r = d.request;
    const line = this.options.charter.lines.find((l) => l.line === r.charterLine);
    if (!line || !r.dueAt) {
      advanceSla(tx, r.id, r.slaStage, r.slaStage, null);
      return [];
    }
    const { fire, next, nextAt } = dueStages(r.slaStage, { createdAt: r.createdAt, dueAt: r.dueAt, pausedMs: r.pausedMs }, spanOf(line.sla, this.options.calendar), now, this.policy);
    if (!advanceSla(tx, r.id, r.slaStage, next, nextAt ?? null)) return [];
    for (const stage of fire) this.act(tx, stage, d, line, now);
    return fire;
  }

  private act(tx: Tx, stage: SlaStage, d: SlaDue, line: CharterLine, now: Date): void {
    const r = d.request;
    const { calendar, staffChat, staffLocale } = this.options;
    const words = (locale: Locale) => {
      const t = translator(locale);
      return {
        t,
        vars: {
          reference: r.reference,
          service: line.name[locale],
          promise: line.promise[locale],
          deadline: r.dueAt ? formatDeadline(t, toLocal(r.dueAt, calendar.timeZone)) : '',
          status: t(`status.name.${r.status}`),
          percent: String(Math.round(this.policy.warnAt * 100)),
          multiple: String(this.policy.escalateAt),
        },
      };
    };
    addEvent(tx, { requestId: r.id, at: now, actor: 'sla', kind: `sla_${stage}` });
    if (stage === 'breach' && d.chat) {
      const { t, vars } = words(d.locale);
      // An SMS costs by the part: its own shorter wording.
      const key = d.chat.channel === 'sms' ? 'sms.breach' : 'sla.breach_customer';
      insertReplies(tx, { ...d.chat, replies: [{ text: t(key, vars) }], at: now, viaOutbox: this.options.deliversByOutbox(d.chat.channel) });
    }
    const staff = words(staffLocale);
    alertStaff(tx, staffChat, { text: staff.t(`sla.staff_${stage}`, staff.vars), conversationId: d.chat?.conversationId, at: now });
  }

  /** Sweeps every `intervalMs` until stopped. */
  start(intervalMs: number): void {
    this.interval.start(intervalMs);
  }

  stop(): void {
    this.interval.stop();
  }
}
