import { desc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { conversationById, conversationOfThread, endHandoff, handoffQueue, setStaffThread, takeHandoff } from '../../db/queries/handoffs.ts';
import { inboundId, insertReplies, transcript } from '../../db/queries/messages.ts';
import { addEvent, type RequestRow } from '../../db/queries/requests.ts';
import { closeSession, openSession, sessionOf, staffByTokenHash, type StaffRow } from '../../db/queries/staff.ts';
import { eventsOf, listRequests, monthlyByService, requestByReference, type RequestFilter } from '../../db/queries/staff-requests.ts';
import { people, requests } from '../../db/schema.ts';
import { translator, type Locale } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import { conversationTag } from '../engine/handoff.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import type { Clock } from '../sla/clock.ts';
import { fromLocal, toLocal } from '../sla/zoned.ts';
import { alertStaff, type StaffChat } from './alerts.ts';
import { changeStatus, type Status, type StatusOutcome } from './status.ts';
import { hashSecret, newSecret } from './tokens.ts';

export interface DeskDeps {
  readonly db: Db;
  readonly charter: Charter;
  readonly calendar: WorkingCalendar;
  readonly clock: Clock;
  readonly deliversByOutbox: (channel: string) => boolean;
  readonly staffChat?: StaffChat;
  readonly staffLocale: Locale;
  /** How long a console session lasts. */
  readonly sessionMs?: number;
}

/** Who did something, as the audit trail names them: a console/API staff member or a Telegram staff-group member. */
export type Actor = { readonly kind: 'staff'; readonly staff: StaffRow } | { readonly kind: 'telegram'; readonly userId: string; readonly name: string };
export const actorName = (a: Actor) => (a.kind === 'staff' ? `staff:${a.staff.id} ${a.staff.name}` : `telegram:${a.userId} ${a.name}`);

export type ReplyOutcome = { readonly status: 'sent'; readonly conversationId: number } | { readonly status: 'not_found' };
export type DeskStatusOutcome = StatusOutcome | { readonly status: 'not_found' };

/** A request as staff see it: with its service's name and how its time stands. */
export interface RequestView extends RequestRow {
  readonly serviceName: string;
  readonly breached: boolean;
}

/** Staff-group messages are remembered by their update, under this prefix, on the reply they became. */
const STAFF_SOURCE = 'staff-group';

const OPEN = new Set<Status>(['received', 'in_progress', 'waiting_for_customer']);

/** What staff can see and do, whichever face they use (API, console, Telegram staff group). */
export class StaffDesk {
  constructor(private readonly deps: DeskDeps) {}

  private now = () => this.deps.clock.now();

  authenticate(token: string): StaffRow | undefined {
    return this.deps.db.transaction((tx) => staffByTokenHash(tx, hashSecret(token)));
  }

  signIn(token: string): { sessionId: string; csrf: string; staff: StaffRow } | undefined {
    const staff = this.authenticate(token);
    if (!staff) return undefined;
    const sessionId = newSecret();
    const csrf = newSecret();
    const now = this.now();
    this.deps.db.transaction((tx) => openSession(tx, { idHash: hashSecret(sessionId), staffId: staff.id, csrf, expiresAt: new Date(now.getTime() + (this.deps.sessionMs ?? 12 * 3600_000)), now }));
    return { sessionId, csrf, staff };
  }

  session(sessionId: string): { staff: StaffRow; csrf: string } | undefined {
    return this.deps.db.transaction((tx) => sessionOf(tx, hashSecret(sessionId), this.now()));
  }

  signOut(sessionId: string): void {
    this.deps.db.transaction((tx) => closeSession(tx, hashSecret(sessionId)));
  }

  view(r: RequestRow, now: Date = this.now()): RequestView {
    const line = this.deps.charter.lines.find((l) => l.line === r.charterLine);
    return { ...r, serviceName: line?.name[this.deps.staffLocale] ?? r.service, breached: OPEN.has(r.status) && r.pausedSince === null && r.dueAt !== null && r.dueAt <= now };
  }

  requests(filter: Omit<RequestFilter, 'now'>): RequestView[] {
    const now = this.now();
    return this.deps.db.transaction((tx) => listRequests(tx, { ...filter, now })).map((r) => this.view(r, now));
  }

  request(reference: string) {
    return this.deps.db.transaction((tx) => {
      const r = requestByReference(tx, reference);
      if (!r) return undefined;
      const person = tx.select().from(people).where(eq(people.id, r.personId)).get();
      return { request: this.view(r), person, events: eventsOf(tx, r.id), messages: r.conversationId === null ? [] : transcript(tx, r.conversationId, 0) };
    });
  }

  setStatus(actor: Actor, reference: string, to: Status, note?: string): DeskStatusOutcome {
    const now = this.now();
    return this.deps.db.transaction(
      (tx): DeskStatusOutcome => {
        const request = requestByReference(tx, reference);
        if (!request) return { status: 'not_found' };
        return changeStatus(tx, this.deps, { request, to, note, actor: actorName(actor), now });
      },
      { behavior: 'immediate' },
    );
  }

  /**
   * A staff answer to a person, on their channel; the hand-off becomes this
   * staff member's. `sourceId` (a staff-group update) makes a redelivery a no-op.
   */
  reply(actor: Actor, conversationId: number, text: string, sourceId?: string): ReplyOutcome {
    const now = this.now();
    return this.deps.db.transaction(
      (tx): ReplyOutcome => {
        const c = conversationById(tx, conversationId);
        if (!c) return { status: 'not_found' };
        const key = sourceId === undefined ? undefined : `${STAFF_SOURCE}:${sourceId}`;
        if (key !== undefined && inboundId(tx, c.channel, key) !== undefined) return { status: 'sent', conversationId: c.id };
        const locale = tx.select({ locale: people.locale }).from(people).where(eq(people.id, c.personId)).get()?.locale ?? this.deps.staffLocale;
        const said = translator(locale)('staff.reply', { text });
        insertReplies(tx, { conversationId: c.id, channel: c.channel, chatId: c.chatId, replies: [{ text: said }], at: now, viaOutbox: this.deps.deliversByOutbox(c.channel), author: actorName(actor), key });
        takeHandoff(tx, c.id, actorName(actor), now);
        this.audit(tx, c.id, actor, 'staff_reply', text, now);
        return { status: 'sent', conversationId: c.id };
      },
      { behavior: 'immediate' },
    );
  }

  /** Staff are done: the bot looks after the person again, and says so. */
  endHandoff(actor: Actor, conversationId: number): ReplyOutcome {
    const now = this.now();
    return this.deps.db.transaction(
      (tx): ReplyOutcome => {
        const c = conversationById(tx, conversationId);
        if (!c) return { status: 'not_found' };
        endHandoff(tx, c.id);
        const locale = tx.select({ locale: people.locale }).from(people).where(eq(people.id, c.personId)).get()?.locale ?? this.deps.staffLocale;
        insertReplies(tx, { conversationId: c.id, channel: c.channel, chatId: c.chatId, replies: [{ text: translator(locale)('chat.handoff_ended') }], at: now, viaOutbox: this.deps.deliversByOutbox(c.channel) });
        const t = translator(this.deps.staffLocale);
        alertStaff(tx, this.deps.staffChat, { text: t('staff.handoff_ended', { tag: conversationTag(c.id) }), conversationId: c.id, at: now });
        this.audit(tx, c.id, actor, 'handoff_ended', undefined, now);
        return { status: 'sent', conversationId: c.id };
      },
      { behavior: 'immediate' },
    );
  }

  threadOf(conversationId: number): string | undefined {
    return this.deps.db.transaction((tx) => conversationById(tx, conversationId)?.staffThread ?? undefined);
  }

  rememberThread(conversationId: number, thread: string): void {
    this.deps.db.transaction((tx) => setStaffThread(tx, conversationId, thread));
  }

  conversationOfThread(thread: string): number | undefined {
    return this.deps.db.transaction((tx) => conversationOfThread(tx, thread));
  }

  handoffs() {
    return this.deps.db.transaction((tx) => handoffQueue(tx));
  }

  conversation(id: number, after = 0) {
    return this.deps.db.transaction((tx) => {
      const c = conversationById(tx, id);
      return c ? { conversation: c, messages: transcript(tx, c.id, after) } : undefined;
    });
  }

  /** This month, per service: open, breached now, resolved, and the share resolved on time. */
  dashboard() {
    const now = this.now();
    const local = toLocal(now, this.deps.calendar.timeZone);
    const monthStart = fromLocal({ year: local.year, month: local.month, day: 1 }, 0, this.deps.calendar.timeZone);
    return this.deps.db.transaction((tx) => monthlyByService(tx, monthStart, now)).map((r) => {
      const line = this.deps.charter.lines.find((l) => l.intent === r.service);
      return { ...r, serviceName: line?.name[this.deps.staffLocale] ?? r.service, metPercent: r.resolved > 0 ? Math.round((100 * r.onTime) / r.resolved) : null };
    });
  }

  /** Every staff action lands in the audit trail of the conversation's latest request, when it has one. */
  private audit(tx: Tx, conversationId: number, actor: Actor, kind: string, note: string | undefined, at: Date): void {
    const latest = tx.select({ id: requests.id }).from(requests).where(eq(requests.conversationId, conversationId)).orderBy(desc(requests.id)).limit(1).get();
    if (latest) addEvent(tx, { requestId: latest.id, at, actor: actorName(actor), kind, note });
  }
}
