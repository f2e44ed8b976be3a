import type { Db, Tx } from '../../db/client.ts';
import { connectionOf } from '../../db/queries/prepared.ts';
import { findOrCreateConversation, saveConversationState, setPersonContact, setPersonLocale } from '../../db/queries/conversations.ts';
import { inboundId, insertInbound, insertReplies, repliesTo } from '../../db/queries/messages.ts';
import { recordNotice } from '../../db/queries/notices.ts';
import { updateRequest } from '../../db/queries/staff-requests.ts';
import { addEvent, createRequest, findOwnRequest, latestRequestOf, openRequestsOf, setStatus } from '../../db/queries/requests.ts';
import type { Understanding } from '../../intents/nlu.ts';
import { languageOf, type LanguageEvidence } from '../../intents/language.ts';
import { translator, type Locale } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import type { Flows } from '../flows/flows.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import type { Clock } from '../sla/clock.ts';
import type { MetricsSink } from '../metrics.ts';
import { toLocal } from '../sla/zoned.ts';
import { spanOf, stageAt } from '../sla/stages.ts';
import { commandOf } from './commands.ts';
import { say, type TurnContext, type TurnResult, type TurnStore } from './context.ts';
import { keepAttachments } from './attachments.ts';
import { answerField, changeField, confirmForm } from './form-turn.ts';
import { chooseIntent, confirmCancel, fromMenu, understandFresh } from './intent-turn.ts';
import { readState, type ConversationState } from './state.ts';
import { rate, rateComment } from './rating-turn.ts';
import { pickupOffer } from './pickup-turn.ts';
import { beginHandoff, DEFAULT_HANDOFF, whileHandedOff, type HandoffPolicy } from './handoff.ts';
import type { StaffChat } from '../staff/alerts.ts';
import type { InboundMessage, TurnOutcome } from './types.ts';
import { RateLimiter, rateLimitedTurn } from './rate-limit.ts';

export interface EngineDeps {
  readonly db: Db;
  readonly understand: (text: string, now: Date) => Understanding;
  readonly charter: Charter;
  readonly flows: Flows;
  readonly calendar: WorkingCalendar;
  readonly clock: Clock;
  readonly referencePrefix: string;
  readonly defaultLocale: Locale;
  /** Channels whose replies go out through the outbox worker (the web chat's go back in its HTTP answer). */
  readonly deliversByOutbox: (channel: string) => boolean;
  readonly metrics?: MetricsSink;
  /** Where staff are told of hand-offs, and in which language. */
  readonly staffChat?: StaffChat;
  readonly handoff?: HandoffPolicy;
  /** Flooding: a person over it is stored but not understood (see rate-limit.ts); none means no limit. */
  readonly rateLimit?: RateLimiter;
}

export interface Engine {
  /** One message's turn, in one transaction; `understood` is its understanding when the caller already has it. */
  handleInbound(message: InboundMessage, understood?: Understanding): TurnOutcome;
}

/** When the SLA watch should first look at a new request: its warning time. */
function firstSlaStep(deps: EngineDeps, charterLine: number, createdAt: Date, dueAt: Date | undefined): Date | undefined {
  const line = deps.charter.lines.find((l) => l.line === charterLine);
  if (!line || !dueAt) return undefined;
  return stageAt('warning', { createdAt, dueAt, pausedMs: 0 }, spanOf(line.sla, deps.calendar));
}

function storeFor(tx: Tx, deps: EngineDeps, personId: number, conversationId: number, now: Date): TurnStore {
  const actor = `person:${personId}`;
  return {
    createRequest: (r) =>
      createRequest(tx, { ...r, slaNextAt: firstSlaStep(deps, r.charterLine, now, r.dueAt), personId, conversationId, prefix: deps.referencePrefix, year: toLocal(now, deps.calendar.timeZone).year, at: now, actor }),
    findOwnRequest: (reference) => findOwnRequest(tx, personId, reference),
    openRequests: () => openRequestsOf(tx, personId),
    latestRequest: () => latestRequestOf(tx, personId),
    cancelRequest: (request) => setStatus(tx, { requestId: request.id, status: 'cancelled', at: now, actor, note: 'cancelled by the customer' }),
    recordNotice: (kind, text, requestId) => {
      recordNotice(tx, { kind, personId, conversationId, requestId, text, at: now });
      if (requestId) addEvent(tx, { requestId, at: now, actor, kind, note: text });
    },
    attach: (request, attachments) => {
      for (const a of attachments) addEvent(tx, { requestId: request.id, at: now, actor, kind: 'attachment', note: a.caption, data: a });
    },
    rate: (reference, rating) => {
      const request = findOwnRequest(tx, personId, reference);
      if (!request) return false;
      updateRequest(tx, request.id, { rating });
      addEvent(tx, { requestId: request.id, at: now, actor, kind: 'rating', data: { rating } });
      return true;
    },
    commentRating: (reference, comment) => {
      const request = findOwnRequest(tx, personId, reference);
      if (!request) return;
      updateRequest(tx, request.id, { ratingComment: comment });
      addEvent(tx, { requestId: request.id, at: now, actor, kind: 'rating_comment', note: comment });
    },
    setLocale: (locale) => setPersonLocale(tx, personId, locale),
    setContact: (contact) => setPersonContact(tx, personId, contact),
  };
}

/** One turn of the dialogue: the state decides what the message answers. */
function dispatch(ctx: TurnContext, state: ConversationState): TurnResult {
  switch (state.mode) {
    case 'form':
      return answerField(ctx, state.form, state.field);
    case 'confirm':
      return confirmForm(ctx, state.form);
    case 'choose_field':
      return changeField(ctx, state.form);
    case 'confirm_cancel':
      return confirmCancel(ctx, state.reference);
    case 'choose_intent':
      return chooseIntent(ctx, state.options, state.text);
    case 'menu':
      return fromMenu(ctx);
    case 'idle':
      return understandFresh(ctx, state.misunderstood);
    case 'rate':
      return rate(ctx, state.reference);
    case 'rate_comment':
      return rateComment(ctx, state.reference);
    case 'pickup_offer':
      return pickupOffer(ctx);
  }
}

/**
 * The language to answer in: a switch asked for, else the message's own when
 * its words say so ("Registry, block B" says nothing), else the person's.
 */
function replyLocale(text: string, current: Locale, evidence: LanguageEvidence): Locale {
  const command = commandOf(text);
  if (command === 'language_sw') return 'sw';
  if (command === 'language_en') return 'en';
  if (command === 'language') return current === 'sw' ? 'en' : 'sw';
  // Mid-conversation, a clear lead of two marker words is needed to change language.
  return languageOf(evidence, current, 2);
}

export function createEngine(deps: EngineDeps): Engine {
  const tx: Tx = deps.db;
  // One of better-sqlite3's own transaction functions, made once (inside the
  // group commit's transaction it is a savepoint); drizzle's db.transaction
  // builds a transaction object for every turn.
  const turn = connectionOf(deps.db).transaction((message: InboundMessage, understood: Understanding | undefined, now: Date): TurnOutcome => {
    // A redelivery is answered with what it got the first time, without understanding it again.
    const seen = inboundId(tx, message.channel, message.channelMessageId);
    if (seen !== undefined) return { status: 'duplicate', replies: repliesTo(tx, seen) };
    // Over the limit: stored (with one polite reply the first time), before paying for understanding.
    const rate = deps.rateLimit?.hit(RateLimiter.keyOf(message), now) ?? 'allowed';
    if (rate !== 'allowed') return rateLimitedTurn(tx, deps, message, now, rate);
    const understanding = understood ?? deps.understand(message.text, now);
    const { person, conversation } = findOrCreateConversation(tx, message, understanding.language, now);
    const inbound = insertInbound(tx, { conversationId: conversation.id, channel: message.channel, channelMessageId: message.channelMessageId, text: message.text, attachments: message.attachments, at: now });
    if (inbound === undefined) return { status: 'duplicate', replies: [] };
    const staff = { staffChat: deps.staffChat, staffLocale: deps.defaultLocale, handoff: deps.handoff ?? DEFAULT_HANDOFF };
    if (conversation.handedOff && whileHandedOff(tx, staff, { conversation, text: message.text, now }).status === 'with_staff') return { status: 'handed_off' };
    const locale = replyLocale(message.text, person.locale, understanding.languageEvidence);
    const store = storeFor(tx, deps, person.id, conversation.id, now);
    if (locale !== person.locale) store.setLocale(locale);
    const t = translator(locale);
    const ctx: TurnContext = { text: message.text, attachments: message.attachments ?? [], understanding, understand: (text) => deps.understand(text, now), locale, t, now, store, charter: deps.charter, flows: deps.flows, calendar: deps.calendar };
    const command = commandOf(message.text);
    const result: TurnResult =
      command === 'language_sw' || command === 'language_en' || command === 'language'
        ? { replies: [say(t('chat.language_set'))], state: readState(conversation.state) }
        : ctx.attachments.length > 0
          ? keepAttachments(ctx, readState(conversation.state))
          : dispatch(ctx, readState(conversation.state));
    saveConversationState(tx, conversation.id, result.state, now);
    if (result.handoff) beginHandoff(tx, staff, { conversation, text: message.text, now });
    insertReplies(tx, { conversationId: conversation.id, channel: message.channel, chatId: message.chatId, replyTo: inbound, replies: result.replies, at: now, viaOutbox: deps.deliversByOutbox(message.channel) });
    deps.metrics?.count('huduma_messages_in_total', { channel: message.channel });
    deps.metrics?.count('huduma_messages_out_total', { channel: message.channel }, result.replies.length);
    deps.metrics?.observeConfidence(understanding.confidence);
    return { status: 'replied', replies: result.replies };
  });
  return {
    handleInbound: (message, understood) => turn.immediate(message, understood, deps.clock.now()),
  };
}
