import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DatasetError, duplicateKey, loadDataset, loadJsonl } from '../../intents/dataset.ts';
import { CONVERSATION_INTENTS } from '../../intents/ids.ts';
import { ICT_INTENTS as INTENT_IDS, ICT_SERVICES as SERVICE_INTENTS } from '../support/ict.ts';

const HELD_OUT = fileURLToPath(new URL('../../bot/charter/ict/heldout.jsonl', import.meta.url));

function dataDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'huduma-data-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}
const file = (intent: string, lines: string[]) => `version: "3.1"\nnlu:\n  - intent: ${intent}\n    examples: |\n${lines.map((l) => `      - ${l}`).join('\n')}\n`;
const allIntents = (overrides: Record<string, string> = {}) => dataDir({ ...Object.fromEntries(INTENT_IDS.map((id) => [`${id}.yml`, file(id, [`mfano wa ${id}`])])), ...overrides });

describe('the training data', () => {
  const examples = loadDataset();
  const count = (id: string) => examples.filter((e) => e.intent === id).length;

  it('has a file for every intent of the contract, with enough examples', () => {
    for (const id of SERVICE_INTENTS) expect(count(id), id).toBeGreaterThanOrEqual(60);
    for (const id of CONVERSATION_INTENTS) expect(count(id), id).toBeGreaterThanOrEqual(40);
    expect(count('out_of_scope')).toBeGreaterThanOrEqual(200);
  });

  it('covers the near-misses people send to a public help desk', () => {
    const oos = examples.filter((e) => e.intent === 'out_of_scope').map((e) => e.text.toLowerCase());
    for (const topic of [/luku|tanesco|umeme/, /maji|dawasa/, /ada/, /vocha|bando|vifurushi|airtime/, /ajira|nafasi za kazi|job/, /simba|yanga|mpira|football/]) {
      expect(
        oos.some((t) => topic.test(t)),
        String(topic),
      ).toBe(true);
    }
  });

  it('has a held-out file of at least 300 lines that are never trained on', () => {
    const heldOut = loadJsonl(HELD_OUT);
    expect(heldOut.length).toBeGreaterThanOrEqual(300);
    expect(new Set(heldOut.map((e) => e.intent)).size).toBe(INTENT_IDS.length);
    const trained = new Set(examples.map((e) => duplicateKey(e.text)));
    expect(heldOut.filter((e) => trained.has(duplicateKey(e.text)))).toEqual([]);
  });
});

describe('loading data files', () => {
  it('accepts a well-formed set', () => {
    expect(loadDataset(allIntents())).toHaveLength(INTENT_IDS.length);
  });

  it('rejects the same line in two intents, even spelt with other case and punctuation', () => {
    const dir = allIntents({ 'cancel.yml': file('cancel', ['Mfano wa greeting!']) });
    expect(() => loadDataset(dir)).toThrow(/"mfano wa greeting" \(greeting\) repeats "Mfano wa greeting!" \(cancel\)/);
  });

  it('rejects a file that holds another intent than its name says', () => {
    const dir = allIntents({ 'cancel.yml': file('goodbye', ['ghairi']) });
    expect(() => loadDataset(dir)).toThrow(/holds intent "goodbye" but is named cancel.yml/);
  });

  it('rejects an intent id that is not written as one (the bundle decides which services exist)', () => {
    const dir = allIntents({ 'Hali-ya-hewa.yml': file('Hali-ya-hewa', ['mvua itanyesha?']) });
    expect(() => loadDataset(dir)).toThrow(DatasetError);
  });

  it('rejects an empty example line', () => {
    const dir = allIntents({ 'cancel.yml': file('cancel', ['ghairi', '', 'acha']).replace('      - \n', '      -\n') });
    expect(() => loadDataset(dir)).toThrow(/not a "- text" item/);
  });

  it('says which intents have no examples', () => {
    const dir = dataDir({ 'greeting.yml': file('greeting', ['habari']) });
    expect(() => loadDataset(dir)).toThrow(/no examples for: goodbye, help/);
  });

  it('rejects a held-out line with an unknown intent, naming the line', () => {
    const dir = dataDir({ 'x.jsonl': '{"text":"habari","intent":"greeting"}\n{"text":"hi","intent":"hello"}\n' });
    expect(() => loadJsonl(join(dir, 'x.jsonl'), new Set(['greeting']))).toThrow(/line 2: the intent hello/);
  });
});
