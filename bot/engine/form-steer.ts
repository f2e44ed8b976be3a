import { withoutAnswer, type FormState } from '../flows/form.ts';
import { commandOf, commandWithRest, pickOption } from './commands.ts';
import { say, type TurnContext, type TurnResult } from './context.ts';
import { intentName } from './deadlines.ts';
import { wishOf, type Fit, type Wish } from './form-interrupt.ts';
import { advance, answerField, ask, beginForm, cancelled, changeField, chooseField, confirmForm, confirmOptions, fieldNamed, fitOf, goBack } from './form-turn.ts';
import { route } from './intent-turn.ts';
import { IDLE, type ConversationState } from './state.ts';

// The turns of a person filling a form: each reply is first checked for being
// about the conversation (form-interrupt.ts decides) and acted on as such;
// otherwise it is the answer form-turn.ts takes.

/** The states that hold a form's unsaved answers. */
export type FormMode = Extract<ConversationState, { mode: 'form' | 'confirm' | 'choose_field' | 'form_check' }>;
type Check = Extract<ConversationState, { mode: 'form_check' }>;

export function isFormMode(state: ConversationState): state is FormMode {
  return state.mode === 'form' || state.mode === 'confirm' || state.mode === 'choose_field' || state.mode === 'form_check';
}

export function formTurn(ctx: TurnContext, state: FormMode): TurnResult | Promise<TurnResult> {
  switch (state.mode) {
    case 'form':
      return atQuestion(ctx, state.form, state.field);
    case 'confirm':
      return atSummary(ctx, state.form);
    case 'choose_field':
      return atChooseField(ctx, state.form);
    case 'form_check':
      return answerCheck(ctx, state);
  }
}

/** The question the form waits at, asked again (in the person's language now): a field, the summary, "which detail?", or a check. */
function pending(ctx: TurnContext, state: FormMode): TurnResult {
  switch (state.mode) {
    case 'form':
      return ask(ctx, state.form, state.field);
    case 'confirm':
      return advance(ctx, state.form);
    case 'choose_field':
      return chooseField(ctx, state.form);
    case 'form_check':
      return checkQuestion(ctx, state);
  }
}

/** "tuongee kiingereza" and the like (engine.ts switches): said so, and in a form its question asked again in the new language. */
export function languageSwitched(ctx: TurnContext, state: ConversationState): TurnResult {
  const set = say(ctx.t('chat.language_set'));
  if (!isFormMode(state)) return { replies: [set], state };
  const again = pending(ctx, state);
  return { ...again, replies: [set, ...again.replies] };
}

function atQuestion(ctx: TurnContext, form: FormState, field: string): TurnResult | Promise<TurnResult> {
  const command = commandOf(ctx.text);
  if (command === 'cancel' || command === 'back') return answerField(ctx, form, field);
  return steered(ctx, form, field, fitOf(ctx, form, field)) ?? answerField(ctx, form, field);
}

function atSummary(ctx: TurnContext, form: FormState): TurnResult | Promise<TurnResult> {
  // "rudi" at the summary: the last question again.
  if (commandOf(ctx.text) === 'back') return goBack(ctx, form, undefined);
  const labels = confirmOptions(ctx).map((o) => o.label);
  const fits = commandOf(ctx.text) !== undefined || commandWithRest(ctx.text)?.command === 'change' || pickOption(ctx.text, labels) !== undefined;
  return (fits ? undefined : steered(ctx, form, undefined, 'none')) ?? confirmForm(ctx, form);
}

function atChooseField(ctx: TurnContext, form: FormState): TurnResult | Promise<TurnResult> {
  if (commandOf(ctx.text) === 'back') return advance(ctx, form);
  const fits = commandOf(ctx.text) !== undefined || fieldNamed(ctx, form, ctx.text) !== undefined;
  return (fits ? undefined : steered(ctx, form, undefined, 'none')) ?? changeField(ctx, form);
}

/** The turn for a reply that is about the conversation; undefined when it is the answer after all. */
function steered(ctx: TurnContext, form: FormState, field: string | undefined, fit: Fit): TurnResult | Promise<TurnResult> | undefined {
  const wish = wishOf(ctx.text, ctx.understanding, ctx.flows, { form, field, fit });
  return wish && act(ctx, wish, form, field);
}

function act(ctx: TurnContext, wish: Wish, form: FormState, field: string | undefined): TurnResult | Promise<TurnResult> {
  switch (wish.kind) {
    case 'stop':
      return wish.sure ? cancelled(ctx) : checkQuestion(ctx, { mode: 'form_check', form, field });
    case 'service':
      return checkQuestion(ctx, { mode: 'form_check', form, field, switchTo: { intent: wish.intent, text: ctx.text } });
    case 'officer':
      return { replies: [say(ctx.t('steer.officer'))], state: IDLE, handoff: true };
    case 'back':
      return goBack(ctx, form, field);
    case 'change':
      return wish.field ? ask(ctx, withoutAnswer(form, wish.field), wish.field) : chooseField(ctx, form);
    case 'status':
      return statusMeanwhile(ctx, form, field);
  }
}

/** "ombi langu la awali limefika wapi?": its status, then the question the form waits at. */
async function statusMeanwhile(ctx: TurnContext, form: FormState, field: string | undefined): Promise<TurnResult> {
  const status = await route(ctx, 'check_status', 0);
  const again = field === undefined ? advance(ctx, form) : ask(ctx, form, field);
  return { ...again, replies: [...status.replies, say(ctx.t('steer.back_to_form')), ...again.replies] };
}

/** "Unataka kusitisha ombi hili?" or "Unataka kuanza ombi la X badala yake?", with Ndiyo / Hapana. */
function checkQuestion(ctx: TurnContext, check: Check): TurnResult {
  const options = [
    { id: 'yes', label: ctx.t('choice.yes') },
    { id: 'no', label: ctx.t('choice.no') },
  ];
  const question = check.switchTo ? ctx.t('steer.switch_ask', { service: intentName(ctx, check.switchTo.intent) }) : ctx.t('steer.stop_ask');
  return { replies: [say(question, options)], state: check };
}

/** Where the form stood before the check. */
const resumed = (check: Check): FormMode => (check.field === undefined ? { mode: 'confirm', form: check.form } : { mode: 'form', form: check.form, field: check.field });

/** The answer to a check. No: back to the very question. Anything but yes or no is the answer to the form's question after all. */
function answerCheck(ctx: TurnContext, check: Check): TurnResult | Promise<TurnResult> {
  const picked = pickOption(ctx.text, [ctx.t('choice.yes'), ctx.t('choice.no')]);
  const said = commandOf(ctx.text) ?? (picked === 0 ? 'yes' : picked === 1 ? 'no' : undefined);
  const { switchTo } = check;
  if (said === 'cancel' || (said === 'yes' && !switchTo)) return cancelled(ctx);
  if (said === 'yes' && switchTo) {
    const started = beginForm({ ...ctx, text: switchTo.text, understanding: ctx.understand(switchTo.text) }, switchTo.intent);
    return { ...started, replies: [say(ctx.t('steer.switched')), ...started.replies] };
  }
  if (said !== 'no') return formTurn(ctx, resumed(check));
  const again = pending(ctx, resumed(check));
  return { ...again, replies: [say(ctx.t('steer.go_on')), ...again.replies] };
}
