import type { SubscriptionRow } from '../../db/queries/announcements.ts';
import { commandOf, pickOption } from '../engine/commands.ts';
import { say, type TurnContext, type TurnResult } from '../engine/context.ts';
import { understandFresh } from '../engine/intent-turn.ts';
import { IDLE, type ConversationState } from '../engine/state.ts';
import { findArea, hasAreaNotices, within, type Area } from './areas.ts';
import type { NoticeAsk } from './asks.ts';
import { isSms, noticeText } from './words.ts';

// A person's planned-outage notices in the chat, on any channel:
// "nijulishe kuhusu katizo la umeme Sinza" subscribes this chat to that area
// (asked which when none is named, or several places share the name), and
// the reply says how to stop and carries any notice already published there;
// "acha taarifa" stops them all, "acha taarifa za Sinza" that area's.

type AskingArea = Extract<ConversationState, { mode: 'notice_area' }>;

const idle = (...texts: string[]): TurnResult => ({ replies: texts.map((t) => say(t)), state: IDLE });
const names = (subs: readonly SubscriptionRow[]) => [...new Set(subs.map((s) => s.areaLabel))].join('; ');

/** The question "which area?", with the places to choose from when a name was shared by several. */
function askArea(ctx: TurnContext, before: string[], candidates?: readonly Area[], tries = 0): TurnResult {
  const options = candidates?.map((a, i) => ({ id: String(i + 1), label: a.label }));
  const question = candidates ? ctx.t('announcement.chat.which_area') : ctx.t('announcement.chat.ask_area');
  return { replies: [...before.map((b) => say(b)), say(question, options)], state: { mode: 'notice_area', tries, ...(candidates ? { candidates: [...candidates] } : {}) } };
}

/** Subscribes this chat, and says so: how to stop, and the notices already out for the area. */
async function subscribeTo(ctx: TurnContext, area: Area): Promise<TurnResult> {
  const { notices } = ctx.store;
  const added = await notices.subscribe(area);
  const channel = await notices.channel();
  // By SMS, the SMS words (no emoji, how to stop by SMS).
  const joined = isSms(channel) ? 'announcement.sms.subscribed' : 'announcement.chat.subscribed';
  const said = ctx.t(added ? joined : 'announcement.chat.already', { area: area.label });
  const coming = await notices.tellComing(area.key);
  if (coming.length === 0) return idle(said);
  return idle(said, ctx.t('announcement.chat.coming'), ...coming.map((a) => noticeText(ctx.locale, channel, 'before', a, 'other')));
}

/** "nijulishe kuhusu katizo la umeme Sinza": the area named, or the question which. */
function subscribeAsked(ctx: TurnContext, named: string): TurnResult | Promise<TurnResult> {
  if (named === '') return askArea(ctx, []);
  const found = findArea(named, true);
  if (found.status === 'found') return subscribeTo(ctx, found.area);
  if (found.status === 'ambiguous') return askArea(ctx, [], found.candidates);
  return askArea(ctx, [ctx.t('announcement.chat.unknown_area', { text: named })]);
}

/** "acha taarifa": every subscription of the person; "acha taarifa za Sinza": those within the area named (all when it names none we know). */
async function unsubscribeAsked(ctx: TurnContext, named: string): Promise<TurnResult> {
  const { notices } = ctx.store;
  const subs = await notices.subscriptions();
  if (subs.length === 0) return idle(ctx.t('announcement.chat.not_subscribed'));
  const found = named === '' ? { status: 'none' as const } : findArea(named, true);
  const outer = found.status === 'found' ? [found.area] : found.status === 'ambiguous' ? found.candidates : [];
  const chosen = outer.length === 0 ? subs : subs.filter((s) => outer.some((o) => within(o.key, s.area)));
  if (chosen.length === 0) return idle(ctx.t('announcement.chat.not_subscribed_area', { area: outer[0]?.label ?? named, areas: names(subs) }));
  await notices.unsubscribe(chosen.map((s) => s.id));
  const left = subs.filter((s) => !chosen.includes(s));
  if (left.length === 0) return idle(ctx.t('announcement.chat.unsubscribed_all', { areas: names(chosen) }));
  return idle(ctx.t('announcement.chat.unsubscribed_area', { area: names(chosen), areas: names(left) }));
}

async function listAsked(ctx: TurnContext): Promise<TurnResult> {
  const subs = await ctx.store.notices.subscriptions();
  return idle(subs.length === 0 ? ctx.t('announcement.chat.not_subscribed') : ctx.t('announcement.chat.list', { areas: names(subs) }));
}

/** A person's ask about notices (asks.ts), answered. */
export function answerNoticeAsk(ctx: TurnContext, ask: NoticeAsk): TurnResult | Promise<TurnResult> {
  // A desk whose forms never ask where sends no area notices: said politely, whatever was asked.
  if (!hasAreaNotices(ctx.flows)) return idle(ctx.t('announcement.chat.none_here'));
  switch (ask.kind) {
    case 'subscribe':
      return subscribeAsked(ctx, ask.area);
    case 'unsubscribe':
      return unsubscribeAsked(ctx, ask.area);
    case 'list':
      return listAsked(ctx);
  }
}

/** The most answers "which area?" takes before the person is understood afresh, and the most words an area's name has. */
const TRIES = 2;
const AREA_WORDS = 6;

/** The answer to "which area?": a place (or one of those offered), "ghairi", or, after a second miss, a new message. */
export function answerNoticeArea(ctx: TurnContext, state: AskingArea): TurnResult | Promise<TurnResult> {
  const command = commandOf(ctx.text);
  if (command === 'cancel' || command === 'back' || command === 'no') return idle(ctx.t('announcement.chat.ask_cancelled'));
  const picked = state.candidates
    ? pickOption(
        ctx.text,
        state.candidates.map((c) => c.label),
      )
    : undefined;
  const offered = picked === undefined ? undefined : state.candidates?.[picked];
  if (offered) return subscribeTo(ctx, offered);
  // A sentence is a new message ("umeme umekatika Sinza tangu asubuhi"), not the name of an area.
  if (ctx.text.trim().split(/\s+/).length > AREA_WORDS) return understandFresh(ctx, 0);
  const found = findArea(ctx.text, true);
  if (found.status === 'found') return subscribeTo(ctx, found.area);
  if (state.tries + 1 >= TRIES) return understandFresh(ctx, 0);
  if (found.status === 'ambiguous') return askArea(ctx, [], found.candidates, state.tries + 1);
  return askArea(ctx, [ctx.t('announcement.chat.unknown_area', { text: ctx.text.trim().slice(0, 60) })], state.candidates, state.tries + 1);
}
