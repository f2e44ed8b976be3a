// What the end-to-end benchmarks share: a real server process (channels/main.ts,
// what `npm start` runs) on its own port and database (a SQLite file, or a
// PostgreSQL database by DATABASE_URL), the load generator as a second process
// (bench/load.ts), memory and CPU time from /proc, and figures as text.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type LoadResult, type LoadSpec, MEASURING } from './load.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface ServerProcess {
  readonly port: number;
  readonly pid: number;
  /** Milliseconds from spawn until it answered. */
  readonly startMs: number;
  /** What it wrote on stderr (warnings and errors at LOG_LEVEL=warn). */
  stderr(): string;
  /** Resident memory now and at its peak, in bytes (/proc/<pid>/status VmRSS, VmHWM), and now's anonymous and file-backed parts. */
  memory(): Memory;
  /** CPU time it has used so far (user + system), in seconds (/proc/<pid>/stat). */
  cpuSeconds(): number;
  /** CPU time so far of each of its threads, by thread id (the main thread's id is the pid). */
  threadSeconds(): Map<number, number>;
  /** SIGTERM, and waits for it to exit (its CPU profile, if asked for, is written then). */
  stop(): Promise<number | null>;
}

export interface Memory {
  readonly rss: number;
  readonly peak: number;
  readonly anon: number;
  readonly file: number;
}

export interface ServerOptions {
  /** The SQLite file; ignored when `databaseUrl` is given. */
  readonly databasePath?: string;
  /** postgres://…: the server runs on PostgreSQL (DATABASE_URL). */
  readonly databaseUrl?: string;
  readonly env?: Record<string, string>;
  /** Run under `node --cpu-prof`, writing the profile into this folder at exit. */
  readonly cpuProfDir?: string;
  readonly timeoutMs?: number;
}

/** The fields of a /proc stat file after the command name: [0] is field 3 (state), [1] the parent's pid, [11] and [12] utime and stime, [13] and [14] the reaped children's, in clock ticks (100/s on Linux). */
export function statFields(path: string): string[] {
  return readFileSync(path, 'utf8')
    .replace(/^.*\) /s, '')
    .split(' ');
}

/** user + system CPU seconds from a /proc stat file; with `children`, also those of the children it has reaped. */
export function statSeconds(path: string, children = false): number {
  const f = statFields(path);
  return (Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0)) / 100;
}

/** The settings of the bench's environment that would connect the server to something real are not passed on. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(TELEGRAM_|WHATSAPP_|PORT$|DATABASE_|LOG_LEVEL$|ENGINE_THREAD$|HUDUMA_TEST_PG_|RATE_LIMIT_)/.test(k)) env[k] = v;
  return env;
}

/**
 * The load generator is one client address opening thousands of web chat
 * sessions a minute: the per-address limits (sessions opened, messages) are off
 * for it. The per-person flood limit (RATE_LIMIT_PER_MINUTE) stays as shipped.
 */
const ONE_ADDRESS = { RATE_LIMIT_PER_IP_PER_MINUTE: '0', RATE_LIMIT_MESSAGES_PER_IP_PER_MINUTE: '0' };

async function healthy(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * Spawns `node --import tsx channels/main.ts` with its own PORT and DATABASE_PATH (or DATABASE_URL) at
 * LOG_LEVEL=warn, and waits until it serves: "serving the web chat" on stderr
 * (logged at info, so only when the level lets it through) or /healthz
 * answering 200. The first start trains the intent model (about 15 s) unless
 * .cache/nlu holds it; the wait allows for that.
 */
export async function startServer(o: ServerOptions): Promise<ServerProcess> {
  const port = await freePort();
  const args = [...(o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : []), '--import', 'tsx', 'channels/main.ts'];
  if (!o.databaseUrl && !o.databasePath) throw new Error('startServer needs a databasePath or a databaseUrl');
  const database = o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : { DATABASE_PATH: o.databasePath ?? '' };
  const began = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...cleanEnv(), PORT: String(port), ...database, LOG_LEVEL: 'warn', ...ONE_ADDRESS, ...o.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    err += s;
    if (err.length > 1_000_000) err = err.slice(-500_000);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = began + (o.timeoutMs ?? 180_000);
  for (;;) {
    if (gone) throw new Error(`the server exited before serving:\n${err.slice(-4000)}`);
    if (err.includes('serving the web chat') || (await healthy(port))) break;
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not serve within ${o.timeoutMs ?? 180_000} ms:\n${err.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const startMs = performance.now() - began;
  const pid = child.pid ?? 0;
  return {
    port,
    pid,
    startMs,
    stderr: () => err,
    memory() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
      return { rss: kb('VmRSS'), peak: kb('VmHWM'), anon: kb('RssAnon'), file: kb('RssFile') };
    },
    cpuSeconds() {
      return statSeconds(`/proc/${pid}/stat`);
    },
    threadSeconds() {
      const threads = new Map<number, number>();
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        try {
          threads.set(Number(tid), statSeconds(`/proc/${pid}/task/${tid}/stat`));
        } catch {
          // The thread ended between the listing and the read.
        }
      }
      return threads;
    },
    async stop() {
      if (gone) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/**
 * Runs the load generator (bench/load.ts) as its own process and returns what
 * it measured; `onMeasuring` is called when its measured window opens.
 */
export async function runLoad(spec: LoadSpec, onMeasuring?: () => void): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load.ts', JSON.stringify(spec)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    err += s;
    if (onMeasuring && err.includes(MEASURING)) {
      onMeasuring();
      onMeasuring = undefined;
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const line = out.trim().split('\n').at(-1);
  if (code !== 0 || !line) throw new Error(`the load generator failed (exit ${code}):\n${err.slice(-4000)}`);
  return JSON.parse(line) as LoadResult;
}

export const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
export const int = (v: number) => Math.round(v).toLocaleString('en-US');
/** Megabytes as /proc counts them (kB = 1024 bytes): MiB. */
export const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 30 ? 1 : 0)} MB`;
export const verdict = (met: boolean) => (met ? 'met' : '**MISSED**');

/** One line for the console. */
export function describe(r: LoadResult): string {
  return `${int(r.rate)} /s, p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms, max ${ms(r.max)} ms (${int(r.count)} in ${(r.measuredMs / 1000).toFixed(1)} s, ${r.concurrency} at once${r.errors ? `, ${r.errors} errors: ${r.firstError}` : ''})`;
}
