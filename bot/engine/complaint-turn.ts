import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { OPEN_STATUSES, type RequestRow } from '../../db/queries/requests.ts';
import { isServiceIntent, type IntentId } from '../../intents/ids.ts';
import { normalize } from '../../intents/normalize.ts';
import { COMPLAINT } from '../charter/charter.ts';
import { commandOf, pickOption } from './commands.ts';
import { say, type TurnContext, type TurnResult } from './context.ts';
import { deadlineWords, serviceName, statusLine } from './deadlines.ts';
import { IDLE } from './state.ts';
import { mayActOn, offerProof } from './request-proof.ts';

// A complaint about the service is filed like any request (the charter's
// complaint line gives its time), linked to the request it is about when
// there is one, and remembered in the conversation: a later "sasa
// mtanisaidia lini?" is answered with its status.

const words = z
  .object({ asks: z.array(z.string().min(1)).min(1), complaint: z.array(z.string().min(1)).min(1) })
  .strict()
  .parse(parse(readFileSync(fileURLToPath(new URL('./follow-up.yml', import.meta.url)), 'utf8')));
const ASKS: ReadonlySet<string> = new Set(words.asks.map((w) => normalize(w)));
const NAMES: ReadonlySet<string> = new Set(words.complaint.map((w) => normalize(w)));

const isOpen = (r: RequestRow) => (OPEN_STATUSES as readonly string[]).includes(r.status);
const referencesIn = (ctx: TurnContext) => ctx.understanding.entities.filter((e) => e.type === 'reference').map((e) => e.value);

/** The first request the message names by reference, whoever made it, and whether this person may act on it. */
async function namedRequest(ctx: TurnContext): Promise<{ request: RequestRow; mine: boolean } | undefined> {
  for (const reference of referencesIn(ctx)) {
    const request = await ctx.store.findRequest(reference);
    if (request) return { request, mine: await mayActOn(ctx, request) };
  }
  return undefined;
}

/** A complaint about a named request: filed when it is the person's, else only after proof it is (proof-turn.ts). */
function aboutNamed(ctx: TurnContext, text: string, named: { request: RequestRow; mine: boolean }): Promise<TurnResult> | TurnResult {
  if (named.mine) return fileComplaint(ctx, text, named.request);
  return offerProof(ctx, named.request, { act: 'complaint', reference: named.request.reference, text });
}

/** The complaint this conversation remembers, else the person's latest. */
async function rememberedComplaint(ctx: TurnContext): Promise<RequestRow | undefined> {
  const remembered = ctx.remembered.complaint === undefined ? undefined : await ctx.store.findOwnRequest(ctx.remembered.complaint);
  return remembered ?? (await ctx.store.latestComplaint());
}

/**
 * Whether a message asks after a complaint already made: a complaint again
 * with a question ("mbona kimya?"), any message that names the complaint
 * ("habari za malalamiko yangu?", "any news on my complaint?"), or a question
 * understood as nothing while the complaint is open ("sasa mtanisaidia
 * lini?"). A message that names a reference is about that one; a service
 * asked for, or an officer, is something new.
 */
async function followedUp(ctx: TurnContext, intent: IntentId): Promise<RequestRow | undefined> {
  if (isServiceIntent(intent) || intent === 'human_handoff' || intent === 'cancel') return undefined;
  if (referencesIn(ctx).length > 0) return undefined;
  const found = normalize(ctx.text).split(' ');
  const asks = found.some((w) => ASKS.has(w));
  const names = found.some((w) => NAMES.has(w));
  if (!asks && !names) return undefined;
  const complaint = await rememberedComplaint(ctx);
  if (!complaint) return undefined;
  if (intent === 'complaint') return asks && (names || isOpen(complaint)) ? complaint : undefined;
  if (names) return complaint;
  return intent === 'out_of_scope' && isOpen(complaint) ? complaint : undefined;
}

/** A follow-up of a complaint, answered with its status and due time as a status check answers. */
export async function complaintFollowUp(ctx: TurnContext, intent: IntentId): Promise<TurnResult | undefined> {
  const complaint = await followedUp(ctx, intent);
  if (!complaint) return undefined;
  return { replies: [say(ctx.t('chat.complaint_status', { line: statusLine(ctx, complaint) }))], state: IDLE, remember: { complaint: complaint.reference } };
}

/** Files the complaint (its words as the description) and tells its reference and due time. */
export async function fileComplaint(ctx: TurnContext, text: string, about: RequestRow | undefined): Promise<TurnResult> {
  const { request, line, dueAt } = await ctx.store.file({ service: COMPLAINT, details: { description: text }, aboutRequestId: about?.id });
  const within = ctx.t('chat.complaint_within', { promise: line.promise[ctx.locale] });
  const due = dueAt ? ctx.t('promise.within_by', { within, deadline: deadlineWords(ctx, dueAt) }) : within;
  const said = about ? ctx.t('chat.complaint_filed_on', { reference: request.reference, about: about.reference, due }) : ctx.t('chat.complaint_filed', { reference: request.reference, due });
  return { replies: [say(said)], state: IDLE, remember: { complaint: request.reference } };
}

function optionLabel(ctx: TurnContext, r: RequestRow): string {
  const line = ctx.charter.lines.find((l) => l.line === r.charterLine);
  return ctx.t('chat.complaint_about_option', { reference: r.reference, service: line ? serviceName(ctx, line) : r.service });
}

/** Asks once which open request the complaint is about: "is it about X?" for one, a numbered choice for several. */
function askAbout(ctx: TurnContext, open: readonly RequestRow[]): TurnResult {
  const state = { mode: 'complaint_about', text: ctx.text, options: open.map((r) => r.reference) } as const;
  const [only] = open;
  if (only && open.length === 1) {
    const options = [
      { id: 'yes', label: ctx.t('choice.yes') },
      { id: 'no', label: ctx.t('choice.no') },
    ];
    return { replies: [say(ctx.t('chat.complaint_about_one', { request: optionLabel(ctx, only) }), options)], state };
  }
  const options = [...open.map((r) => ({ id: r.reference, label: optionLabel(ctx, r) })), { id: 'none', label: ctx.t('chat.complaint_about_none') }];
  return { replies: [say(ctx.t('chat.complaint_about_which'), options)], state };
}

/**
 * A complaint: about the request it names, else asked about once when the
 * person has open requests, else about nothing in particular. A complaint
 * is not asked about another complaint.
 */
export async function complaint(ctx: TurnContext): Promise<TurnResult> {
  const named = await namedRequest(ctx);
  if (named) return aboutNamed(ctx, ctx.text, named);
  const open = (await ctx.store.openRequests()).filter((r) => r.service !== COMPLAINT);
  if (open.length === 0) return fileComplaint(ctx, ctx.text, undefined);
  return askAbout(ctx, open);
}

/** The answer to "which request is your complaint about?": it is filed now, whatever the answer ("ghairi" drops it). */
export async function answerComplaintAbout(ctx: TurnContext, text: string, options: readonly string[]): Promise<TurnResult> {
  const command = commandOf(ctx.text);
  if (command === 'cancel') return { replies: [say(ctx.t('chat.complaint_dropped'))], state: IDLE };
  const named = await namedRequest(ctx);
  if (named) return aboutNamed(ctx, text, named);
  const asked: RequestRow[] = [];
  for (const reference of options) {
    const r = await ctx.store.findOwnRequest(reference);
    if (r) asked.push(r);
  }
  const [only] = asked;
  if (only && options.length === 1) {
    const picked = pickOption(ctx.text, [ctx.t('choice.yes'), ctx.t('choice.no')]);
    return fileComplaint(ctx, text, command === 'yes' || picked === 0 ? only : undefined);
  }
  const picked = pickOption(ctx.text, [...asked.map((r) => optionLabel(ctx, r)), ctx.t('chat.complaint_about_none')]);
  return fileComplaint(ctx, text, picked === undefined ? undefined : asked[picked]);
}
