import { say, type TurnContext, type TurnResult } from './context.ts';
import { advance } from './form-turn.ts';
import { withPin } from '../flows/form.ts';
import type { ConversationState } from './state.ts';
import { mayActOn, offerProof } from './request-proof.ts';

/**
 * A photo, document, voice note or location: acknowledged, and kept with the
 * request it belongs to — the form being filled (filed with it on submit), the
 * request its caption names (one made elsewhere after proof it is theirs), or
 * else the person's most recent open request. The conversation stays where it was.
 */
export async function keepAttachments(ctx: TurnContext, state: ConversationState): Promise<TurnResult> {
  const kinds = [...new Set(ctx.attachments.map((a) => ctx.t(`attachment.${a.kind}`)))].join(', ');
  if (state.mode === 'form' || state.mode === 'confirm' || state.mode === 'choose_field') {
    const kept = { ...state.form, attachments: [...(state.form.attachments ?? []), ...ctx.attachments] };
    // A location pin answers where, when the form still needs it.
    const pin = ctx.attachments.find((a) => a.kind === 'location' && a.latitude !== undefined && a.longitude !== undefined);
    const form = (pin && withPin(ctx.flows, kept, pin.latitude as number, pin.longitude as number)) ?? kept;
    const next = state.mode === 'form' ? advance(ctx, form) : { replies: [], state: { ...state, form } };
    return { replies: [say(ctx.t('attachment.kept_with_form', { kinds })), ...next.replies], state: next.state };
  }
  const named = ctx.understanding.entities.find((e) => e.type === 'reference')?.value;
  const found = named === undefined ? undefined : await ctx.store.findRequest(named);
  if (named !== undefined && !found) return { replies: [say(ctx.t('status.not_found', { reference: named }))], state };
  if (found && !(await mayActOn(ctx, found))) return offerProof(ctx, found, { act: 'attach', reference: found.reference, attachments: ctx.attachments });
  const request = found ?? (await ctx.store.openRequests())[0];
  if (request) {
    await ctx.store.attach(request, ctx.attachments);
    return { replies: [say(ctx.t('attachment.kept_with_request', { kinds, reference: request.reference }))], state };
  }
  return { replies: [say(ctx.t('attachment.received_no_request', { kinds }))], state };
}
