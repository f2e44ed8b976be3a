// The two storage backends side by side, over HTTP: new conversations on the
// web chat at 50 people (bench/load.ts 'flow' mode: each person runs the whole
// network-fault flow as a new session, then asks for its status, then starts
// over as a new person), against real server processes (channels/main.ts):
//   - SQLite, the engine on its own thread (ENGINE_THREAD=1, the default);
//   - SQLite, everything on one thread (ENGINE_THREAD=0);
//   - PostgreSQL, one instance;
//   - PostgreSQL, two instances (two servers, same DATABASE_URL, the 50 people
//     split across their ports by one generator).
// For each: messages/s, p50/p99, and CPU milliseconds per message of every
// process: each server (and its main thread), the PostgreSQL cluster (all its
// processes, from /proc), and the generator. The cases are run in rounds,
// interleaved, each on a fresh database, so a drift in the machine's other
// load falls on every case alike; the load average is kept beside each run.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, int, ms, runLoad, startServer, type ServerProcess } from './harness.ts';
import type { LoadResult } from './load.ts';
import { benchCluster, pgCpuUsed, type PgCluster } from './postgres.ts';

export const BACKEND_TARGETS = { sqliteRate: 3000, pgShare: 0.5, pgP99: 50, people: 50 } as const;

export type CaseName = 'sqlite' | 'sqlite-one-thread' | 'postgres' | 'postgres-two';

export const CASES: Record<CaseName, { readonly label: string; readonly instances: number; readonly postgres: boolean; readonly env: Record<string, string> }> = {
  sqlite: { label: 'SQLite, engine thread (`ENGINE_THREAD=1`, default)', instances: 1, postgres: false, env: { ENGINE_THREAD: '1' } },
  'sqlite-one-thread': { label: 'SQLite, one thread (`ENGINE_THREAD=0`)', instances: 1, postgres: false, env: { ENGINE_THREAD: '0' } },
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
  /** Its busiest other thread's part (the engine thread, when there is one). */
  readonly otherMs?: number;
  /** Share of one core it used over the run. */
  readonly cores: number;
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

function threadSplit(server: ServerProcess, before: Map<number, number>): { main: number; other: number } {
  const deltas = [...server.threadSeconds()].map(([tid, s]) => ({ tid, s: s - (before.get(tid) ?? 0) }));
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
    const avg = loadavg()[0] ?? 0;
    const cpu0 = servers.map((s) => ({ all: s.cpuSeconds(), threads: s.threadSeconds() }));
    const pg0 = db && cluster ? await cluster.cpu([db.name]) : undefined;
    const load = await runLoad({ mode: 'flow', port: servers[0]?.port ?? 0, ports: servers.map((s) => s.port), concurrency: o.people, warmupMs: o.warmupMs, durationMs: o.durationMs, runId: `${name}${round}` });
    const pg1 = db && cluster ? await cluster.cpu([db.name]) : undefined;
    const wall = load.wallSeconds;
    const sent = Math.max(1, load.sent);
    const processes: ProcessCpu[] = servers.map((s, i) => {
      const used = s.cpuSeconds() - (cpu0[i]?.all ?? 0);
      const { main, other } = threadSplit(s, cpu0[i]?.threads ?? new Map());
      const handled = Math.max(1, load.sentByPort?.[String(s.port)] ?? sent);
      return { name: `server${c.instances > 1 ? ` ${i + 1}` : ''}`, msPerMessage: (used / handled) * 1000, mainMs: (main / handled) * 1000, otherMs: (other / handled) * 1000, cores: used / wall };
    });
    let pgBackendsMs: number | undefined;
    if (pg0 && pg1) {
      const used = pgCpuUsed(pg0, pg1);
      processes.push({ name: 'PostgreSQL (whole cluster)', msPerMessage: (used.cluster / sent) * 1000, cores: used.cluster / wall });
      pgBackendsMs = (used.backends / sent) * 1000;
    }
    processes.push({ name: 'generator', msPerMessage: (load.cpuSeconds / sent) * 1000, cores: load.cpuSeconds / wall });
    const cpuText = processes.map((p) => `${p.name} ${p.msPerMessage.toFixed(3)} ms (${(p.cores * 100).toFixed(0)}% of a core)`).join(', ');
    log(`  ${name} round ${round} (load ${avg.toFixed(1)}): ${describe(load)}; CPU a message: ${cpuText}${pgBackendsMs !== undefined ? `; its database's backends ${pgBackendsMs.toFixed(3)} ms` : ''}`);
    return { name, round, loadavg: avg, load, processes, ...(pgBackendsMs !== undefined ? { pgBackendsMs } : {}) };
  } finally {
    for (const s of servers) await s.stop();
    if (db && cluster) await cluster.dropDatabase(db.name).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchBackends(log: (s: string) => void, options: BackendsOptions = {}): Promise<BackendsResult> {
  const o = { rounds: options.rounds ?? 2, people: options.people ?? BACKEND_TARGETS.people, warmupMs: options.warmupMs ?? 2000, durationMs: options.durationMs ?? 10_000 };
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

// ---- the report ----

const fx = (v: number) => (v >= 10 ? v.toFixed(1) : v.toFixed(2));
const mean = (xs: readonly number[]) => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** A case's figures, the mean of its rounds. */
export interface CaseSummary {
  readonly name: CaseName;
  readonly rounds: number;
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  /** Per server: CPU ms a message it handled, and its main thread's and busiest other thread's part. */
  readonly servers: { readonly ms: number; readonly mainMs: number; readonly otherMs: number }[];
  readonly pgMs: number | undefined;
  readonly pgBackendsMs: number | undefined;
  readonly generatorMs: number;
  /** Servers and PostgreSQL together, per message of the whole system (the generator left out). */
  readonly totalMs: number;
}

export function summarise(r: BackendsResult): CaseSummary[] {
  const names = [...new Set(r.runs.map((x) => x.name))];
  return names.map((name) => {
    const runs = r.runs.filter((x) => x.name === name);
    const per = (f: (x: CaseRun) => number) => mean(runs.map(f));
    const proc = (x: CaseRun, n: string) => x.processes.find((p) => p.name === n);
    const serverNames = (runs[0]?.processes ?? []).map((p) => p.name).filter((n) => n.startsWith('server'));
    const servers = serverNames.map((n) => ({ ms: per((x) => proc(x, n)?.msPerMessage ?? NaN), mainMs: per((x) => proc(x, n)?.mainMs ?? NaN), otherMs: per((x) => proc(x, n)?.otherMs ?? NaN) }));
    const pgMs = CASES[name].postgres ? per((x) => proc(x, 'PostgreSQL (whole cluster)')?.msPerMessage ?? NaN) : undefined;
    // Each server's figure is per message it handled; the people are split evenly, so the system's is their mean (one server: itself).
    const totalMs = mean(servers.map((s) => s.ms)) + (pgMs ?? 0);
    return {
      name, rounds: runs.length, rate: per((x) => x.load.rate), p50: per((x) => x.load.p50), p99: per((x) => x.load.p99), errors: runs.reduce((a, x) => a + x.load.errors, 0),
      servers, pgMs, pgBackendsMs: CASES[name].postgres ? per((x) => x.pgBackendsMs ?? NaN) : undefined, generatorMs: per((x) => proc(x, 'generator')?.msPerMessage ?? NaN), totalMs,
    };
  });
}

const serverCell = (s: CaseSummary) => s.servers.map((x, i) => `${s.servers.length > 1 ? `#${i + 1} ` : ''}${fx(x.ms)} (main ${fx(x.mainMs)}${x.otherMs > 0.2 * x.ms ? `, other ${fx(x.otherMs)}` : ''})`).join('; ');

/** What more cores would give PostgreSQL instances, from the measured CPU a message: a ceiling, if nothing but CPU limits. */
function moreCores(s: CaseSummary): string[] {
  const serverMs = mean(s.servers.map((x) => x.ms));
  const mainMs = mean(s.servers.map((x) => x.mainMs));
  const pgMs = s.pgMs ?? 0;
  const rows = [4, 8, 16].map((cores) => {
    const ceiling = (cores * 1000) / s.totalMs;
    // One instance's main thread serves at most 1000 / mainMs messages/s.
    const instances = Math.ceil(ceiling / (1000 / mainMs));
    return `| ${cores} | ${Math.round(ceiling).toLocaleString('en-US')} | ${instances} | ${((cores * serverMs) / s.totalMs).toFixed(1)} + ${((cores * pgMs) / s.totalMs).toFixed(1)} |`;
  });
  return [
    `From the two-instance run: a message costs ${fx(serverMs)} ms of server CPU and ${fx(pgMs)} ms of PostgreSQL CPU, ${fx(s.totalMs)} ms in all (the generator's ${fx(s.generatorMs)} ms left out: clients are elsewhere in production). Nothing is shared between people's turns but PostgreSQL's WAL flush, which it groups, so with cores to spare the ceiling is cores × 1000 / ${fx(s.totalMs)} messages/s, given enough instances: one instance's main thread (${fx(mainMs)} ms a message) tops out near ${Math.round(1000 / mainMs).toLocaleString('en-US')} messages/s. A ceiling, not a measurement: it assumes the cores are real, the disk's flushes keep up, and nothing else contends.`,
    '',
    '| cores | ceiling, messages/s | instances needed | cores used: servers + PostgreSQL |',
    '|---:|---:|---:|---|',
    ...rows,
  ];
}

export function backendsMarkdown(r: BackendsResult): string {
  const sum = summarise(r);
  const get = (n: CaseName) => sum.find((s) => s.name === n);
  const sqlite = get('sqlite');
  const one = get('sqlite-one-thread');
  const pg = get('postgres');
  const pg2 = get('postgres-two');
  const verdict = (met: boolean) => (met ? 'met' : '**MISSED**');
  const pgWhere = r.postgres ? `PostgreSQL ${r.postgres.version} (${r.postgres.own ? 'a throwaway cluster the bench started with `scripts/pg-throwaway.sh`' : 'the server `HUDUMA_TEST_PG_URL` names'}; ${r.postgres.settings}), a fresh database per run, the servers' pool at its default (\`DATABASE_POOL_SIZE\`=10 each)` : `PostgreSQL not measured: ${r.skipped}`;
  const lines = [
    `New conversations over the web chat: ${r.people} simulated people at once (\`bench/load.ts\`, one process, closed loop, keep-alive), each running the whole network-fault flow as a new session (four messages, the last filing a request), then "where is my request ICT-…?", then starting over as a new person. Real server processes (\`node --import tsx channels/main.ts\`, LOG_LEVEL=warn). SQLite: a fresh file, WAL, \`synchronous=FULL\`. ${pgWhere}. Two instances: two servers on different ports, the same DATABASE_URL, the people split between them by the one generator. Each run: ${r.warmupMs / 1000} s warm-up, ${r.durationMs / 1000} s measured; the cases run in ${Math.max(...r.runs.map((x) => x.round))} interleaved rounds, each on a fresh database and fresh servers.`,
    '',
    'CPU is user + system time from /proc over the whole run (warm-up included), divided by the messages sent: for a server, its process (all its threads) and its main thread; for PostgreSQL, every process of the cluster (the postmaster, its backends, WAL writer, checkpointer and those it reaped meanwhile).',
    '',
    '| case (mean of the rounds) | messages/s | p50 | p99 | errors | server CPU ms a message (its main thread; engine thread) | PostgreSQL CPU ms a message | servers + PostgreSQL | generator |',
    '|---|---:|---:|---:|---:|---|---:|---:|---:|',
    ...sum.map((s) => `| ${CASES[s.name].label} | ${int(s.rate)} | ${ms(s.p50)} ms | ${ms(s.p99)} ms | ${s.errors} | ${serverCell(s)} | ${s.pgMs === undefined ? '–' : fx(s.pgMs)} | ${fx(s.totalMs)} | ${fx(s.generatorMs)} |`),
    '',
    'Every run:',
    '',
    '| case | round | load average before | messages/s | p50 | p99 | server(s) CPU ms a message | PostgreSQL cluster (its database\'s backends) | generator |',
    '|---|---:|---:|---:|---:|---:|---|---|---:|',
    ...r.runs.map((x) => {
      const servers = x.processes.filter((p) => p.name.startsWith('server')).map((p) => fx(p.msPerMessage)).join(' + ');
      const pgp = x.processes.find((p) => p.name.startsWith('PostgreSQL'));
      return `| ${x.name} | ${x.round} | ${x.loadavg.toFixed(1)} | ${int(x.load.rate)} | ${ms(x.load.p50)} ms | ${ms(x.load.p99)} ms | ${servers} | ${pgp ? `${fx(pgp.msPerMessage)} (${fx(x.pgBackendsMs ?? NaN)})` : '–'} | ${fx(x.processes.find((p) => p.name === 'generator')?.msPerMessage ?? NaN)} |`;
    }),
  ];
  if (sqlite && one) {
    lines.push('', `Engine thread (SQLite): ${int(sqlite.rate)} messages/s with it, ${int(one.rate)} without (×${(sqlite.rate / one.rate).toFixed(2)}); p99 ${ms(sqlite.p99)} against ${ms(one.p99)} ms; server CPU ${fx(sqlite.servers[0]?.ms ?? NaN)} against ${fx(one.servers[0]?.ms ?? NaN)} ms a message.`);
  }
  const targets = ['', '| target | measured | |', '|---|---|---|'];
  if (sqlite) targets.push(`| SQLite ≥ ${int(BACKEND_TARGETS.sqliteRate)} messages/s at ${r.people} people | ${int(sqlite.rate)} messages/s | ${verdict(sqlite.rate >= BACKEND_TARGETS.sqliteRate)} |`);
  for (const p of [pg, pg2].filter((x): x is CaseSummary => x !== undefined)) {
    const label = p.name === 'postgres' ? 'PostgreSQL, one instance' : 'PostgreSQL, two instances (the same targets, for comparison)';
    if (sqlite) targets.push(`| ${label}: ≥ half of SQLite's messages/s (${int(sqlite.rate * BACKEND_TARGETS.pgShare)}) | ${int(p.rate)} messages/s, ${((p.rate / sqlite.rate) * 100).toFixed(0)}% of SQLite's | ${verdict(p.rate >= sqlite.rate * BACKEND_TARGETS.pgShare)} |`);
    targets.push(`| ${label}: p99 ≤ ${BACKEND_TARGETS.pgP99} ms | ${ms(p.p99)} ms | ${verdict(p.p99 <= BACKEND_TARGETS.pgP99)} |`);
  }
  lines.push(...targets);
  if (pg2) lines.push('', ...moreCores(pg2));
  return lines.join('\n');
}
