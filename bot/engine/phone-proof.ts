import { createHash, randomBytes, randomInt } from 'node:crypto';
import { joinPersonWithPhone, phoneChatOn, phoneLeadsTo } from '../../db/queries/identity.ts';
import { insertOutbox } from '../../db/queries/messages.ts';
import { closePhoneProof, countPhoneProofTry, insertPhoneProof, openPhoneProof, phoneProofsSince } from '../../db/queries/phone-proofs.ts';
import type { Tx } from '../../db/store.ts';
import type { Locale } from '../../locales/index.ts';
import { sameSecret } from '../secrets.ts';

// Proving a phone number from a chat (web chat, Telegram): a number typed
// there is only contact information until a one-time code sent to it is typed
// back in the same conversation. Then the chat's person and the number's are
// one (db/queries/identity.ts says which stays and why).

/** Codes have this many digits: a code of another length is a slip, told without using a try. */
export const CODE_DIGITS = 6;
/** How long a code may be typed back. */
export const CODE_TTL_MS = 10 * 60_000;
/** Tries one code takes, right one included; then it is locked. */
export const MAX_TRIES = 5;
/** Codes one number is sent, and one conversation may ask for, in an hour: a number cannot be flooded, nor codes guessed by asking again and again. */
export const MAX_CODES_PER_PHONE = 3;
export const MAX_CODES_PER_CHAT = 5;
const CODE_WINDOW_MS = 60 * 60_000;

/** The channels that can carry a code, in order of preference; SMS reaches any number, WhatsApp those that have written there. */
export type CodeChannel = 'sms' | 'whatsapp' | 'whatsapp_cloud';

export interface ProofDeps {
  readonly codeChannels: readonly CodeChannel[];
}

export type ProofStart =
  | { readonly status: 'sent'; readonly channel: CodeChannel }
  | { readonly status: 'already' }
  | { readonly status: 'too_many' }
  /** No channel here can reach the number. */
  | { readonly status: 'unavailable' };

export type ProofCheck =
  | { readonly status: 'linked'; readonly phone: string }
  | { readonly status: 'wrong'; readonly triesLeft: number }
  | { readonly status: 'locked' }
  /** Expired, or no code is waiting in this conversation. */
  | { readonly status: 'expired' };

/** Six digits, uniformly drawn. */
const newCode = (): string => String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');

function hashCode(code: string, salt = randomBytes(16).toString('hex')): string {
  return `${salt}:${createHash('sha256').update(`${salt}:${code}`).digest('hex')}`;
}

function codeMatches(code: string, stored: string): boolean {
  const salt = stored.slice(0, stored.indexOf(':'));
  return sameSecret(hashCode(code, salt), stored);
}

/** A Tanzanian number as people write it ("0755 000 111"); any other as it is. */
export function localPhone(phone: string): string {
  const m = /^\+255(\d{3})(\d{3})(\d{3})$/.exec(phone);
  return m ? `0${m[1]} ${m[2]} ${m[3]}` : phone;
}

/** The digits of a typed code ("123 456", "123-456"), or undefined when the text is not digits alone. */
export function typedCode(text: string): string | undefined {
  const digits = text.replace(/[\s.-]/g, '');
  return /^\d{1,12}$/.test(digits) ? digits : undefined;
}

/** The first channel that can carry a code to this number. */
async function codeRoute(tx: Tx, channels: readonly CodeChannel[], phone: string) {
  for (const channel of channels) {
    const route = await phoneChatOn(tx, channel, phone);
    if (route) return { ...route, channel };
  }
  return undefined;
}

/**
 * Sends a new code to `phone` for this conversation (through the outbox, in
 * the turn's transaction; never into the transcript), unless the number is
 * already this person's, or it has had its share of codes this hour.
 */
export async function startPhoneProof(tx: Tx, deps: ProofDeps, p: { personId: number; conversationId: number; phone: string; now: Date; message: (code: string) => string }): Promise<ProofStart> {
  if (await phoneLeadsTo(tx, p.phone, p.personId)) return { status: 'already' };
  const route = await codeRoute(tx, deps.codeChannels, p.phone);
  if (!route) return { status: 'unavailable' };
  const recent = await phoneProofsSince(tx, { phone: p.phone, conversationId: p.conversationId, since: new Date(p.now.getTime() - CODE_WINDOW_MS) });
  if (recent.toPhone >= MAX_CODES_PER_PHONE || recent.fromConversation >= MAX_CODES_PER_CHAT) return { status: 'too_many' };
  const code = newCode();
  await insertPhoneProof(tx, { conversationId: p.conversationId, phone: p.phone, channel: route.channel, codeHash: hashCode(code), at: p.now, expiresAt: new Date(p.now.getTime() + CODE_TTL_MS) });
  await insertOutbox(tx, { conversationId: route.conversationId, channel: route.channel, chatId: route.chatId, body: { text: p.message(code) }, at: p.now });
  return { status: 'sent', channel: route.channel };
}

/**
 * A code typed in this conversation: each try counts, the right one within
 * its time joins the person with the number, the fifth wrong one locks it.
 */
export async function checkPhoneProof(tx: Tx, p: { personId: number; conversationId: number; code: string; locale: Locale; now: Date }): Promise<ProofCheck> {
  const proof = await openPhoneProof(tx, p.conversationId);
  if (!proof) return { status: 'expired' };
  if (proof.expiresAt.getTime() <= p.now.getTime()) {
    await closePhoneProof(tx, proof.id, 'expired');
    return { status: 'expired' };
  }
  const tried = await countPhoneProofTry(tx, proof.id, MAX_TRIES);
  if (!tried) {
    await closePhoneProof(tx, proof.id, 'locked');
    return { status: 'locked' };
  }
  if (codeMatches(p.code, tried.codeHash)) {
    if (!(await closePhoneProof(tx, proof.id, 'proven'))) return { status: 'expired' };
    await joinPersonWithPhone(tx, { personId: p.personId, phone: proof.phone, locale: p.locale, at: p.now });
    return { status: 'linked', phone: proof.phone };
  }
  if (tried.attempts >= MAX_TRIES) {
    await closePhoneProof(tx, proof.id, 'locked');
    return { status: 'locked' };
  }
  return { status: 'wrong', triesLeft: MAX_TRIES - tried.attempts };
}
