import { personById } from '../../db/queries/conversations.ts';
import { conversationById, conversationOfThread, conversationToChange, endHandoff, handoffQueue, setStaffThread, takeHandoff } from '../../db/queries/handoffs.ts';
import { inboundId, insertReplies, transcript } from '../../db/queries/messages.ts';
import { addEvent, requestById, type RequestRow } from '../../db/queries/requests.ts';
import { closeSession, openSession, sessionOf, setStaffLocale, staffByTelegram, staffByTokenHash, type StaffRow } from '../../db/queries/staff.ts';
import { eventsOf, latestRequestOfConversation, listRequests, requestByReference, requestToChange, staffRequest, type RequestFilter } from '../../db/queries/staff-requests.ts';
import type { Store, Tx } from '../../db/store.ts';
import { translator, type Locale } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import { conversationTag } from '../engine/handoff.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import type { Clock } from '../sla/clock.ts';
import { alertStaff, type StaffChat } from './alerts.ts';
import { changeStatus, type Status, type StatusOutcome } from './status.ts';
import type { Flows } from '../flows/flows.ts';
import { CannedReplies, cannedIn } from './canned.ts';
import { KnowledgeBaseDesk } from '../kb/staff.ts';
import { addNote, notesOf, type NoteOutcome } from './notes.ts';
import { Reports, type Month } from './reports.ts';
import { requestView, searchFields, type RequestView } from './request-view.ts';
import { searchOf } from './search.ts';
import { hashSecret, newSecret } from '../secrets.ts';
import { actorName, type Actor } from './actor.ts';
import { assignRequest, recordIfNotOwner, type AssignOutcome, type AssignTarget } from './assign.ts';
import { startWaitingClock, type ClockEvent, type ClockOutcome } from './clocks.ts';
import { StaffAdmin } from './staff-admin.ts';
import { Privacy } from '../privacy/privacy.ts';
import { Incidents } from '../incidents/incidents.ts';
import { Announcements } from '../announcements/announcements.ts';

export interface DeskDeps {
  readonly store: Store;
  readonly charter: Charter;
  readonly calendar: WorkingCalendar;
  readonly clock: Clock;
  readonly deliversByOutbox: (channel: string) => boolean;
  readonly staffChat?: StaffChat;
  readonly staffLocale: Locale;
  /** The forms: which details fields a summary and a search use. */
  readonly flows: Flows;
  /** How long a console session lasts. */
  readonly sessionMs?: number;
  /** This instance's knowledge base, told at once when staff change an article here (bot/kb/library.ts). */
  readonly kb?: { changed(): void };
  /** Each channel's sending pace (messages a second), when known: notices to many people are spread within it. */
  readonly outboundPace?: (channel: string) => number | undefined;
}

export { actorName, type Actor } from './actor.ts';

export type ReplyOutcome = { readonly status: 'sent'; readonly conversationId: number } | { readonly status: 'not_found' };
export type DeskStatusOutcome = StatusOutcome | { readonly status: 'not_found' };

export type { RequestView } from './request-view.ts';

/** The list's filters as staff give them: `q` as typed, `assignee` as a staff id or 'none'. */
export type RequestQuery = Omit<RequestFilter, 'now' | 'q'> & { readonly q?: string };

export type RequestReplyOutcome = ReplyOutcome | { readonly status: 'no_conversation' } | { readonly status: 'no_canned' };
export type { NoteOutcome } from './notes.ts';

/** Staff-group messages are remembered by their update, under this prefix, on the reply they became. */
const STAFF_SOURCE = 'staff-group';

/** What staff can see and do, whichever face they use (API, console, Telegram staff group). */
export class StaffDesk {
  /** Canned replies (admins keep them) and the charter reports. */
  readonly canned: CannedReplies;
  /** The knowledge base's articles (supervisors and admins keep them) and what they answered. */
  readonly articles: KnowledgeBaseDesk;
  readonly reports: Reports;
  /** Administrators keep the staff: roles, teams, tokens, Telegram links. */
  readonly staffAdmin: StaffAdmin;
  /** PDPA 2022: a person's data exported or erased, and the access log (bot/privacy). */
  readonly privacy: Privacy;
  /** Incidents: one fault, many reporters, each told once (bot/incidents). */
  readonly incidents: Incidents;
  /** Planned outages announced to areas' subscribers (bot/announcements). */
  readonly announcements: Announcements;
  private readonly searchFields: readonly string[];

  constructor(private readonly deps: DeskDeps) {
    this.canned = new CannedReplies(deps);
    this.articles = new KnowledgeBaseDesk(deps);
    this.reports = new Reports(deps);
    this.staffAdmin = new StaffAdmin(deps);
    this.privacy = new Privacy(deps);
    this.incidents = new Incidents(deps);
    this.announcements = new Announcements(deps);
    this.searchFields = searchFields(deps.flows);
  }

  private now = () => this.deps.clock.now();

  /** The charter the desk works under (its lines, event words and teams), for the faces to word things. */
  /** The working calendar: its time zone is the one staff write times in. */
  get calendar(): WorkingCalendar {
    return this.deps.calendar;
  }

  get charter(): Charter {
    return this.deps.charter;
  }

  authenticate(token: string): Promise<StaffRow | undefined> {
    return this.deps.store.read((tx) => staffByTokenHash(tx, hashSecret(token)));
  }

  async signIn(token: string): Promise<{ sessionId: string; csrf: string; staff: StaffRow } | undefined> {
    // A wrong token only reads: guessing tokens never takes a writer's turn.
    const staff = await this.authenticate(token);
    if (!staff) return undefined;
    const sessionId = newSecret();
    const csrf = newSecret();
    const now = this.now();
    await this.deps.store.transaction((tx) =>
      openSession(tx, { idHash: hashSecret(sessionId), staffId: staff.id, csrf, expiresAt: new Date(now.getTime() + (this.deps.sessionMs ?? 12 * 3600_000)), now }),
    );
    return { sessionId, csrf, staff };
  }

  session(sessionId: string): Promise<{ staff: StaffRow; csrf: string } | undefined> {
    return this.deps.store.read((tx) => sessionOf(tx, hashSecret(sessionId), this.now()));
  }

  signOut(sessionId: string): Promise<void> {
    return this.deps.store.transaction((tx) => closeSession(tx, hashSecret(sessionId)));
  }

  /** The officer a Telegram staff-group member is linked to (`npm run staff:link-telegram`), if any. */
  staffOfTelegram(userId: string): Promise<StaffRow | undefined> {
    return this.deps.store.read((tx) => staffByTelegram(tx, userId));
  }

  /** The language the officer's console speaks from their next page on. */
  setConsoleLocale(staffId: number, locale: Locale): Promise<void> {
    return this.deps.store.transaction((tx) => setStaffLocale(tx, staffId, locale));
  }

  /** A bare row's view (no requester or assignee joined); `requestView` gives the whole of it. */
  view(r: RequestRow, now: Date = this.now(), locale: Locale = this.deps.staffLocale): RequestView {
    return requestView(this.deps, r, now, locale);
  }

  async requests(filter: RequestQuery, locale: Locale = this.deps.staffLocale): Promise<RequestView[]> {
    const now = this.now();
    const q = filter.q === undefined ? undefined : searchOf(filter.q, this.searchFields);
    const rows = await this.deps.store.read((tx) => listRequests(tx, { ...filter, q, now }));
    return rows.map((r) => requestView(this.deps, r, now, locale));
  }

  /** One request as the list shows it, e.g. after a change. */
  async requestView(reference: string, locale: Locale = this.deps.staffLocale): Promise<RequestView | undefined> {
    const row = await this.deps.store.read((tx) => staffRequest(tx, reference));
    return row ? requestView(this.deps, row, this.now(), locale) : undefined;
  }

  request(reference: string, locale: Locale = this.deps.staffLocale) {
    return this.deps.store.read(async (tx) => {
      const row = await staffRequest(tx, reference);
      if (!row) return undefined;
      const r = row.request;
      const person = await personById(tx, r.personId);
      const events = await eventsOf(tx, r.id);
      const messages = r.conversationId === null ? [] : await transcript(tx, r.conversationId, 0);
      return { request: requestView(this.deps, row, this.now(), locale), person, events, notes: notesOf(events), messages };
    });
  }

  /** An internal note on a request: in its audit trail for staff, never sent to the person. */
  note(actor: Actor, reference: string, text: string): Promise<NoteOutcome> {
    return addNote(this.deps, actor, reference, text);
  }

  /**
   * A reply to the person a request is from, in its conversation: typed text,
   * or a canned reply in the person's own language (not the officer's).
   */
  async replyOnRequest(actor: Actor, reference: string, what: { readonly text: string } | { readonly canned: number }): Promise<RequestReplyOutcome> {
    const r = await this.deps.store.read((tx) => requestByReference(tx, reference));
    if (!r) return { status: 'not_found' };
    if (r.conversationId === null) return { status: 'no_conversation' };
    if ('text' in what) return this.reply(actor, r.conversationId, what.text, undefined, r.id);
    const canned = await this.canned.get(what.canned);
    if (!canned) return { status: 'no_canned' };
    return this.reply(actor, r.conversationId, (locale) => cannedIn(canned, locale), undefined, r.id);
  }

  setStatus(actor: Actor, reference: string, to: Status, note?: string): Promise<DeskStatusOutcome> {
    const now = this.now();
    return this.deps.store.transaction(async (tx): Promise<DeskStatusOutcome> => {
      const request = await requestToChange(tx, reference);
      if (!request) return { status: 'not_found' };
      const changed = await changeStatus(tx, this.deps, { request, to, note, actor: actorName(actor), now });
      if (changed.status === 'changed') await recordIfNotOwner(tx, request, actor, 'status', now);
      return changed;
    });
  }

  /** Staff record the event a request's clock waits for (or set its scheduled date): the due time is set and the person told it. */
  startClock(actor: Actor, reference: string, event: ClockEvent): Promise<ClockOutcome | { readonly status: 'not_found' }> {
    const now = this.now();
    return this.deps.store.transaction(async (tx) => {
      const request = await requestToChange(tx, reference);
      if (!request) return { status: 'not_found' as const };
      return startWaitingClock(tx, this.deps, { request, event, actor: actorName(actor), now });
    });
  }

  /** Takes a request (`me`), hands it to an officer, or puts it back in its team's queue (`none`), under the roles' rules. */
  assign(by: StaffRow, reference: string, to: AssignTarget): Promise<AssignOutcome | { readonly status: 'not_found' }> {
    const now = this.now();
    return this.deps.store.transaction(async (tx) => {
      const request = await requestToChange(tx, reference);
      if (!request) return { status: 'not_found' as const };
      return assignRequest(tx, { request, by, to, now });
    });
  }

  /**
   * A staff answer to a person, on their channel; the hand-off becomes this
   * staff member's. `sourceId` (a staff-group update) makes a redelivery a no-op.
   * `text` may depend on the person's language (a canned reply); the audit
   * event goes on `requestId` when given, else the conversation's latest request.
   */
  reply(actor: Actor, conversationId: number, text: string | ((locale: Locale) => string), sourceId?: string, requestId?: number): Promise<ReplyOutcome> {
    const now = this.now();
    return this.deps.store.transaction(async (tx): Promise<ReplyOutcome> => {
      const c = await conversationToChange(tx, conversationId);
      if (!c) return { status: 'not_found' };
      const key = sourceId === undefined ? undefined : `${STAFF_SOURCE}:${sourceId}`;
      if (key !== undefined && (await inboundId(tx, c.channel, key)) !== undefined) return { status: 'sent', conversationId: c.id };
      const locale = (await personById(tx, c.personId))?.locale ?? this.deps.staffLocale;
      const words = typeof text === 'string' ? text : text(locale);
      const said = translator(locale)('staff.reply', { text: words });
      await insertReplies(tx, {
        conversationId: c.id,
        channel: c.channel,
        chatId: c.chatId,
        replies: [{ text: said }],
        at: now,
        viaOutbox: this.deps.deliversByOutbox(c.channel),
        author: actorName(actor),
        key,
      });
      await takeHandoff(tx, c.id, actorName(actor), now);
      if (requestId === undefined) await this.audit(tx, c.id, actor, 'staff_reply', words, now);
      else {
        await addEvent(tx, { requestId, at: now, actor: actorName(actor), kind: 'staff_reply', note: words });
        const request = await requestById(tx, requestId);
        if (request) await recordIfNotOwner(tx, request, actor, 'reply', now);
      }
      return { status: 'sent', conversationId: c.id };
    });
  }

  /** Staff are done: the bot looks after the person again, and says so. */
  endHandoff(actor: Actor, conversationId: number): Promise<ReplyOutcome> {
    const now = this.now();
    return this.deps.store.transaction(async (tx): Promise<ReplyOutcome> => {
      const c = await conversationToChange(tx, conversationId);
      if (!c) return { status: 'not_found' };
      await endHandoff(tx, c.id, now);
      const locale = (await personById(tx, c.personId))?.locale ?? this.deps.staffLocale;
      await insertReplies(tx, {
        conversationId: c.id,
        channel: c.channel,
        chatId: c.chatId,
        replies: [{ text: translator(locale)('chat.handoff_ended') }],
        at: now,
        viaOutbox: this.deps.deliversByOutbox(c.channel),
      });
      const t = translator(this.deps.staffLocale);
      await alertStaff(tx, this.deps.staffChat, { text: t('staff.handoff_ended', { tag: conversationTag(c.id) }), conversationId: c.id, at: now });
      await this.audit(tx, c.id, actor, 'handoff_ended', undefined, now);
      return { status: 'sent', conversationId: c.id };
    });
  }

  threadOf(conversationId: number): Promise<string | undefined> {
    return this.deps.store.read(async (tx) => (await conversationById(tx, conversationId))?.staffThread ?? undefined);
  }

  rememberThread(conversationId: number, thread: string): Promise<void> {
    return this.deps.store.transaction((tx) => setStaffThread(tx, conversationId, thread));
  }

  conversationOfThread(thread: string): Promise<number | undefined> {
    return this.deps.store.read((tx) => conversationOfThread(tx, thread));
  }

  handoffs() {
    return this.deps.store.read((tx) => handoffQueue(tx));
  }

  conversation(id: number, after = 0) {
    return this.deps.store.read(async (tx) => {
      const c = await conversationById(tx, id);
      return c ? { conversation: c, messages: await transcript(tx, c.id, after) } : undefined;
    });
  }

  /** A month's charter compliance per line (this month unless told): on time, late, still open. */
  dashboard(month: Month = this.reports.thisMonth(), locale: Locale = this.deps.staffLocale) {
    return this.reports.compliance(month, locale);
  }

  /** Every staff action lands in the audit trail of the conversation's latest request, when it has one. */
  private async audit(tx: Tx, conversationId: number, actor: Actor, kind: string, note: string | undefined, at: Date): Promise<void> {
    const latest = await latestRequestOfConversation(tx, conversationId);
    if (latest) await addEvent(tx, { requestId: latest.id, at, actor: actorName(actor), kind, note });
  }
}
