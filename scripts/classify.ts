// `npm run --silent classify`: one JSON object per input line (shared/contracts.md).
import { createInterface } from 'node:readline';
import { nluOptionsOf } from '../bot/assemble.ts';
import { loadConfigOrExit } from '../bot/config.ts';
import { systemClock } from '../bot/sla/clock.ts';
import { createNlu } from '../intents/nlu.ts';

const config = loadConfigOrExit(process.env);
const clock = systemClock;
// The charter bundle's model (CHARTER / CHARTER_PATH).
const nlu = createNlu(nluOptionsOf(config));
const round = (x: number) => Math.round(x * 10_000) / 10_000;

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  const text = line.trim();
  if (text === '') continue;
  const u = nlu.understand(text, clock.now());
  const out = {
    text: u.text,
    intent: u.intent,
    confidence: round(u.confidence),
    entities: u.entities,
    language: u.language,
    ranking: u.ranking.slice(0, 3).map((r) => ({ intent: r.intent, confidence: round(r.confidence) })),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
