// Reads a V8 .cpuprofile (from `node --cpu-prof`) and summarises where the time
// went: the functions with the most self time, the same by file (package for
// node_modules), and the inclusive time of chosen functions.
//
//   node --import tsx bench/profile.ts FILE.cpuprofile [--top 30] [--under '^turn bot/engine/engine']
//   node --import tsx bench/profile.ts --run pipeline|webhook [--out DIR] [--under …] [--postgres]
//     (starts a server under --cpu-prof, runs that load alone for 12 s, stops it, summarises its main thread;
//      --postgres: the server on a fresh PostgreSQL database, as bench/postgres.ts finds or starts one)
//   node --import tsx bench/profile.ts --run sla [--requests 1000000] [--under …]
//     (builds the SLA benchmark's database and profiles one sweep of its 1% due, in this process)
//   --database FILE profiles the pipeline or webhook on a copy of that database instead of a fresh one.
//   --from REGEX leaves out the samples before the first one beneath a matching frame (start-up).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort, ROOT } from './harness.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Time not idle (program, GC and native). */
  readonly busyMs: number;
  readonly functions: Share[];
  readonly files: Share[];
  /** Inclusive time of every frame whose name matches, counted once per sample. */
  readonly inclusive: Share[];
}

function place(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, '');
  if (url === '') return '';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  return url.startsWith('/') ? relative(ROOT, url) : url;
}

const label = (f: CallFrame) => {
  const where = place(f);
  return `${f.functionName || '(anonymous)'}${where ? ` ${where}:${f.lineNumber + 1}` : ''}`;
};

/**
 * The same profile without the samples before the first one beneath a frame
 * matching `from` (start-up: module loading, model loading), so shares are of the steady state.
 */
export function startingAt(profile: CpuProfile, from: RegExp): CpuProfile {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const first = profile.samples.findIndex((id) => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)?.callFrame;
      if (f && from.test(label(f))) return true;
    }
    return false;
  });
  if (first < 0) return profile;
  return { ...profile, samples: profile.samples.slice(first), timeDeltas: profile.timeDeltas.slice(first) };
}

export function summarise(profile: CpuProfile, top = 25, inclusiveOf: readonly RegExp[] = []): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    self.set(id, (self.get(id) ?? 0) + dt);
  });
  const idle = [...self].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  for (const [id, t] of self) {
    const f = byId.get(id)?.callFrame;
    if (!f || f.functionName === '(idle)') continue;
    fn.set(label(f), (fn.get(label(f)) ?? 0) + t);
    const where = place(f) || f.functionName;
    file.set(where, (file.get(where) ?? 0) + t);
  }
  const inc = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)?.callFrame;
      if (!f) break;
      for (const re of inclusiveOf) {
        const name = label(f);
        if (re.test(name) && !seen.has(re.source)) {
          seen.add(re.source);
          inc.set(re.source, (inc.get(re.source) ?? 0) + t);
        }
      }
    }
  }
  const rank = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, t]) => ({ name, ms: t, share: t / busy }));
  return { totalMs: total, busyMs: busy, functions: rank(fn, top), files: rank(file, top), inclusive: rank(inc, inclusiveOf.length) };
}

/**
 * Inclusive time of every function called (at any depth) beneath a frame
 * matching `root`, counted once per sample: "what, under the engine's turn, costs what".
 */
export function beneath(profile: CpuProfile, root: RegExp, top = 30): { rootMs: number; busyMs: number; calls: Share[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inc = new Map<string, number>();
  let rootMs = 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    if (byId.get(id)?.callFrame.functionName !== '(idle)') busy += dt;
    const stack: string[] = [];
    let found = false;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)?.callFrame;
      if (!f) break;
      const name = label(f);
      if (root.test(name)) {
        found = true;
        break;
      }
      stack.push(name);
    }
    if (!found) return;
    rootMs += dt;
    for (const name of new Set(stack)) inc.set(name, (inc.get(name) ?? 0) + dt);
  });
  const calls = [...inc]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, t]) => ({ name, ms: t, share: t / rootMs }));
  return { rootMs, busyMs: busy, calls };
}

/** " 123 µs/msg" when the number of messages handled is known. */
const per = (ms: number, handled: number) => (handled > 0 ? `  ${((ms * 1000) / handled).toFixed(0).padStart(5)} µs/msg` : '');

export function beneathText(root: RegExp, b: ReturnType<typeof beneath>, handled = 0): string {
  return [
    `beneath ${root.source}: ${b.rootMs.toFixed(0)} ms in all (${((b.rootMs / b.busyMs) * 100).toFixed(1)}% of the busy time${per(b.rootMs, handled)}); inclusive, as shares of it:`,
    ...b.calls.map((x) => `  ${(x.share * 100).toFixed(1).padStart(5)}%  ${x.ms.toFixed(0).padStart(7)} ms${per(x.ms, handled)}  ${x.name}`),
  ].join('\n');
}

export function summaryText(s: ProfileSummary, handled = 0): string {
  const rows = (xs: Share[]) => xs.map((x) => `  ${(x.share * 100).toFixed(1).padStart(5)}%  ${x.ms.toFixed(0).padStart(7)} ms${per(x.ms, handled)}  ${x.name}`).join('\n');
  return [
    `profiled ${(s.totalMs / 1000).toFixed(1)} s, busy ${(s.busyMs / 1000).toFixed(1)} s (${((s.busyMs / s.totalMs) * 100).toFixed(0)}%); shares are of the busy time${handled > 0 ? `; µs/msg over ${handled} requests handled` : ''}`,
    'self time by function:',
    rows(s.functions),
    'self time by file or package:',
    rows(s.files),
    ...(s.inclusive.length > 0 ? ['inclusive time (the frame and all it calls):', rows(s.inclusive)] : []),
  ].join('\n');
}

export const readProfile = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;

/** The inclusive frames worth knowing for the hot path. */
export const HOT_PATH = [
  /^turn bot\/engine\/engine/,
  /^understand /,
  /^flush bot\/engine\/inbox/,
  /^run bot\/engine\/inbox/,
  / pg(-pool|-protocol)?:\d+$/,
  /^transaction drizzle-orm/,
  /^prepareQuery drizzle-orm/,
  /^prepare better-sqlite3/,
  /^(run|get|all|values) drizzle-orm/,
  /^buildQueryFromSourceParams drizzle-orm/,
  /^sqlToQuery drizzle-orm/,
  /^(run|get|all) better-sqlite3/,
  /^\(garbage collector\)/,
];

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: 'string', default: '30' },
      run: { type: 'string' },
      out: { type: 'string' },
      postgres: { type: 'boolean', default: false },
      under: { type: 'string', multiple: true },
      from: { type: 'string' },
      requests: { type: 'string' },
      database: { type: 'string' },
    },
  });
  const top = Number(values.top);
  let files = positionals;
  /** Messages (or updates) the profiled server handled, for per-message figures. */
  let handled = 0;
  if (values.run === 'sla') {
    // The sweep alone, profiled in this process through the inspector: a database of --requests (1,000,000) with 1% (at most 10,000) breaches due.
    const out = values.out ?? join(ROOT, '.cache', 'profiles', `sla-${Date.now()}`);
    mkdirSync(out, { recursive: true });
    const { fillDatabase } = await import('./fill.ts');
    const { createApp } = await import('../channels/app.ts');
    const { loadConfig } = await import('../bot/config.ts');
    const { systemClock } = await import('../bot/sla/clock.ts');
    const { pino } = await import('pino');
    const { Session } = await import('node:inspector/promises');
    const requests = Number(values.requests ?? 1_000_000);
    const due = Math.min(10_000, Math.floor(requests / 100));
    const dir = mkdtempSync(join(tmpdir(), 'huduma-bench-profile-'));
    const now = new Date();
    fillDatabase({ path: join(dir, 'huduma.db'), requests, due, now });
    const app = await createApp(loadConfig({ DATABASE_PATH: join(dir, 'huduma.db') }), systemClock, pino({ level: 'silent' }));
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    const t0 = performance.now();
    const swept = await app.sla.sweep(now);
    const took = performance.now() - t0;
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    session.disconnect();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
    const file = join(out, 'sla-sweep.cpuprofile');
    writeFileSync(file, JSON.stringify(profile));
    console.log(`sweep of ${due} due among ${requests} requests: ${took.toFixed(0)} ms, ${JSON.stringify(swept)}`);
    files = [file];
    handled = due;
  } else if (values.run) {
    const out = values.out ?? join(ROOT, '.cache', 'profiles', `${values.run}-${Date.now()}`);
    mkdirSync(out, { recursive: true });
    const { startServer, runLoad, describe } = await import('./harness.ts');
    const dir = mkdtempSync(join(tmpdir(), 'huduma-bench-profile-'));
    const emulator = values.run === 'webhook' ? new (await import('telegram-test-api')).default({ port: await freePort(), host: '127.0.0.1', storage: 'RAM', storeTimeout: 3600 }) : undefined;
    await emulator?.start();
    const secret = 'huduma-bench-secret';
    // --database FILE: profile on a copy of that database (e.g. one from bench/fill.ts) instead of a fresh one.
    if (values.database) copyFileSync(values.database, join(dir, 'huduma.db'));
    const cluster = values.postgres ? await (await import('./postgres.ts')).benchCluster(console.log) : undefined;
    if (cluster && 'skipped' in cluster) throw new Error(cluster.skipped);
    const pgDb = await cluster?.freshDatabase();
    const server = await startServer({
      databasePath: join(dir, 'huduma.db'),
      databaseUrl: pgDb?.url,
      cpuProfDir: out,
      env: emulator ? { TELEGRAM_BOT_TOKEN: '123456:huduma-bench-token', TELEGRAM_API_ROOT: emulator.config.apiURL, TELEGRAM_WEBHOOK_SECRET: secret } : {},
    });
    try {
      if (values.run !== 'pipeline' && values.run !== 'webhook') throw new Error(`--run pipeline, webhook or sla, not ${values.run}`);
      // Only the measured load runs while profiling (no bare-route phase), so the profile is the pipeline's, plus start-up.
      const load = await runLoad(
        values.run === 'pipeline'
          ? { mode: 'flow', port: server.port, concurrency: 50, warmupMs: 2000, durationMs: 10_000, runId: `prof${Date.now().toString(36)}` }
          : { mode: 'webhook', port: server.port, concurrency: 50, warmupMs: 2000, durationMs: 10_000, runId: 'prof', secret, updateBase: 1, chatBase: 1_000_000 },
      );
      handled = load.sent;
      console.log(`${values.run}: ${describe(load)}; ${load.sent} requests handled in all`);
    } finally {
      await server.stop();
      await emulator?.stop();
      if (pgDb) await cluster?.dropDatabase(pgDb.name);
      await cluster?.close();
      rmSync(dir, { recursive: true, force: true });
    }
    files = readdirSync(out)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(out, f))
      .sort((a, b) => statSync(b).size - statSync(a).size)
      .slice(0, 1); // the main thread's (the other is tsx's loader thread)
    console.log(`profile: ${files.join(', ')}`);
  }
  for (const f of files) {
    const whole = readProfile(f);
    const profile = values.from ? startingAt(whole, new RegExp(values.from)) : whole;
    console.log(`\n${f}`);
    console.log(summaryText(summarise(profile, top, HOT_PATH), handled));
    for (const u of values.under ?? []) console.log(beneathText(new RegExp(u), beneath(profile, new RegExp(u), top), handled));
  }
}
