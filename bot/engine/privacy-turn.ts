import { OPEN_STATUSES } from '../../db/queries/requests.ts';
import { phoneIdentities } from '../../db/queries/ussd.ts';
import type { Translate } from '../../locales/index.ts';
import { summaryText, type PersonData } from '../privacy/summary.ts';
import { commandOf, pickOption } from './commands.ts';
import { say, type TurnContext, type TurnResult } from './context.ts';
import { understandFresh } from './intent-turn.ts';
import type { PrivacyAsk } from './privacy-asks.ts';
import { IDLE } from './state.ts';

// A person's rights in the chat (PDPA 2022): "nipe taarifa zangu" shows what
// is held about them, "futa taarifa zangu" erases it after a yes.
//
// What proof gates: data that reached this person through a phone number.
// Identities join only through proof (issue 13), so a web chat session or a
// Telegram account that has proved no number is a person of its own, holding
// only what was given in that chat: it may always see and erase that. A
// person whose identities include one of a phone number (SMS, USSD, WhatsApp:
// the channel itself proves the number; a web chat or Telegram person only
// after a code sent to it was typed back) sees and erases everything held
// under that number. A chat that has proved none is told, where a code can be
// sent, how to prove one to reach the rest.

/** The channels that know a person by their phone number: an identity there means the number is proved. */
const PHONE_CHANNELS = new Set(phoneIdentities('+255000000000').map((k) => k.channel));

/** How long the yes to an erasure may take: a "ndiyo" long after is about something else. */
export const ERASE_CONFIRM_MS = 15 * 60_000;

const isOpen = (status: string) => (OPEN_STATUSES as readonly string[]).includes(status);

/** Whether what is held reaches beyond this chat's own words, or could once a number is proved. */
function provedOrAlone(ctx: TurnContext, data: PersonData): boolean {
  return !ctx.store.canSendCodes || data.identities.some((i) => PHONE_CHANNELS.has(i.channel));
}

/** The summary's words for a chat that has proved no number: what this chat holds. */
const ofThisChat =
  (t: Translate): Translate =>
  (key, params) =>
    t(key === 'privacy.summary.intro' ? 'privacy.summary.intro_chat' : key, params);

async function held(ctx: TurnContext): Promise<PersonData> {
  const data = await ctx.store.heldData();
  // The turn's own person was found or made in this very transaction.
  if (!data) throw new Error('the person of this turn is not there');
  return data;
}

/** "nipe taarifa zangu": the summary (never the data itself: a chat may be read over a shoulder). */
async function showHeld(ctx: TurnContext): Promise<TurnResult> {
  const data = await held(ctx);
  if (provedOrAlone(ctx, data)) return { replies: [say(summaryText(data, ctx.t, ctx.flows.fields))], state: IDLE };
  return { replies: [say(ctx.t('privacy.proof_needed')), say(summaryText(data, ofThisChat(ctx.t), ctx.flows.fields))], state: IDLE };
}

const eraseOptions = (t: Translate) => [
  { id: 'yes', label: t('privacy.erase.yes') },
  { id: 'no', label: t('privacy.erase.no') },
];

/** "futa taarifa zangu": what erasure means (the open requests it closes), and the question. */
async function askErase(ctx: TurnContext): Promise<TurnResult> {
  const { t } = ctx;
  const data = await held(ctx);
  const open = data.requests.filter((r) => isOpen(r.status)).map((r) => r.reference);
  const explain = open.length > 0 ? t('privacy.erase.explain', { open: open.join(', ') }) : t('privacy.erase.explain_none_open');
  const state = { mode: 'confirm_erase', askedAt: ctx.now.getTime() } as const;
  if (provedOrAlone(ctx, data)) return { replies: [say(explain, eraseOptions(t))], state };
  return { replies: [say(t('privacy.proof_needed')), say(`${t('privacy.erase.chat_only')} ${explain}`, eraseOptions(t))], state };
}

export function answerPrivacyAsk(ctx: TurnContext, ask: PrivacyAsk): Promise<TurnResult> {
  return ask === 'show' ? showHeld(ctx) : askErase(ctx);
}

/** The answer to "are you sure?": yes erases (the goodbye goes out with it), no keeps; anything else is a new message. */
export async function confirmErase(ctx: TurnContext, askedAt: number): Promise<TurnResult> {
  if (ctx.now.getTime() - askedAt > ERASE_CONFIRM_MS) return understandFresh(ctx, 0);
  const picked = pickOption(
    ctx.text,
    eraseOptions(ctx.t).map((o) => o.label),
  );
  const command = commandOf(ctx.text) ?? (picked === 0 ? 'yes' : picked === 1 ? 'no' : undefined);
  if (command === 'yes') {
    await ctx.store.erase();
    return { replies: [say(ctx.t('privacy.erase.done'))], state: IDLE, erased: true };
  }
  if (command === 'no' || command === 'cancel' || command === 'back') return { replies: [say(ctx.t('privacy.erase.kept'))], state: IDLE };
  return understandFresh(ctx, 0);
}
