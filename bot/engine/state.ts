import { z } from 'zod';
import { INTENT_ID_PATTERN } from '../../intents/ids.ts';

/** An intent id as stored in a conversation's state (the bundle in use says which exist). */
const intentId = z.string().regex(INTENT_ID_PATTERN);

export const attachment = z.object({
  kind: z.enum(['photo', 'document', 'voice', 'location']),
  fileId: z.string().optional(),
  caption: z.string().optional(),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
});

const form = z.object({
  intent: intentId,
  answers: z.record(z.string(), z.string()),
  variant: z.string().optional(),
  place: z.string().optional(),
  attachments: z.array(attachment).readonly().optional(),
});

/**
 * Something asked of a request made elsewhere (another device, another
 * number), done once the person proves the phone number on it (proof-turn.ts).
 */
export const pendingAct = z.discriminatedUnion('act', [
  z.object({ act: z.literal('cancel'), reference: z.string() }),
  z.object({ act: z.literal('complaint'), reference: z.string(), text: z.string() }),
  z.object({ act: z.literal('attach'), reference: z.string(), attachments: z.array(attachment).readonly() }),
]);
export type PendingAct = z.infer<typeof pendingAct>;

/** Where a conversation stands between two messages; stored as JSON with the conversation. */
export const conversationState = z.discriminatedUnion('mode', [
  // offeredPhone: a number just typed in a form, which "unganisha namba yangu" then proves without typing it again.
  z.object({ mode: z.literal('idle'), misunderstood: z.number().int().min(0).default(0), offeredPhone: z.string().optional() }),
  z.object({ mode: z.literal('menu') }),
  z.object({ mode: z.literal('form'), form, field: z.string() }),
  z.object({ mode: z.literal('confirm'), form }),
  z.object({ mode: z.literal('choose_field'), form }),
  // A form reply that seemed to be about the conversation: stop the form, or (switchTo) start another service instead? The form waits at `field` (none: its summary).
  z.object({ mode: z.literal('form_check'), form, field: z.string().optional(), switchTo: z.object({ intent: intentId, text: z.string() }).optional() }),
  z.object({ mode: z.literal('confirm_cancel'), reference: z.string() }),
  z.object({ mode: z.literal('choose_intent'), options: z.array(intentId).min(1), text: z.string() }),
  // The list of services was shown: its charter lines (numbers), in the order offered; choosing one starts it.
  z.object({ mode: z.literal('choose_service'), lines: z.array(z.number().int().positive()).min(1) }),
  // After staff resolve a request: a 1–5 rating, then an optional comment.
  z.object({ mode: z.literal('rate'), reference: z.string() }),
  z.object({ mode: z.literal('rate_comment'), reference: z.string() }),
  // Staff did not take a hand-off in time: open a request meanwhile, or wait?
  z.object({ mode: z.literal('pickup_offer') }),
  // Waiting for an officer after the pick-up notice: messages go to staff, with a short acknowledgement now and then (ackedAt, ms).
  z.object({ mode: z.literal('handoff_wait'), ackedAt: z.number().int() }),
  // A complaint about to be filed: which of the person's open requests (references) is it about? Asked once.
  z.object({ mode: z.literal('complaint_about'), text: z.string(), options: z.array(z.string()).min(1) }),
  // Proving a phone number: waiting for the number, then for the code sent to it.
  z.object({ mode: z.literal('link_phone') }),
  z.object({ mode: z.literal('link_code'), phone: z.string() }),
  // Acting on a request made elsewhere: a code to the phone on it is offered, then awaited; the act waits in `pending`.
  z.object({ mode: z.literal('prove_offer'), pending: pendingAct }),
  z.object({ mode: z.literal('prove_code'), pending: pendingAct }),
  // "futa taarifa zangu": what erasure means was said at askedAt (ms); a yes erases the person's data.
  z.object({ mode: z.literal('confirm_erase'), askedAt: z.number().int() }),
  // An article's steps were given for `text` (kb-turn.ts): did they help? If not, the form of `offer` starts from `text`; `answer` is the record the dashboard counts.
  z.object({ mode: z.literal('kb_offer'), article: z.string(), offer: intentId, text: z.string(), answer: z.number().int().optional() }),
  // Planned-outage notices asked for without an area we know (bot/announcements/turn.ts): which area? `candidates`: the places of one name offered; `tries`: the misses so far.
  z.object({
    mode: z.literal('notice_area'),
    candidates: z.array(z.object({ key: z.string(), label: z.string() })).optional(),
    tries: z.number().int().min(0).default(0),
  }),
]);
export type ConversationState = z.infer<typeof conversationState>;

export const IDLE: ConversationState = { mode: 'idle', misunderstood: 0 };

/**
 * What a conversation remembers whatever its mode, kept beside the mode in
 * the stored JSON: the person's latest complaint here, so that "sasa
 * mtanisaidia lini?" is understood as being about it.
 */
const memory = z.object({ complaint: z.string().optional() });
export type Memory = z.infer<typeof memory>;

export function readMemory(stored: unknown): Memory {
  const parsed = memory.safeParse(stored);
  return parsed.success ? parsed.data : {};
}

/** The state to store: the mode's own fields and what the conversation remembers. */
export const withMemory = (state: ConversationState, remembered: Memory): ConversationState & Memory => ({ ...remembered, ...state });

/** The states of a person in the staff queue (see pickup-turn.ts), which mean nothing once they are out of it. */
export const isQueueState = (s: ConversationState): boolean => s.mode === 'pickup_offer' || s.mode === 'handoff_wait';

/** A stored state that no longer fits (an older version, a hand edit) starts the person afresh rather than failing. */
export function readState(stored: unknown): ConversationState {
  const parsed = conversationState.safeParse(stored);
  return parsed.success ? parsed.data : IDLE;
}
