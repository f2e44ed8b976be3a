// The two storage backends side by side, over HTTP: new conversations on the
// web chat at 50 people (bench/load.ts 'flow' mode: each person opens a session,
// runs the whole network-fault flow in it, asks for its status, then starts
// over as a new person), against real server processes (channels/main.ts):
//   - SQLite (one thread; the store commits the turns that arrive together in one group);
//   - PostgreSQL, one instance;
//   - PostgreSQL, two instances (two servers, same DATABASE_URL, the 50 people
//     split across their ports by one generator).
// For each: messages/s, p50/p99, and CPU milliseconds per message of every
// process: each server (and its main thread), the PostgreSQL cluster (all its
// processes, from /proc), and the generator. The cases are run in rounds,
// interleaved, each on a fresh database, so a drift in the machine's other
// load falls on every case alike; the load average is kept beside each run.
// The Markdown is written by bench/backends-report.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, runLoad, startServer, type ServerProcess } from './harness.ts';
import type { LoadResult } from './load.ts';
import { benchCluster, type PgCluster, type PgCpu, pgCpuUsed, sampleActivity } from './postgres.ts';

/** How long the servers are left idle before the load, to measure what they use doing nothing. */
export const IDLE_MS = 3000;

export const BACKEND_TARGETS = { sqliteRate: 3000, pgShare: 0.5, pgP99: 50, people: 50 } as const;

export type CaseName = 'sqlite' | 'postgres' | 'postgres-two';

export const CASES: Record<CaseName, { readonly label: string; readonly instances: number; readonly postgres: boolean; readonly env: Record<string, string> }> = {
  sqlite: { label: 'SQLite', instances: 1, postgres: false, env: {} },
  postgres: { label: 'PostgreSQL, one instance', instances: 1, postgres: true, env: {} },
  'postgres-two': { label: 'PostgreSQL, two instances', instances: 2, postgres: true, env: {} },
};

export interface ProcessCpu {
  /** "server 1", "PostgreSQL (whole cluster)", "generator". */
  readonly name: string;
  /** CPU milliseconds per message that process handled (over the whole run, warm-up included). */
  readonly msPerMessage: number;
  /** Its main thread's part of that (servers only). */
  readonly mainMs?: number;
  /** Its busiest other thread's part (a GC helper, libuv's pool). */
  readonly otherMs?: number;
  /** Share of one core it used over the run. */
  readonly cores: number;
  /** Share of one core it used idle, in the 3 s before the load (timers, the outbox poll, the lease): a cost per second, not per message. */
  readonly idleCores?: number;
  /** The same per message over the measured window only (warm-up left out; CPU from the window's opening to the generator's end, by the messages answered in the window). */
  readonly window?: { readonly ms: number; readonly mainMs?: number; readonly otherMs?: number };
}

export interface CaseRun {
  readonly name: CaseName;
  readonly round: number;
  /** 1-minute load average just before the run. */
  readonly loadavg: number;
  readonly load: LoadResult;
  readonly processes: ProcessCpu[];
  /** CPU ms per message of the PostgreSQL backends serving the bench's database only (the cluster's figure counts every database). */
  readonly pgBackendsMs?: number;
  /** What those backends were doing during the run (pg_stat_activity sampled every 50 ms): state and wait → share of samples. */
  readonly activity?: Record<string, number>;
}

export interface BackendsResult {
  readonly runs: CaseRun[];
  readonly skipped?: string;
  readonly postgres?: { readonly version: string; readonly own: boolean; readonly settings: string };
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly people: number;
}

export interface BackendsOptions {
  readonly rounds?: number;
  readonly people?: number;
  readonly warmupMs?: number;
  readonly durationMs?: number;
  readonly cases?: readonly CaseName[];
}

interface Snapshot {
  readonly all: number;
  readonly threads: Map<number, number>;
}

const snapshot = (s: ServerProcess): Snapshot => ({ all: s.cpuSeconds(), threads: s.threadSeconds() });

/** CPU seconds of a server's main thread and of its busiest other thread between two snapshots. */
function threadSplit(server: ServerProcess, before: Snapshot | undefined, after: Snapshot): { main: number; other: number } {
  const deltas = [...after.threads].map(([tid, s]) => ({ tid, s: s - (before?.threads.get(tid) ?? 0) }));
  return { main: deltas.find((d) => d.tid === server.pid)?.s ?? 0, other: Math.max(0, ...deltas.filter((d) => d.tid !== server.pid).map((d) => d.s)) };
}

async function runCase(name: CaseName, round: number, o: Required<Omit<BackendsOptions, 'cases'>>, cluster: PgCluster | undefined, log: (s: string) => void): Promise<CaseRun> {
  const c = CASES[name];
  const dir = mkdtempSync(join(tmpdir(), 'huduma-bench-backends-'));
  const db = c.postgres && cluster ? await cluster.freshDatabase() : undefined;
  const servers: ServerProcess[] = [];
  try {
    // One after the other: the first applies the migrations, the second finds them applied.
    for (let i = 0; i < c.instances; i++) servers.push(await startServer({ databasePath: join(dir, 'huduma.db'), databaseUrl: db?.url, env: c.env }));
    await new Promise((r) => setTimeout(r, 500));
    const idle0 = { servers: servers.map((s) => s.cpuSeconds()), pg: db && cluster ? await cluster.cpu([db.name]) : undefined, at: performance.now() };
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const avg = loadavg()[0] ?? 0;
    const cpu0 = servers.map(snapshot);
    const pg0 = db && cluster ? await cluster.cpu([db.name]) : undefined;
    const idleWall = (performance.now() - idle0.at) / 1000;
    const sampling = db && cluster ? sampleActivity(cluster.adminUrl, db.name) : undefined;
    let mid: { servers: Snapshot[]; pg: Promise<PgCpu> | undefined } | undefined;
    const opened = () => {
      mid = { servers: servers.map(snapshot), pg: db && cluster ? cluster.cpu([db.name]) : undefined };
    };
    const load = await runLoad(
      {
        mode: 'flow',
        port: servers[0]?.port ?? 0,
        ports: servers.map((s) => s.port),
        concurrency: o.people,
        warmupMs: o.warmupMs,
        durationMs: o.durationMs,
        runId: `${name}${round}`,
      },
      opened,
    );
    const cpu1 = servers.map(snapshot);
    const pg1 = db && cluster ? await cluster.cpu([db.name]) : undefined;
    const activity = await sampling?.();
    const pgMid = await mid?.pg;
    const wall = load.wallSeconds;
    const sent = Math.max(1, load.sent);
    const processes: ProcessCpu[] = servers.map((s, i) => {
      const end = cpu1[i] ?? snapshot(s);
      const used = end.all - (cpu0[i]?.all ?? 0);
      const { main, other } = threadSplit(s, cpu0[i], end);
      const share = (load.sentByPort?.[String(s.port)] ?? sent) / sent;
      const handled = Math.max(1, share * sent);
      const idleCores = ((cpu0[i]?.all ?? 0) - (idle0.servers[i] ?? 0)) / idleWall;
      const from = mid?.servers[i];
      const inWindow = Math.max(1, share * load.count);
      const w = from ? threadSplit(s, from, end) : undefined;
      return {
        name: `server${c.instances > 1 ? ` ${i + 1}` : ''}`,
        msPerMessage: (used / handled) * 1000,
        mainMs: (main / handled) * 1000,
        otherMs: (other / handled) * 1000,
        cores: used / wall,
        idleCores,
        ...(from && w ? { window: { ms: ((end.all - from.all) / inWindow) * 1000, mainMs: (w.main / inWindow) * 1000, otherMs: (w.other / inWindow) * 1000 } } : {}),
      };
    });
    let pgBackendsMs: number | undefined;
    if (pg0 && pg1) {
      const used = pgCpuUsed(pg0, pg1);
      const idleCores = idle0.pg ? pgCpuUsed(idle0.pg, pg0).cluster / idleWall : undefined;
      const window = pgMid ? { ms: (pgCpuUsed(pgMid, pg1).cluster / Math.max(1, load.count)) * 1000 } : undefined;
      processes.push({
        name: 'PostgreSQL (whole cluster)',
        msPerMessage: (used.cluster / sent) * 1000,
        cores: used.cluster / wall,
        ...(idleCores !== undefined ? { idleCores } : {}),
        ...(window ? { window } : {}),
      });
      pgBackendsMs = (used.backends / sent) * 1000;
    }
    processes.push({ name: 'generator', msPerMessage: (load.cpuSeconds / sent) * 1000, cores: load.cpuSeconds / wall });
    const cpuText = processes
      .map(
        (p) =>
          `${p.name} ${p.msPerMessage.toFixed(3)} ms${p.window ? ` (window ${p.window.ms.toFixed(3)})` : ''} (${(p.cores * 100).toFixed(0)}% of a core${p.idleCores !== undefined ? `; idle ${(p.idleCores * 100).toFixed(1)}%` : ''})`,
      )
      .join(', ');
    log(
      `  ${name} round ${round} (load ${avg.toFixed(1)}): ${describe(load)}; CPU a message: ${cpuText}${pgBackendsMs !== undefined ? `; its database's backends ${pgBackendsMs.toFixed(3)} ms` : ''}`,
    );
    if (activity)
      log(
        `    its backends: ${[...activity.shares]
          .slice(0, 4)
          .map(([k, v]) => `${(v * 100).toFixed(0)}% ${k}`)
          .join(', ')}`,
      );
    return { name, round, loadavg: avg, load, processes, ...(pgBackendsMs !== undefined ? { pgBackendsMs } : {}), ...(activity ? { activity: Object.fromEntries(activity.shares) } : {}) };
  } finally {
    for (const s of servers) await s.stop();
    if (db && cluster) await cluster.dropDatabase(db.name).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchBackends(log: (s: string) => void, options: BackendsOptions = {}): Promise<BackendsResult> {
  const o = { rounds: options.rounds ?? 3, people: options.people ?? BACKEND_TARGETS.people, warmupMs: options.warmupMs ?? 2000, durationMs: options.durationMs ?? 10_000 };
  const found = await benchCluster(log);
  const cluster = 'skipped' in found ? undefined : found;
  const skipped = 'skipped' in found ? found.skipped : undefined;
  if (skipped) log(`  PostgreSQL part skipped: ${skipped}`);
  else if (cluster) log(`  PostgreSQL ${cluster.version} at ${cluster.adminUrl}${cluster.own ? ' (started for this run)' : ''}: ${cluster.settings}`);
  const names = (options.cases ?? (Object.keys(CASES) as CaseName[])).filter((n) => !CASES[n].postgres || cluster);
  const runs: CaseRun[] = [];
  try {
    for (let round = 1; round <= o.rounds; round++) for (const name of names) runs.push(await runCase(name, round, o, cluster, log));
  } finally {
    await cluster?.close();
  }
  return {
    runs,
    ...(skipped ? { skipped } : {}),
    ...(cluster ? { postgres: { version: cluster.version, own: cluster.own, settings: cluster.settings } } : {}),
    durationMs: o.durationMs,
    warmupMs: o.warmupMs,
    people: o.people,
  };
}
