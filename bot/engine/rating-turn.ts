import { isServiceIntent } from '../../intents/ids.ts';
import { commandOf, pickOption } from './commands.ts';
import { say, type TurnContext, type TurnResult } from './context.ts';
import { understandFresh } from './intent-turn.ts';
import { IDLE } from './state.ts';

const LABELS = ['1', '2', '3', '4', '5'];

/** A message that is plainly something new (a fault, a request) is answered as such, not taken as a rating or comment. */
const isNewMatter = (ctx: TurnContext) => isServiceIntent(ctx.understanding.intent) && ctx.understanding.confidence >= 0.8;

/** The answer to "how would you rate the service, 1 to 5?". */
export async function rate(ctx: TurnContext, reference: string): Promise<TurnResult> {
  const labels = LABELS.map((n) => ctx.t(`rating.label.${n}`));
  const picked = pickOption(ctx.text, labels) ?? pickOption(ctx.text.trim().replace(/\s*\/\s*5$/, ''), LABELS);
  if (picked === undefined) {
    if (commandOf(ctx.text) === 'no' || commandOf(ctx.text) === 'cancel') return { replies: [say(ctx.t('rating.skipped'))], state: IDLE };
    return understandFresh(ctx, 0);
  }
  const rating = picked + 1;
  if (!(await ctx.store.rate(reference, rating))) return understandFresh(ctx, 0);
  return { replies: [say(ctx.t('rating.thanks_ask_comment', { rating }))], state: { mode: 'rate_comment', reference } };
}

/** The optional comment after a rating; "hapana" skips it. */
export async function rateComment(ctx: TurnContext, reference: string): Promise<TurnResult> {
  const command = commandOf(ctx.text);
  if (command === 'no' || command === 'cancel') return { replies: [say(ctx.t('rating.thanks'))], state: IDLE };
  if (isNewMatter(ctx)) return understandFresh(ctx, 0);
  await ctx.store.commentRating(reference, ctx.text.trim().slice(0, 2000));
  return { replies: [say(ctx.t('rating.comment_thanks'))], state: IDLE };
}
