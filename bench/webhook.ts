// The Telegram webhook path, end to end: a telegram-test-api emulator on
// loopback stands in for Telegram; the real server (channels/main.ts) runs in
// webhook mode (TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT = the emulator,
// TELEGRAM_WEBHOOK_SECRET; no TELEGRAM_WEBHOOK_URL, so it calls no setWebhook
// and does not poll); the load generator (bench/load.ts, its own process) posts
// real-shaped updates to /telegram/webhook with the secret header; the replies
// go out through the outbox worker to the emulator.
//
// 1. Delivery: a burst of updates from distinct chats; how long until the
//    outbox has sent every reply (read from the SQLite file, opened read-only).
//    The outbox paces Telegram at 25 messages/s overall by design (Telegram's
//    limit), so this is replies / 25 s, whatever the server's speed.
// 2. Acknowledgements: closed loop, 50 chats at once, each running the whole
//    network-fault flow as updates; acks/s and latency. Their replies queue in
//    the outbox and drain at 25/s after.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import TelegramServer from 'telegram-test-api';
import { describe, freePort, int, ms, runLoad, startServer } from './harness.ts';
import type { LoadResult } from './load.ts';
import { withServerCpu } from './pipeline.ts';

const TOKEN = '123456:huduma-bench-token';
const SECRET = 'huduma-bench-secret';
/** The outbox's pace for Telegram (TelegramChannel.limits.overallPerSecond). */
export const TELEGRAM_PACE = 25;

export interface WebhookOptions {
  readonly burst?: number;
  readonly chats?: number;
  readonly warmupMs?: number;
  readonly durationMs?: number;
  readonly cpuProfDir?: string;
}

export interface WebhookResult {
  readonly burst: {
    readonly updates: number;
    readonly acks: LoadResult;
    readonly replies: number;
    readonly failed: number;
    /** From the first reply queued to the last one sent (the rows' own times). */
    readonly deliveryMs: number;
    /** What the emulator received. */
    readonly emulatorGot: number;
  };
  readonly load: LoadResult;
  /** Replies still queued after the closed loop, and how long they take at 25/s. */
  readonly backlog: number;
  readonly startMs: number;
  /** Server CPU during the closed loop: share of a core, and µs per update (warm-up included; the outbox worker's sending included). */
  readonly serverCpu: number;
  readonly cpuPerUpdateUs: number;
}

type Counts = { total: number; sent: number; failed: number; first: number | null; last: number | null };

function outboxCounts(path: string): Counts {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        "select count(*) as total, coalesce(sum(status = 'sent'), 0) as sent, coalesce(sum(status = 'failed'), 0) as failed, min(created_at) as first, max(sent_at) as last from outbox where chat_id not like '-%'",
      )
      .get() as Counts;
  } finally {
    db.close();
  }
}

export async function benchWebhook(log: (s: string) => void, o: WebhookOptions = {}): Promise<WebhookResult> {
  const dir = mkdtempSync(join(tmpdir(), 'huduma-bench-webhook-'));
  const path = join(dir, 'huduma.db');
  const emulator = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storage: 'RAM', storeTimeout: 3600 });
  await emulator.start();
  try {
    const server = await startServer({
      databasePath: path,
      cpuProfDir: o.cpuProfDir,
      env: { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.config.apiURL, TELEGRAM_WEBHOOK_SECRET: SECRET },
    });
    log(`  server up in ${(server.startMs / 1000).toFixed(1)} s (pid ${server.pid}), emulator at ${emulator.config.apiURL}`);
    try {
      const updates = o.burst ?? 200;
      const acks = await runLoad({ mode: 'burst', port: server.port, concurrency: 50, warmupMs: 0, durationMs: 0, runId: 'burst', secret: SECRET, updateBase: 1, chatBase: 100_000, total: updates });
      if (acks.errors > 0) throw new Error(`the burst had ${acks.errors} errors: ${acks.firstError}`);
      log(`  burst of ${updates} updates acknowledged: ${describe(acks)}`);
      let counts = outboxCounts(path);
      const deadline = performance.now() + (counts.total / TELEGRAM_PACE) * 1000 * 2 + 30_000;
      while (counts.sent + counts.failed < counts.total && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        counts = outboxCounts(path);
      }
      if (counts.sent + counts.failed < counts.total) throw new Error(`the outbox did not deliver in time: ${JSON.stringify(counts)}`);
      const deliveryMs = (counts.last ?? 0) - (counts.first ?? 0);
      const emulatorGot = emulator.storage.botMessages.length;
      log(
        `  its ${counts.total} replies delivered in ${(deliveryMs / 1000).toFixed(1)} s (${(counts.total / (deliveryMs / 1000)).toFixed(1)}/s; ${counts.failed} failed; the emulator got ${emulatorGot})`,
      );

      const {
        result: load,
        cpu,
        perRequestUs,
      } = await withServerCpu(server, () =>
        runLoad({
          mode: 'webhook',
          port: server.port,
          concurrency: o.chats ?? 50,
          warmupMs: o.warmupMs ?? 2000,
          durationMs: o.durationMs ?? 8000,
          runId: 'hook',
          secret: SECRET,
          updateBase: 1_000_000,
          chatBase: 10_000_000,
        }),
      );
      log(`  webhook acks: ${describe(load)}; server CPU ${(cpu * 100).toFixed(0)}% of a core (${perRequestUs.toFixed(0)} µs an update)`);
      const after = outboxCounts(path);
      const backlog = after.total - after.sent - after.failed;
      log(`  replies waiting in the outbox after it: ${int(backlog)} (${(backlog / TELEGRAM_PACE / 60).toFixed(1)} min at ${TELEGRAM_PACE}/s)`);
      return { burst: { updates, acks, replies: counts.total, failed: counts.failed, deliveryMs, emulatorGot }, load, backlog, startMs: server.startMs, serverCpu: cpu, cpuPerUpdateUs: perRequestUs };
    } finally {
      await server.stop();
    }
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function webhookMarkdown(r: WebhookResult): string {
  const b = r.burst;
  const rate = b.replies / (b.deliveryMs / 1000);
  return [
    `A telegram-test-api emulator on loopback; the real server (\`channels/main.ts\`) in webhook mode (TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT = the emulator, TELEGRAM_WEBHOOK_SECRET; no TELEGRAM_WEBHOOK_URL, so no setWebhook and no polling) on a fresh SQLite database; real-shaped updates (private chats, unique update_id) posted to \`/telegram/webhook\` with the \`X-Telegram-Bot-Api-Secret-Token\` header by the load generator (\`bench/load.ts\`) in a second process; replies go out through the outbox to the emulator. A 200 comes only after the update's turn is committed (\`synchronous=FULL\`).`,
    '',
    `**Acknowledgements**: ${r.load.concurrency} chats at once, closed loop, each running the whole network-fault flow as updates ("the internet in our office…", "Registry, block B", "+255 713 000 111", "yes", "where is my request?"), then a new chat; ${(r.load.measuredMs / 1000).toFixed(0)} s measured after a 2 s warm-up.`,
    '',
    '| | acks/s | p50 | p99 | max | acknowledged in the window | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    `| webhook, ${r.load.concurrency} chats at once | ${int(r.load.rate)} | ${ms(r.load.p50)} ms | ${ms(r.load.p99)} ms | ${ms(r.load.max)} ms | ${int(r.load.count)} | ${r.load.errors} |`,
    `| burst: ${b.updates} chats, one update each, 50 at once | ${int(b.acks.rate)} | ${ms(b.acks.p50)} ms | ${ms(b.acks.p99)} ms | ${ms(b.acks.max)} ms | ${int(b.acks.count)} | ${b.acks.errors} |`,
    '',
    `During the closed loop the server process used ${(r.serverCpu * 100).toFixed(0)}% of a core, ${r.cpuPerUpdateUs.toFixed(0)} µs of CPU an update (the outbox worker sending at 25/s included).`,
    '',
    `**Delivery**: the burst's ${int(b.replies)} replies (${b.updates} chats, the flow's first message each) were all delivered to the emulator ${(b.deliveryMs / 1000).toFixed(1)} s after the first was queued (${rate.toFixed(1)} messages/s; ${b.failed} failed; the emulator received ${int(b.emulatorGot)}). This is the outbox's pace, not the server's speed: it sends Telegram at most ${TELEGRAM_PACE} messages/s overall (Telegram's limit, by design), so delivery takes replies / ${TELEGRAM_PACE} s = ${(b.replies / TELEGRAM_PACE).toFixed(1)} s here. The closed loop above left ${int(r.backlog)} replies queued, which take ${(r.backlog / TELEGRAM_PACE / 60).toFixed(1)} min to go out at that pace; acknowledgements are not held back by it.`,
    '',
    `No target was set for this path. For comparison, the whole-pipeline (web chat) section runs the same flow and answers in the HTTP response.`,
  ].join('\n');
}
