import type { AnnouncementRow, NoticeKind } from '../../db/queries/announcements.ts';
import { translator, type Locale, type Translate } from '../../locales/index.ts';
import { formatClock, formatDate } from '../../locales/time.ts';
import { minutesOf, nextWallDay, overnight, wallDay } from './schedule.ts';

// A planned outage as a utility writes it (locales: `announcement`): the
// heading, the area, the day in words, the hours in Swahili time for Swahili
// ("saa moja asubuhi hadi saa kumi na moja jioni") and on the 12-hour clock
// for English, the reason, and the safety line. An SMS gets the same without
// emoji and in fewer words (an emoji makes every part of an SMS shorter).

/** What of an announcement its words need. */
export type Notice = Pick<AnnouncementRow, 'areaLabel' | 'day' | 'fromTime' | 'toTime' | 'reason'>;

/** Who reads it: a subscriber (told how to stop), or anyone else (a reporter in the window, staff's preview). */
export type Reader = 'subscriber' | 'other';

/** USSD users are told by SMS (bot/ussd/file.ts), in their SMS conversation. */
export const isSms = (channel: string) => channel === 'sms';

/** The day and hours in the reader's words; an end past midnight names its day ("4:00 am on Friday, …"). */
export function whenWords(t: Translate, n: Notice): { date: string; from: string; to: string } {
  const day = wallDay(n.day);
  const [from, to] = [formatClock(t, { ...day, minutes: minutesOf(n.fromTime) }), formatClock(t, { ...day, minutes: minutesOf(n.toTime) })];
  if (!overnight({ from: n.fromTime, to: n.toTime })) return { date: formatDate(t, day), from, to };
  return { date: formatDate(t, day), from, to: t('announcement.next_day', { time: to, date: formatDate(t, nextWallDay(n.day)) }) };
}

/** The reason as staff wrote it, without a closing full stop (the sentence around it has one). */
const reasonOf = (n: Notice, locale: Locale) => n.reason[locale].trim().replace(/[.。]+$/, '');

/** One notice of a planned outage: before it, that it is over, or that it is called off. */
export function noticeText(locale: Locale, channel: string, kind: NoticeKind, n: Notice, reader: Reader = 'subscriber'): string {
  const t = translator(locale);
  const sms = isSms(channel);
  const text = t(`announcement.${sms ? 'sms' : 'notice'}.${kind}`, { area: n.areaLabel, ...whenWords(t, n), reason: reasonOf(n, locale) });
  return reader === 'subscriber' ? `${text}${sms ? ' ' : '\n'}${t(sms ? 'announcement.sms.stop_hint' : 'announcement.notice.stop_hint')}` : text;
}

/** Added to a report's receipt when it is filed in the area and hours of a planned outage: the outage's notice. */
export function plannedText(locale: Locale, channel: string, n: Notice): string {
  const t = translator(locale);
  if (isSms(channel)) return t('announcement.sms.filed', { area: n.areaLabel, ...whenWords(t, n), reason: reasonOf(n, locale) });
  return t('announcement.notice.filed', { notice: noticeText(locale, channel, 'before', n, 'other') });
}
