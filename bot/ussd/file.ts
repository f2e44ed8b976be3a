import { findOrCreateConversation } from '../../db/queries/conversations.ts';
import { inboundId, insertInbound, insertReplies, repliesTo } from '../../db/queries/messages.ts';
import type { Tx } from '../../db/store.ts';
import { translator, type Locale } from '../../locales/index.ts';
import { formatDeadline } from '../../locales/time.ts';
import { fileRequest, type Filed, type FilingDeps } from '../engine/filing.ts';
import { joinedText } from '../incidents/words.ts';
import { alertJoinedText } from '../alerts/words.ts';
import { plannedText } from '../announcements/words.ts';
import { toLocal } from '../sla/zoned.ts';
import type { Draft } from './types.ts';

/** The channel of the USSD gateway's callback, and the one everything later said to a USSD user goes by (USSD cannot push). */
export const USSD_CHANNEL = 'ussd';
export const SMS_CHANNEL = 'sms';

/** The unique key (messages.channel_message_id) that files a session's report once, however often the gateway posts the last step. */
export const sessionKey = (sessionId: string) => `ussd:${sessionId}`;

export interface Filing {
  /** E.164, e.g. +255712345678: the SMS chat the reference and every later notice go to. */
  readonly phone: string;
  readonly sessionId: string;
  readonly draft: Draft;
  readonly locale: Locale;
  readonly now: Date;
}

/** What one SMS holds (GSM-7 characters): the filed text is also the session's last screen. */
const SMS_LIMIT = 160;

/**
 * The SMS that tells the reference: with the due time beside the charter's
 * promise when both fit one SMS, else the due time alone; the charter's
 * promise where there is no due time.
 */
function filedText(deps: FilingDeps, locale: Locale, { request, line, dueAt }: Filed): string {
  const t = translator(locale);
  const { reference } = request;
  const promise = line.promise[locale];
  if (!dueAt) return t('sms.filed_no_due', { reference, promise });
  const deadline = formatDeadline(t, toLocal(dueAt, deps.calendar.timeZone));
  const full = t('promise.sms_filed', { reference, due: t('promise.by', { promise, deadline }) });
  return full.length <= SMS_LIMIT ? full : t('sms.filed', { reference, deadline });
}

/**
 * On PostgreSQL another instance can file the same session between our look
 * and our insert; the session key is unique, so the insert waited for that
 * transaction and did nothing. Its text, committed by now, is the answer.
 */
async function filedMeanwhile(tx: Tx, sessionId: string): Promise<string> {
  const theirs = await inboundId(tx, USSD_CHANNEL, sessionKey(sessionId));
  if (theirs === undefined) throw new Error(`the USSD session ${sessionId} could not be filed, nor found filed`);
  return (await repliesTo(tx, theirs))[0]?.text ?? '';
}

/**
 * Files a USSD report through the one filing service every channel uses
 * (bot/engine/filing.ts), in the person's SMS conversation (so the SLA watch
 * and staff reach them by SMS), the description kept as their message and the
 * reference queued to them by SMS. Returns that text, which is also the last
 * screen; a session that already filed gets the same text back, and nothing
 * is filed twice.
 */
export async function fileReport(tx: Tx, deps: FilingDeps, f: Filing): Promise<string> {
  const key = sessionKey(f.sessionId);
  const seen = await inboundId(tx, USSD_CHANNEL, key);
  if (seen !== undefined) return (await repliesTo(tx, seen))[0]?.text ?? '';
  const { person, conversation } = await findOrCreateConversation(tx, { channel: SMS_CHANNEL, chatId: f.phone, senderId: f.phone }, f.locale, f.now);
  const inbound = await insertInbound(tx, { conversationId: conversation.id, channel: USSD_CHANNEL, channelMessageId: key, text: f.draft.description, at: f.now });
  if (inbound === undefined) return filedMeanwhile(tx, f.sessionId);
  const filed = await fileRequest(tx, deps, {
    personId: person.id,
    conversationId: conversation.id,
    service: f.draft.intent,
    variant: f.draft.variant,
    // Where, under the form's place detail; its key links the report to an incident there.
    details: { description: f.draft.description, phone: f.phone, ...(f.draft.placeField && f.draft.place ? { [f.draft.placeField]: f.draft.place } : {}) },
    ...(f.draft.area ? { area: f.draft.area } : {}),
    now: f.now,
  });
  const text = filedText(deps, f.locale, filed);
  // A report that joined an open incident: a second SMS says the fault is known, with its latest news (or that a monitoring alert found it).
  const joined = filed.incident ? joinedText(f.locale, filed.incident, true) : filed.alert ? alertJoinedText(f.locale, filed.alert, true) : undefined;
  // One filed where a planned outage is under way: an SMS with its notice (the power returns when the work ends).
  const planned = filed.planned ? [{ text: plannedText(f.locale, SMS_CHANNEL, filed.planned.notice) }] : [];
  const replies = [...(joined ? [{ text }, { text: joined }] : [{ text }]), ...planned];
  await insertReplies(tx, { conversationId: conversation.id, channel: SMS_CHANNEL, chatId: f.phone, replyTo: inbound, replies, at: f.now, viaOutbox: true });
  return text;
}
