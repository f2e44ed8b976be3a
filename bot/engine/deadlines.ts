import type { RequestRow } from '../../db/queries/requests.ts';
import { formatDeadline } from '../../locales/time.ts';
import type { CharterLine } from '../charter/charter.ts';
import { toLocal } from '../sla/zoned.ts';
import type { TurnContext } from './context.ts';

export function deadlineWords(ctx: Pick<TurnContext, 't' | 'calendar'>, at: Date): string {
  return formatDeadline(ctx.t, toLocal(at, ctx.calendar.timeZone));
}

/** "ICT-2026-000123 — Network or e-mail fault: In progress. Due: before …" */
export function statusLine(ctx: Pick<TurnContext, 't' | 'calendar' | 'charter' | 'now' | 'locale'>, r: RequestRow): string {
  const { t } = ctx;
  const line: CharterLine | undefined = ctx.charter.lines.find((l) => l.line === r.charterLine);
  const service = line ? line.name[ctx.locale] : r.service;
  const due = r.dueAt
    ? t(r.dueAt < ctx.now && (r.status === 'received' || r.status === 'in_progress') ? 'status.overdue' : 'status.due', { deadline: deadlineWords(ctx, r.dueAt) })
    : t('status.no_due', { promise: line ? line.promise[ctx.locale] : '' });
  return t('status.line', { reference: r.reference, service, status: t(`status.name.${r.status}`), due });
}

export const serviceName = (ctx: Pick<TurnContext, 'locale'>, line: CharterLine) => line.name[ctx.locale];
