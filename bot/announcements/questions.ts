import { say, type TurnContext, type TurnResult } from '../engine/context.ts';
import { IDLE } from '../engine/state.ts';
import { findArea, hasAreaNotices } from './areas.ts';
import { noticeText } from './words.ts';

// "umeme utakatika lini Sinza?": a question the published planned-outage
// notices answer, where the bundle's charter line says so (`notices: true`).

const idle = (...texts: string[]): TurnResult => ({ replies: texts.map((t) => say(t)), state: IDLE });

/**
 * A question a charter line answers from the published notices (`notices:
 * true`: "umeme utakatika lini Sinza?"): those of the area it names, or that
 * there is none, with how to have them sent. Undefined when it names no area
 * we know (the line's `how` answers then).
 */
export async function noticesAnswer(ctx: TurnContext, intent: string): Promise<TurnResult | undefined> {
  const line = ctx.charter.linesFor(intent).find((l) => l.notices);
  if (!line || !hasAreaNotices(ctx.flows)) return undefined;
  const found = findArea(ctx.text, false);
  if (found.status !== 'found') return undefined;
  const { area } = found;
  const coming = await ctx.store.notices.coming(area.key);
  const offer = ctx.t('announcement.chat.offer', { name: area.label.split(',')[0] ?? area.label });
  if (coming.length === 0) return idle(ctx.t('announcement.chat.none_in_area', { area: area.label }), offer);
  const channel = await ctx.store.notices.channel();
  return idle(ctx.t('announcement.chat.in_area', { area: area.label }), ...coming.map((a) => noticeText(ctx.locale, channel, 'before', a, 'other')), offer);
}
