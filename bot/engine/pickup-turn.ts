import { PICKUP_OPTIONS } from '../staff/pickup.ts';
import { commandOf, pickOption } from './commands.ts';
import { say, type TurnContext, type TurnResult } from './context.ts';
import { menu } from './intent-turn.ts';
import type { HandoffPhase } from './handoff.ts';
import { IDLE, type ConversationState } from './state.ts';

// A person in the staff queue who no officer has taken (see handoff.ts): they
// asked for the bot back, answered the pick-up notice, or wrote while waiting.

/** The acknowledgement while waiting: at most once in `ackEveryMs`; the messages between go to staff without a word. */
function forwarded(ctx: TurnContext, ackedAt: number | undefined): TurnResult {
  const now = ctx.now.getTime();
  if (ackedAt !== undefined && now - ackedAt < ctx.handoff.ackEveryMs) return { replies: [], state: { mode: 'handoff_wait', ackedAt } };
  return { replies: [say(ctx.t('chat.handoff_forwarded'))], state: { mode: 'handoff_wait', ackedAt: now } };
}

/** The answer to "nobody is free yet: open a request, or wait?". Anything else is for the officer they wait for. */
async function pickupOffer(ctx: TurnContext): Promise<TurnResult> {
  const i = pickOption(
    ctx.text,
    PICKUP_OPTIONS.map((id) => ctx.t(`chat.pickup_${id}`)),
  );
  const command = commandOf(ctx.text);
  if (i === 0 || command === 'yes') {
    await ctx.store.queue.leave('asked');
    return { replies: [say(ctx.t('chat.report_prompt'))], state: IDLE };
  }
  await ctx.store.queue.wait();
  if (i === 1 || command === 'no') return { replies: [say(ctx.t('chat.handoff_wait'))], state: { mode: 'handoff_wait', ackedAt: ctx.now.getTime() } };
  await ctx.store.queue.forward(ctx.text);
  return forwarded(ctx, undefined);
}

/**
 * A turn of a person in the queue whom no officer holds: "rudi kwenye menyu"
 * (or "msaada") takes them out of it; otherwise the pick-up notice's answer,
 * or a message for staff.
 */
export async function queueTurn(ctx: TurnContext, phase: Exclude<HandoffPhase, 'none'>, state: ConversationState): Promise<TurnResult> {
  const command = commandOf(ctx.text);
  if (command === 'bot_back' || command === 'menu') {
    await ctx.store.queue.leave('asked');
    const left = say(ctx.t('chat.handoff_left'));
    if (command === 'menu') {
      const shown = menu(ctx);
      return { ...shown, replies: [left, ...shown.replies] };
    }
    return { replies: [left], state: IDLE };
  }
  if (phase === 'offered') return pickupOffer(ctx);
  await ctx.store.queue.forward(ctx.text);
  if (phase !== 'waiting') return { replies: [], state };
  return forwarded(ctx, state.mode === 'handoff_wait' ? state.ackedAt : undefined);
}
