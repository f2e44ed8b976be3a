// PostgreSQL for the benchmarks: the test server HUDUMA_TEST_PG_URL names, or
// (when it is unset and PostgreSQL is installed) a throwaway cluster of our own
// started by scripts/pg-throwaway.sh and stopped at the end; a fresh database
// per run; and the CPU time of the cluster's processes, read from /proc.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT, statFields, statSeconds } from './harness.ts';

/** CPU seconds (user + system) of a cluster's processes at one moment. */
export interface PgCpu {
  /**
   * The postmaster, every process it has now (backends, checkpointer, WAL
   * writer, autovacuum…) and those it has reaped (connections closed meanwhile).
   * Everything the cluster did, for whichever database.
   */
  readonly cluster: number;
  /** Only the backends connected to the databases asked about, by pid. */
  readonly backends: ReadonlyMap<number, number>;
}

export interface PgCluster {
  readonly adminUrl: string;
  /** "15.x", and whether this bench started the cluster (and will stop it). */
  readonly version: string;
  readonly own: boolean;
  /** Its settings that bear on commit cost, as one line. */
  readonly settings: string;
  /** A new, empty database; its URL and name. */
  freshDatabase(): Promise<{ url: string; name: string }>;
  dropDatabase(name: string): Promise<void>;
  cpu(databases: readonly string[]): Promise<PgCpu>;
  close(): Promise<void>;
}

const THROWAWAY = join(ROOT, 'scripts', 'pg-throwaway.sh');

const secondsOf = (pid: number, children = false): number => {
  try {
    return statSeconds(`/proc/${pid}/stat`, children);
  } catch {
    return 0; // it ended between the listing and the read
  }
};

/**
 * The server HUDUMA_TEST_PG_URL names, or a throwaway cluster of our own; or,
 * when neither can be had, why not (the caller skips the PostgreSQL part).
 */
export async function benchCluster(log: (s: string) => void): Promise<PgCluster | { readonly skipped: string }> {
  let adminUrl = process.env.HUDUMA_TEST_PG_URL;
  let dir: string | undefined;
  if (!adminUrl) {
    try {
      const out = execFileSync('bash', [THROWAWAY], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      adminUrl = /HUDUMA_TEST_PG_URL=(\S+?);/.exec(out)?.[1];
      dir = /HUDUMA_TEST_PG_DIR=(\S+)/.exec(out)?.[1];
      if (!adminUrl || !dir) throw new Error(`unexpected output: ${out}`);
      log(`  started a throwaway PostgreSQL cluster in ${dir}`);
    } catch (e) {
      const why = (e as { stderr?: string }).stderr?.trim() || (e instanceof Error ? e.message : String(e));
      return { skipped: `HUDUMA_TEST_PG_URL is unset and no throwaway cluster could be started (${why})` };
    }
  }
  const stop = () => (dir ? void execFileSync('bash', [THROWAWAY, 'stop', dir], { cwd: ROOT, stdio: 'ignore' }) : undefined);
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (e) {
    stop();
    return { skipped: `PostgreSQL at ${adminUrl} did not answer (${e instanceof Error ? e.message : String(e)})` };
  }
  const one = async (sql: string) => String(Object.values((await admin.query(sql)).rows[0] ?? {})[0]);
  const version = await one('show server_version');
  const names = ['fsync', 'synchronous_commit', 'wal_sync_method', 'shared_buffers', 'max_connections'];
  const settings = (await admin.query<{ name: string; setting: string; unit: string | null }>('select name, setting, unit from pg_settings where name = any($1) order by name', [names])).rows
    .map((r) => `${r.name}=${r.setting}${r.unit && r.unit !== '' ? ` ${r.unit}` : ''}`)
    .join(', ');
  // The postmaster is the parent of our own backend.
  const postmaster = Number(statFields(`/proc/${Number(await one('select pg_backend_pid()'))}/stat`)[1]);
  const url = new URL(adminUrl);
  return {
    adminUrl,
    version,
    own: dir !== undefined,
    settings,
    async freshDatabase() {
      const name = `huduma_bench_${randomBytes(5).toString('hex')}`;
      await admin.query(`create database ${name}`);
      const u = new URL(url);
      u.pathname = `/${name}`;
      return { url: u.toString(), name };
    },
    async dropDatabase(name) {
      await admin.query(`drop database if exists ${name} with (force)`);
    },
    async cpu(databases) {
      let cluster = secondsOf(postmaster, true);
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          if (Number(statFields(`/proc/${entry}/stat`)[1]) === postmaster) cluster += secondsOf(Number(entry));
        } catch {
          // gone meanwhile
        }
      }
      const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = any($1)', [databases]);
      return { cluster, backends: new Map(rows.map((r) => [r.pid, secondsOf(r.pid)])) };
    },
    async close() {
      await admin.end().catch(() => undefined);
      stop();
    },
  };
}

/** CPU seconds the cluster, and the backends of the bench's databases, used between two readings. */
export function pgCpuUsed(before: PgCpu, after: PgCpu): { cluster: number; backends: number } {
  let backends = 0;
  for (const [pid, s] of after.backends) backends += s - (before.backends.get(pid) ?? 0);
  return { cluster: after.cluster - before.cluster, backends };
}

/** What the backends of one database were doing, as shares of the samples of pg_stat_activity. */
export interface Activity {
  readonly samples: number;
  /** "state wait_event_type:wait_event [statement]" → share of backend-samples. */
  readonly shares: ReadonlyMap<string, number>;
}

/**
 * Samples pg_stat_activity for the backends of `database` every `everyMs`
 * until the returned function is called, on a connection of its own (its
 * queries cost the cluster some CPU; not counted in the database's backends).
 */
export function sampleActivity(adminUrl: string, database: string, everyMs = 50): () => Promise<Activity> {
  const client = new pg.Client({ connectionString: adminUrl });
  const counts = new Map<string, number>();
  let total = 0;
  let samples = 0;
  let stop = false;
  const loop = (async () => {
    await client.connect();
    while (!stop) {
      const { rows } = await client.query<{ k: string }>(
        `select state || ' ' || coalesce(wait_event_type || ':' || wait_event, 'on CPU') || case when state = 'active' and wait_event_type = 'Lock' then ' (' || split_part(regexp_replace(query, '\\s+', ' ', 'g'), ' (', 1) || ')' else '' end as k
           from pg_stat_activity where datname = $1 and backend_type = 'client backend'`,
        [database],
      );
      samples++;
      for (const r of rows) {
        counts.set(r.k, (counts.get(r.k) ?? 0) + 1);
        total++;
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return async () => {
    stop = true;
    await loop.catch(() => undefined);
    await client.end().catch(() => undefined);
    return { samples, shares: new Map([...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, n / Math.max(1, total)])) };
  };
}
