import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { loadModel, saveModel } from '../../intents/cache.ts';
import { closeCall, decide, DEFAULT_CLASSIFIER, IntentClassifier } from '../../intents/classifier.ts';
import { duplicateKey, loadDataset } from '../../intents/dataset.ts';
import { ICT_INTENTS as INTENT_IDS } from '../support/ict.ts';
import { createNlu } from '../../intents/nlu.ts';

const cases = z
  .array(z.object({ intent: z.enum(INTENT_IDS as [string, ...string[]]), examples: z.array(z.string().min(1)).min(1) }))
  .parse(parse(readFileSync(new URL('./understanding.yml', import.meta.url), 'utf8')));
const now = new Date('2026-11-23T07:00:00Z');
const nlu = createNlu(); // from the cache that test/global-setup.ts filled
const dataset = loadDataset();

describe('what Huduma understands', () => {
  it('the cases are not training lines (so they show generalisation)', () => {
    const trained = new Set(dataset.map((e) => duplicateKey(e.text)));
    expect(cases.flatMap((c) => c.examples).filter((t) => trained.has(duplicateKey(t)))).toEqual([]);
  });

  // The bot's answer is either the intent, or, on a close call, the question
  // "did you mean A or B?" with the right intent among the two offered.
  const offered = (text: string) => {
    const u = nlu.understand(text, now);
    return closeCall(u)?.map((r) => r.intent) ?? [u.intent];
  };
  for (const c of cases) {
    it.each(c.examples)(`${c.intent}: %s`, (text) => {
      expect(offered(text)).toContain(c.intent);
    });
  }

  it('answers most of these cases outright, without asking', () => {
    const texts = cases.flatMap((c) => c.examples.map((text) => ({ text, intent: c.intent })));
    const outright = texts.filter((x) => offered(x.text).length === 1 && offered(x.text)[0] === x.intent);
    expect(outright.length / texts.length).toBeGreaterThanOrEqual(0.9);
  });

  it('the example of the issue: an MIS password in SMS spelling', () => {
    const u = nlu.understand('nmesahau password ya hrmis', now);
    expect(u).toMatchObject({ intent: 'mis_password_reset', language: 'sw' });
    expect(u.entities).toEqual([expect.objectContaining({ type: 'system', value: 'HRMIS' })]);
  });

  it('keeps gibberish and empty-looking messages out of scope', () => {
    for (const text of ['asdf qwer zxcv', '???', '🙂🙂', 'xyz 123']) expect(nlu.understand(text, now).intent, text).toBe('out_of_scope');
  });

  it('ranks every intent, best first, with confidences that sum to one', () => {
    const u = nlu.understand('printa haiprinti na pia nimesahau password ya email', now);
    expect(u.ranking).toHaveLength(INTENT_IDS.length);
    expect(new Set(u.ranking.map((r) => r.intent)).size).toBe(INTENT_IDS.length);
    expect(u.ranking.reduce((s, r) => s + r.confidence, 0)).toBeCloseTo(1, 6);
    for (let i = 1; i < u.ranking.length; i++) expect(u.ranking[i - 1]?.confidence).toBeGreaterThanOrEqual(u.ranking[i]?.confidence ?? Number.POSITIVE_INFINITY);
  });

  it('is calibrated by cross-validation: a temperature and an out-of-scope threshold', () => {
    const { temperature, threshold } = nlu.classifier.calibration;
    expect(temperature).toBeGreaterThan(0);
    expect(threshold).toBeGreaterThan(0);
    expect(threshold).toBeLessThan(0.9);
  });

  it('reuses the cached model instead of training again', () => {
    expect(createNlu().trained).toBe(false);
  });
});

describe('training', () => {
  // A slice of the data keeps these fast; the behaviour is the same for all of it.
  const slice = INTENT_IDS.flatMap((id) => dataset.filter((e) => e.intent === id).slice(0, 40));
  const probe = ['mtandao haupo', 'nmesahau password ya gepg', 'printa imekufa', 'asante sana', 'bei gani'];

  it('is deterministic: the same data gives the same model', () => {
    const a = IntentClassifier.train(slice);
    const b = IntentClassifier.train(slice);
    expect(Buffer.from(a.weights.weights.buffer).equals(Buffer.from(b.weights.weights.buffer))).toBe(true);
    expect(probe.map((t) => a.classify(t))).toEqual(probe.map((t) => b.classify(t)));
  });

  it('answers with the per-word fast scorer as the plain sparse model does (to 6 decimals)', () => {
    const model = IntentClassifier.train(slice, DEFAULT_CLASSIFIER, { temperature: 0.8, threshold: 0.2 });
    for (const e of dataset.slice(0, 300)) {
      const fast = model.classify(e.text);
      const plain = decide(model.logits(e.text), model.calibration, model.labels);
      expect(fast.intent, e.text).toBe(plain.intent);
      for (const [i, r] of fast.ranking.entries()) expect(r.confidence).toBeCloseTo(plain.ranking[i]?.confidence ?? Number.NaN, 6);
    }
  });

  it('saves and loads a model that answers exactly as before', () => {
    const model = IntentClassifier.train(slice, DEFAULT_CLASSIFIER, { temperature: 0.7, threshold: 0.3 });
    const dir = mkdtempSync(join(tmpdir(), 'huduma-nlu-'));
    saveModel(dir, 'abc123', model);
    const loaded = loadModel(dir, 'abc123', DEFAULT_CLASSIFIER);
    expect(loaded?.calibration).toEqual({ temperature: 0.7, threshold: 0.3 });
    expect(probe.map((t) => loaded?.classify(t))).toEqual(probe.map((t) => model.classify(t)));
    expect(loadModel(dir, 'other', DEFAULT_CLASSIFIER)).toBeUndefined();
  });
});
