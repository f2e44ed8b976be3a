import { personById } from '../../db/queries/conversations.ts';
import { conversationById, conversationOfThread, conversationToChange, endHandoff, handoffQueue, setStaffThread, takeHandoff } from '../../db/queries/handoffs.ts';
import { inboundId, insertReplies, transcript } from '../../db/queries/messages.ts';
import { addEvent, type RequestRow } from '../../db/queries/requests.ts';
import { closeSession, openSession, sessionOf, staffByTokenHash, type StaffRow } from '../../db/queries/staff.ts';
import { eventsOf, latestRequestOfConversation, listRequests, monthlyByService, requestByReference, requestToChange, type RequestFilter } from '../../db/queries/staff-requests.ts';
import type { Store, Tx } from '../../db/store.ts';
import { translator, type Locale } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import { conversationTag } from '../engine/handoff.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import type { Clock } from '../sla/clock.ts';
import { fromLocal, toLocal } from '../sla/zoned.ts';
import { alertStaff, type StaffChat } from './alerts.ts';
import { changeStatus, type Status, type StatusOutcome } from './status.ts';
import { hashSecret, newSecret } from '../secrets.ts';

export interface DeskDeps {
  readonly store: Store;
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

  view(r: RequestRow, now: Date = this.now()): RequestView {
    const line = this.deps.charter.lines.find((l) => l.line === r.charterLine);
    return { ...r, serviceName: line?.name[this.deps.staffLocale] ?? r.service, breached: OPEN.has(r.status) && r.pausedSince === null && r.dueAt !== null && r.dueAt <= now };
  }

  async requests(filter: Omit<RequestFilter, 'now'>): Promise<RequestView[]> {
    const now = this.now();
    const rows = await this.deps.store.read((tx) => listRequests(tx, { ...filter, now }));
    return rows.map((r) => this.view(r, now));
  }

  request(reference: string) {
    return this.deps.store.read(async (tx) => {
      const r = await requestByReference(tx, reference);
      if (!r) return undefined;
      const person = await personById(tx, r.personId);
      return { request: this.view(r), person, events: await eventsOf(tx, r.id), messages: r.conversationId === null ? [] : await transcript(tx, r.conversationId, 0) };
    });
  }

  setStatus(actor: Actor, reference: string, to: Status, note?: string): Promise<DeskStatusOutcome> {
    const now = this.now();
    return this.deps.store.transaction(async (tx): Promise<DeskStatusOutcome> => {
      const request = await requestToChange(tx, reference);
      if (!request) return { status: 'not_found' };
      return changeStatus(tx, this.deps, { request, to, note, actor: actorName(actor), now });
    });
  }

  /**
   * A staff answer to a person, on their channel; the hand-off becomes this
   * staff member's. `sourceId` (a staff-group update) makes a redelivery a no-op.
   */
  reply(actor: Actor, conversationId: number, text: string, sourceId?: string): Promise<ReplyOutcome> {
    const now = this.now();
    return this.deps.store.transaction(async (tx): Promise<ReplyOutcome> => {
      const c = await conversationToChange(tx, conversationId);
      if (!c) return { status: 'not_found' };
      const key = sourceId === undefined ? undefined : `${STAFF_SOURCE}:${sourceId}`;
      if (key !== undefined && (await inboundId(tx, c.channel, key)) !== undefined) return { status: 'sent', conversationId: c.id };
      const locale = (await personById(tx, c.personId))?.locale ?? this.deps.staffLocale;
      const said = translator(locale)('staff.reply', { text });
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
      await this.audit(tx, c.id, actor, 'staff_reply', text, now);
      return { status: 'sent', conversationId: c.id };
    });
  }

  /** Staff are done: the bot looks after the person again, and says so. */
  endHandoff(actor: Actor, conversationId: number): Promise<ReplyOutcome> {
    const now = this.now();
    return this.deps.store.transaction(async (tx): Promise<ReplyOutcome> => {
      const c = await conversationToChange(tx, conversationId);
      if (!c) return { status: 'not_found' };
      await endHandoff(tx, c.id);
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

  /** This month, per service: open, breached now, resolved, and the share resolved on time. */
  async dashboard() {
    const now = this.now();
    const local = toLocal(now, this.deps.calendar.timeZone);
    const monthStart = fromLocal({ year: local.year, month: local.month, day: 1 }, 0, this.deps.calendar.timeZone);
    const rows = await this.deps.store.read((tx) => monthlyByService(tx, monthStart, now));
    return rows.map((r) => {
      const line = this.deps.charter.lines.find((l) => l.intent === r.service);
      return { ...r, serviceName: line?.name[this.deps.staffLocale] ?? r.service, metPercent: r.resolved > 0 ? Math.round((100 * r.onTime) / r.resolved) : null };
    });
  }

  /** Every staff action lands in the audit trail of the conversation's latest request, when it has one. */
  private async audit(tx: Tx, conversationId: number, actor: Actor, kind: string, note: string | undefined, at: Date): Promise<void> {
    const latest = await latestRequestOfConversation(tx, conversationId);
    if (latest) await addEvent(tx, { requestId: latest.id, at, actor: actorName(actor), kind, note });
  }
}
