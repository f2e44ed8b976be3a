// Latency at a set pace: the backends benchmark's 50 people, each writing at
// an even pace, so that together they offer a set number of messages a second,
// below and up to what each backend can take. The backends benchmark drives
// the server flat out (each person writes again the moment it is answered), so
// its p99 is the queue of a saturated server; this one says what a citizen
// waits at a given load, and the pace up to which 99% are answered within the
// target. (Reported beside the backends section; its targets are judged there.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKEND_TARGETS } from './backends.ts';
import { describe, int, ms, runLoad, startServer } from './harness.ts';
import type { LoadResult } from './load.ts';
import { benchCluster, type PgCluster } from './postgres.ts';

export type PacedBackend = 'sqlite' | 'postgres';

/** Offered messages a second: from well under PostgreSQL's flat-out figure to near SQLite's. A backend that could not keep one pace is not tried at the next. */
export const PACES = [100, 200, 300, 400, 500, 750, 1000] as const;

/** A pace counts as kept when the messages answered in the window are at least this share of those offered. */
const KEPT = 0.97;

export interface PacedRun {
  readonly backend: PacedBackend;
  readonly round: number;
  readonly pace: number;
  readonly load: LoadResult;
}

export interface PacedResult {
  readonly runs: PacedRun[];
  readonly skipped?: string;
  readonly people: number;
  readonly rounds: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}

export interface PacedOptions {
  readonly paces?: readonly number[];
  readonly rounds?: number;
  readonly warmupMs?: number;
  readonly durationMs?: number;
}

/** One pace on a fresh server and database. */
async function runPace(backend: PacedBackend, round: number, pace: number, o: { people: number; warmupMs: number; durationMs: number }, cluster: PgCluster | undefined): Promise<PacedRun> {
  const dir = mkdtempSync(join(tmpdir(), 'huduma-bench-paced-'));
  const db = backend === 'postgres' && cluster ? await cluster.freshDatabase() : undefined;
  const server = await startServer({ databasePath: join(dir, 'huduma.db'), databaseUrl: db?.url });
  try {
    const load = await runLoad({ mode: 'flow', port: server.port, concurrency: o.people, warmupMs: o.warmupMs, durationMs: o.durationMs, runId: `paced${backend}${round}x${pace}`, pace });
    return { backend, round, pace, load };
  } finally {
    await server.stop();
    if (db && cluster) await cluster.dropDatabase(db.name).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchPaced(log: (s: string) => void, options: PacedOptions = {}): Promise<PacedResult> {
  const o = { paces: options.paces ?? PACES, rounds: options.rounds ?? 2, warmupMs: options.warmupMs ?? 3000, durationMs: options.durationMs ?? 10_000, people: BACKEND_TARGETS.people };
  const found = await benchCluster(log);
  const cluster = 'skipped' in found ? undefined : found;
  const backends: PacedBackend[] = cluster ? ['sqlite', 'postgres'] : ['sqlite'];
  const runs: PacedRun[] = [];
  try {
    for (let round = 1; round <= o.rounds; round++) {
      const behind = new Set<PacedBackend>();
      for (const pace of o.paces)
        for (const backend of backends.filter((b) => !behind.has(b))) {
          const run = await runPace(backend, round, pace, o, cluster);
          log(`  round ${round}, ${backend} at ${pace} offered: ${describe(run.load)}`);
          runs.push(run);
          if (!kept(run)) behind.add(backend);
        }
    }
  } finally {
    await cluster?.close();
  }
  return { runs, ...('skipped' in found ? { skipped: found.skipped } : {}), people: o.people, rounds: o.rounds, warmupMs: o.warmupMs, durationMs: o.durationMs };
}

const kept = (r: PacedRun) => r.load.rate >= KEPT * r.pace;
const within = (r: PacedRun) => kept(r) && r.load.p99 <= BACKEND_TARGETS.pgP99 && r.load.errors === 0;
const label = (b: PacedBackend) => (b === 'sqlite' ? 'SQLite' : 'PostgreSQL, one instance');

/** The highest pace at which, and at every pace below which, every round answered 99% within the target and kept the pace. */
function highestWithin(r: PacedResult, backend: PacedBackend): number | undefined {
  const paces = [...new Set(r.runs.filter((x) => x.backend === backend).map((x) => x.pace))].sort((a, b) => a - b);
  let best: number | undefined;
  for (const pace of paces) {
    const at = r.runs.filter((x) => x.backend === backend && x.pace === pace);
    if (at.length < r.rounds || !at.every(within)) break;
    best = pace;
  }
  return best;
}

export function pacedMarkdown(r: PacedResult): string {
  const backends = [...new Set(r.runs.map((x) => x.backend))];
  const order = (x: PacedRun) => (x.backend === 'sqlite' ? 0 : 1e7) + x.pace * 10 + x.round;
  const rows = [...r.runs]
    .sort((a, b) => order(a) - order(b))
    .map(
      (x) =>
        `| ${label(x.backend)} | ${int(x.pace)} | ${x.round} | ${int(x.load.rate)}${kept(x) ? '' : ' (not kept)'} | ${ms(x.load.p50)} ms | ${ms(x.load.p99)} ms | ${ms(x.load.max)} ms | ${x.load.errors} |`,
    );
  const best = backends.map((b) => {
    const pace = highestWithin(r, b);
    return `${label(b)}: ${pace !== undefined ? `up to ${int(pace)} messages/s offered` : 'at none of these paces'}`;
  });
  return [
    `The backends benchmark's flows and ${r.people} people, but each person writes at an even pace, starting at a random moment within a flow's length so that people are at different steps of the flow (one whose answer comes late writes again at once), so that together they offer the messages a second in the table; a fresh server and database for each run (SQLite: a fresh file; PostgreSQL: a fresh database on the same cluster as the backends section), ${r.warmupMs / 1000} s warm-up, ${r.durationMs / 1000} s measured; ${r.rounds} rounds, each going up the paces. "Not kept": fewer than ${KEPT * 100}% of the offered messages were answered in the window (the server fell behind, and the people with it); that backend is not tried at the higher paces of that round. The backends section drives the servers flat out, so its p99 is the queue of a saturated server; this is what a citizen waits at a given load. Its targets are judged there, not here.`,
    ...(r.skipped ? ['', `PostgreSQL part skipped: ${r.skipped}.`] : []),
    '',
    '| backend | offered messages/s | round | answered messages/s | p50 | p99 | max | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `99% of messages answered within ${BACKEND_TARGETS.pgP99} ms and the pace kept, in every round, at that pace and every pace below it: ${best.join('; ')}.`,
  ].join('\n');
}
