// The whole pipeline over HTTP: a real server process (channels/main.ts) on a fresh
// database, driven by the load generator (bench/load.ts) from a second process.
// Simulated people each run a whole web chat flow (first message → answers →
// confirm → reference → status check with that reference), each sending its
// next message only after the answer. Then, on the same server, the same
// generator at the same concurrency against GET /healthz (the store's health
// check: a write probe, shared by the requests that arrive while it runs): the
// bare cost of HTTP on this machine, to set the pipeline's figure against.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, int, ms, runLoad, startServer, verdict, type ServerProcess } from './harness.ts';
import type { LoadResult } from './load.ts';

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

export const TARGETS = { rate: 3000, p99: 25, share: 0.35, people: 50 } as const;

export interface PipelineOptions {
  readonly people?: number;
  readonly warmupMs?: number;
  readonly durationMs?: number;
  /** Run the server under --cpu-prof, writing the profile here. */
  readonly cpuProfDir?: string;
}

export interface PipelineResult {
  readonly flow: LoadResult;
  readonly bare: LoadResult;
  readonly startMs: number;
  readonly rssAfter: number;
  readonly warnings: number;
  /** Share of one core the server process used while each load ran (CPU time / the generator's run time). */
  readonly serverCpu: { readonly flow: number; readonly bare: number };
  /** Server CPU time per request handled (warm-up included), in µs: less sensitive than requests/s to what else the machine runs. */
  readonly cpuPerRequestUs: { readonly flow: number; readonly bare: number };
  /** During the flows: the main thread's share of a core and its busiest other thread's. */
  readonly flowThreads: ThreadCpu;
}

/** Share of one core the main thread and the busiest other thread (a GC helper, libuv's pool) used. */
export interface ThreadCpu {
  readonly main: number;
  readonly busiestOther: number;
}

/** Runs a load and says how much of one core the server used meanwhile (in all, and by thread), and its CPU time per request sent. */
export async function withServerCpu(server: ServerProcess, run: () => Promise<LoadResult>): Promise<{ result: LoadResult; cpu: number; perRequestUs: number; threads: ThreadCpu }> {
  const before = server.cpuSeconds();
  const threadsBefore = server.threadSeconds();
  const result = await run();
  const used = server.cpuSeconds() - before;
  const wall = result.wallSeconds;
  const deltas = [...server.threadSeconds()].map(([tid, s]) => ({ tid, share: (s - (threadsBefore.get(tid) ?? 0)) / wall }));
  const main = deltas.find((d) => d.tid === server.pid)?.share ?? 0;
  const busiestOther = Math.max(0, ...deltas.filter((d) => d.tid !== server.pid).map((d) => d.share));
  return { result, cpu: used / wall, perRequestUs: (used / Math.max(1, result.sent)) * 1e6, threads: { main, busiestOther } };
}

/** The flow load against a running server. */
export async function loadFlows(server: ServerProcess, o: PipelineOptions = {}, runId = `r${Date.now().toString(36)}`): Promise<LoadResult> {
  return runLoad({ mode: 'flow', port: server.port, concurrency: o.people ?? TARGETS.people, warmupMs: o.warmupMs ?? 2000, durationMs: o.durationMs ?? 10_000, runId });
}

export async function benchPipeline(log: (s: string) => void, o: PipelineOptions = {}): Promise<PipelineResult> {
  const dir = mkdtempSync(join(tmpdir(), 'huduma-bench-pipeline-'));
  try {
    const server = await startServer({ databasePath: join(dir, 'huduma.db'), cpuProfDir: o.cpuProfDir });
    log(`  server up in ${(server.startMs / 1000).toFixed(1)} s (pid ${server.pid})`);
    try {
      const { result: flow, cpu: flowCpu, perRequestUs: flowUs, threads: flowThreads } = await withServerCpu(server, () => loadFlows(server, o));
      log(
        `  web chat flows: ${describe(flow)}; server CPU ${pct(flowCpu)} of a core (${flowUs.toFixed(0)} µs a message; main thread ${pct(flowThreads.main)}, its busiest other thread ${pct(flowThreads.busiestOther)}), generator ${pct(flow.cpuSeconds / flow.wallSeconds)}`,
      );
      const {
        result: bare,
        cpu: bareCpu,
        perRequestUs: bareUs,
      } = await withServerCpu(server, () =>
        runLoad({ mode: 'get', path: '/healthz', port: server.port, concurrency: o.people ?? TARGETS.people, warmupMs: o.warmupMs ?? 2000, durationMs: o.durationMs ?? 10_000, runId: 'bare' }),
      );
      log(`  GET /healthz: ${describe(bare)}; server CPU ${pct(bareCpu)} of a core (${bareUs.toFixed(0)} µs a request), generator ${pct(bare.cpuSeconds / bare.wallSeconds)}`);
      const rssAfter = server.memory().rss;
      const warnings = server
        .stderr()
        .split('\n')
        .filter((l) => l.trim() !== '').length;
      await server.stop();
      return {
        flow,
        bare,
        startMs: server.startMs,
        rssAfter,
        warnings,
        serverCpu: { flow: flowCpu, bare: bareCpu },
        cpuPerRequestUs: { flow: flowUs, bare: bareUs },
        flowThreads,
      };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pipelineMarkdown(r: PipelineResult): string {
  const share = r.flow.rate / r.bare.rate;
  return [
    `A real server process (\`node --import tsx channels/main.ts\`, LOG_LEVEL=warn, a fresh SQLite file in WAL mode with \`synchronous=FULL\`, the engine on its own thread as \`npm start\` runs it) driven over loopback by the load generator (\`bench/load.ts\`) in a second process: ${r.flow.concurrency} simulated people at once, closed loop on keep-alive connections, each sending its next message only after the answer. A person opens a session (\`POST /webchat/sessions\`, not counted as a message; the per-address limits are off, as every person comes from 127.0.0.1), runs the whole network-fault flow over \`POST /webchat/sessions/:id/messages\` ("the internet in our office has been down since morning", "Registry, block B", "+255 713 000 111", "yes"), then asks "where is my request ICT-…?" with the reference from the reply, then starts over as a new person (new session). ${(r.flow.measuredMs / 1000).toFixed(0)} s measured after a 2 s warm-up; then the same generator at the same concurrency against \`GET /healthz\` on the same server (the store's health check: a real write probe, a flushed file beside the database and a commit on a connection of its own, one at a time, its answer shared by the requests that arrive meanwhile; before the asynchronous store it was one \`select 1\`).`,
    '',
    '| route | requests/s | p50 | p99 | max | answered in the window | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    `| web chat messages (whole flows) | ${int(r.flow.rate)} | ${ms(r.flow.p50)} ms | ${ms(r.flow.p99)} ms | ${ms(r.flow.max)} ms | ${int(r.flow.count)} (${int(r.flow.flows)} flows in all) | ${r.flow.errors} |`,
    `| \`GET /healthz\` (bare route) | ${int(r.bare.rate)} | ${ms(r.bare.p50)} ms | ${ms(r.bare.p99)} ms | ${ms(r.bare.max)} ms | ${int(r.bare.count)} | ${r.bare.errors} |`,
    '',
    `Messages/s as a share of the bare route: ${(share * 100).toFixed(1)}%. The server process used ${pct(r.serverCpu.flow)} of a core during the flows (${r.cpuPerRequestUs.flow.toFixed(0)} µs of CPU a message; its main thread, which does all the work but SQLite's fsyncs and the garbage collector's helpers, ${pct(r.flowThreads.main)}; its busiest other thread ${pct(r.flowThreads.busiestOther)}) and ${pct(r.serverCpu.bare)} during \`/healthz\` (${r.cpuPerRequestUs.bare.toFixed(0)} µs a request); the generator ${pct(r.flow.cpuSeconds / r.flow.wallSeconds)} and ${pct(r.bare.cpuSeconds / r.bare.wallSeconds)}. Server resident memory after the run: ${(r.rssAfter / 2 ** 20).toFixed(0)} MB.`,
    '',
    '| target | measured | |',
    '|---|---|---|',
    `| ≥ ${int(TARGETS.rate)} messages/s at ${TARGETS.people} people | ${int(r.flow.rate)} messages/s | ${verdict(r.flow.rate >= TARGETS.rate)} |`,
    `| p99 ≤ ${TARGETS.p99} ms at ${TARGETS.people} people | ${ms(r.flow.p99)} ms | ${verdict(r.flow.p99 <= TARGETS.p99)} |`,
    `| ≥ ${TARGETS.share * 100}% of the bare route's throughput | ${(share * 100).toFixed(1)}% | ${verdict(share >= TARGETS.share)} |`,
  ].join('\n');
}
