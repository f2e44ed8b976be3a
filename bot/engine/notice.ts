import { translator, type Locale } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import { SMS_CHANNEL } from '../ussd/file.ts';

// The privacy notice (PDPA 2022: collection is announced): what is kept, why,
// for how long, and whom to ask. It ends the first answer a person gets, on
// whichever channel that is, once a person (people.notice_shown_at); the web
// chat page carries it too, and the USSD menu its short form.

export interface NoticeDeps {
  readonly charter: Charter;
  /** RETENTION_MONTHS: how long what a person gave is kept after their last contact. */
  readonly retentionMonths: number;
}

/** The full notice, in one language, with the institution's name from the charter bundle. */
export function privacyNotice(deps: NoticeDeps, locale: Locale): string {
  return translator(locale)('privacy.notice', { institution: deps.charter.data.institution[locale], months: deps.retentionMonths });
}

/** The notice as a channel says it: one SMS by SMS (each further one is paid for), the full notice elsewhere. */
export function noticeFor(deps: NoticeDeps, channel: string, locale: Locale): string {
  return channel === SMS_CHANNEL ? translator(locale)('sms.privacy_notice', { months: deps.retentionMonths }) : privacyNotice(deps, locale);
}
