import type { Tx } from '../../db/store.ts';
import type { Conversation } from '../../db/queries/conversations.ts';
import { endHandoff, startHandoff } from '../../db/queries/handoffs.ts';
import { translator, type Locale } from '../../locales/index.ts';
import { alertStaff, type StaffChat } from '../staff/alerts.ts';

export interface HandoffPolicy {
  /** How long staff have to take a hand-off before the bot tells the person (charter line 1: 20 seconds). */
  readonly pickupMs: number;
  /** How long after the last staff word the bot takes the chat back by itself. */
  readonly timeoutMs: number;
  /** How long a person waits for an officer nobody takes, from asking, before the bot tells them and looks after them again. */
  readonly waitMs: number;
  /** While a person waits, their messages go to staff with at most one short acknowledgement in this time. */
  readonly ackEveryMs: number;
}

export const DEFAULT_HANDOFF: HandoffPolicy = Object.freeze({ pickupMs: 20_000, timeoutMs: 60 * 60_000, waitMs: 30 * 60_000, ackEveryMs: 5 * 60_000 });

export interface HandoffDeps {
  readonly staffChat?: StaffChat;
  readonly staffLocale: Locale;
  readonly handoff: HandoffPolicy;
}

/**
 * Where a chat stands with staff, read from the conversation row (what the
 * console's queue shows too): not handed over; asked, with staff's 20 seconds
 * running; offered a request or the wait after those passed; waiting for an
 * officer; or taken by one.
 */
export type HandoffPhase = 'none' | 'asked' | 'offered' | 'waiting' | 'taken';

export function phaseOf(c: Pick<Conversation, 'handedOff' | 'handedOffAt' | 'handoffTakenBy' | 'handoffPickupDueAt'>): HandoffPhase {
  if (!c.handedOffAt) return 'none';
  if (c.handoffTakenBy) return 'taken';
  if (c.handoffPickupDueAt) return 'asked';
  return c.handedOff ? 'waiting' : 'offered';
}

/** Whether a chat in the queue that no officer took has waited its time out. */
export const waitIsOver = (c: Pick<Conversation, 'handedOffAt' | 'handoffTakenBy'>, now: Date, policy: HandoffPolicy): boolean =>
  c.handedOffAt !== null && c.handoffTakenBy === null && now.getTime() - c.handedOffAt.getTime() >= policy.waitMs;

/** The tag staff see and reply under: it ties a staff-group message to its chat. */
export const conversationTag = (id: number) => `#M${id}`;

/** Hands the chat to staff and tells them, with what the person wrote; the wish is kept as a hand-off record. */
export async function beginHandoff(tx: Tx, deps: HandoffDeps, c: { conversation: Conversation; text: string; now: Date }): Promise<void> {
  await startHandoff(tx, { conversationId: c.conversation.id, personId: c.conversation.personId, text: c.text, now: c.now, pickupDueAt: new Date(c.now.getTime() + deps.handoff.pickupMs) });
  const t = translator(deps.staffLocale);
  await alertStaff(tx, deps.staffChat, {
    text: t('staff.handoff_new', { tag: conversationTag(c.conversation.id), channel: c.conversation.channel, text: c.text }),
    conversationId: c.conversation.id,
    at: c.now,
  });
}

/** A message of a person in the queue, passed on to staff (in the staff group's thread for the chat, when there is one). */
export async function forwardToStaff(tx: Tx, deps: HandoffDeps, c: { conversationId: number; text: string; now: Date }): Promise<void> {
  const t = translator(deps.staffLocale);
  await alertStaff(tx, deps.staffChat, { text: t('staff.handoff_message', { tag: conversationTag(c.conversationId), text: c.text }), conversationId: c.conversationId, at: c.now });
}

/** Why a chat leaves the queue without an officer: the person asked for the bot, or waited the time out. */
export type LeftBecause = 'asked' | 'wait_over';

/** The chat leaves the staff queue and the bot looks after the person again; staff are told why. */
export async function leaveQueue(tx: Tx, deps: HandoffDeps, c: { conversationId: number; because: LeftBecause; now: Date }): Promise<void> {
  await endHandoff(tx, c.conversationId, c.now);
  await tellStaffLeft(tx, deps, c);
}

export async function tellStaffLeft(tx: Tx, deps: HandoffDeps, c: { conversationId: number; because: LeftBecause; now: Date }): Promise<void> {
  const t = translator(deps.staffLocale);
  const tag = conversationTag(c.conversationId);
  const text = c.because === 'asked' ? t('staff.handoff_left', { tag }) : t('staff.handoff_wait_over', { tag, minutes: Math.round(deps.handoff.waitMs / 60_000) });
  await alertStaff(tx, deps.staffChat, { text, conversationId: c.conversationId, at: c.now });
}

export type HandedOff = { readonly status: 'with_staff' } | { readonly status: 'back_to_bot' };

/**
 * A message in a chat an officer holds: passed on to them, unless they have
 * been silent past the timeout, when the bot takes the chat back.
 */
export async function whileHandedOff(tx: Tx, deps: HandoffDeps, c: { conversation: Conversation; text: string; now: Date }): Promise<HandedOff> {
  const since = c.conversation.handedOffAt?.getTime() ?? 0;
  if (c.now.getTime() - since > deps.handoff.timeoutMs) {
    await endHandoff(tx, c.conversation.id, c.now);
    return { status: 'back_to_bot' };
  }
  await forwardToStaff(tx, deps, { conversationId: c.conversation.id, text: c.text, now: c.now });
  return { status: 'with_staff' };
}
