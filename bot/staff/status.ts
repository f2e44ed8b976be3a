import { saveConversationState } from '../../db/queries/conversations.ts';
import { insertReplies } from '../../db/queries/messages.ts';
import { setStatus, type RequestRow } from '../../db/queries/requests.ts';
import { customerOf, updateRequest } from '../../db/queries/staff-requests.ts';
import type { Tx } from '../../db/store.ts';
import { translator } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import { readMemory, readState, withMemory } from '../engine/state.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import { spanOf, stageAt } from '../sla/stages.ts';
import { dueAfterWait } from '../sla/due.ts';

export type Status = RequestRow['status'];

/** Where a request may go from each status; closed and cancelled are final, a resolved one may be reopened. */
const NEXT: Readonly<Record<Status, readonly Status[]>> = {
  received: ['in_progress', 'waiting_for_customer', 'resolved', 'closed', 'cancelled'],
  in_progress: ['waiting_for_customer', 'resolved', 'closed', 'cancelled'],
  waiting_for_customer: ['in_progress', 'resolved', 'closed', 'cancelled'],
  resolved: ['closed', 'in_progress'],
  closed: [],
  cancelled: [],
};

export const allowedNext = (from: Status): readonly Status[] => NEXT[from];

export interface StatusDeps {
  readonly charter: Charter;
  readonly calendar: WorkingCalendar;
  readonly deliversByOutbox: (channel: string) => boolean;
}

export type StatusOutcome = { readonly status: 'changed'; readonly request: RequestRow; readonly notified: boolean } | { readonly status: 'refused'; readonly reason: string };

const OPEN: readonly Status[] = ['received', 'in_progress', 'waiting_for_customer'];

/** The SLA fields after a move: waiting for the customer stops the clock; leaving it gives the waited time back. */
export function slaAfter(deps: StatusDeps, r: RequestRow, to: Status, now: Date): Partial<RequestRow> {
  const line = deps.charter.lines.find((l) => l.line === r.charterLine);
  const span = line ? spanOf(line.sla, deps.calendar) : undefined;
  let { dueAt, pausedMs } = r;
  const pausedSince = to === 'waiting_for_customer' ? (r.pausedSince ?? now) : null;
  if (r.pausedSince && !pausedSince && line && span && dueAt) {
    const waited = span.between(r.pausedSince, now);
    dueAt = dueAfterWait(line.sla, deps.calendar, { createdAt: r.createdAt, dueAt, pausedMs }, waited);
    pausedMs += waited;
  }
  const stage = r.slaStage;
  const slaNextAt = OPEN.includes(to) && !pausedSince && dueAt && span && stage !== 'done' ? stageAt(stage, { createdAt: r.createdAt, dueAt, pausedMs }, span) : null;
  return { dueAt, pausedMs, pausedSince, slaNextAt, ...(to === 'resolved' ? { resolvedAt: now } : {}) };
}

/**
 * Staff move a request on: the change, its audit event, the SLA clock and the
 * customer's notice (in their language, on their channel), in the caller's
 * transaction. On resolved, the customer is asked for a rating.
 */
export async function changeStatus(tx: Tx, deps: StatusDeps, c: { request: RequestRow; to: Status; note?: string; actor: string; now: Date }): Promise<StatusOutcome> {
  const { request: r, to, now } = c;
  if (!allowedNext(r.status).includes(to)) return { status: 'refused', reason: `a request that is ${r.status} cannot become ${to}` };
  await updateRequest(tx, r.id, { ...slaAfter(deps, r, to, now), status: to, updatedAt: now });
  await setStatus(tx, { requestId: r.id, status: to, at: now, actor: c.actor, note: c.note });
  const { locale, chat } = await customerOf(tx, r);
  if (chat) {
    const t = translator(locale);
    const note = c.note ? t('staff.status_note', { note: c.note }) : '';
    const group = chat.channel === 'sms' ? 'sms.status_changed' : 'staff.status_changed';
    const text = t(`${group}.${to}`, { reference: r.reference, note })
      .replace(/\s{2,}/g, ' ')
      .trim();
    const ask = to === 'resolved';
    const options = ask ? ['1', '2', '3', '4', '5'].map((n) => ({ id: n, label: t(`rating.label.${n}`) })) : undefined;
    await insertReplies(tx, {
      conversationId: chat.id,
      channel: chat.channel,
      chatId: chat.chatId,
      replies: [options ? { text: `${text}\n\n${t('rating.ask')}`, options } : { text }],
      at: now,
      viaOutbox: deps.deliversByOutbox(chat.channel),
    });
    // Asked only when the person is not in the middle of something else.
    const state = readState(chat.state);
    if (ask && (state.mode === 'idle' || state.mode === 'menu')) await saveConversationState(tx, chat.id, withMemory({ mode: 'rate', reference: r.reference }, readMemory(chat.state)), now);
  }
  const updated = { ...r, status: to, updatedAt: now };
  return { status: 'changed', request: updated, notified: chat !== undefined };
}
