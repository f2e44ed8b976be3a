import type { RequestRow } from '../../db/queries/requests.ts';
import { commandOf, pickOption } from './commands.ts';
import { fileComplaint } from './complaint-turn.ts';
import { say, type TurnContext, type TurnResult } from './context.ts';
import { askCancel, understandFresh } from './intent-turn.ts';
import { CODE_DIGITS, CODE_TTL_MS, typedCode } from './phone-proof.ts';
import { maskedPhone, mayActOn, proofImpossible, requestPhone } from './request-proof.ts';
import { IDLE, type PendingAct } from './state.ts';

// After "ghairi ombi X" (or a complaint about X, or a photo for X) where X
// was made elsewhere: a yes sends a code to the phone on X, the code typed
// back proves it (phone-proof.ts, which also joins this chat with the
// number), and what was asked is then done.

const MINUTES = CODE_TTL_MS / 60_000;

const said = (text: string, state = IDLE): TurnResult => ({ replies: [say(text)], state });

/** Does what was asked, now that the person may act on the request. */
async function act(ctx: TurnContext, request: RequestRow, pending: PendingAct): Promise<TurnResult> {
  switch (pending.act) {
    case 'cancel':
      return askCancel(ctx, request);
    case 'complaint':
      return fileComplaint(ctx, pending.text, request);
    case 'attach': {
      await ctx.store.attach(request, pending.attachments);
      const kinds = [...new Set(pending.attachments.map((a) => ctx.t(`attachment.${a.kind}`)))].join(', ');
      return said(ctx.t('attachment.kept_with_request', { kinds, reference: request.reference }));
    }
  }
}

/** The answer to "may we send a code to the phone on the request?". */
export async function answerProofOffer(ctx: TurnContext, pending: PendingAct): Promise<TurnResult> {
  const picked = pickOption(ctx.text, [ctx.t('choice.yes'), ctx.t('choice.no')]);
  const command = commandOf(ctx.text) ?? (picked === 0 ? 'yes' : picked === 1 ? 'no' : undefined);
  if (command === 'no' || command === 'cancel') return said(ctx.t('anywhere.declined', { reference: pending.reference }));
  // Something else altogether: the offer lapses, and the message is answered as it is.
  if (command !== 'yes') return understandFresh(ctx, 0);
  const request = await ctx.store.findRequest(pending.reference);
  if (!request) return said(ctx.t('status.not_found', { reference: pending.reference }));
  if (await mayActOn(ctx, request)) return act(ctx, request, pending);
  const phone = requestPhone(request);
  if (!phone) return proofImpossible(ctx, pending);
  const started = await ctx.store.startPhoneProof(phone, (code) => ctx.t('link.code_message', { code, minutes: MINUTES }));
  const shown = maskedPhone(phone);
  switch (started.status) {
    case 'sent':
      return said(ctx.t('link.code_sent', { phone: shown, via: ctx.t(`link.via.${started.channel}`), minutes: MINUTES }), { mode: 'prove_code', pending });
    case 'already':
      return act(ctx, request, pending);
    case 'too_many':
      return said(ctx.t('link.too_many', { phone: shown }));
    case 'unavailable':
      return proofImpossible(ctx, pending);
  }
}

/** The code typed back; the right one proves the number on the request, and what was asked is done. */
export async function answerProofCode(ctx: TurnContext, pending: PendingAct): Promise<TurnResult> {
  if (commandOf(ctx.text) === 'cancel') return said(ctx.t('anywhere.declined', { reference: pending.reference }));
  const code = typedCode(ctx.text);
  // Words, not a code: the person has moved on, and the code waits out its time.
  if (code === undefined) return understandFresh(ctx, 0);
  if (code.length !== CODE_DIGITS) return said(ctx.t('link.not_six', { digits: CODE_DIGITS }), { mode: 'prove_code', pending });
  const checked = await ctx.store.checkPhoneProof(code);
  switch (checked.status) {
    case 'linked': {
      const request = await ctx.store.findRequest(pending.reference);
      if (!request || !(await mayActOn(ctx, request))) return proofImpossible(ctx, pending);
      const done = await act(ctx, request, pending);
      return { ...done, replies: [say(ctx.t('anywhere.proved', { reference: request.reference })), ...done.replies] };
    }
    case 'wrong':
      return said(ctx.t('link.wrong', { left: checked.triesLeft }), { mode: 'prove_code', pending });
    case 'locked':
      return said(ctx.t('anywhere.locked', { reference: pending.reference }));
    case 'expired':
      return said(ctx.t('anywhere.expired', { reference: pending.reference, minutes: MINUTES }));
  }
}
