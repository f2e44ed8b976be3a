import { z } from 'zod';
import { INTENT_ID_PATTERN } from '../../intents/ids.ts';
import type { UssdEffects } from './menu.ts';
import type { Draft } from './types.ts';

/** A draft older than this is not offered again: the person has moved on. */
export const DRAFT_TTL_MS = 24 * 60 * 60 * 1000;

const draft = z.object({
  intent: z.string().regex(INTENT_ID_PATTERN),
  line: z.number().int().positive(),
  variant: z.string().optional(),
  description: z.string(),
  placeField: z.string().optional(),
  place: z.string().optional(),
  area: z.string().optional(),
});

/**
 * What USSD keeps about a phone between sessions, as the `state` of its
 * conversation on channel 'ussd': the unfinished report, and, for the session
 * that was offered it, that report as it was then. The offer is fixed for the
 * session because the path's meaning depends on it ("1" answers the offer,
 * not the main menu) while the draft itself changes under it (it is filed,
 * or forgotten).
 */
export const ussdState = z.object({
  draft: draft.extend({ session: z.string(), savedAt: z.number() }).optional(),
  resume: z.object({ session: z.string(), draft }).optional(),
  // The session whose main menu carries the privacy notice (the person's first), and the one that was last sent their data by SMS (sent once however often the gateway posts).
  notice: z.string().optional(),
  summarySent: z.string().optional(),
});
export type UssdState = z.infer<typeof ussdState>;

/** A stored state that no longer reads starts afresh: a lost draft costs a person a few key presses, not a failure. */
export function readUssdState(stored: unknown): UssdState {
  const parsed = ussdState.safeParse(stored);
  return parsed.success ? parsed.data : {};
}

const strip = ({ intent, line, variant, description }: Draft): Draft => ({ intent, line, ...(variant ? { variant } : {}), description });

/**
 * At a session's first post (empty text), decide whether it opens with the
 * offer to continue: a fresh draft left by another session. Africa's Talking
 * starts a new session id after a timeout, so a different id is how a
 * resumed session is told apart from the same one posted again.
 */
export function openSession(state: UssdState, session: string, now: Date): UssdState {
  if (state.resume?.session === session) return state;
  const d = state.draft;
  const offer = d && d.session !== session && now.getTime() - d.savedAt < DRAFT_TTL_MS ? { session, draft: strip(d) } : undefined;
  const { resume: _old, ...rest } = state;
  return offer ? { ...rest, resume: offer } : rest;
}

/** The draft this session was offered, if it was. */
export const offeredDraft = (state: UssdState, session: string): Draft | undefined => (state.resume?.session === session ? state.resume.draft : undefined);

/** The state after a post: the draft kept, replaced or forgotten as the menu said. */
export function keepDraft(state: UssdState, effects: UssdEffects, session: string, now: Date): UssdState {
  if (effects.draft === undefined) return state;
  const { draft: _old, ...rest } = state;
  return effects.draft === null ? rest : { ...rest, draft: { ...strip(effects.draft), session, savedAt: now.getTime() } };
}

/** Forgets the draft once filed. */
export function forgetDraft(state: UssdState): UssdState {
  const { draft: _old, ...rest } = state;
  return rest;
}
