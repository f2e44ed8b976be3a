import type { ServiceIntent } from '../../intents/ids.ts';
import type { CharterLine } from '../charter/charter.ts';
import { commandOf, commandWithRest, pickOption } from './commands.ts';
import { say, type TurnContext, type TurnResult } from './context.ts';
import { intentName, promisedBy, serviceName } from './deadlines.ts';
import { acceptAnswer, nextField, previousField, startForm, withoutAnswer, type FormState, type OptionLabels } from '../flows/form.ts';
import { IDLE } from './state.ts';
import { detailNamed, type Fit } from './form-interrupt.ts';
import { localPhone } from './phone-proof.ts';
import { joinedText } from '../incidents/words.ts';
import { alertJoinedText } from '../alerts/words.ts';
import { plannedText } from '../announcements/words.ts';

const labels =
  (ctx: TurnContext): OptionLabels =>
  (spec) =>
    Object.keys(spec.options).map((o) => ctx.t(`choice.${o}`));

/** The question for a field, with its choices when it has them. */
export function ask(ctx: TurnContext, form: FormState, field: string): TurnResult {
  const spec = ctx.flows.fields[field];
  const options = spec?.kind === 'choice' ? Object.keys(spec.options).map((o) => ({ id: o, label: ctx.t(`choice.${o}`) })) : undefined;
  return { replies: [say(ctx.t(`field.${field}.ask`), options)], state: { mode: 'form', form, field } };
}

function shownValue(ctx: TurnContext, field: string, value: string): string {
  return ctx.flows.fields[field]?.kind === 'choice' ? ctx.t(`choice.${value}`) : value;
}

export function confirmOptions(ctx: TurnContext) {
  return [
    { id: 'yes', label: ctx.t('form.confirm_yes') },
    { id: 'change', label: ctx.t('form.confirm_change') },
    { id: 'cancel', label: ctx.t('form.confirm_cancel') },
  ];
}

/** The next question, or the summary to confirm once every detail is in. */
export function advance(ctx: TurnContext, form: FormState, before: string[] = []): TurnResult {
  const field = nextField(ctx.flows, form);
  if (field) {
    const next = ask(ctx, form, field);
    return { ...next, replies: [...before.map((b) => say(b)), ...next.replies] };
  }
  const summary = [
    ctx.t('form.summary_intro'),
    ...ctx.flows
      .fieldsOf(form.intent)
      // A detail taken only when given (a meter number) is not listed when it was not.
      .filter((f) => form.answers[f] !== undefined || ctx.flows.asks(form.intent, f))
      .map((f) => ctx.t('form.summary_line', { label: ctx.t(`field.${f}.label`), value: shownValue(ctx, f, form.answers[f] ?? '') })),
  ].join('\n');
  return { replies: [...before.map((b) => say(b)), say(summary), say(ctx.t('form.confirm'), confirmOptions(ctx))], state: { mode: 'confirm', form } };
}

/**
 * A service asked for: its charter's first words when it has them (a danger's
 * safety advice), then its form; a service with no form (one answered at once)
 * gets its line's `how`.
 */
export function beginForm(ctx: TurnContext, intent: ServiceIntent): TurnResult {
  const lines = ctx.charter.linesFor(intent);
  const first = lines.find((l) => l.first)?.first?.[ctx.locale];
  const how = lines.find((l) => l.how)?.how?.[ctx.locale];
  if (ctx.flows.fieldsOf(intent).length === 0 && how) return { replies: [say(how)], state: IDLE };
  const form = startForm(ctx.flows, intent, ctx.text, ctx.understanding.entities);
  return advance(ctx, form, [...(first ? [first] : []), ctx.t('form.start', { service: intentName(ctx, intent, form.variant) })]);
}

export function cancelled(ctx: TurnContext): TurnResult {
  return { replies: [say(ctx.t('form.cancelled'))], state: IDLE };
}

/** Back to the question before `field` (none: the last question, from the summary). */
export function goBack(ctx: TurnContext, form: FormState, field: string | undefined): TurnResult {
  const previous = previousField(ctx.flows, form, field);
  if (previous) return ask(ctx, withoutAnswer(form, previous), previous);
  const again = field === undefined ? advance(ctx, form) : ask(ctx, form, field);
  return { ...again, replies: [say(ctx.t('form.nothing_to_go_back_to')), ...again.replies] };
}

/** How a reply fits the question about `field` (see form-interrupt.ts): a checked shape, any free text, or no answer. */
export function fitOf(ctx: TurnContext, form: FormState, field: string): Fit {
  const answer = acceptAnswer(ctx.flows, form, field, ctx.text, ctx.understanding.entities, labels(ctx));
  if (answer.status === 'invalid' || courtesyForPlace(ctx, form, field)) return 'none';
  // A place we know is an answer whatever else is said; words naming no place we know are free text.
  const kind = ctx.flows.fields[field]?.kind;
  return kind === 'text' || (kind === 'place' && answer.state.place === undefined) ? 'loose' : 'shaped';
}

/** How sure the classifier must be that words naming no place we know are a greeting or thanks, not a place. */
const COURTESY_SURE = 0.8;

/** "habari za asubuhi" at the question "where?": a greeting, not a place nobody knows by name. */
function courtesyForPlace(ctx: TurnContext, form: FormState, field: string): boolean {
  if (ctx.flows.fields[field]?.kind !== 'place' || ctx.flows.places.find(ctx.text, true).status !== 'none') return false;
  const u = ctx.understanding;
  return (u.intent === 'greeting' || u.intent === 'goodbye') && u.decided === 'model' && u.confidence >= COURTESY_SURE && form.intent !== u.intent;
}

/** An answer to the question about `field`, or "rudi" / "ghairi". */
export function answerField(ctx: TurnContext, form: FormState, field: string): TurnResult {
  const command = commandOf(ctx.text);
  if (command === 'cancel') return cancelled(ctx);
  if (command === 'back') return goBack(ctx, form, field);
  const given = acceptAnswer(ctx.flows, form, field, ctx.text, ctx.understanding.entities, labels(ctx));
  const result = courtesyForPlace(ctx, form, field) ? ({ status: 'invalid', kind: 'place' } as const) : given;
  if (result.status === 'invalid') {
    const again = ask(ctx, form, field);
    const spec = ctx.flows.fields[field];
    const length = spec?.kind === 'digits' ? spec.length : '';
    return { ...again, replies: [say(ctx.t(`form.invalid.${result.kind}`, { length })), ...again.replies] };
  }
  return advance(ctx, result.state);
}

/** The detail a reply names: its label ("simu", "2") or another word for it ("namba ya simu", "the phone number"). */
export function fieldNamed(ctx: TurnContext, form: FormState, words: string): string | undefined {
  const fields = ctx.flows.fieldsOf(form.intent);
  const i = pickOption(
    words,
    fields.map((f) => ctx.t(`field.${f}.label`)),
  );
  return i === undefined ? detailNamed(words, fields) : fields[i];
}

export function chooseField(ctx: TurnContext, form: FormState): TurnResult {
  const options = ctx.flows.fieldsOf(form.intent).map((f) => ({ id: f, label: ctx.t(`field.${f}.label`) }));
  return { replies: [say(ctx.t('form.which_field'), options)], state: { mode: 'choose_field', form } };
}

export function changeField(ctx: TurnContext, form: FormState): TurnResult {
  const field = fieldNamed(ctx, form, ctx.text);
  if (commandOf(ctx.text) === 'cancel') return cancelled(ctx);
  return field ? ask(ctx, withoutAnswer(form, field), field) : chooseField(ctx, form);
}

/** The receipt of a request whose clock waits (a schedule, an event): the promise, and what happens next when the charter says. */
function waitingReceipt(ctx: TurnContext, line: CharterLine, common: { reference: string; service: string; cost: string }): string {
  const promise = line.promise[ctx.locale];
  return line.next ? ctx.t('form.created_next', { ...common, promise, next: line.next[ctx.locale] }) : ctx.t('form.created_no_due', { ...common, promise });
}

/** Files the request: reference, charter line, due time in words (or what happens next). */
async function submit(ctx: TurnContext, form: FormState): Promise<TurnResult> {
  // The phone number typed stays on the request for staff to call; it is not the person's identity.
  // Where the report is (a place key), so a crew's incident in that area links it.
  const { request, line, dueAt, incident, alert, planned } = await ctx.store.file({
    service: form.intent,
    variant: form.variant,
    details: { ...form.answers },
    ...(form.place ? { area: form.place } : {}),
  });
  await ctx.store.setContact({ email: form.answers.email });
  if (form.attachments && form.attachments.length > 0) await ctx.store.attach(request, form.attachments);
  const common = { reference: request.reference, service: serviceName(ctx, line), cost: ctx.charter.data.cost[ctx.locale] };
  const receipt = dueAt ? ctx.t('form.created', { ...common, due: promisedBy(ctx, line, dueAt) }) : waitingReceipt(ctx, line, common);
  // A report that joined an open incident hears at once that the fault is known, and its latest news; one a monitoring alert raised already, that it is known.
  const joined = incident ? joinedText(ctx.locale, incident) : alert ? alertJoinedText(ctx.locale, alert) : undefined;
  const withJoined = joined ? `${receipt}\n\n${joined}` : receipt;
  // One filed where a planned outage is under way hears its notice: the power returns when the work ends.
  const text = planned ? `${withJoined}\n\n${plannedText(ctx.locale, await ctx.store.notices.channel(), planned.notice)}` : withJoined;
  const phone = form.answers.phone;
  // A number not yet this person's: offered to prove it, so what is filed from that phone shows here too.
  if (phone && ctx.store.canSendCodes && !(await ctx.store.phoneIsMine(phone)))
    return { replies: [say(text), say(ctx.t('link.offer', { phone: localPhone(phone) }))], state: { mode: 'idle', misunderstood: 0, offeredPhone: phone } };
  return { replies: [say(text)], state: IDLE };
}

export async function confirmForm(ctx: TurnContext, form: FormState): Promise<TurnResult> {
  const withRest = commandWithRest(ctx.text);
  if (withRest?.command === 'change') {
    const field = fieldNamed(ctx, form, withRest.rest);
    return field ? ask(ctx, withoutAnswer(form, field), field) : chooseField(ctx, form);
  }
  const picked = pickOption(
    ctx.text,
    confirmOptions(ctx).map((o) => o.label),
  );
  const command = commandOf(ctx.text) ?? (picked === 0 ? 'yes' : picked === 1 ? 'change' : picked === 2 ? 'cancel' : undefined);
  if (command === 'yes') return submit(ctx, form);
  if (command === 'cancel' || command === 'no') return cancelled(ctx);
  if (command === 'change') return chooseField(ctx, form);
  return { replies: [say(ctx.t('form.confirm'), confirmOptions(ctx))], state: { mode: 'confirm', form } };
}
