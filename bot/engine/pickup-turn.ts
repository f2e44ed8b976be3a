import { PICKUP_OPTIONS } from '../staff/pickup.ts';
import { commandOf, pickOption } from './commands.ts';
import { say, type TurnContext, type TurnResult } from './context.ts';
import { understandFresh } from './intent-turn.ts';
import { IDLE } from './state.ts';

/** The answer to "nobody is free yet: open a request meanwhile, or wait?". */
export async function pickupOffer(ctx: TurnContext): Promise<TurnResult> {
  const i = pickOption(
    ctx.text,
    PICKUP_OPTIONS.map((id) => ctx.t(`chat.pickup_${id}`)),
  );
  const command = commandOf(ctx.text);
  if (i === 0 || command === 'yes') return { replies: [say(ctx.t('chat.report_prompt'))], state: IDLE };
  if (i === 1 || command === 'no') return { replies: [say(ctx.t('chat.handoff_wait'))], state: IDLE };
  return understandFresh(ctx, 0);
}
