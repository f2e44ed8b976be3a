import type { IncidentMessage } from '../../db/queries/incidents.ts';
import { translator, type Locale } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import type { Alert } from './payload.ts';

// What people and staff read of a monitoring alert (locales: `alerts`). An SMS
// gets shorter words without emoji, as incidents' (bot/incidents/words.ts).

/** What a joined reporter hears: that the fault is known, or that it is mended. */
export type AlertNoticeKind = 'joined' | 'fixed';

/** USSD users are told by SMS (bot/ussd/file.ts), in their SMS conversation. */
const isSms = (channel: string) => channel === 'sms';

/** One message to a reporter about all their reports joined to the alert's request `reference`. */
export function alertNoticeText(locale: Locale, channel: string, kind: AlertNoticeKind, references: readonly string[], reference: string): string {
  const group = isSms(channel) ? 'alerts.sms' : 'alerts.notice';
  return translator(locale)(`${group}.${kind}.${references.length > 1 ? 'many' : 'one'}`, { references: references.join(', '), reference });
}

/** Added to a new report's receipt when it joins a firing alert's request at filing (`sms`: the SMS wording). */
export function alertJoinedText(locale: Locale, joined: { readonly reference: string }, sms = false): string {
  return translator(locale)(sms ? 'alerts.filed_sms' : 'alerts.filed', { reference: joined.reference });
}

/** What an incident an alert opens (or resolves) tells its reporters, in both languages. */
export function alertIncidentMessage(charter: Charter, kind: 'opened' | 'resolved', i: { service: string; areaLabel: string }): IncidentMessage {
  const say = (locale: Locale) => translator(locale)(`alerts.incident.${kind}`, { area: i.areaLabel, service: charter.serviceName(i.service, locale) ?? i.service });
  return { sw: say('sw'), en: say('en') };
}

/** The alert as staff name it: its alertname, and its severity when it has one. */
export const alertLabel = (name: string, severity: string | null | undefined): string => (severity ? `${name} (${severity})` : name);

/** The alert's own words: its summary, else its description, else its name (annotations are the monitoring team's). */
export function alertSummary(a: Pick<Alert, 'annotations'>, name: string): string {
  // Its first line, without a closing full stop: the staff chat's sentence ends it.
  const text = (a.annotations.summary?.trim() || a.annotations.description?.trim() || name).split(/\r?\n/)[0]?.replace(/[.\s]+$/, '') ?? name;
  return text.length > 200 ? `${text.slice(0, 199).trimEnd()}…` : text;
}

/** The request's description: the summary and the description, as the monitoring team wrote them. */
export function alertDescription(a: Pick<Alert, 'annotations'>, name: string): string {
  const parts = [a.annotations.summary?.trim(), a.annotations.description?.trim()].filter((p): p is string => Boolean(p));
  const text = [...new Set(parts)].join('\n') || name;
  return text.slice(0, 4000);
}
