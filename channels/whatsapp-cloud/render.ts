import type { OutboundMessage } from '../../bot/engine/types.ts';
import type { Translate } from '../../locales/index.ts';
import { renderText } from '../whatsapp/render.ts';

/** Meta's limits, in characters (https://developers.facebook.com/docs/whatsapp/cloud-api/messages). */
export const LIMITS = Object.freeze({
  text: 4096,
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  rows: 10,
  rowTitle: 24,
  rowDescription: 72,
  /**
   * A template's whole body may hold 1024 characters; the approved template
   * adds its own words around the notice, so the notice gets less than that.
   */
  templateParameter: 900,
});

export interface TemplateChoice {
  readonly name: string;
  /** Meta's language code of the approved translation (sw, en, en_US). */
  readonly language: string;
}

type Interactive =
  | { type: 'button'; body: { text: string }; action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] } }
  | { type: 'list'; body: { text: string }; action: { button: string; sections: { rows: { id: string; title: string; description?: string }[] }[] } };

type Template = { name: string; language: { code: string }; components: { type: 'body'; parameters: { type: 'text'; text: string }[] }[] };

/** The JSON body of POST /{phone-number-id}/messages. */
export type GraphMessage = { messaging_product: 'whatsapp'; recipient_type: 'individual'; to: string } & (
  | { type: 'text'; text: { body: string; preview_url: false } }
  | { type: 'interactive'; interactive: Interactive }
  | { type: 'template'; template: Template }
);

/** At most `max` characters (code points, so an emoji is not cut in half), with … where it was cut. */
export function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

const length = (s: string) => Array.from(s).length;

const envelope = (to: string) => ({ messaging_product: 'whatsapp' as const, recipient_type: 'individual' as const, to });

/**
 * A reply inside the customer-service window. Up to three short choices are
 * buttons; up to ten (or labels too long for a button) a list whose rows show
 * the full label as description; more, or a body too long for an interactive
 * message, the numbered text the Baileys channel sends. A button's or row's
 * id is the option's number, which comes back as the person's answer.
 */
export function renderMessage(to: string, message: OutboundMessage, t: Translate): GraphMessage {
  const options = message.options ?? [];
  if (options.length === 0 || options.length > LIMITS.rows || length(message.text) > LIMITS.interactiveBody) {
    return { ...envelope(to), type: 'text', text: { body: shorten(renderText(message, t), LIMITS.text), preview_url: false } };
  }
  const body = { text: message.text };
  if (options.length <= LIMITS.buttons && options.every((o) => length(o.label) <= LIMITS.buttonTitle)) {
    const buttons = options.map((o, i) => ({ type: 'reply' as const, reply: { id: String(i + 1), title: o.label } }));
    return { ...envelope(to), type: 'interactive', interactive: { type: 'button', body, action: { buttons } } };
  }
  const rows = options.map((o, i) => ({
    id: String(i + 1),
    title: shorten(o.label, LIMITS.rowTitle),
    ...(length(o.label) > LIMITS.rowTitle ? { description: shorten(o.label, LIMITS.rowDescription) } : {}),
  }));
  return { ...envelope(to), type: 'interactive', interactive: { type: 'list', body, action: { button: shorten(t('whatsapp_cloud.list_button'), LIMITS.buttonTitle), sections: [{ rows }] } } };
}

/**
 * The notice as a template parameter. Meta refuses a parameter with new lines,
 * tabs or more than four spaces in a row, so all white space becomes one space;
 * choices, if any, are folded into the line as numbers to type.
 */
export function templateParameter(message: OutboundMessage, t: Translate): string {
  return shorten(renderText(message, t).replace(/\s+/g, ' ').trim(), LIMITS.templateParameter);
}

/** A message outside the customer-service window: the approved template, with the notice as its one body parameter. */
export function renderTemplate(to: string, message: OutboundMessage, template: TemplateChoice, t: Translate): GraphMessage {
  const parameters = [{ type: 'text' as const, text: templateParameter(message, t) }];
  return { ...envelope(to), type: 'template', template: { name: template.name, language: { code: template.language }, components: [{ type: 'body', parameters }] } };
}
