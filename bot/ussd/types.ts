import type { RequestRow } from '../../db/queries/requests.ts';
import type { ServiceIntent } from '../../intents/ids.ts';
import type { Locale, Translate } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import type { Flows } from '../flows/flows.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import type { Article } from '../kb/articles.ts';

/** The most a USSD screen may hold, "CON "/"END " included (GSM-7 characters). */
export const USSD_SCREEN_LIMIT = 182;
/** What is left for the text after the 4-character "CON " or "END ". */
export const USSD_TEXT_LIMIT = USSD_SCREEN_LIMIT - 4;

/** One screen: its text without the CON/END word, and whether the session ends with it. */
export interface Screen {
  readonly text: string;
  readonly end: boolean;
}

/** A report being written: everything needed to file it. */
export interface Draft {
  readonly intent: ServiceIntent;
  readonly line: number;
  readonly variant?: string;
  readonly description: string;
  /** Where, for a service whose form asks it: the form's place detail, the place's name as shown, and its key when the places know it. */
  readonly placeField?: string;
  readonly place?: string;
  readonly area?: string;
}

/** Where a path of answers has led. `back` is where "00" goes from here. */
export type Node =
  // The main menu; `page` when its entries take more than one screen (the first session's, with the privacy notice).
  | { readonly at: 'root'; readonly page?: number }
  | { readonly at: 'resume'; readonly draft: Draft }
  | { readonly at: 'services'; readonly page: number }
  | { readonly at: 'variant'; readonly intent: ServiceIntent; readonly field: string; readonly back: Node }
  | { readonly at: 'describe'; readonly intent: ServiceIntent; readonly line: number; readonly variant?: string; readonly back: Node }
  // Where the fault is, for a service whose form asks where (a place detail): typed after the description.
  | { readonly at: 'where'; readonly draft: Draft; readonly back: Node }
  // A service answered at once (its charter line's `how`), page by page.
  | { readonly at: 'how'; readonly intent: ServiceIntent; readonly page: number; readonly back: Node }
  | { readonly at: 'confirm'; readonly draft: Draft; readonly back: Node }
  | { readonly at: 'status_ask' }
  | { readonly at: 'status'; readonly request: RequestRow }
  | { readonly at: 'charter'; readonly page: number }
  | { readonly at: 'charter_line'; readonly group: number; readonly page: number; readonly back: Node }
  | { readonly at: 'language' }
  // Privacy (PDPA 2022): the notice, a summary of what is held sent by SMS, an erasure after a yes.
  | { readonly at: 'privacy' }
  | { readonly at: 'privacy_sent' }
  | { readonly at: 'erase_confirm' }
  | { readonly at: 'erased' }
  | { readonly at: 'erase_kept' }
  | { readonly at: 'cancelled' }
  // Common questions (bot/ussd/faq.ts): the articles (read when the entry is chosen), one article's steps page by page, "it helped".
  | { readonly at: 'faq'; readonly page: number; readonly articles: readonly Article[] }
  | { readonly at: 'faq_article'; readonly article: Article; readonly page: number; readonly back: Node }
  | { readonly at: 'faq_helped' }
  // Planned-outage notices by SMS (bot/announcements/ussd.ts): join or stop, the area typed, the end.
  | { readonly at: 'notices' }
  | { readonly at: 'notices_area' }
  | { readonly at: 'notices_joined'; readonly area: { readonly key: string; readonly label: string } }
  | { readonly at: 'notices_stopped' }
  | { readonly at: 'file'; readonly draft: Draft };

/** A one-line remark shown above the screen the last answer led to ("Chaguo si sahihi."). */
export interface Note {
  readonly key: string;
  readonly params?: Record<string, string>;
}

/**
 * What the menu reads from outside, in the caller's transaction: a request by
 * its reference, whoever made it (its status screen tells nothing personal).
 */
export interface UssdLookups {
  findRequest(reference: string): Promise<RequestRow | undefined>;
  /** The knowledge base's articles offered now; none when not given. */
  articles?(): Promise<readonly Article[]>;
}

/** Everything the menu needs besides the answers; no database (only the look-up it is given), no platform. */
export interface UssdEnv {
  readonly charter: Charter;
  readonly flows: Flows;
  readonly calendar: WorkingCalendar;
  readonly now: Date;
  readonly referencePrefix: string;
  readonly lookups: UssdLookups;
  /** RETENTION_MONTHS, as the privacy notice tells it. */
  readonly retentionMonths: number;
  /** This session is the first the person has with us (on any channel): its main menu carries the privacy notice. */
  readonly notice?: boolean;
}

/** The env with the language the screens are in (it can change halfway along a path). */
export interface Rendering extends UssdEnv {
  readonly locale: Locale;
  readonly t: Translate;
}
