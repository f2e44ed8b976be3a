import type { Reply } from '../../db/queries/messages.ts';
import type { RequestRow } from '../../db/queries/requests.ts';
import type { Understanding } from '../../intents/nlu.ts';
import type { Locale, Translate } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import type { Flows } from '../flows/flows.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import type { ConversationState } from './state.ts';
import type { Filed } from './filing.ts';
import type { ServiceIntent } from '../../intents/ids.ts';
import type { Attachment } from './types.ts';
import type { ProofCheck, ProofStart } from './phone-proof.ts';

/** What a turn may change in storage; bound to the turn's transaction by the engine. */
export interface TurnStore {
  /** Files a charter request for this person through the one filing service (filing.ts). */
  file(r: { service: ServiceIntent; variant?: string; details: Record<string, string> }): Promise<Filed>;
  findOwnRequest(reference: string): Promise<RequestRow | undefined>;
  openRequests(): Promise<RequestRow[]>;
  latestRequest(): Promise<RequestRow | undefined>;
  cancelRequest(request: RequestRow): Promise<void>;
  /** Keeps for staff what the person said: a complaint, or the wish to talk to a person. */
  recordNotice(kind: 'complaint' | 'handoff_wish', text: string, requestId?: number): Promise<void>;
  attach(request: RequestRow, attachments: readonly Attachment[]): Promise<void>;
  /** The customer's 1–5 rating of a resolved request of theirs; false when it is not theirs. */
  rate(reference: string, rating: number): Promise<boolean>;
  commentRating(reference: string, comment: string): Promise<void>;
  setLocale(locale: Locale): Promise<void>;
  /**
   * Contact details the person gave in a form. A phone number is not one of
   * them: typed, it proves nothing, so it stays on the request's details and
   * joins the person to no one (a code sent to it does, see phone-proof.ts).
   */
  setContact(contact: { email?: string }): Promise<void>;
  /** Whether a code can be sent to a phone number at all here (an SMS gateway, a linked WhatsApp). */
  readonly canSendCodes: boolean;
  /** Whether this phone number's identities already lead to this person. */
  phoneIsMine(phone: string): Promise<boolean>;
  /** Sends a one-time code to the number, to be typed back in this conversation. */
  startPhoneProof(phone: string, message: (code: string) => string): Promise<ProofStart>;
  /** A code typed back: the right one joins this person with the number. */
  checkPhoneProof(code: string): Promise<ProofCheck>;
}

export interface TurnContext {
  readonly text: string;
  readonly attachments: readonly Attachment[];
  readonly understanding: Understanding;
  /** Understands another text (the message a clarifying question was about). */
  readonly understand: (text: string) => Understanding;
  readonly locale: Locale;
  readonly t: Translate;
  readonly now: Date;
  readonly store: TurnStore;
  readonly charter: Charter;
  readonly flows: Flows;
  readonly calendar: WorkingCalendar;
}

export interface TurnResult {
  readonly replies: readonly Reply[];
  readonly state: ConversationState;
  /** The person asked for staff (or was not understood twice): the chat goes to staff after this turn. */
  readonly handoff?: boolean;
}

export const say = (text: string, options?: Reply['options']): Reply => (options && options.length > 0 ? { text, options } : { text });
