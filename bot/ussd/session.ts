import { findOrCreateConversation, saveConversationState, setPersonLocale } from '../../db/queries/conversations.ts';
import { inboundId } from '../../db/queries/messages.ts';
import { requestByReference } from '../../db/queries/requests.ts';
import { personForPhone } from '../../db/queries/ussd.ts';
import type { Tx } from '../../db/store.ts';
import type { Locale } from '../../locales/index.ts';
import type { FilingDeps } from '../engine/filing.ts';
import type { Flows } from '../flows/flows.ts';
import type { Clock } from '../sla/clock.ts';
import { fileReport, sessionKey, USSD_CHANNEL } from './file.ts';
import { segmentsOf, ussdMenu } from './menu.ts';
import { clip } from './pages.ts';
import { applyPrivacy, noticeSession } from './privacy.ts';
import { forgetDraft, keepDraft, offeredDraft, openSession, readUssdState, type UssdState } from './state.ts';
import { USSD_TEXT_LIMIT } from './types.ts';
import { faqArticles, recordFaq } from './faq-record.ts';
import { applyNoticeEffect } from '../announcements/ussd.ts';

export interface UssdDeps extends FilingDeps {
  readonly flows: Flows;
  readonly clock: Clock;
  readonly defaultLocale: Locale;
  /** RETENTION_MONTHS, as the privacy notice tells it. */
  readonly retentionMonths: number;
}

/** One callback from the gateway, checked and with the phone number in E.164. */
export interface UssdPost {
  readonly sessionId: string;
  readonly phone: string;
  /** Every answer of the session so far, joined by "*"; empty at its start. */
  readonly text: string;
}

const reply = (end: boolean, text: string) => `${end ? 'END' : 'CON'} ${clip(text, USSD_TEXT_LIMIT)}`;

/**
 * Answers one USSD callback, in the caller's transaction: the person behind
 * the number, their draft, the screen their answers lead to, and what it
 * changes (language, draft, a filed report). Returns the gateway's reply,
 * "CON …" or "END …".
 */
export async function ussdTurn(tx: Tx, deps: UssdDeps, post: UssdPost): Promise<string> {
  const now = deps.clock.now();
  const person = await personForPhone(tx, post.phone, deps.defaultLocale, now);
  const { conversation } = await findOrCreateConversation(tx, { channel: USSD_CHANNEL, chatId: post.phone, senderId: post.phone }, person.locale, now);
  const segments = segmentsOf(post.text);
  const stored = readUssdState(conversation.state);
  const privacyPost = { person, phone: post.phone, sessionId: post.sessionId, locale: person.locale, now, fields: deps.flows.fields };
  let state: UssdState = segments.length === 0 ? await noticeSession(tx, openSession(stored, post.sessionId, now), privacyPost) : stored;
  const lookups = { findRequest: (reference: string) => requestByReference(tx, reference), articles: () => faqArticles(tx) };
  const notice = state.notice === post.sessionId;
  const outcome = await ussdMenu({ ...deps, now, segments, locale: person.locale, resume: offeredDraft(state, post.sessionId), lookups, notice });
  if (outcome.effects.locale && outcome.effects.locale !== person.locale) await setPersonLocale(tx, person.id, outcome.effects.locale);
  if (outcome.effects.kb) await recordFaq(tx, outcome.effects.kb, { conversationId: conversation.id, sessionId: post.sessionId, now });
  // Planned-outage notices joined or stopped: kept on the person's SMS chat, where they will come.
  if (outcome.effects.notices) await applyNoticeEffect(tx, outcome.effects.notices, { phone: post.phone, locale: outcome.locale, now });
  if (outcome.kind === 'screen') {
    const privacy = await applyPrivacy(tx, outcome.effects, state, { ...privacyPost, locale: outcome.locale });
    // Erased: their chats keep nothing of them, not even this menu's state.
    if (privacy.status === 'erased') return reply(outcome.screen.end, outcome.screen.text);
    state = privacy.state;
  }
  // A session that has filed keeps no draft: a late re-post of an earlier step must not bring the report back as unfinished.
  const filed = (await inboundId(tx, USSD_CHANNEL, sessionKey(post.sessionId))) !== undefined;
  if (!filed) state = keepDraft(state, outcome.effects, post.sessionId, now);
  let text: string;
  if (outcome.kind === 'file') {
    text = reply(true, await fileReport(tx, deps, { phone: post.phone, sessionId: post.sessionId, draft: outcome.draft, locale: outcome.locale, now }));
    state = forgetDraft(state);
  } else text = reply(outcome.screen.end, outcome.screen.text);
  if (JSON.stringify(state) !== JSON.stringify(stored)) await saveConversationState(tx, conversation.id, state, now);
  return text;
}
