// The report of bench/backends.ts: the cases' figures (the mean of their
// rounds), every run, the targets, what PostgreSQL's backends were doing, and
// what more cores would give, as Markdown for BENCHMARKS.md.
import { BACKEND_TARGETS, type BackendsResult, CASES, type CaseName, type CaseRun, IDLE_MS, type ProcessCpu } from './backends.ts';
import { int, ms } from './harness.ts';

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
  /** Per server: CPU ms a message it handled in the measured window, and its main thread's and busiest other thread's part. */
  readonly servers: { readonly ms: number; readonly mainMs: number; readonly otherMs: number }[];
  /** The cluster's CPU ms a message in the measured window. */
  readonly pgMs: number | undefined;
  readonly pgBackendsMs: number | undefined;
  readonly generatorMs: number;
  /** Servers and PostgreSQL together, per message of the whole system (the generator left out), in the measured window. */
  readonly totalMs: number;
  /** The same over the whole run, warm-up included. */
  readonly wholeTotalMs: number;
  /** Share of a core each server (mean) and the cluster used idle, before the load. */
  readonly idle: { readonly server: number; readonly pg: number | undefined };
}

export function summarise(r: BackendsResult): CaseSummary[] {
  const names = [...new Set(r.runs.map((x) => x.name))];
  return names.map((name) => {
    const runs = r.runs.filter((x) => x.name === name);
    const per = (f: (x: CaseRun) => number) => mean(runs.map(f));
    const proc = (x: CaseRun, n: string) => x.processes.find((p) => p.name === n);
    const serverNames = (runs[0]?.processes ?? []).map((p) => p.name).filter((n) => n.startsWith('server'));
    // The measured window's figures (the whole run's where a run has none).
    const win = (x: CaseRun, n: string) => {
      const p = proc(x, n);
      return { ms: p?.window?.ms ?? p?.msPerMessage ?? NaN, mainMs: p?.window?.mainMs ?? p?.mainMs ?? NaN, otherMs: p?.window?.otherMs ?? p?.otherMs ?? NaN };
    };
    const servers = serverNames.map((n) => ({ ms: per((x) => win(x, n).ms), mainMs: per((x) => win(x, n).mainMs), otherMs: per((x) => win(x, n).otherMs) }));
    const PG = 'PostgreSQL (whole cluster)';
    const pgMs = CASES[name].postgres ? per((x) => win(x, PG).ms) : undefined;
    // Each server's figure is per message it handled; the people are split evenly, so the system's is their mean (one server: itself).
    const totalMs = mean(servers.map((s) => s.ms)) + (pgMs ?? 0);
    const wholeTotalMs = mean(serverNames.map((n) => per((x) => proc(x, n)?.msPerMessage ?? NaN))) + (CASES[name].postgres ? per((x) => proc(x, PG)?.msPerMessage ?? NaN) : 0);
    const idleOf = (x: CaseRun, server: boolean) => mean(x.processes.filter((p) => (server ? p.name.startsWith('server') : p.name.startsWith('PostgreSQL'))).map((p) => p.idleCores ?? NaN));
    const idle = { server: per((x) => idleOf(x, true)), pg: CASES[name].postgres ? per((x) => idleOf(x, false)) : undefined };
    return {
      name,
      rounds: runs.length,
      idle,
      rate: per((x) => x.load.rate),
      p50: per((x) => x.load.p50),
      p99: per((x) => x.load.p99),
      errors: runs.reduce((a, x) => a + x.load.errors, 0),
      servers,
      pgMs,
      pgBackendsMs: CASES[name].postgres ? per((x) => x.pgBackendsMs ?? NaN) : undefined,
      generatorMs: per((x) => proc(x, 'generator')?.msPerMessage ?? NaN),
      totalMs,
      wholeTotalMs,
    };
  });
}

const serverCell = (s: CaseSummary) =>
  s.servers.map((x, i) => `${s.servers.length > 1 ? `#${i + 1} ` : ''}${fx(x.ms)} (main ${fx(x.mainMs)}${x.otherMs > 0.2 * x.ms ? `, other ${fx(x.otherMs)}` : ''})`).join('; ');

/** What more cores would give PostgreSQL instances, from the measured CPU a message: a ceiling, if nothing but CPU limits. */
function moreCores(s: CaseSummary, r: BackendsResult): string[] {
  const serverMs = mean(s.servers.map((x) => x.ms));
  const mainMs = mean(s.servers.map((x) => x.mainMs));
  const pgMs = s.pgMs ?? 0;
  const lockShare = mean(
    r.runs
      .filter((x) => x.name === s.name)
      .map((x) =>
        Object.entries(x.activity ?? {})
          .filter(([k]) => k.includes('Lock:'))
          .reduce((a, [, v]) => a + v, 0),
      ),
  );
  const rows = [4, 8, 16].map((cores) => {
    const ceiling = (cores * 1000) / s.totalMs;
    // One instance's main thread serves at most 1000 / mainMs messages/s.
    const instances = Math.ceil(ceiling / (1000 / mainMs));
    return `| ${cores} | ${Math.round(ceiling).toLocaleString('en-US')} | ${instances} | ${((cores * serverMs) / s.totalMs).toFixed(1)} + ${((cores * pgMs) / s.totalMs).toFixed(1)} |`;
  });
  return [
    `More cores, from the two-instance run (measured window): a message costs ${fx(serverMs)} ms of server CPU and ${fx(pgMs)} ms of PostgreSQL CPU, ${fx(s.totalMs)} ms in all (the generator's ${fx(s.generatorMs)} ms left out: clients are elsewhere in production). One instance's main thread (${fx(mainMs)} ms a message) tops out near ${Math.round(1000 / mainMs).toLocaleString('en-US')} messages/s, so more cores need more instances; if CPU were the only limit, C cores would give C × 1000 / ${fx(s.totalMs)} messages/s:`,
    '',
    '| cores | CPU ceiling, messages/s | instances needed | cores used: servers + PostgreSQL |',
    '|---:|---:|---:|---|',
    ...rows,
    '',
    `A ceiling, not a measurement, and CPU is not the only limit: every filing (one message in five) takes the lock on the one \`reference_counters\` row of its prefix and year and holds it until its transaction commits, so filings from every instance queue on that row. Here ${(lockShare * 100).toFixed(0)}% of the backend-samples were lock waits. More cores and instances do not shorten that queue; only a shorter hold (the counter taken last, just before COMMIT, or references from a sequence) does.`,
  ];
}

/** What PostgreSQL's backends for the bench's database were doing, the mean of the rounds, by case. */
function activityTable(r: BackendsResult): string[] {
  const pgCases = (['postgres', 'postgres-two'] as const).filter((n) => r.runs.some((x) => x.name === n && x.activity));
  if (pgCases.length === 0) return [];
  const shareOf = (n: CaseName, k: string) => mean(r.runs.filter((x) => x.name === n && x.activity).map((x) => x.activity?.[k] ?? 0));
  const keys = [...new Set(r.runs.flatMap((x) => Object.keys(x.activity ?? {})))]
    .map((k) => ({ k, top: Math.max(...pgCases.map((n) => shareOf(n, k))) }))
    .filter((x) => x.top >= 0.005)
    .sort((a, b) => b.top - a.top);
  return [
    '',
    `What PostgreSQL's backends for the bench's database were doing (\`pg_stat_activity\` sampled every 50 ms during the run; share of backend-samples, mean of the rounds). "idle in transaction Client:ClientRead" is a transaction open on a pooled connection, waiting for the server's next statement; "on CPU" is PostgreSQL working; a Lock wait names the statement waiting.`,
    '',
    `| state | ${pgCases.map((n) => CASES[n].label).join(' | ')} |`,
    `|---|${pgCases.map(() => '---:').join('|')}|`,
    ...keys.map(({ k }) => `| ${k.replace(/\|/g, '\\|')} | ${pgCases.map((n) => `${(shareOf(n, k) * 100).toFixed(1)}%`).join(' | ')} |`),
  ];
}

export function backendsMarkdown(r: BackendsResult): string {
  const sum = summarise(r);
  const get = (n: CaseName) => sum.find((s) => s.name === n);
  const sqlite = get('sqlite');
  const pg = get('postgres');
  const pg2 = get('postgres-two');
  const verdict = (met: boolean) => (met ? 'met' : '**MISSED**');
  const pgWhere = r.postgres
    ? `PostgreSQL ${r.postgres.version} (${r.postgres.own ? 'a throwaway cluster the bench started with `scripts/pg-throwaway.sh`' : 'the server `HUDUMA_TEST_PG_URL` names'}; ${r.postgres.settings}), a fresh database per run, the servers' pool at its default (\`DATABASE_POOL_SIZE\`=10 each)`
    : `PostgreSQL not measured: ${r.skipped}`;
  const lines = [
    `New conversations over the web chat: ${r.people} simulated people at once (\`bench/load.ts\`, one process, closed loop, keep-alive), each opening a new session (\`POST /webchat/sessions\`: a write, not counted as a message), running the whole network-fault flow in it (four messages, the last filing a request), then asking "where is my request ICT-…?", then starting over as a new person: five messages a conversation. Real server processes (\`node --import tsx channels/main.ts\`, LOG_LEVEL=warn, the per-address limits off since every person comes from 127.0.0.1; the per-person flood limit as shipped). SQLite: a fresh file, WAL, \`synchronous=FULL\`. ${pgWhere}. Two instances: two servers on different ports, the same DATABASE_URL, the people split between them by the one generator. Each run: ${r.warmupMs / 1000} s warm-up, ${r.durationMs / 1000} s measured; the cases run in ${Math.max(...r.runs.map((x) => x.round))} interleaved rounds, each on a fresh database and fresh servers.`,
    '',
    "CPU is user + system time from /proc, per message (so the cost of opening a session is in the figure of its five messages): for a server, its process (all its threads) and its main thread; for PostgreSQL, every process of the cluster (the postmaster, its backends, WAL writer, checkpointer and those it reaped meanwhile). The table gives it over the measured window (from its opening, signalled by the generator, to the generator's end, by the messages answered in the window); the whole run, warm-up and its JIT compiling included, is beside it and in the table of every run.",
    '',
    '| case (mean of the rounds) | messages/s | p50 | p99 | errors | server CPU ms a message (its main thread; its busiest other thread) | PostgreSQL CPU ms a message | servers + PostgreSQL | the same, whole run | generator, whole run |',
    '|---|---:|---:|---:|---:|---|---:|---:|---:|---:|',
    ...sum.map(
      (s) =>
        `| ${CASES[s.name].label} | ${int(s.rate)} | ${ms(s.p50)} ms | ${ms(s.p99)} ms | ${s.errors} | ${serverCell(s)} | ${s.pgMs === undefined ? '–' : fx(s.pgMs)} | ${fx(s.totalMs)} | ${fx(s.wholeTotalMs)} | ${fx(s.generatorMs)} |`,
    ),
    '',
    `Idle, in the ${IDLE_MS / 1000} s before each load (timers, the outbox poll, the leader lease; a cost per second, which weighs on the figure a message when messages are few): ${sum.map((x) => `${CASES[x.name].label}: ${(x.idle.server * 100).toFixed(1)}% of a core a server${x.idle.pg !== undefined ? `, PostgreSQL ${(x.idle.pg * 100).toFixed(1)}%` : ''}`).join('; ')}.`,
    '',
    'Every run:',
    '',
    "| case | round | load average before | messages/s | p50 | p99 | server(s) CPU ms a message: whole run (window) | PostgreSQL cluster: whole run (window) [its database's backends, whole run] | generator |",
    '|---|---:|---:|---:|---:|---:|---|---|---:|',
    ...r.runs.map((x) => {
      const both = (p: ProcessCpu) => `${fx(p.msPerMessage)}${p.window ? ` (${fx(p.window.ms)})` : ''}`;
      const servers = x.processes
        .filter((p) => p.name.startsWith('server'))
        .map(both)
        .join(' + ');
      const pgp = x.processes.find((p) => p.name.startsWith('PostgreSQL'));
      return `| ${x.name} | ${x.round} | ${x.loadavg.toFixed(1)} | ${int(x.load.rate)} | ${ms(x.load.p50)} ms | ${ms(x.load.p99)} ms | ${servers} | ${pgp ? `${both(pgp)} [${fx(x.pgBackendsMs ?? NaN)}]` : '–'} | ${fx(x.processes.find((p) => p.name === 'generator')?.msPerMessage ?? NaN)} |`;
    }),
  ];
  const targets = ['', '| target | measured | |', '|---|---|---|'];
  if (sqlite) targets.push(`| SQLite ≥ ${int(BACKEND_TARGETS.sqliteRate)} messages/s at ${r.people} people | ${int(sqlite.rate)} messages/s | ${verdict(sqlite.rate >= BACKEND_TARGETS.sqliteRate)} |`);
  for (const p of [pg, pg2].filter((x): x is CaseSummary => x !== undefined)) {
    const label = p.name === 'postgres' ? 'PostgreSQL, one instance' : 'PostgreSQL, two instances (the same targets, for comparison)';
    if (sqlite)
      targets.push(
        `| ${label}: ≥ half of SQLite's messages/s (${int(sqlite.rate * BACKEND_TARGETS.pgShare)}) | ${int(p.rate)} messages/s, ${((p.rate / sqlite.rate) * 100).toFixed(0)}% of SQLite's | ${verdict(p.rate >= sqlite.rate * BACKEND_TARGETS.pgShare)} |`,
      );
    targets.push(`| ${label}: p99 ≤ ${BACKEND_TARGETS.pgP99} ms | ${ms(p.p99)} ms | ${verdict(p.p99 <= BACKEND_TARGETS.pgP99)} |`);
  }
  lines.push(...targets);
  lines.push(...activityTable(r));
  if (pg2) lines.push('', ...moreCores(pg2, r));
  return lines.join('\n');
}
