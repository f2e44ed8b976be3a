import type { RequestRow } from '../../db/queries/requests.ts';
import { formatDeadline } from '../../locales/time.ts';
import type { CharterLine } from '../charter/charter.ts';
import { toLocal } from '../sla/zoned.ts';
import type { TurnContext } from './context.ts';

export function deadlineWords(ctx: Pick<TurnContext, 't' | 'calendar'>, at: Date): string {
  return formatDeadline(ctx.t, toLocal(at, ctx.calendar.timeZone));
}

/**
 * A due time beside the charter's own words for the promise: "Mnamo wiki
 * mbili (2), yaani kabla ya saa kumi alasiri, Jumatatu tarehe 7 Desemba 2026".
 * A date alone leaves the person to guess whether it is the charter's time.
 */
export function promisedBy(ctx: Pick<TurnContext, 't' | 'calendar' | 'locale'>, line: CharterLine | undefined, at: Date): string {
  const deadline = deadlineWords(ctx, at);
  return line ? ctx.t('promise.by', { promise: line.promise[ctx.locale], deadline }) : deadline;
}

/** "ICT-2026-000123 — Urekebishaji wa mtandao au barua pepe: Linashughulikiwa. Muda: Mnamo siku moja (1) ya kazi, yaani kabla ya …" */
export function statusLine(ctx: Pick<TurnContext, 't' | 'calendar' | 'charter' | 'now' | 'locale'>, r: RequestRow): string {
  const { t } = ctx;
  const line = ctx.charter.byNumber(r.charterLine);
  const promise = line ? line.promise[ctx.locale] : '';
  const late = r.dueAt !== null && r.dueAt < ctx.now && (r.status === 'received' || r.status === 'in_progress');
  const due = !r.dueAt ? t('status.no_due', { promise }) : late ? t('status.overdue', { promise, deadline: deadlineWords(ctx, r.dueAt) }) : t('status.due', { due: promisedBy(ctx, line, r.dueAt) });
  return t('status.line', { reference: r.reference, service: ctx.charter.requestName(r, ctx.locale), status: t(`status.name.${r.status}`), due });
}

/** A charter line's name: the one name of its service on every screen. */
export const serviceName = (ctx: Pick<TurnContext, 'locale'>, line: CharterLine) => line.name[ctx.locale];

/** A service's name before a line is chosen (a form's start): the chosen variant's line, the only line, or the bundle's name for the service. */
export const intentName = (ctx: Pick<TurnContext, 'charter' | 'locale'>, intent: string, variant?: string): string => ctx.charter.serviceName(intent, ctx.locale, variant) ?? intent;
