// Commits: what one transaction per message costs, and what the inbox that
// suits the store gives back with 50 people writing at once. On SQLite
// (synchronous=FULL) that is group commit, the messages that arrive together in
// one transaction; on PostgreSQL (when there is one), one transaction per turn
// side by side on the pool. In-process (the engine and the store, no HTTP), so
// the figure is the turn and its commit alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleEngine } from '../bot/assemble.ts';
import { loadConfig } from '../bot/config.ts';
import { inboxFor, type Inbox } from '../bot/engine/inbox.ts';
import type { InboundMessage } from '../bot/engine/types.ts';
import { systemClock } from '../bot/sla/clock.ts';
import { openStore } from '../db/open.ts';
import type { Dialect } from '../db/store.ts';
import { benchCluster } from './postgres.ts';

const TEXTS = ['habari', 'barua pepe yangu haifanyi kazi tangu jana', 'ombi langu limefika wapi?', 'asante sana', 'nataka kuweka upya nenosiri'];

export interface CommitRow {
  readonly dialect: Dialect;
  /** One transaction per message, one message at a time. */
  readonly perMessage: number;
  /** The store's inbox (a transaction per turn, which SQLite's store commits in groups), `people` at once. */
  readonly together: number;
}

export interface CommitResult {
  readonly rows: CommitRow[];
  readonly people: number;
  readonly messages: number;
  readonly skipped?: string;
}

async function fresh(env: Record<string, string>) {
  const config = loadConfig(env);
  const store = await openStore({ url: config.DATABASE_URL, path: config.DATABASE_PATH });
  const engine = assembleEngine(config, { clock: systemClock });
  return { store, engine };
}

const message = (person: number, n: number): InboundMessage => ({
  channel: 'bench',
  chatId: `p${person}`,
  senderId: `p${person}`,
  channelMessageId: `p${person}-${n}`,
  text: TEXTS[n % TEXTS.length] ?? 'habari',
  receivedAt: new Date(),
});

/** Both ways on fresh databases of one backend; `database()` gives the settings of a new one. */
async function measure(dialect: Dialect, database: () => Promise<Record<string, string>>, log: (s: string) => void, messages: number, people: number): Promise<CommitRow> {
  const one = await fresh(await database());
  let started = performance.now();
  for (let i = 0; i < messages; i++) {
    const m = message(i % people, Math.floor(i / people));
    await one.store.transaction((tx) => one.engine.turn(tx, m));
  }
  const perMessage = messages / ((performance.now() - started) / 1000);
  await one.store.close();
  log(`  ${dialect}, one transaction per message: ${Math.round(perMessage)} messages/s`);

  const many = await fresh(await database());
  const inbox: Inbox = inboxFor({ store: many.store, engine: many.engine });
  const each = messages / people;
  started = performance.now();
  // Each simulated person waits for the answer before writing again, as a person does.
  await Promise.all(
    Array.from({ length: people }, async (_, p) => {
      for (let n = 0; n < each; n++) await inbox.submit(message(p, n));
    }),
  );
  const together = messages / ((performance.now() - started) / 1000);
  await inbox.drain();
  await many.store.close();
  log(`  ${dialect}, ${inbox.constructor.name}, ${people} people writing at once: ${Math.round(together)} messages/s`);
  return { dialect, perMessage, together };
}

export async function benchCommit(log: (s: string) => void, messages = 4000, people = 50): Promise<CommitResult> {
  const dir = mkdtempSync(join(tmpdir(), 'huduma-bench-commit-'));
  let n = 0;
  const rows: CommitRow[] = [];
  let skipped: string | undefined;
  try {
    rows.push(await measure('sqlite', async () => ({ DATABASE_PATH: join(dir, `huduma-${n++}.db`) }), log, messages, people));
    const cluster = await benchCluster(log);
    if ('skipped' in cluster) {
      skipped = cluster.skipped;
      log(`  PostgreSQL skipped: ${skipped}`);
    } else {
      const made: string[] = [];
      try {
        rows.push(
          await measure(
            'postgres',
            async () => {
              const db = await cluster.freshDatabase();
              made.push(db.name);
              return { DATABASE_URL: db.url };
            },
            log,
            messages,
            people,
          ),
        );
      } finally {
        for (const name of made) await cluster.dropDatabase(name).catch(() => undefined);
        await cluster.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { rows, people, messages, ...(skipped ? { skipped } : {}) };
}

export function commitMarkdown(r: CommitResult): string {
  const how = (d: Dialect) =>
    d === 'sqlite' ? 'a transaction per turn, committed in groups by the store (db/sqlite/store.ts)' : 'a transaction per turn, side by side on the pool (`TurnPerTransaction`)';
  const each = r.messages / r.people;
  const limited = each > 20 ? `, so all but the first 20 of a person's turns are the flood limit's (\`RATE_LIMIT_PER_MINUTE\`=20: the message stored, mostly no reply)` : '';
  return [
    `${r.messages} messages through the real engine (understanding, state, replies, outbox) and the store, no HTTP: ${r.people} people writing in turn, each message one of five texts; a person sends ${each} messages${limited}. SQLite in WAL mode with \`synchronous=FULL\` (every commit waits for the disk); PostgreSQL with its defaults (\`fsync\` and \`synchronous_commit\` on).`,
    '',
    `| backend | one transaction per message, one at a time | the store's inbox, ${r.people} people at once | how | gain |`,
    '|---|---:|---:|---|---:|',
    ...r.rows.map(
      (x) => `| ${x.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${Math.round(x.perMessage)} | ${Math.round(x.together)} | ${how(x.dialect)} | ×${(x.together / x.perMessage).toFixed(1)} |`,
    ),
    ...(r.skipped ? ['', `PostgreSQL was not measured: ${r.skipped}.`] : []),
  ].join('\n');
}
