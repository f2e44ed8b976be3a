import type { Tx } from '../../db/client.ts';
import { findOrCreateConversation } from '../../db/queries/conversations.ts';
import { inboundId, insertInbound, insertReplies, repliesTo } from '../../db/queries/messages.ts';
import { createRequest } from '../../db/queries/requests.ts';
import { translator, type Locale } from '../../locales/index.ts';
import { formatDeadline } from '../../locales/time.ts';
import type { Charter, CharterLine } from '../charter/charter.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import { dueTime } from '../sla/due.ts';
import { spanOf, stageAt } from '../sla/stages.ts';
import { toLocal } from '../sla/zoned.ts';
import { lineOf } from './services.ts';
import type { Draft } from './types.ts';

/** The channel of the USSD gateway's callback, and the one everything later said to a USSD user goes by (USSD cannot push). */
export const USSD_CHANNEL = 'ussd';
export const SMS_CHANNEL = 'sms';

/** The unique key (messages.channel_message_id) that files a session's report once, however often the gateway posts the last step. */
export const sessionKey = (sessionId: string) => `ussd:${sessionId}`;

export interface FilingDeps {
  readonly charter: Charter;
  readonly calendar: WorkingCalendar;
  readonly referencePrefix: string;
}

export interface Filing {
  /** E.164, e.g. +255712345678: the SMS chat the reference and every later notice go to. */
  readonly phone: string;
  readonly sessionId: string;
  readonly draft: Draft;
  readonly locale: Locale;
  readonly now: Date;
}

/** When the SLA watch first looks at a new request (its warning), as the engine's firstSlaStep does. */
function firstSlaStep(line: CharterLine, calendar: WorkingCalendar, createdAt: Date, dueAt: Date | undefined): Date | undefined {
  return dueAt ? stageAt('warning', { createdAt, dueAt, pausedMs: 0 }, spanOf(line.sla, calendar)) : undefined;
}

function filedText(deps: FilingDeps, locale: Locale, reference: string, line: CharterLine, dueAt: Date | undefined): string {
  const t = translator(locale);
  if (!dueAt) return t('sms.filed_no_due', { reference, promise: line.promise[locale] });
  return t('sms.filed', { reference, deadline: formatDeadline(t, toLocal(dueAt, deps.calendar.timeZone)) });
}

/**
 * Files a USSD report as the chat files one: a request on its charter line
 * with its due time, in the person's SMS conversation (so the SLA watch and
 * staff reach them by SMS), the description kept as their message and the
 * reference queued to them by SMS. Returns that text, which is also the last
 * screen; a session that already filed gets the same text back, and nothing
 * is filed twice.
 */
export function fileReport(tx: Tx, deps: FilingDeps, f: Filing): string {
  const key = sessionKey(f.sessionId);
  const seen = inboundId(tx, USSD_CHANNEL, key);
  if (seen !== undefined) return repliesTo(tx, seen)[0]?.text ?? '';
  const { person, conversation } = findOrCreateConversation(tx, { channel: SMS_CHANNEL, chatId: f.phone, senderId: f.phone }, f.locale, f.now);
  const inbound = insertInbound(tx, { conversationId: conversation.id, channel: USSD_CHANNEL, channelMessageId: key, text: f.draft.description, at: f.now });
  if (inbound === undefined) throw new Error(`the USSD session ${f.sessionId} was filed meanwhile`);
  const line = lineOf(deps.charter, f.draft.intent, f.draft.variant);
  const due = dueTime({ rule: line.sla, start: f.now, calendar: deps.calendar });
  const dueAt = due.status === 'due' ? due.at : undefined;
  const request = createRequest(tx, {
    personId: person.id,
    conversationId: conversation.id,
    service: f.draft.intent,
    charterLine: line.line,
    variant: line.variant,
    details: { description: f.draft.description, phone: f.phone },
    dueAt,
    slaNextAt: firstSlaStep(line, deps.calendar, f.now, dueAt),
    prefix: deps.referencePrefix,
    year: toLocal(f.now, deps.calendar.timeZone).year,
    at: f.now,
    actor: `person:${person.id}`,
  });
  const text = filedText(deps, f.locale, request.reference, line, dueAt);
  insertReplies(tx, { conversationId: conversation.id, channel: SMS_CHANNEL, chatId: f.phone, replyTo: inbound, replies: [{ text }], at: f.now, viaOutbox: true });
  return text;
}
