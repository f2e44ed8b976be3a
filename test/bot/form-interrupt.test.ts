import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { detailNamed, languageAsked, namedDetails, wishOf, type Fit } from '../../bot/engine/form-interrupt.ts';
import { acceptAnswer } from '../../bot/flows/form.ts';
import { loadFlows } from '../../bot/flows/flows.ts';
import { ICT_SERVICES } from '../support/ict.ts';
import { SHIPPED_BUNDLES } from '../../bot/charter/bundle-dir.ts';
import { createNlu } from '../../intents/nlu.ts';
import { translator } from '../../locales/index.ts';

// What a reply in a form is about, decided from the real classifier and the
// question's expected answer (the conversations in test/conversations/ show
// what the person then sees).
const nlu = createNlu();
const flows = loadFlows();
const t = translator('sw');
const now = new Date('2026-11-23T07:00:00Z');

const row = z
  .object({
    form: z.enum(ICT_SERVICES as [string, ...string[]]),
    at: z.string(),
    say: z.string(),
    wish: z.enum(['answer', 'stop', 'officer', 'back', 'change', 'status', 'service']),
    sure: z.boolean().optional(),
    field: z.string().optional(),
    intent: z.enum(ICT_SERVICES as [string, ...string[]]).optional(),
  })
  .strict();
const rows = z.array(row).parse(parse(readFileSync(new URL('./form-interrupt.yml', import.meta.url), 'utf8')));

function fitAt(form: z.infer<typeof row>['form'], field: string, text: string): Fit {
  const answered = acceptAnswer(flows, { intent: form, answers: {} }, field, text, nlu.understand(text, now).entities, (spec) => Object.keys(spec.options).map((o) => t(`choice.${o}`)));
  if (answered.status === 'invalid') return 'none';
  return flows.fields[field]?.kind === 'text' ? 'loose' : 'shaped';
}

describe('a reply in a form', () => {
  it.each(rows.map((r) => [`${r.form} at ${r.at}: "${r.say}"`, r] as const))('%s', (_name, r) => {
    const field = r.at === 'summary' ? undefined : r.at;
    const fit = field === undefined ? 'none' : fitAt(r.form, field, r.say);
    const wish = wishOf(r.say, nlu.understand(r.say, now), flows, { form: { intent: r.form, answers: {} }, field, fit });
    if (r.wish === 'answer') return expect(wish).toBeUndefined();
    expect(wish?.kind).toBe(r.wish);
    if (r.sure !== undefined) expect(wish).toMatchObject({ sure: r.sure });
    if (r.wish === 'change') expect(wish).toEqual({ kind: 'change', field: r.field });
    if (r.intent) expect(wish).toMatchObject({ intent: r.intent });
  });

  it('can name every detail a form of either shipped bundle asks for in other words than its label', () => {
    for (const forms of [flows, loadFlows(join(SHIPPED_BUNDLES.utility, 'forms.yml'))]) {
      const asked = new Set(forms.intents.flatMap((i) => forms.fieldsOf(i)));
      expect([...asked].filter((f) => !namedDetails.includes(f))).toEqual([]);
    }
    expect(detailNamed('badilisha namba ya mita', ['area', 'meter', 'phone'])).toBe('meter');
    expect(detailNamed('the phone number', ['office', 'phone'])).toBe('phone');
    expect(detailNamed('namba ya kifaa', ['equipment', 'tag', 'phone'])).toBe('tag');
  });
});

describe('a language asked for', () => {
  it.each([
    ['sorry, can we continue in English?', 'en'],
    ['tuongee kiingereza', 'en'],
    ['in English please', 'en'],
    ['kwa kiswahili', 'sw'],
    ['tuongee kiswahili tafadhali', 'sw'],
    ['tuongee kwa kingereza plz', 'en'],
    ['swahili pls', 'sw'],
    ['english', 'en'],
    ['lugha', 'other'],
    ['nataka mafunzo ya kiingereza', undefined],
    ['Word keeps crashing when I open attachments in English documents', undefined],
  ] as const)('"%s" → %s', (text, locale) => {
    expect(languageAsked(text)).toBe(locale);
  });
});
