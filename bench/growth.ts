// Cost growth: the pipeline figure (bench/pipeline.ts: whole web chat flows,
// 50 people at once, real server process, load generator in a second process)
// on databases already holding 10k, 100k and 1M requests, built by
// bench/fill.ts as for the SLA benchmark. Throughput should not fall by more
// than 20% from the smallest to the largest. Each size is visited twice
// (small → large → small) and the visits averaged, and a short GET /healthz run
// on each server is kept beside it, as the machine may be doing other work.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillDatabase } from './fill.ts';
import { describe, int, mb, ms, runLoad, startServer, verdict } from './harness.ts';
import type { LoadResult } from './load.ts';
import { loadFlows, withServerCpu } from './pipeline.ts';

export const GROWTH_TARGET = { maxDrop: 0.2 } as const;

export interface GrowthVisit {
  readonly flow: LoadResult;
  /** Server CPU time per message, in µs (warm-up included). */
  readonly cpuUs: number;
  readonly bare: LoadResult;
  readonly rss: number;
}

export interface GrowthPoint {
  readonly requests: number;
  readonly bytes: number;
  readonly buildMs: number;
  /** Each size is measured twice, in the order small → large → small, so a drift in the machine's other load falls on every size alike. */
  readonly visits: GrowthVisit[];
  /** Mean messages/s over the visits. */
  readonly rate: number;
}

export interface GrowthOptions {
  readonly sizes?: readonly number[];
  readonly warmupMs?: number;
  readonly durationMs?: number;
}

export async function benchGrowth(log: (s: string) => void, o: GrowthOptions = {}): Promise<GrowthPoint[]> {
  const sizes = o.sizes ?? [10_000, 100_000, 1_000_000];
  const dir = mkdtempSync(join(tmpdir(), 'huduma-bench-growth-'));
  try {
    const built = sizes.map((requests) => {
      const path = join(dir, `huduma-${requests}.db`);
      // Nothing due: the server's start-up sweep would otherwise take those first (see the SLA section for that cost).
      const fill = fillDatabase({ path, requests, due: 0, now: new Date() });
      log(`  ${int(requests)} requests stored (${mb(fill.bytes)}, built in ${(fill.ms / 1000).toFixed(1)} s)`);
      return { requests, path, fill, visits: [] as GrowthVisit[] };
    });
    const order = [...built, ...[...built].reverse()];
    for (const [i, b] of order.entries()) {
      const server = await startServer({ databasePath: b.path });
      try {
        const { result: flow, perRequestUs: cpuUs } = await withServerCpu(server, () => loadFlows(server, { warmupMs: o.warmupMs ?? 2000, durationMs: o.durationMs ?? 8000 }, `g${i}x${b.requests}`));
        const bare = await runLoad({ mode: 'get', path: '/healthz', port: server.port, concurrency: 50, warmupMs: 1000, durationMs: 3000, runId: 'bare' });
        log(`  ${int(b.requests)} stored, visit ${i < built.length ? 1 : 2}: flows ${describe(flow)}, server ${cpuUs.toFixed(0)} µs CPU a message; control /healthz ${int(bare.rate)}/s`);
        b.visits.push({ flow, cpuUs, bare, rss: server.memory().rss });
      } finally {
        await server.stop();
      }
    }
    return built.map((b) => ({ requests: b.requests, bytes: b.fill.bytes, buildMs: b.fill.ms, visits: b.visits, rate: b.visits.reduce((a, v) => a + v.flow.rate, 0) / b.visits.length }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function growthMarkdown(points: readonly GrowthPoint[]): string {
  const first = points[0];
  const last = points.at(-1);
  const change = first && last ? last.rate / first.rate - 1 : NaN;
  const bareMean = (p: GrowthPoint) => p.visits.reduce((a, v) => a + v.bare.rate, 0) / p.visits.length;
  const control = first && last ? bareMean(last) / bareMean(first) - 1 : NaN;
  return [
    `The whole-pipeline benchmark (whole web chat flows, 50 people at once, a real server process, the load generator in a second process; here 8 s measured after a 2 s warm-up) on databases already holding many requests, built by \`bench/fill.ts\` as for the SLA sweep benchmark (people, identities, conversations, the requests' events and the messages that filed them; ~80% resolved or closed, ~19% open with their next SLA step ahead) but with none due, so the server's start-up sweep has nothing to do. Each size is visited twice, small → large → small, with a fresh server process each time, so a drift in what else the machine is doing falls on every size alike; a 3 s \`GET /healthz\` run on each server is kept as a control for that.`,
    '',
    '| requests stored | database | visit | messages/s | p50 | p99 | max | errors | server CPU a message | control: `/healthz`/s | server RSS after |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...points.flatMap((p) =>
      p.visits.map(
        (v, i) =>
          `| ${int(p.requests)} | ${mb(p.bytes)} | ${i + 1} | ${int(v.flow.rate)} | ${ms(v.flow.p50)} ms | ${ms(v.flow.p99)} ms | ${ms(v.flow.max)} ms | ${v.flow.errors} | ${v.cpuUs.toFixed(0)} µs | ${int(v.bare.rate)} | ${mb(v.rss)} |`,
      ),
    ),
    '',
    `Mean messages/s: ${points.map((p) => `${int(p.requests)} stored ${int(p.rate)}`).join(', ')}. From ${int(first?.requests ?? 0)} to ${int(last?.requests ?? 0)} stored requests, messages/s changed by ${(change * 100).toFixed(1)}% (the control route by ${(control * 100).toFixed(1)}%). Server CPU a message (mean of the visits), which what else the machine runs disturbs less: ${points.map((p) => `${int(p.requests)} stored ${(p.visits.reduce((a, v) => a + v.cpuUs, 0) / p.visits.length).toFixed(0)} µs`).join(', ')}.`,
    '',
    '| target | measured | |',
    '|---|---|---|',
    `| throughput falls by no more than ${GROWTH_TARGET.maxDrop * 100}% from ${int(first?.requests ?? 0)} to ${int(last?.requests ?? 0)} stored requests (means of the two visits) | ${(change * 100).toFixed(1)}% | ${verdict(change >= -GROWTH_TARGET.maxDrop)} |`,
  ].join('\n');
}
