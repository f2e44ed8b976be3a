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
}

export const DEFAULT_HANDOFF: HandoffPolicy = Object.freeze({ pickupMs: 20_000, timeoutMs: 60 * 60_000 });

export interface HandoffDeps {
  readonly staffChat?: StaffChat;
  readonly staffLocale: Locale;
  readonly handoff: HandoffPolicy;
}

/** The tag staff see and reply under: it ties a staff-group message to its chat. */
export const conversationTag = (id: number) => `#M${id}`;

/** Hands the chat to staff and tells them, with what the person wrote. */
export async function beginHandoff(tx: Tx, deps: HandoffDeps, c: { conversation: Conversation; text: string; now: Date }): Promise<void> {
  await startHandoff(tx, c.conversation.id, c.now, new Date(c.now.getTime() + deps.handoff.pickupMs));
  const t = translator(deps.staffLocale);
  await alertStaff(tx, deps.staffChat, {
    text: t('staff.handoff_new', { tag: conversationTag(c.conversation.id), channel: c.conversation.channel, text: c.text }),
    conversationId: c.conversation.id,
    at: c.now,
  });
}

export type HandedOff = { readonly status: 'with_staff' } | { readonly status: 'back_to_bot' };

/**
 * A message in a chat that staff hold: passed on to them, unless they have
 * been silent past the timeout, when the bot takes the chat back.
 */
export async function whileHandedOff(tx: Tx, deps: HandoffDeps, c: { conversation: Conversation; text: string; now: Date }): Promise<HandedOff> {
  const since = c.conversation.handedOffAt?.getTime() ?? 0;
  if (c.now.getTime() - since > deps.handoff.timeoutMs) {
    await endHandoff(tx, c.conversation.id);
    return { status: 'back_to_bot' };
  }
  const t = translator(deps.staffLocale);
  await alertStaff(tx, deps.staffChat, { text: t('staff.handoff_message', { tag: conversationTag(c.conversation.id), text: c.text }), conversationId: c.conversation.id, at: c.now });
  return { status: 'with_staff' };
}
