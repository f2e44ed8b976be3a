import type { IncidentMessage } from '../../db/queries/incidents.ts';
import { translator, type Locale } from '../../locales/index.ts';

// What a reporter reads of an incident: the staff's message in the reporter's
// language, framed with their reference (locales: `incident`). An SMS gets
// shorter words without emoji (an emoji makes every part of an SMS shorter).

/** Which of an incident's messages: its opening (or the latest news, for one linked later), an update, its resolution. */
export type NoticeKind = 'opened' | 'update' | 'resolved';

/** USSD users are told by SMS (bot/ussd/file.ts), in their SMS conversation. */
const isSms = (channel: string) => channel === 'sms';

/** One message to a reporter about all their reports in the incident (a person who reported twice hears it once). */
export function noticeText(locale: Locale, channel: string, kind: NoticeKind, references: readonly string[], message: IncidentMessage): string {
  const t = translator(locale);
  const group = isSms(channel) ? 'incident.sms' : 'incident.notice';
  const reference = references.join(', ');
  return t(`${group}.${kind}.${references.length > 1 ? 'many' : 'one'}`, { reference, message: message[locale].trim() });
}

/** Added to a new report's receipt when it joins an incident at once: the incident is known, and its latest news (`sms`: the SMS wording). */
export function joinedText(locale: Locale, joined: { readonly areaLabel: string; readonly message: IncidentMessage }, sms = false): string {
  return translator(locale)(sms ? 'incident.filed_sms' : 'incident.filed', { area: joined.areaLabel, message: joined.message[locale].trim() });
}

/** The staff chat's word of a proposal: how many reports, of what, where, in how long, and how to confirm or dismiss. */
export function proposedText(locale: Locale, p: { id: number; count: number; service: string; area: string; minutes: number }): string {
  return translator(locale)('incident.staff.proposed', p);
}
