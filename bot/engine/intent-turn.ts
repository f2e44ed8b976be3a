import type { RequestRow } from '../../db/queries/requests.ts';
import { closeCall } from '../../intents/classifier.ts';
import { isServiceIntent, type IntentId } from '../../intents/ids.ts';
import { commandOf, pickOption } from './commands.ts';
import { say, type TurnContext, type TurnResult } from './context.ts';
import { serviceName, statusLine } from './deadlines.ts';
import { beginForm } from './form-turn.ts';
import { intentLabel, listServices } from './services-turn.ts';
import { IDLE } from './state.ts';
import { complaint, complaintFollowUp } from './complaint-turn.ts';
import { greet, referral } from './courtesy.ts';
import { isOpen, mayActOn, offerProof } from './request-proof.ts';
import { kbAnswer } from './kb-turn.ts';
import { noticesAnswer } from '../announcements/questions.ts';

const idle = (_ctx: TurnContext, ...texts: string[]): TurnResult => ({ replies: texts.map((t) => say(t)), state: IDLE });

const MENU = ['report', 'status', 'services', 'person'] as const;

export function menu(ctx: TurnContext): TurnResult {
  const options = MENU.map((m) => ({ id: m, label: ctx.t(`chat.menu_${m}`) }));
  return { replies: [say(ctx.t('chat.help_intro'), options)], state: { mode: 'menu' } };
}

function references(ctx: TurnContext): string[] {
  return ctx.understanding.entities.filter((e) => e.type === 'reference').map((e) => e.value);
}

async function checkStatus(ctx: TurnContext): Promise<TurnResult> {
  const refs = references(ctx);
  if (refs.length > 0) {
    const lines: string[] = [];
    // Whoever made it: a reference tells its status, service and due time, and nothing about the person.
    for (const ref of refs) {
      const r = await ctx.store.findRequest(ref);
      lines.push(r ? statusLine(ctx, r) : ctx.t('status.not_found', { reference: ref }));
    }
    return idle(ctx, ...lines);
  }
  const open = await ctx.store.openRequests();
  if (open.length === 0) return idle(ctx, ctx.t('status.none'));
  return idle(ctx, [ctx.t('status.list_intro'), ...open.map((r) => statusLine(ctx, r))].join('\n'));
}

/** "ghairi ombi X": the person's own open request (the latest when none is named); one made elsewhere only after proof it is theirs. */
async function cancelRequest(ctx: TurnContext): Promise<TurnResult> {
  const [ref] = references(ctx);
  const request = ref ? await ctx.store.findRequest(ref) : (await ctx.store.openRequests())[0];
  if (ref && !request) return idle(ctx, ctx.t('status.not_found', { reference: ref }));
  if (!request) return idle(ctx, ctx.t('cancel.nothing'));
  if (!isOpen(request)) return askCancel(ctx, request);
  if (!(await mayActOn(ctx, request))) return offerProof(ctx, request, { act: 'cancel', reference: request.reference });
  return askCancel(ctx, request);
}

/** Asks to confirm cancelling a request the person may act on (or says it is no longer open). */
export function askCancel(ctx: TurnContext, request: RequestRow): TurnResult {
  if (!isOpen(request)) return idle(ctx, ctx.t('anywhere.cancel_closed', { reference: request.reference, status: ctx.t(`status.name.${request.status}`) }));
  const line = ctx.charter.lines.find((l) => l.line === request.charterLine);
  const options = [
    { id: 'yes', label: ctx.t('choice.yes') },
    { id: 'no', label: ctx.t('choice.no') },
  ];
  return {
    replies: [say(ctx.t('cancel.confirm', { reference: request.reference, service: line ? serviceName(ctx, line) : request.service }), options)],
    state: { mode: 'confirm_cancel', reference: request.reference },
  };
}

export async function confirmCancel(ctx: TurnContext, reference: string): Promise<TurnResult> {
  const picked = pickOption(ctx.text, [ctx.t('choice.yes'), ctx.t('choice.no')]);
  const command = commandOf(ctx.text) ?? (picked === 0 ? 'yes' : picked === 1 ? 'no' : undefined);
  const request = await ctx.store.findRequest(reference);
  if (command === 'yes' && request && isOpen(request) && (await mayActOn(ctx, request))) {
    await ctx.store.cancelRequest(request);
    return idle(ctx, ctx.t('cancel.done', { reference }));
  }
  if (command === 'no' || command === 'cancel') return idle(ctx, ctx.t('cancel.kept', { reference }));
  return route(ctx, ctx.understanding.intent, 0);
}

async function notUnderstood(ctx: TurnContext, misunderstood: number): Promise<TurnResult> {
  if (misunderstood + 1 >= 2) {
    return { replies: [say(ctx.t('chat.not_understood_twice'))], state: IDLE, handoff: true };
  }
  return { replies: [say(ctx.t('chat.not_understood'))], state: { mode: 'idle', misunderstood: misunderstood + 1 } };
}

/** What the bot does for an intent when no form or question is open. */
export async function route(ctx: TurnContext, intent: IntentId, misunderstood: number): Promise<TurnResult> {
  // A question the published planned-outage notices answer ("umeme utakatika lini Sinza?"), where the bundle's line says so.
  if (isServiceIntent(intent)) return (await noticesAnswer(ctx, intent)) ?? beginForm(ctx, intent);
  const followUp = await complaintFollowUp(ctx, intent);
  if (followUp) return followUp;
  switch (intent) {
    case 'check_status':
      return checkStatus(ctx);
    case 'list_services':
      return listServices(ctx);
    case 'cost_inquiry':
      return idle(ctx, ctx.t('chat.cost'));
    case 'help':
      return menu(ctx);
    case 'greeting':
      return greet(ctx);
    case 'goodbye':
      return idle(ctx, ctx.t('chat.goodbye'));
    case 'complaint':
      return complaint(ctx);
    case 'cancel':
      return cancelRequest(ctx);
    case 'human_handoff':
      return { replies: [say(ctx.t('chat.handoff_started'))], state: IDLE, handoff: true };
    case 'out_of_scope':
      return referral(ctx) ?? (ctx.understanding.decided === 'model' ? idle(ctx, ctx.t('chat.out_of_scope')) : notUnderstood(ctx, misunderstood));
  }
  // Every intent is a service of the bundle or one of the conversation's own above; this is not reached.
  return notUnderstood(ctx, misunderstood);
}

/** What a message naming a reference may ask besides its status; anything else with a reference in it ("where is ICT-…?") asks its status. */
const ABOUT_A_REFERENCE: ReadonlySet<IntentId> = new Set(['cancel', 'complaint', 'human_handoff']);

/** A fresh message: a menu word, a choice with no list open, a reference, a close call to ask about, or an intent to act on. */
export async function understandFresh(ctx: TurnContext, misunderstood: number): Promise<TurnResult> {
  const command = commandOf(ctx.text);
  if (command === 'menu') return menu(ctx);
  if (command === 'cancel') return cancelRequest(ctx);
  // "2" with no list open answers a menu the person expects to see: here it is.
  if (/^\d{1,3}$/.test(ctx.text.trim())) return menu(ctx);
  if (references(ctx).length > 0 && !ABOUT_A_REFERENCE.has(ctx.understanding.intent)) return checkStatus(ctx);
  // Another institution's matter ("my water bill is too high"): where to go, before any article that looks close.
  const elsewhere = ctx.understanding.intent === 'out_of_scope' ? referral(ctx) : undefined;
  if (elsewhere) return elsewhere;
  // An article answers it: its steps first, a form only if they did not help (kb-turn.ts).
  const answered = await kbAnswer(ctx);
  if (answered) return answered;
  const close = closeCall(ctx.understanding)?.filter((r) => r.intent !== 'out_of_scope');
  if (close && close.length === 2)
    return askWhichOne(
      ctx,
      ctx.text,
      close.map((r) => r.intent),
    );
  return route(ctx, ctx.understanding.intent, misunderstood);
}

function askWhichOne(ctx: TurnContext, text: string, intents: readonly IntentId[]): TurnResult {
  const options = intents.map((intent) => ({ id: intent, label: intentLabel(ctx, intent) }));
  return { replies: [say(ctx.t('chat.which_one'), options)], state: { mode: 'choose_intent', options: [...intents], text } };
}

export async function chooseIntent(ctx: TurnContext, options: readonly IntentId[], original: string): Promise<TurnResult> {
  const i = pickOption(
    ctx.text,
    options.map((o) => intentLabel(ctx, o)),
  );
  const chosen = i === undefined ? undefined : options[i];
  // A number that is none of the choices: the same question again; anything else may be something new.
  if (!chosen && /^\d{1,3}$/.test(ctx.text.trim())) return askWhichOne(ctx, original, options);
  if (!chosen) return understandFresh(ctx, 0);
  return route({ ...ctx, text: original, understanding: ctx.understand(original) }, chosen, 0);
}

export async function fromMenu(ctx: TurnContext): Promise<TurnResult> {
  const i = pickOption(
    ctx.text,
    MENU.map((m) => ctx.t(`chat.menu_${m}`)),
  );
  switch (i === undefined ? undefined : MENU[i]) {
    case 'report':
      return idle(ctx, ctx.t('chat.report_prompt'));
    case 'status':
      return checkStatus(ctx);
    case 'services':
      return listServices(ctx);
    case 'person':
      return route(ctx, 'human_handoff', 0);
    default:
      return understandFresh(ctx, 0);
  }
}
