import { isServiceIntent, type IntentId } from '../../intents/ids.ts';
import type { CharterLine } from '../charter/charter.ts';
import { startForm, type FormState } from '../flows/form.ts';
import { variantChoice } from '../flows/variants.ts';
import { pickOption } from './commands.ts';
import { say, type TurnContext, type TurnResult } from './context.ts';
import { intentName, serviceName } from './deadlines.ts';
import { advance } from './form-turn.ts';
import { IDLE } from './state.ts';

// "Huduma zenu ni zipi?": the charter's lines as numbered choices, each by its
// one name (the charter bundle's). Choosing one starts its form, already set to
// that line (no question about which line it is), or, for a line with no form
// (answering calls, complaints), says its promise and how to get it. The
// channels number the choices (SMS, WhatsApp) or show them as buttons.

/** Every line of the charter once, in its order: the person chooses by number or by name. */
export function listServices(ctx: TurnContext): TurnResult {
  const lines = ctx.charter.lines;
  const options = lines.map((l) => ({ id: String(l.line), label: serviceName(ctx, l) }));
  return { replies: [say(ctx.t('service_list.intro'), options)], state: { mode: 'choose_service', lines: lines.map((l) => l.line) } };
}

/**
 * An answer to the list: the line it picks, started; undefined when it picks
 * none (the person said something else, which is then understood afresh).
 */
export function chooseService(ctx: TurnContext, offered: readonly number[]): TurnResult | undefined {
  const lines = offered.map((n) => ctx.charter.byNumber(n)).filter((l): l is CharterLine => l !== undefined);
  const i = pickOption(
    ctx.text,
    lines.map((l) => serviceName(ctx, l)),
  );
  const line = i === undefined ? undefined : lines[i];
  return line ? startLine(ctx, line) : undefined;
}

/** A chosen line: its form, set to the line, after its promise; or its promise and how to get it. */
export function startLine(ctx: TurnContext, line: CharterLine): TurnResult {
  const words = { service: serviceName(ctx, line), promise: line.promise[ctx.locale], cost: ctx.charter.data.cost[ctx.locale] };
  if (!isServiceIntent(line.intent)) {
    const how = line.how?.[ctx.locale] ?? ctx.t('service_list.how');
    return { replies: [say(ctx.t('service_list.no_form', { ...words, how }))], state: IDLE };
  }
  // The option number typed is no description: the form starts empty, its line already chosen.
  const form = withLine(ctx, startForm(ctx.flows, line.intent, '', []), line);
  return advance(ctx, form, [ctx.t('service_list.start', words)]);
}

/** A form set to a line: the variant, and the answer of the question that would have picked it (so it is not asked). */
function withLine(ctx: TurnContext, form: FormState, line: CharterLine): FormState {
  if (line.variant === undefined) return form;
  const choice = isServiceIntent(line.intent) ? variantChoice(ctx, line.intent) : undefined;
  const option = choice?.options.find(([, variant]) => variant === line.variant)?.[0];
  const answers = choice && option ? { ...form.answers, [choice.field]: option } : form.answers;
  return { ...form, answers, variant: line.variant };
}

/**
 * An intent as a choice names it ("which one did you mean?"): a service by its
 * one name; anything else (a complaint, an officer) by the intent's own words,
 * since line 1's name ("answering calls") is not what asking for an officer means.
 */
export const intentLabel = (ctx: TurnContext, intent: IntentId): string => (isServiceIntent(intent) ? intentName(ctx, intent) : ctx.t(`intent.${intent}`));
