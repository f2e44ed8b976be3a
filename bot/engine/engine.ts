import type { Tx } from '../../db/store.ts';
import { findOrCreateConversation, saveConversationState, setPersonContact, setPersonLocale } from '../../db/queries/conversations.ts';
import { inboundId, insertInbound, insertReplies, repliesTo } from '../../db/queries/messages.ts';
import { recordNotice } from '../../db/queries/notices.ts';
import { updateRequest } from '../../db/queries/staff-requests.ts';
import { addEvent, findOwnRequest, latestRequestOf, openRequestsOf, setStatus } from '../../db/queries/requests.ts';
import type { Understanding } from '../../intents/nlu.ts';
import { languageOf, type LanguageEvidence } from '../../intents/language.ts';
import { translator, type Locale } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import type { Flows } from '../flows/flows.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import type { Clock } from '../sla/clock.ts';
import type { MetricsSink } from '../metrics.ts';
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
import { rateKeyOf, rateLimitedTurn, type RateLimit } from './rate-limit.ts';
import { fileRequest } from './filing.ts';
import { answerLinkCode, answerLinkPhone, beginLink, linkAsked } from './link-turn.ts';
import { checkPhoneProof, startPhoneProof, type CodeChannel } from './phone-proof.ts';
import { phoneLeadsTo } from '../../db/queries/identity.ts';

export interface EngineDeps {
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
  readonly rateLimit?: RateLimit;
  /**
   * The channels that can carry a one-time code to a phone number, best first
   * (see phone-proof.ts); none means numbers cannot be proved here.
   */
  readonly codeChannels?: readonly CodeChannel[];
}

export interface Engine {
  /**
   * One message's turn, in the caller's transaction (see inbox.ts: a savepoint
   * of a group commit, or a transaction of its own); `understood` is its
   * understanding when the caller already has it.
   */
  turn(tx: Tx, message: InboundMessage, understood?: Understanding): Promise<TurnOutcome>;
}

function storeFor(tx: Tx, deps: EngineDeps, personId: number, conversationId: number, now: Date, locale: Locale): TurnStore {
  const actor = `person:${personId}`;
  const codeChannels = deps.codeChannels ?? [];
  const own = (reference: string) => findOwnRequest(tx, personId, reference);
  return {
    file: (r) => fileRequest(tx, deps, { ...r, personId, conversationId, now }),
    findOwnRequest: own,
    openRequests: () => openRequestsOf(tx, personId),
    latestRequest: () => latestRequestOf(tx, personId),
    cancelRequest: (request) => setStatus(tx, { requestId: request.id, status: 'cancelled', at: now, actor, note: 'cancelled by the customer' }),
    recordNotice: async (kind, text, requestId) => {
      await recordNotice(tx, { kind, personId, conversationId, requestId, text, at: now });
      if (requestId) await addEvent(tx, { requestId, at: now, actor, kind, note: text });
    },
    attach: async (request, attachments) => {
      for (const a of attachments) await addEvent(tx, { requestId: request.id, at: now, actor, kind: 'attachment', note: a.caption, data: a });
    },
    rate: async (reference, rating) => {
      const request = await own(reference);
      if (!request) return false;
      await updateRequest(tx, request.id, { rating });
      await addEvent(tx, { requestId: request.id, at: now, actor, kind: 'rating', data: { rating } });
      return true;
    },
    commentRating: async (reference, comment) => {
      const request = await own(reference);
      if (!request) return;
      await updateRequest(tx, request.id, { ratingComment: comment });
      await addEvent(tx, { requestId: request.id, at: now, actor, kind: 'rating_comment', note: comment });
    },
    setLocale: (locale) => setPersonLocale(tx, personId, locale),
    setContact: (contact) => setPersonContact(tx, personId, { email: contact.email }),
    canSendCodes: codeChannels.length > 0,
    phoneIsMine: (phone) => phoneLeadsTo(tx, phone, personId),
    startPhoneProof: (phone, message) => startPhoneProof(tx, { codeChannels }, { personId, conversationId, phone, now, message }),
    checkPhoneProof: (code) => checkPhoneProof(tx, { personId, conversationId, code, locale, now }),
  };
}

/** States holding a form's unsaved answers, where every text is an answer: "unganisha namba yangu" is not a command there. */
const IN_FORM = new Set<ConversationState['mode']>(['form', 'confirm', 'choose_field']);

/** One turn of the dialogue: the state decides what the message answers. */
function dispatch(ctx: TurnContext, state: ConversationState): TurnResult | Promise<TurnResult> {
  const link = IN_FORM.has(state.mode) ? undefined : linkAsked(ctx, state);
  if (link) return beginLink(ctx, link.phone);
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
    case 'link_phone':
      return answerLinkPhone(ctx);
    case 'link_code':
      return answerLinkCode(ctx, state.phone);
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
  const staff = { staffChat: deps.staffChat, staffLocale: deps.defaultLocale, handoff: deps.handoff ?? DEFAULT_HANDOFF };
  return {
    async turn(tx, given, understood) {
      const now = deps.clock.now();
      const message = withoutNul(given);
      // A redelivery is answered with what it got the first time, without understanding it again.
      const seen = await inboundId(tx, message.channel, message.channelMessageId);
      if (seen !== undefined) return { status: 'duplicate', replies: await repliesTo(tx, seen) };
      // Over the limit: stored (with one polite reply the first time), before paying for understanding.
      const rate = (await deps.rateLimit?.hit(tx, rateKeyOf(message), now)) ?? 'allowed';
      if (rate !== 'allowed') return rateLimitedTurn(tx, deps, message, now, rate);
      const understanding = understood ?? deps.understand(message.text, now);
      const { person, conversation } = await findOrCreateConversation(tx, message, understanding.language, now);
      const inbound = await insertInbound(tx, {
        conversationId: conversation.id,
        channel: message.channel,
        channelMessageId: message.channelMessageId,
        text: message.text,
        attachments: message.attachments,
        at: now,
      });
      // Taken meanwhile by another instance (PostgreSQL waited for its commit): the replies it gave.
      if (inbound === undefined) return { status: 'duplicate', replies: await repliesOf(tx, message) };
      if (conversation.handedOff && (await whileHandedOff(tx, staff, { conversation, text: message.text, now })).status === 'with_staff') return { status: 'handed_off' };
      const locale = replyLocale(message.text, person.locale, understanding.languageEvidence);
      const store = storeFor(tx, deps, person.id, conversation.id, now, locale);
      if (locale !== person.locale) await store.setLocale(locale);
      const t = translator(locale);
      const ctx: TurnContext = {
        text: message.text,
        attachments: message.attachments ?? [],
        understanding,
        understand: (text) => deps.understand(text, now),
        locale,
        t,
        now,
        store,
        charter: deps.charter,
        flows: deps.flows,
        calendar: deps.calendar,
      };
      const command = commandOf(message.text);
      const state = readState(conversation.state);
      const result: TurnResult =
        command === 'language_sw' || command === 'language_en' || command === 'language'
          ? { replies: [say(t('chat.language_set'))], state }
          : ctx.attachments.length > 0
            ? await keepAttachments(ctx, state)
            : await dispatch(ctx, state);
      await saveConversationState(tx, conversation.id, result.state, now);
      if (result.handoff) await beginHandoff(tx, staff, { conversation, text: message.text, now });
      await insertReplies(tx, {
        conversationId: conversation.id,
        channel: message.channel,
        chatId: message.chatId,
        replyTo: inbound,
        replies: result.replies,
        at: now,
        viaOutbox: deps.deliversByOutbox(message.channel),
      });
      deps.metrics?.count('huduma_messages_in_total', { channel: message.channel });
      deps.metrics?.count('huduma_messages_out_total', { channel: message.channel }, result.replies.length);
      deps.metrics?.observeConfidence(understanding.confidence);
      return { status: 'replied', replies: result.replies };
    },
  };
}

/**
 * NUL is no character anyone types, and neither database keeps it in text
 * alike (PostgreSQL refuses it): a platform that passes one on gets U+FFFD.
 */
const withoutNul = (m: InboundMessage): InboundMessage => (m.text.includes('\u0000') ? { ...m, text: m.text.replaceAll('\u0000', '\uFFFD') } : m);

async function repliesOf(tx: Tx, message: InboundMessage) {
  const seen = await inboundId(tx, message.channel, message.channelMessageId);
  return seen === undefined ? [] : repliesTo(tx, seen);
}
