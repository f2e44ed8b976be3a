import { findOrCreateConversation, type Person } from '../../db/queries/conversations.ts';
import { insertReplies } from '../../db/queries/messages.ts';
import { markNoticeShown } from '../../db/queries/privacy-notice.ts';
import type { Tx } from '../../db/store.ts';
import { translator, type Locale } from '../../locales/index.ts';
import { erasePerson } from '../privacy/erase.ts';
import { summaryOf, summaryText } from '../privacy/summary.ts';
import { SMS_CHANNEL } from './file.ts';
import type { UssdEffects } from './menu.ts';
import type { UssdState } from './state.ts';
import type { Flows } from '../flows/flows.ts';

// Privacy by USSD (PDPA 2022). The menu (menu.ts) decides; this does what it
// decided, in the post's transaction. The number is proved by the network
// itself, so a USSD user may see (by SMS: a screen holds 182 characters) and
// erase everything held under it.

export interface UssdPrivacyPost {
  readonly person: Person;
  readonly phone: string;
  readonly sessionId: string;
  readonly locale: Locale;
  readonly now: Date;
  /** The forms' fields, to tell a phone or e-mail kept in a request (summaryText). */
  readonly fields: Flows['fields'];
}

/** At a session's first post: a person never given the privacy notice gets it on this session's main menu. */
export async function noticeSession(tx: Tx, state: UssdState, p: UssdPrivacyPost): Promise<UssdState> {
  if (p.person.noticeShownAt !== null) return state;
  await markNoticeShown(tx, p.person.id, p.now);
  return { ...state, notice: p.sessionId };
}

/** The summary of what is held, queued to the phone by SMS in the person's SMS chat. */
async function sendSummary(tx: Tx, p: UssdPrivacyPost): Promise<void> {
  const data = await summaryOf(tx, p.person.id, p.now);
  if (!data) return;
  const { conversation } = await findOrCreateConversation(tx, { channel: SMS_CHANNEL, chatId: p.phone, senderId: p.phone }, p.locale, p.now);
  const text = summaryText(data, translator(p.locale), p.fields);
  await insertReplies(tx, { conversationId: conversation.id, channel: SMS_CHANNEL, chatId: p.phone, replies: [{ text }], at: p.now, viaOutbox: true });
}

export type PrivacyDone = { readonly status: 'kept'; readonly state: UssdState } | { readonly status: 'erased' };

/**
 * What the menu's privacy effect asks: the summary sent once a session, or the
 * person erased. (The gateway posting the erasing step again, after the
 * erasure, meets a person made by that post, holding nothing: erasing them
 * again costs nothing.)
 */
export async function applyPrivacy(tx: Tx, effects: UssdEffects, state: UssdState, p: UssdPrivacyPost): Promise<PrivacyDone> {
  if (effects.privacy === 'send_summary' && state.summarySent !== p.sessionId) {
    await sendSummary(tx, p);
    return { status: 'kept', state: { ...state, summarySent: p.sessionId } };
  }
  if (effects.privacy === 'erase') {
    await erasePerson(tx, p.person.id, { actor: `person:${p.person.id}`, now: p.now });
    return { status: 'erased' };
  }
  return { status: 'kept', state };
}
