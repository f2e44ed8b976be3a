// Group commit: what one commit per message costs with synchronous=FULL, and
// what taking the messages that arrive together in one transaction gives back.
// In-process (engine + SQLite file, no HTTP), so the figure is the commit path alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createApp } from '../bot/app.ts';
import { loadConfig } from '../bot/config.ts';
import { GroupCommit } from '../bot/engine/group-commit.ts';
import type { InboundMessage } from '../bot/engine/types.ts';
import { systemClock } from '../bot/sla/clock.ts';

const TEXTS = ['habari', 'barua pepe yangu haifanyi kazi tangu jana', 'ombi langu limefika wapi?', 'asante sana', 'nataka kuweka upya nenosiri'];

export interface CommitResult {
  readonly perMessage: number;
  readonly grouped: number;
  readonly people: number;
  readonly messages: number;
}

function fresh() {
  const dir = mkdtempSync(join(tmpdir(), 'huduma-bench-commit-'));
  const app = createApp(loadConfig({ DATABASE_PATH: join(dir, 'huduma.db') }), systemClock, pino({ level: 'silent' }));
  return { app, done: async () => (await app.close(), rmSync(dir, { recursive: true, force: true })) };
}

const message = (person: number, n: number): InboundMessage => ({
  channel: 'bench',
  chatId: `p${person}`,
  senderId: `p${person}`,
  channelMessageId: `p${person}-${n}`,
  text: TEXTS[n % TEXTS.length] ?? 'habari',
  receivedAt: new Date(),
});

export async function benchCommit(log: (s: string) => void, messages = 4000, people = 50): Promise<CommitResult> {
  const one = fresh();
  let started = performance.now();
  for (let i = 0; i < messages; i++) one.app.engine.handleInbound(message(i % people, Math.floor(i / people)));
  const perMessage = messages / ((performance.now() - started) / 1000);
  await one.done();
  log(`  one commit per message: ${Math.round(perMessage)} messages/s`);

  const many = fresh();
  const inbox = new GroupCommit({ db: many.app.db, engine: many.app.engine });
  const each = messages / people;
  started = performance.now();
  // Each simulated person waits for the answer before writing again, as a person does.
  await Promise.all(Array.from({ length: people }, async (_, p) => {
    for (let n = 0; n < each; n++) await inbox.submit(message(p, n));
  }));
  const grouped = messages / ((performance.now() - started) / 1000);
  await many.done();
  log(`  group commit, ${people} people writing at once: ${Math.round(grouped)} messages/s`);
  return { perMessage, grouped, people, messages };
}

export function commitMarkdown(r: CommitResult): string {
  return [
    `SQLite in WAL mode with \`synchronous=FULL\` (every commit waits for the disk). ${r.messages} messages through the real engine (understanding, state, replies, outbox), no HTTP.`,
    '',
    '| how messages are committed | messages/s |',
    '|---|---:|',
    `| one transaction per message | ${Math.round(r.perMessage)} |`,
    `| group commit (\`bot/engine/group-commit.ts\`), ${r.people} people at once | ${Math.round(r.grouped)} |`,
    '',
    `Group commit: ×${(r.grouped / r.perMessage).toFixed(1)}.`,
  ].join('\n');
}
