import type { Entity } from '../../intents/entities.ts';
import type { ServiceIntent } from '../../intents/ids.ts';
import { MAX_COUNT, parseCount } from '../../intents/numbers.ts';
import type { Attachment } from '../engine/types.ts';
import { commandOf, pickOption } from '../engine/commands.ts';
import type { FieldSpec, Flows } from './flows.ts';

/** A guided form in progress: the answers so far, and a field being changed after the summary. */
export interface FormState {
  readonly intent: ServiceIntent;
  readonly answers: Readonly<Record<string, string>>;
  readonly variant?: string;
  /** Photos, documents, voice notes and locations sent while the form was open. */
  readonly attachments?: readonly Attachment[];
}

/** The words a choice field offers, in the person's language. */
export type OptionLabels = (field: FieldSpec & { kind: 'choice' }) => string[];

export type Answer = { status: 'accepted'; state: FormState } | { status: 'invalid'; kind: FieldSpec['kind'] };

const wordsIn = (text: string) =>
  text
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0).length;

/** What the first message already gives for a field, in the field's standard form. */
function givenIn(flows: Flows, id: string, spec: FieldSpec, firstMessage: string, entities: readonly Entity[]): string | undefined {
  // A system is kept by its standard name (HRMIS); equipment as the person called it (printa).
  const found = (type: Entity['type']) => {
    const e = entities.find((x) => x.type === type);
    return type === 'equipment' ? e?.text : e?.value;
  };
  switch (spec.kind) {
    case 'phone':
      return found('phone');
    case 'email':
      return found('email');
    case 'text':
      return spec.from_entity && found(spec.from_entity);
    case 'count': {
      const n = spec.from_entity && found(spec.from_entity);
      return n && Number(n) <= MAX_COUNT ? n : undefined;
    }
    case 'choice':
      return flows.statedOption(id, firstMessage, false);
  }
}

/** A new form with what the first message already said filled in. */
export function startForm(flows: Flows, intent: ServiceIntent, firstMessage: string, entities: readonly Entity[]): FormState {
  const answers: Record<string, string> = {};
  let variant: string | undefined;
  for (const id of flows.fieldsOf(intent)) {
    const spec = flows.fields[id];
    const value = spec && givenIn(flows, id, spec, firstMessage, entities);
    if (!value) continue;
    answers[id] = value;
    if (spec.kind === 'choice' && spec.sets === 'variant') variant = spec.options[value];
  }
  // The message that started the form usually is the description.
  if (flows.fieldsOf(intent).includes('description') && wordsIn(firstMessage) >= 3) answers.description = firstMessage.trim();
  return variant === undefined ? { intent, answers } : { intent, answers, variant };
}

export function nextField(flows: Flows, state: FormState): string | undefined {
  return flows.fieldsOf(state.intent).find((id) => state.answers[id] === undefined);
}

/** The field answered before `field`, to go back to. */
export function previousField(flows: Flows, state: FormState, field: string): string | undefined {
  const ids = flows.fieldsOf(state.intent);
  const at = ids.indexOf(field);
  return at > 0 ? ids[at - 1] : undefined;
}

export function withoutAnswer(state: FormState, field: string): FormState {
  const { [field]: _dropped, ...answers } = state.answers;
  return { ...state, answers };
}

/** Checks an answer for a field and records it, in its standard form. */
export function acceptAnswer(flows: Flows, state: FormState, field: string, text: string, entities: readonly Entity[], labels: OptionLabels): Answer {
  const spec = flows.fields[field];
  if (!spec) throw new Error(`unknown field ${field}`);
  const record = (value: string, extra: Partial<FormState> = {}): Answer => ({
    status: 'accepted',
    state: { ...state, ...extra, answers: { ...state.answers, [field]: value } },
  });
  const trimmed = text.trim();
  switch (spec.kind) {
    case 'text':
      return wordsIn(trimmed) >= spec.min_words && trimmed.length >= 2 ? record(trimmed.slice(0, 2000)) : { status: 'invalid', kind: 'text' };
    case 'phone': {
      const phone = entities.find((e) => e.type === 'phone')?.value;
      return phone ? record(phone) : { status: 'invalid', kind: 'phone' };
    }
    case 'email': {
      const email = entities.find((e) => e.type === 'email')?.value;
      return email ? record(email) : { status: 'invalid', kind: 'email' };
    }
    case 'count': {
      // "12", "kumi na mbili", "watu watano", "twelve people".
      const count = parseCount(trimmed);
      return count === undefined ? { status: 'invalid', kind: 'count' } : record(String(count));
    }
    case 'choice': {
      const options = Object.keys(spec.options);
      const said = commandOf(trimmed);
      const byWord = said === 'yes' || said === 'no' ? options.indexOf(said) : -1;
      // "haina mkataba", "ndiyo, kipo": the option in so many words, when the answer is not an option's number or label.
      const stated = flows.statedOption(field, trimmed, true);
      const index = byWord >= 0 ? byWord : (pickOption(trimmed, labels(spec)) ?? (stated === undefined ? undefined : options.indexOf(stated)));
      const option = index === undefined ? undefined : options[index];
      if (option === undefined) return { status: 'invalid', kind: 'choice' };
      const value = spec.options[option] as string;
      return record(option, spec.sets === 'variant' ? { variant: value } : {});
    }
  }
}
