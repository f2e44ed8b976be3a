import { OPEN_STATUSES, type RequestRow } from '../../db/queries/requests.ts';
import { say, type TurnContext, type TurnResult } from './context.ts';
import { localPhone } from './phone-proof.ts';
import { IDLE, type PendingAct } from './state.ts';

// A reference is no secret (it is read out over the counter, written on
// paper), so it tells anyone only what a notice board would: status, service,
// due time. Doing something to the request (cancelling it, complaining about
// it, adding to it) is for its owner: the person who made it, or whoever
// holds the phone number on it, proved by writing from that number or by a
// code sent to it (proof-turn.ts).

export const isOpen = (r: RequestRow): boolean => (OPEN_STATUSES as readonly string[]).includes(r.status);

/** The phone number given on the request (E.164, as forms and USSD keep it), to which a code can prove ownership. */
export function requestPhone(r: RequestRow): string | undefined {
  const phone = r.details && typeof r.details === 'object' ? (r.details as Record<string, unknown>).phone : undefined;
  return typeof phone === 'string' && /^\+\d{8,15}$/.test(phone) ? phone : undefined;
}

/** Whether this person may act on the request: made by them, or its phone number is theirs (the channel's own number, or one proved here). */
export async function mayActOn(ctx: TurnContext, r: RequestRow): Promise<boolean> {
  if (await ctx.store.findOwnRequest(r.reference)) return true;
  const phone = requestPhone(r);
  return phone !== undefined && (await ctx.store.phoneIsMine(phone));
}

/** "0754 000 111" → "07•• ••• 111": enough for the owner to know their number, too little for anyone else to learn it. */
export function maskedPhone(phone: string): string {
  const shown = localPhone(phone);
  const digits = shown.replace(/\D/g, '').length;
  let seen = 0;
  return shown.replace(/\d/g, (d) => {
    seen += 1;
    return seen <= 2 || seen > digits - 3 ? d : '•';
  });
}

const actionWords = (ctx: TurnContext, pending: PendingAct) => ctx.t(`anywhere.act.${pending.act}`);

/**
 * The request is someone else's as far as this chat knows: says why nothing
 * is done yet, and offers a code to the phone on it when one can be sent;
 * otherwise says where the owner can act from.
 */
export function offerProof(ctx: TurnContext, r: RequestRow, pending: PendingAct): TurnResult {
  const phone = requestPhone(r);
  if (!phone || !ctx.store.canSendCodes) return proofImpossible(ctx, pending);
  const action = actionWords(ctx, pending);
  const options = [
    { id: 'yes', label: ctx.t('choice.yes') },
    { id: 'no', label: ctx.t('choice.no') },
  ];
  return { replies: [say(ctx.t('anywhere.proof_offer', { reference: r.reference, action, phone: maskedPhone(phone) }), options)], state: { mode: 'prove_offer', pending } };
}

/** Nothing can be done to the request without proof, and no code can be sent for it here: where the owner can act from. */
export const proofImpossible = (ctx: TurnContext, pending: PendingAct): TurnResult => ({
  replies: [say(ctx.t('anywhere.proof_impossible', { reference: pending.reference, action: actionWords(ctx, pending) }))],
  state: IDLE,
});
