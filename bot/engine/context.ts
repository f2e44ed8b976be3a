import type { Reply } from '../../db/queries/messages.ts';
import type { RequestRow } from '../../db/queries/requests.ts';
import type { Understanding } from '../../intents/nlu.ts';
import type { Locale, Translate } from '../../locales/index.ts';
import type { Charter, FiledIntent } from '../charter/charter.ts';
import type { Flows } from '../flows/flows.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import type { ConversationState, Memory } from './state.ts';
import type { Filed } from './filing.ts';
import type { Attachment } from './types.ts';
import type { ProofCheck, ProofStart } from './phone-proof.ts';
import type { HandoffPolicy, LeftBecause } from './handoff.ts';
import type { ErasureOutcome } from '../privacy/erase.ts';
import type { PersonData } from '../privacy/summary.ts';
import type { KbStore } from '../kb/library.ts';
import type { NoticeStore } from '../announcements/turn-store.ts';

/** What a turn may change in storage; bound to the turn's transaction by the engine. */
export interface TurnStore {
  /** Files a charter request (or a complaint, linked to the request it is about) for this person through the one filing service (filing.ts). */
  file(r: { service: FiledIntent; variant?: string; details: Record<string, string>; aboutRequestId?: number; area?: string }): Promise<Filed>;
  findOwnRequest(reference: string): Promise<RequestRow | undefined>;
  /**
   * Any request by its reference, whoever made it: its status, service and
   * due time may be told to whoever has the reference; acting on it needs
   * proof it is theirs (mayActOn, request-proof.ts).
   */
  findRequest(reference: string): Promise<RequestRow | undefined>;
  openRequests(): Promise<RequestRow[]>;
  latestRequest(): Promise<RequestRow | undefined>;
  /** The person's latest complaint, whatever its status. */
  latestComplaint(): Promise<RequestRow | undefined>;
  cancelRequest(request: RequestRow): Promise<void>;
  /** This chat in the staff queue (see handoff.ts). */
  readonly queue: {
    /** Passes the person's message on to staff. */
    forward(text: string): Promise<void>;
    /** The person waits for an officer after the pick-up notice. */
    wait(): Promise<void>;
    /** The chat leaves the queue; the bot looks after the person again. */
    leave(because: LeftBecause): Promise<void>;
  };
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
  /** Everything held about this person (bot/privacy/summary.ts). */
  heldData(): Promise<PersonData | undefined>;
  /** Erases this person's data (bot/privacy/erase.ts), with the rest of the turn. */
  erase(): Promise<ErasureOutcome>;
  /** The knowledge base: the article a message gets, and what came of it (bot/kb/library.ts). */
  readonly kb: KbStore;
  /** Planned-outage notices: this chat's subscriptions to areas (bot/announcements/turn-store.ts). */
  readonly notices: NoticeStore;
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
  readonly handoff: HandoffPolicy;
  /** What this conversation remembers whatever its mode (the latest complaint). */
  readonly remembered: Memory;
}

export interface TurnResult {
  readonly replies: readonly Reply[];
  readonly state: ConversationState;
  /** The person asked for staff (or was not understood twice): the chat goes to staff after this turn. */
  readonly handoff?: boolean;
  /** To remember from now on (kept beside the state, whatever the mode). */
  readonly remember?: Memory;
  /** The person's data was erased in this turn: nothing of it is remembered, and the reply is the last thing said to them. */
  readonly erased?: boolean;
}

export const say = (text: string, options?: Reply['options']): Reply => (options && options.length > 0 ? { text, options } : { text });
