import { translator, type Locale } from '../../locales/index.ts';
import { lineFor } from '../engine/filing.ts';
import { toLocal } from '../sla/zoned.ts';
import { BACK, CONFIRM_MENU, ERASE_MENU, LANGUAGES, MIN_DESCRIPTION, MORE, PRIVACY_MENU, RESUME_MENU, rootMenu } from './menus.ts';
import { clip } from './pages.ts';
import { parseReference } from './reference.ts';
import { render, rootPages } from './render.ts';
import { charterGroups, charterLinePages, charterPages, howPages, reportable, servicePages, variantChoice } from './services.ts';
import type { Draft, Node, Note, Rendering, Screen, UssdEnv } from './types.ts';
import { faqStep, type FaqEffect } from './faq.ts';
import { noticesStep, type NoticeEffect } from '../announcements/ussd.ts';

/**
 * The USSD menu as a function of the answers so far (and of the one look-up
 * it is given). The gateway posts every answer of the session each time
 * ("1*3*barua pepe haifanyi kazi*1"), so the screen is found by walking the
 * path from the top, and nothing about where a person is needs keeping
 * between posts. It is async only because a reference typed under "Hali ya
 * ombi" is looked up in the database where the walk meets it: what comes
 * after depends on whether it was found.
 */
export interface UssdMenuInput extends UssdEnv {
  readonly segments: readonly string[];
  readonly locale: Locale;
  /** A report left unfinished in an earlier session, offered before the menu. */
  readonly resume?: Draft;
}

/** What the caller keeps: the language chosen, and the draft to keep (null: forget it); what it does: send the person what is held about them, or erase it. */
export interface UssdEffects {
  readonly locale?: Locale;
  readonly draft?: Draft | null;
  readonly privacy?: 'send_summary' | 'erase';
  /** A common question's article was shown on the way, or answered (faq.ts): the caller counts it. */
  readonly kb?: FaqEffect;
  /** Planned-outage notices joined or stopped (bot/announcements/ussd.ts): the caller applies it. */
  readonly notices?: NoticeEffect;
}

export type UssdOutcome =
  | { readonly kind: 'screen'; readonly screen: Screen; readonly locale: Locale; readonly effects: UssdEffects }
  /** The person pressed "Tuma": the caller files the draft (once per session) and ends with its reference. */
  | { readonly kind: 'file'; readonly draft: Draft; readonly locale: Locale; readonly effects: UssdEffects };

type Step =
  | { readonly node: Node; readonly note?: Note; readonly locale?: Locale; readonly discardDraft?: boolean; readonly kb?: FaqEffect; readonly notices?: NoticeEffect }
  | { readonly invalid: Note };

const INVALID: { invalid: Note } = { invalid: { key: 'ussd.invalid' } };
const ROOT: Node = { at: 'root' };

/** The gateway's text as answers: empty at the start of a session. */
export const segmentsOf = (text: string): string[] => (text === '' ? [] : text.split('*'));

/** A numbered choice among `count`, as an index; undefined for anything else. */
function choice(answer: string, count: number): number | undefined {
  if (!/^\d{1,3}$/.test(answer)) return undefined;
  const n = Number(answer);
  return n >= 1 && n <= count ? n - 1 : undefined;
}

/** "0" and "00" on a paged screen: the next page, the previous one (or, from the first, where it was reached from). */
function turnPage<N extends Extract<Node, { page: number }>>(answer: string, node: N, pages: number, back: Node = ROOT): Step | undefined {
  if (answer === MORE) return node.page + 1 < pages ? { node: { ...node, page: node.page + 1 } } : INVALID;
  if (answer === BACK) return { node: node.page > 0 ? { ...node, page: node.page - 1 } : back };
  return undefined;
}

function pickService(r: Rendering, answer: string, page: number): Step {
  const intents = reportable(r.charter);
  const turned = turnPage(answer, { at: 'services', page }, servicePages(r).length);
  if (turned) return turned;
  const i = choice(answer, intents.length);
  const intent = i === undefined ? undefined : intents[i];
  if (!intent) return INVALID;
  const back: Node = { at: 'services', page };
  if (r.flows.fieldsOf(intent).length === 0) return { node: { at: 'how', intent, page: 0, back } };
  const variant = variantChoice(r, intent);
  if (variant) return { node: { at: 'variant', intent, field: variant.field, back } };
  return { node: { at: 'describe', intent, line: lineFor(r.charter, intent).line, back } };
}

function pickVariant(r: Rendering, node: Extract<Node, { at: 'variant' }>, answer: string): Step {
  if (answer === BACK) return { node: node.back };
  const options = variantChoice(r, node.intent)?.options ?? [];
  const i = choice(answer, options.length);
  const variant = i === undefined ? undefined : options[i]?.[1];
  if (!variant) return INVALID;
  return { node: { at: 'describe', intent: node.intent, line: lineFor(r.charter, node.intent, variant).line, variant, back: node } };
}

/** A service's place detail, when its form asks where: USSD then asks it after the description. */
const placeField = (r: Rendering, intent: string) => r.flows.fieldsOf(intent).find((f) => r.flows.fields[f]?.kind === 'place');

function describe(r: Rendering, node: Extract<Node, { at: 'describe' }>, answer: string): Step {
  if (answer === BACK) return { node: node.back };
  if (answer.length < MIN_DESCRIPTION) return { invalid: { key: 'ussd.too_short' } };
  const draft: Draft = { intent: node.intent, line: node.line, ...(node.variant ? { variant: node.variant } : {}), description: answer };
  // Named in the description already ("umeme umekatika Sinza Mori"): not asked again.
  const field = placeField(r, node.intent);
  if (field === undefined) return { node: { at: 'confirm', draft, back: node } };
  const named = r.flows.places.find(answer);
  if (named.status === 'found') return { node: { at: 'confirm', draft: { ...draft, placeField: field, place: named.label, area: named.key }, back: node } };
  return { node: { at: 'where', draft: { ...draft, placeField: field }, back: node } };
}

/** Where the fault is: a place the places know (its key kept), or the words typed when they are not a place we know by name. */
function where(r: Rendering, node: Extract<Node, { at: 'where' }>, answer: string): Step {
  if (answer === BACK) return { node: node.back };
  const found = r.flows.places.find(answer, true);
  if (found.status === 'ambiguous') return { invalid: { key: 'ussd.place_ambiguous' } };
  if (found.status === 'found') return { node: { at: 'confirm', draft: { ...node.draft, place: found.label, area: found.key }, back: node } };
  if (answer.trim().length < MIN_DESCRIPTION) return { invalid: { key: 'ussd.place_short' } };
  return { node: { at: 'confirm', draft: { ...node.draft, place: clip(answer.trim(), 120) }, back: node } };
}

async function lookUp(r: Rendering, answer: string): Promise<Step> {
  if (answer === BACK) return { node: ROOT };
  const reference = parseReference(answer, r.referencePrefix, toLocal(r.now, r.calendar.timeZone).year);
  const request = reference ? await r.lookups.findRequest(reference) : undefined;
  if (request) return { node: { at: 'status', request } };
  return { invalid: { key: 'ussd.not_found', params: { reference: clip(reference ?? answer, 24) } } };
}

function step(node: Node, answer: string, r: Rendering): Step | Promise<Step> {
  switch (node.at) {
    case 'root': {
      const entries = rootMenu(r.flows);
      const page = node.page ?? 0;
      // The main menu over two screens (the first session's): "0" the next, "00" the one before.
      if (answer === MORE && page + 1 < rootPages(r).length) return { node: { at: 'root', page: page + 1 } };
      if (answer === BACK && page > 0) return { node: { at: 'root', page: page - 1 } };
      const i = choice(answer, entries.length);
      const to = i === undefined ? undefined : entries[i]?.to;
      // Common questions: the articles as they are now.
      if (to?.at === 'faq') return (async () => ({ node: { ...to, articles: (await r.lookups.articles?.()) ?? [] } }))();
      return to ? { node: to } : INVALID;
    }
    case 'resume': {
      const i = choice(answer, RESUME_MENU.length);
      if (i === 0) return { node: { at: 'confirm', draft: node.draft, back: ROOT } };
      return i === 1 ? { node: ROOT, discardDraft: true } : INVALID;
    }
    case 'services':
      return pickService(r, answer, node.page);
    case 'variant':
      return pickVariant(r, node, answer);
    case 'describe':
      return describe(r, node, answer);
    case 'where':
      return where(r, node, answer);
    case 'how': {
      const turned = turnPage(answer, node, howPages(r, node.intent).length, node.back);
      return turned ?? (answer === BACK ? { node: node.back } : INVALID);
    }
    case 'confirm': {
      if (answer === BACK) return { node: node.back };
      const i = choice(answer, CONFIRM_MENU.length);
      return i === 0 ? { node: { at: 'file', draft: node.draft } } : i === 1 ? { node: { at: 'cancelled' } } : INVALID;
    }
    case 'status_ask':
      return lookUp(r, answer);
    case 'charter': {
      const turned = turnPage(answer, node, charterPages(r).length);
      const group = choice(answer, charterGroups(r.charter).length);
      return turned ?? (group === undefined ? INVALID : { node: { at: 'charter_line', group, page: 0, back: node } });
    }
    case 'charter_line':
      return turnPage(answer, node, charterLinePages(r, node.group).pages.length, node.back) ?? INVALID;
    case 'language': {
      if (answer === BACK) return { node: ROOT };
      const locale = LANGUAGES[choice(answer, LANGUAGES.length) ?? -1];
      return locale ? { node: ROOT, note: { key: 'ussd.language_set' }, locale } : INVALID;
    }
    case 'privacy': {
      if (answer === BACK) return { node: ROOT };
      const i = choice(answer, PRIVACY_MENU.length);
      return i === 0 ? { node: { at: 'privacy_sent' } } : i === 1 ? { node: { at: 'erase_confirm' } } : INVALID;
    }
    case 'erase_confirm': {
      if (answer === BACK) return { node: { at: 'privacy' } };
      const i = choice(answer, ERASE_MENU.length);
      return i === 0 ? { node: { at: 'erased' } } : i === 1 ? { node: { at: 'erase_kept' } } : INVALID;
    }
    case 'faq':
    case 'faq_article':
      return faqStep(r, node, answer);
    case 'notices':
    case 'notices_area':
    case 'notices_joined':
    case 'notices_stopped':
      return noticesStep(node, answer, ROOT);
    case 'faq_helped':
    case 'status':
    case 'cancelled':
    case 'privacy_sent':
    case 'erased':
    case 'erase_kept':
    case 'file':
      // The session ended here; a gateway that posts more is shown the end again.
      return { node };
  }
}

const rendering = (env: UssdEnv, locale: Locale): Rendering => ({ ...env, locale, t: translator(locale) });

function effectsOf(node: Node, locale: Locale | undefined, discarded: boolean, kb: FaqEffect | undefined, notices: NoticeEffect | undefined): UssdEffects {
  // A draft is kept from the confirm screen on: a session that times out there can be resumed.
  const draft = node.at === 'confirm' ? node.draft : node.at === 'cancelled' || discarded ? null : undefined;
  const privacy = node.at === 'privacy_sent' ? 'send_summary' : node.at === 'erased' ? 'erase' : undefined;
  return { ...(locale ? { locale } : {}), ...(draft !== undefined ? { draft } : {}), ...(privacy ? { privacy } : {}), ...(kb ? { kb } : {}), ...(notices ? { notices } : {}) };
}

/** Walks the answers from the top and says what to show, or that the report is to be filed. */
export async function ussdMenu(input: UssdMenuInput): Promise<UssdOutcome> {
  let node: Node = input.resume ? { at: 'resume', draft: input.resume } : ROOT;
  let locale = input.locale;
  let chosen: Locale | undefined;
  let note: Note | undefined;
  let discarded = false;
  let kb: FaqEffect | undefined;
  let notices: NoticeEffect | undefined;
  for (const segment of input.segments) {
    const s = await step(node, segment.trim(), rendering(input, locale));
    if ('invalid' in s) {
      // A wrong answer leaves the person where they were; only the last one's remark is shown.
      note = s.invalid;
      continue;
    }
    ({ node, note } = s);
    if (s.locale) locale = chosen = s.locale;
    if (s.discardDraft) discarded = true;
    if (s.kb) kb = s.kb;
    if (s.notices) notices = s.notices;
  }
  const effects = effectsOf(node, chosen, discarded, kb, notices);
  if (node.at === 'file') return { kind: 'file', draft: node.draft, locale, effects };
  return { kind: 'screen', screen: render(rendering(input, locale), node, note), locale, effects };
}
