import { insertReplies } from '../../db/queries/messages.ts';
import { addEvent, type RequestRow } from '../../db/queries/requests.ts';
import { startClock } from '../../db/queries/desk-writes.ts';
import { customerOf } from '../../db/queries/staff-requests.ts';
import type { Tx } from '../../db/store.ts';
import { translator } from '../../locales/index.ts';
import { formatDeadline } from '../../locales/time.ts';
import type { Charter, CharterLine } from '../charter/charter.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import { dueTime } from '../sla/due.ts';
import { firstStepAt, spanOf } from '../sla/stages.ts';
import { toLocal } from '../sla/zoned.ts';

// Charter clocks that staff start: an `after_event` line's clock (line 15: six
// weeks from the equipment reaching the workshop) starts when staff record
// the event; a `schedule` line's (line 13) when staff set the date from the
// contract's schedule. Either way the due time comes from the charter's rule
// (bot/sla/due.ts), the SLA watch's first step is set as filing sets it, and
// the person is told the date on their channel, in one transaction.

/** The event a `schedule` line waits for: staff setting the date. */
export const SCHEDULED = 'scheduled';

export interface ClockDeps {
  readonly charter: Charter;
  readonly calendar: WorkingCalendar;
  readonly deliversByOutbox: (channel: string) => boolean;
}

/** What staff record: an event by its charter name, and for `scheduled` the date set. */
export interface ClockEvent {
  readonly event: string;
  readonly at?: Date;
}

/** Why a clock was not started; `text` says it in English (the API's), `why` lets a page say it in the officer's words. */
export type ClockRefusal =
  | { readonly why: 'no_waiting_clock'; readonly line: number }
  | { readonly why: 'wrong_event'; readonly expected: string }
  | { readonly why: 'needs_date' }
  | { readonly why: 'date_not_future' }
  | { readonly why: 'already_started'; readonly dueAt: Date }
  | { readonly why: 'not_open'; readonly requestStatus: RequestRow['status'] };

export type ClockOutcome =
  | { readonly status: 'started'; readonly request: RequestRow; readonly dueAt: Date; readonly notified: boolean }
  | ({ readonly status: 'refused'; readonly text: string } & ClockRefusal);

const OPEN = new Set<string>(['received', 'in_progress', 'waiting_for_customer']);

/** The event a line's clock waits for, if it waits for one. */
export function awaitedEvent(line: CharterLine | undefined): string | undefined {
  if (line?.sla.kind === 'after_event') return line.sla.event;
  if (line?.sla.kind === 'schedule') return SCHEDULED;
  return undefined;
}

function refuse(r: ClockRefusal): ClockOutcome {
  const text = ((): string => {
    switch (r.why) {
      case 'no_waiting_clock':
        return `charter line ${r.line} starts its clock when the request is filed; no event starts it`;
      case 'wrong_event':
        return `this request's clock waits for the event ${r.expected}`;
      case 'needs_date':
        return 'the scheduled event needs "at": the date and time set from the schedule (ISO-8601)';
      case 'date_not_future':
        return '"at" must be in the future';
      case 'already_started':
        // Moving a promised date would hide a late request: once set, it stays.
        return `this request's clock has already started: it is due ${r.dueAt.toISOString()}; a due date once set is not moved`;
      case 'not_open':
        return `a request that is ${r.requestStatus} has no clock to start`;
    }
  })();
  return { status: 'refused', text, ...r };
}

/**
 * Starts the clock of a request that waits for an event or a date, in the
 * caller's transaction (the request read for change). The time before it
 * started is not charged: it counts as time given back, as a wait for the
 * customer does, so the watch's warning and escalation fall at their shares
 * of the promised time from the moment the clock started.
 */
export async function startWaitingClock(tx: Tx, deps: ClockDeps, c: { request: RequestRow; event: ClockEvent; actor: string; now: Date }): Promise<ClockOutcome> {
  const { request: r, event, now } = c;
  const line = deps.charter.lines.find((l) => l.line === r.charterLine);
  const awaited = awaitedEvent(line);
  if (!line || !awaited) return refuse({ why: 'no_waiting_clock', line: r.charterLine });
  if (event.event !== awaited) return refuse({ why: 'wrong_event', expected: awaited });
  if (!OPEN.has(r.status)) return refuse({ why: 'not_open', requestStatus: r.status });
  if (r.dueAt) return refuse({ why: 'already_started', dueAt: r.dueAt });
  if (awaited === SCHEDULED && !event.at) return refuse({ why: 'needs_date' });
  if (awaited === SCHEDULED && event.at && event.at <= now) return refuse({ why: 'date_not_future' });

  const due = dueTime({ rule: line.sla, start: r.createdAt, calendar: deps.calendar, pauses: [], events: { [awaited]: now }, scheduled: event.at });
  if (due.status !== 'due') throw new Error(`charter line ${line.line} gave no due time for ${awaited} (${due.status})`);
  const pausedMs = spanOf(line.sla, deps.calendar).between(r.createdAt, now);
  // Waiting for the customer right now: the clock starts stopped, and what it waits from here is given back later.
  const paused = r.pausedSince !== null;
  const slaNextAt = paused ? null : firstStepAt(line.sla, deps.calendar, { createdAt: r.createdAt, dueAt: due.at, pausedMs });
  const set = { dueAt: due.at, pausedMs, pausedSince: paused ? now : null, slaStage: 'warning' as const, slaNextAt, updatedAt: now };
  await startClock(tx, r.id, set);
  await addEvent(tx, {
    requestId: r.id,
    at: now,
    actor: c.actor,
    kind: 'clock_started',
    data: { event: awaited, ...(event.at ? { scheduledFor: event.at.toISOString() } : {}), dueAt: due.at.toISOString() },
  });
  const notified = await tellCustomer(tx, deps, { ...r, ...set }, line, awaited, now);
  return { status: 'started', request: { ...r, ...set }, dueAt: due.at, notified };
}

/** The person hears the date, in their language, on their channel (a shorter text by SMS). */
async function tellCustomer(tx: Tx, deps: ClockDeps, r: RequestRow, line: CharterLine, event: string, now: Date): Promise<boolean> {
  const { locale, chat } = await customerOf(tx, r);
  if (!chat || !r.dueAt) return false;
  const t = translator(locale);
  const deadline = formatDeadline(t, toLocal(r.dueAt, deps.calendar.timeZone));
  const words = deps.charter.eventName(event)?.[locale] ?? event;
  const text =
    chat.channel === 'sms' ? t('sms.clock_started', { reference: r.reference, deadline }) : t('staff.clock_started', { reference: r.reference, event: words, promise: line.promise[locale], deadline });
  await insertReplies(tx, { conversationId: chat.id, channel: chat.channel, chatId: chat.chatId, replies: [{ text }], at: now, viaOutbox: deps.deliversByOutbox(chat.channel) });
  return true;
}
