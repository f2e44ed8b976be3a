import { commandOf } from './commands.ts';
import { say, type TurnContext, type TurnResult } from './context.ts';
import { understandFresh } from './intent-turn.ts';
import { CODE_DIGITS, CODE_TTL_MS, localPhone, typedCode } from './phone-proof.ts';
import { IDLE, type ConversationState } from './state.ts';

// "unganisha namba yangu 0755 000 111": the person proves a phone number in
// this chat with a code sent to it, and from then on sees here the requests
// made from that phone (and the phone sees theirs). Until then a chat sees
// only what it filed itself, whatever number was typed in its forms.

const phoneIn = (ctx: TurnContext): string | undefined => ctx.understanding.entities.find((e) => e.type === 'phone')?.value;

/**
 * Whether the message asks to link a number ("unganisha namba yangu", "link
 * my number 0755 000 111"), and the number when it says one (or, in `state`,
 * the one just typed in a form or being proved).
 */
export function linkAsked(ctx: TurnContext, state: ConversationState): { phone?: string } | undefined {
  let rest = ctx.text;
  for (const e of ctx.understanding.entities.filter((x) => x.type === 'phone').sort((a, b) => b.start - a.start)) rest = `${rest.slice(0, e.start)} ${rest.slice(e.end)}`;
  if (commandOf(rest) !== 'link_phone') return undefined;
  const remembered = state.mode === 'link_code' ? state.phone : state.mode === 'idle' ? state.offeredPhone : undefined;
  const phone = phoneIn(ctx) ?? remembered;
  return phone ? { phone } : {};
}

/** Starts proving a number: asks for it, or sends the code to it. */
export async function beginLink(ctx: TurnContext, phone: string | undefined): Promise<TurnResult> {
  if (!ctx.store.canSendCodes) return { replies: [say(ctx.t('link.unavailable'))], state: IDLE };
  if (!phone) return { replies: [say(ctx.t('link.ask_phone'))], state: { mode: 'link_phone' } };
  return sendCode(ctx, phone);
}

async function sendCode(ctx: TurnContext, phone: string): Promise<TurnResult> {
  const minutes = CODE_TTL_MS / 60_000;
  const started = await ctx.store.startPhoneProof(phone, (code) => ctx.t('link.code_message', { code, minutes }));
  const shown = localPhone(phone);
  switch (started.status) {
    case 'sent':
      return { replies: [say(ctx.t('link.code_sent', { phone: shown, via: ctx.t(`link.via.${started.channel}`), minutes }))], state: { mode: 'link_code', phone } };
    case 'already':
      return { replies: [say(ctx.t('link.already', { phone: shown }))], state: IDLE };
    case 'too_many':
      return { replies: [say(ctx.t('link.too_many', { phone: shown }))], state: IDLE };
    case 'unavailable':
      return { replies: [say(ctx.t('link.unavailable'))], state: IDLE };
  }
}

/** The answer to "which number?". */
export async function answerLinkPhone(ctx: TurnContext): Promise<TurnResult> {
  if (commandOf(ctx.text) === 'cancel') return { replies: [say(ctx.t('link.cancelled'))], state: IDLE };
  const phone = phoneIn(ctx);
  if (phone) return sendCode(ctx, phone);
  // Digits that are no number are a number mistyped; words are something else to answer.
  if (/\d/.test(ctx.text)) return { replies: [say(ctx.t('form.invalid.phone'))], state: { mode: 'link_phone' } };
  return understandFresh(ctx, 0);
}

/** The code typed back (or something else: then the person has moved on, and the code waits out its time). */
export async function answerLinkCode(ctx: TurnContext, phone: string): Promise<TurnResult> {
  if (commandOf(ctx.text) === 'cancel') return { replies: [say(ctx.t('link.cancelled'))], state: IDLE };
  const code = typedCode(ctx.text);
  if (code === undefined) return understandFresh(ctx, 0);
  if (code.length !== CODE_DIGITS) return { replies: [say(ctx.t('link.not_six', { digits: CODE_DIGITS }))], state: { mode: 'link_code', phone } };
  const checked = await ctx.store.checkPhoneProof(code);
  switch (checked.status) {
    case 'linked':
      return { replies: [say(ctx.t('link.linked', { phone: localPhone(checked.phone) }))], state: IDLE };
    case 'wrong':
      return { replies: [say(ctx.t('link.wrong', { left: checked.triesLeft }))], state: { mode: 'link_code', phone } };
    case 'locked':
      return { replies: [say(ctx.t('link.locked'))], state: IDLE };
    case 'expired':
      return { replies: [say(ctx.t('link.expired', { minutes: CODE_TTL_MS / 60_000 }))], state: IDLE };
  }
}
