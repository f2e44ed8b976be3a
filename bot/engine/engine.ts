import type { Tx } from '../../db/store.ts';
import { arrival } from '../../db/queries/arrival.ts';
import { repliesTo, saveTurn } from '../../db/queries/messages.ts';
import { storeInbound } from './inbound.ts';
import { storeFor } from './turn-store.ts';
import type { Conversation, Person } from '../../db/queries/conversations.ts';
import type { Reply } from '../../db/queries/messages.ts';
import type { Understanding } from '../../intents/nlu.ts';
import { languageOf, type LanguageEvidence } from '../../intents/language.ts';
import { translator, type Locale } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import type { Flows } from '../flows/flows.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import type { Clock } from '../sla/clock.ts';
import type { MetricsSink } from '../metrics.ts';
import { commandOf } from './commands.ts';
import { say, type TurnContext, type TurnResult } from './context.ts';
import { keepAttachments } from './attachments.ts';
import { formTurn, languageSwitched } from './form-steer.ts';
import { languageAsked } from './form-interrupt.ts';
import { chooseIntent, confirmCancel, fromMenu, understandFresh } from './intent-turn.ts';
import { chooseService } from './services-turn.ts';
import { withGreetingAnswered } from './courtesy.ts';
import { IDLE, isQueueState, readMemory, readState, withMemory, type ConversationState } from './state.ts';
import { rate, rateComment } from './rating-turn.ts';
import { queueTurn } from './pickup-turn.ts';
import { answerComplaintAbout } from './complaint-turn.ts';
import { beginHandoff, DEFAULT_HANDOFF, forwardToStaff, phaseOf, waitIsOver, whileHandedOff, type HandoffDeps, type HandoffPhase, type HandoffPolicy } from './handoff.ts';
import type { StaffChat } from '../staff/alerts.ts';
import type { InboundMessage, TurnOutcome } from './types.ts';
import { rateKeyOf, rateLimitedTurn, type RateLimit } from './rate-limit.ts';
import { answerLinkCode, answerLinkPhone, beginLink, linkAsked } from './link-turn.ts';
import { answerProofCode, answerProofOffer } from './proof-turn.ts';
import type { CodeChannel } from './phone-proof.ts';
import { markNoticeShown } from '../../db/queries/privacy-notice.ts';
import { noticeFor } from './notice.ts';
import { privacyAsk } from './privacy-asks.ts';
import { answerPrivacyAsk, confirmErase } from './privacy-turn.ts';
import type { KnowledgeBase } from '../kb/library.ts';
import { answerKbOffer } from './kb-turn.ts';
import { noticeAsk } from '../announcements/asks.ts';
import { answerNoticeArea, answerNoticeAsk } from '../announcements/turn.ts';

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
  /** RETENTION_MONTHS, as the privacy notice tells it. */
  readonly retentionMonths: number;
  /** The knowledge base's articles as this instance matches them; none: no article is ever given. */
  readonly kb?: KnowledgeBase;
}

export interface Engine {
  /**
   * One message's turn, in the caller's transaction (see inbox.ts: a savepoint
   * of a group commit, or a transaction of its own); `understood` is its
   * understanding when the caller already has it.
   */
  turn(tx: Tx, message: InboundMessage, understood?: Understanding): Promise<TurnOutcome>;
}

/** States holding a form's unsaved answers, where every text is an answer: "unganisha namba yangu" is not a command there. */
const IN_FORM = new Set<ConversationState['mode']>(['form', 'confirm', 'choose_field', 'form_check']);

/** One turn of the dialogue: the state decides what the message answers. */
function dispatch(ctx: TurnContext, state: ConversationState): TurnResult | Promise<TurnResult> {
  const link = IN_FORM.has(state.mode) ? undefined : linkAsked(ctx, state);
  if (link) return beginLink(ctx, link.phone);
  const privacy = IN_FORM.has(state.mode) ? undefined : privacyAsk(ctx.text);
  if (privacy) return answerPrivacyAsk(ctx, privacy);
  // "nijulishe kuhusu katizo la umeme Sinza", "acha taarifa": area notices, from phrases, on every bundle.
  const notices = IN_FORM.has(state.mode) ? undefined : noticeAsk(ctx.text);
  if (notices) return answerNoticeAsk(ctx, notices);
  switch (state.mode) {
    case 'form':
    case 'confirm':
    case 'choose_field':
    case 'form_check':
      return formTurn(ctx, state);
    case 'confirm_cancel':
      return confirmCancel(ctx, state.reference);
    case 'choose_intent':
      return chooseIntent(ctx, state.options, state.text);
    case 'choose_service':
      return chooseService(ctx, state.lines) ?? understandFresh(ctx, 0);
    case 'menu':
      return fromMenu(ctx);
    case 'idle':
      // "Shikamoo, barua pepe yangu…": the request is answered, the greeting returned first.
      return understandFresh(ctx, state.misunderstood).then((result) => withGreetingAnswered(ctx, result));
    case 'rate':
      return rate(ctx, state.reference);
    case 'rate_comment':
      return rateComment(ctx, state.reference);
    case 'complaint_about':
      return answerComplaintAbout(ctx, state.text, state.options);
    // Out of the staff queue (an officer took the chat and ended it): a message like any other.
    case 'pickup_offer':
    case 'handoff_wait':
      return understandFresh(ctx, 0);
    case 'link_phone':
      return answerLinkPhone(ctx);
    case 'link_code':
      return answerLinkCode(ctx, state.phone);
    case 'prove_offer':
      return answerProofOffer(ctx, state.pending);
    case 'prove_code':
      return answerProofCode(ctx, state.pending);
    case 'confirm_erase':
      return confirmErase(ctx, state.askedAt);
    case 'notice_area':
      return answerNoticeArea(ctx, state);
    case 'kb_offer':
      return answerKbOffer(ctx, state, (c) => understandFresh(c, 0));
  }
}

/**
 * The language to answer in: a switch asked for, else the message's own when
 * its words say so ("Registry, block B" says nothing), else the person's.
 */
function replyLocale(text: string, current: Locale, evidence: LanguageEvidence): Locale {
  const asked = languageAsked(text);
  if (asked === 'sw' || asked === 'en') return asked;
  if (asked === 'other') return current === 'sw' ? 'en' : 'sw';
  // Mid-conversation, a clear lead of two marker words is needed to change language.
  return languageOf(evidence, current, 2);
}

export function createEngine(deps: EngineDeps): Engine {
  const staff: HandoffDeps = { staffChat: deps.staffChat, staffLocale: deps.defaultLocale, handoff: deps.handoff ?? DEFAULT_HANDOFF };
  return {
    async turn(tx, given, understood) {
      const now = deps.clock.now();
      const message = withoutNul(given);
      const key = rateKeyOf(message);
      // Whether it came before, who wrote, and a flood window kept in the database counted: one round trip on PostgreSQL.
      const windowMs = deps.rateLimit?.windowMs;
      const { seen, known, counted } = await arrival(tx, message, now, windowMs === undefined ? undefined : { key, windowMs });
      // A redelivery is answered with what it got the first time, without understanding it again.
      if (seen !== undefined) return { status: 'duplicate', replies: await repliesTo(tx, seen) };
      // Over the limit: stored (with one polite reply the first time), before paying for understanding.
      const rate = (await deps.rateLimit?.hit(tx, key, now, counted)) ?? 'allowed';
      if (rate !== 'allowed') return rateLimitedTurn(tx, deps, message, now, rate, known);
      const understanding = understood ?? deps.understand(message.text, now);
      const stored = await storeInbound(tx, message, understanding.language, now, known);
      if (stored.status === 'duplicate') return stored;
      const { person, conversation, inbound } = stored;
      const held = await heldByStaff(tx, staff, conversation, message.text, now);
      if (held.status === 'with_staff') return { status: 'handed_off' };
      const locale = replyLocale(message.text, person.locale, understanding.languageEvidence);
      const store = storeFor(tx, deps, staff, person.id, conversation.id, now, locale);
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
        handoff: staff.handoff,
        remembered: readMemory(conversation.state),
      };
      const state = readState(conversation.state);
      // A switch of language: said so, and a form's question asked again in it.
      const result: TurnResult = languageAsked(message.text) ? languageSwitched(ctx, state) : await answer(ctx, conversation, held, state);
      if (result.handoff) await beginHandoff(tx, staff, { conversation, text: message.text, now });
      const replies = await withNotice(tx, deps, { person, channel: message.channel, locale, now }, result);
      await saveTurn(tx, {
        // An erased person's chat keeps nothing of them, not even what it remembered.
        state: result.erased ? IDLE : withMemory(result.state, { ...ctx.remembered, ...result.remember }),
        conversationId: conversation.id,
        channel: message.channel,
        chatId: message.chatId,
        replyTo: inbound,
        replies,
        at: now,
        viaOutbox: deps.deliversByOutbox(message.channel),
      });
      deps.metrics?.count('huduma_messages_in_total', { channel: message.channel });
      deps.metrics?.count('huduma_messages_out_total', { channel: message.channel }, replies.length);
      deps.metrics?.observeConfidence(understanding.confidence);
      return { status: 'replied', replies };
    },
  };
}

/**
 * The turn's replies, followed by the privacy notice when this is the first
 * answer the person gets on any channel (after the answer, not instead of it),
 * which is then remembered on the person.
 */
async function withNotice(tx: Tx, deps: EngineDeps, p: { person: Person; channel: string; locale: Locale; now: Date }, result: TurnResult): Promise<readonly Reply[]> {
  if (p.person.noticeShownAt !== null || result.erased || result.replies.length === 0) return result.replies;
  await markNoticeShown(tx, p.person.id, p.now);
  return [...result.replies, say(noticeFor(deps, p.channel, p.locale))];
}

type Held = { readonly status: 'with_staff' | 'bot' } | { readonly status: 'queue'; readonly phase: Exclude<HandoffPhase, 'none'> };

/**
 * Whether an officer holds the chat, or has the 20 seconds of charter line 1
 * to take it: then the message is theirs (passed on, the bot silent), unless
 * the person asks for the bot back. 'queue': the turn is for the staff
 * queue's own words (pickup-turn.ts); 'bot': the bot answers as usual.
 */
async function heldByStaff(tx: Tx, staff: HandoffDeps, conversation: Conversation, text: string, now: Date): Promise<Held> {
  const phase = phaseOf(conversation);
  if (phase === 'none') return { status: 'bot' };
  const command = commandOf(text);
  // "msaada" goes to the officer who holds the chat; only a plain wish for the bot takes it from them.
  const wantsBot = command === 'bot_back' || (command === 'menu' && phase !== 'taken');
  if (phase === 'taken' && !wantsBot) return { status: (await whileHandedOff(tx, staff, { conversation, text, now })).status === 'with_staff' ? 'with_staff' : 'bot' };
  if (phase === 'asked' && !wantsBot && !waitIsOver(conversation, now, staff.handoff)) {
    await forwardToStaff(tx, staff, { conversationId: conversation.id, text, now });
    return { status: 'with_staff' };
  }
  return { status: 'queue', phase };
}

/**
 * The turn's answer: the staff queue's words for a person in it, else the
 * bot's; led by the wait-over notice when nobody took the chat in time (the
 * leader's pick-up check tells the person; this turn does if it comes first).
 */
async function answer(ctx: TurnContext, conversation: Conversation, held: Held, state: ConversationState): Promise<TurnResult> {
  if (held.status !== 'queue') return ctx.attachments.length > 0 ? keepAttachments(ctx, state) : dispatch(ctx, state);
  if (!waitIsOver(conversation, ctx.now, ctx.handoff)) return queueTurn(ctx, held.phase, state);
  await ctx.store.queue.leave('wait_over');
  const after = await answer(ctx, conversation, { status: 'bot' }, isQueueState(state) ? IDLE : state);
  return { ...after, replies: [say(ctx.t('chat.handoff_wait_over', { minutes: Math.round(ctx.handoff.waitMs / 60_000) })), ...after.replies] };
}

/**
 * NUL is no character anyone types, and neither database keeps it in text
 * alike (PostgreSQL refuses it): a platform that passes one on gets U+FFFD.
 */
const withoutNul = (m: InboundMessage): InboundMessage => (m.text.includes('\u0000') ? { ...m, text: m.text.replaceAll('\u0000', '\uFFFD') } : m);
