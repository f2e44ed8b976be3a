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
  /** Where the request is, as a place key (bot/places): from a place field's answer or a location pin. */
  readonly place?: string;
  /** Photos, documents, voice notes and locations sent while the form was open. */
  readonly attachments?: readonly Attachment[];
}

/** The words a choice field offers, in the person's language. */
export type OptionLabels = (field: FieldSpec & { kind: 'choice' }) => string[];

export type Answer = { status: 'accepted'; state: FormState } | { status: 'invalid'; kind: FieldSpec['kind'] | 'place_ambiguous' };

/** `length` digits in a row, groups split by spaces or dashes allowed ("0123 4567 890"), not part of a longer number. */
export function digitsIn(text: string, length: number): string | undefined {
  for (const m of text.matchAll(/\d[\d -]*\d/g)) {
    const digits = m[0].replace(/[ -]/g, '');
    if (digits.length === length) return digits;
    // A longer run may be several numbers ("0754123456 01234567890"): look at its parts.
    for (const part of m[0].split(/\s+/)) if (part.replace(/-/g, '').length === length && /^\d[\d-]*$/.test(part)) return part.replace(/-/g, '');
  }
  return undefined;
}

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
    case 'digits':
      return digitsIn(firstMessage, spec.length);
    case 'place':
      // Read in startForm, as it also sets the form's place.
      return undefined;
  }
}

/**
 * A place detail answered: the name shown, the form's place key, and any
 * choice the kind of council gives (a city is "urban": not asked then, and
 * its line picked when it sets the variant), unless already answered.
 */
function withPlace(flows: Flows, state: FormState, field: string, shown: string, found?: { key: string; council?: string }): FormState {
  const answers: Record<string, string> = { ...state.answers, [field]: shown };
  let variant = state.variant;
  for (const id of flows.fieldsOf(state.intent)) {
    const spec = flows.fields[id];
    const option = spec?.kind === 'choice' && found?.council ? spec.from_council?.[found.council as keyof typeof spec.from_council] : undefined;
    if (spec?.kind !== 'choice' || option === undefined || answers[id] !== undefined) continue;
    answers[id] = option;
    if (spec.sets === 'variant') variant = spec.options[option];
  }
  const { place: _before, ...rest } = state;
  return { ...rest, answers, ...(variant === undefined ? {} : { variant }), ...(found ? { place: found.key } : {}) };
}

/** A new form with what the first message already said filled in. */
export function startForm(flows: Flows, intent: ServiceIntent, firstMessage: string, entities: readonly Entity[]): FormState {
  let form: FormState = { intent, answers: {} };
  for (const id of flows.fieldsOf(intent)) {
    const spec = flows.fields[id];
    if (spec?.kind === 'place' && form.place === undefined) {
      const p = flows.places.find(firstMessage);
      if (p.status === 'found') form = withPlace(flows, form, id, p.label, p);
    }
    const value = spec && form.answers[id] === undefined ? givenIn(flows, id, spec, firstMessage, entities) : undefined;
    if (!value || !spec) continue;
    form = { ...form, answers: { ...form.answers, [id]: value } };
    if (spec.kind === 'choice' && spec.sets === 'variant') form = { ...form, variant: spec.options[value] as string };
  }
  // The message that started the form usually is the description.
  if (flows.fieldsOf(intent).includes('description') && wordsIn(firstMessage) >= 3) form = { ...form, answers: { ...form.answers, description: firstMessage.trim() } };
  return form;
}

/** The next detail to ask: the first asked one not answered yet (one taken only when given is never asked). */
export function nextField(flows: Flows, state: FormState): string | undefined {
  return flows.fieldsOf(state.intent).find((id) => state.answers[id] === undefined && flows.asks(state.intent, id));
}

/**
 * The detail answered before `field` (none: the last one, from the summary),
 * to go back to; one taken only when given and not given is skipped, as it is
 * never asked.
 */
export function previousField(flows: Flows, state: FormState, field: string | undefined): string | undefined {
  const ids = flows.fieldsOf(state.intent).filter((id) => flows.asks(state.intent, id) || state.answers[id] !== undefined);
  const at = field === undefined ? ids.length : ids.indexOf(field);
  return at > 0 ? ids[at - 1] : undefined;
}

export function withoutAnswer(state: FormState, field: string): FormState {
  const { [field]: _dropped, ...answers } = state.answers;
  return { ...state, answers };
}

/**
 * A location pin sent while a form is open: the answer to its first place
 * detail not yet given, as the place the pin falls in, or the coordinates
 * themselves where no known place is near (a crew can still drive to them).
 */
export function withPin(flows: Flows, state: FormState, latitude: number, longitude: number): FormState | undefined {
  const field = flows.fieldsOf(state.intent).find((id) => flows.fields[id]?.kind === 'place' && state.answers[id] === undefined);
  if (field === undefined) return undefined;
  const p = flows.places.near(latitude, longitude);
  const at = `📍 ${latitude.toFixed(5)}, ${longitude.toFixed(5)}`;
  return p.status === 'found' ? withPlace(flows, state, field, `${p.label} (${at})`, p) : withPlace(flows, state, field, at);
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
    case 'digits': {
      const digits = digitsIn(trimmed, spec.length);
      return digits ? record(digits) : { status: 'invalid', kind: 'digits' };
    }
    case 'place': {
      const p = flows.places.find(trimmed, true);
      if (p.status === 'found') return { status: 'accepted', state: withPlace(flows, state, field, p.label, p) };
      if (p.status === 'ambiguous') return { status: 'invalid', kind: 'place_ambiguous' };
      // A place we do not know by name ("nyuma ya soko la zamani, mtaa wa tatu") is still what the crew reads.
      return wordsIn(trimmed) >= 2 ? { status: 'accepted', state: withPlace(flows, state, field, trimmed.slice(0, 300)) } : { status: 'invalid', kind: 'place' };
    }
  }
}
