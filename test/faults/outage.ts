// Making a test database refuse writes for a while, and serve again: as a full disk, another program's lock or a
// server switched to read-only would. Used by the fault tests and by the channels' tests of "the database is out".
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Backend } from '../support/databases.ts';

/** Runs statements on the test PostgreSQL as its superuser (the operator's hand on the server). */
export async function asAdmin(...statements: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: process.env.HUDUMA_TEST_PG_URL });
  await admin.connect();
  try {
    for (const s of statements) await admin.query(s);
  } finally {
    await admin.end();
  }
}

export interface Outage {
  /** From now on every write is refused: SQLite's lock held by another connection (open the store with a short busy timeout), or PostgreSQL read-only. */
  begin(): Promise<void>;
  /** Writes are taken again. */
  end(): Promise<void>;
}

/** An outage of the database these settings name (DATABASE_PATH or DATABASE_URL). */
export function outage(backend: Backend, env: Readonly<Record<string, string>>): Outage {
  if (backend === 'sqlite') {
    let other: Database.Database | undefined;
    return {
      begin: async () => {
        other = new Database(env.DATABASE_PATH ?? '');
        other.exec('BEGIN EXCLUSIVE');
      },
      end: async () => {
        other?.exec('COMMIT');
        other?.close();
        other = undefined;
      },
    };
  }
  const name = new URL(env.DATABASE_URL ?? '').pathname.slice(1);
  // Connections already open keep their setting: they are cut, and the pool opens new ones.
  const kick = `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`;
  return {
    begin: () => asAdmin(`alter database ${name} set default_transaction_read_only = on`, kick),
    end: () => asAdmin(`alter database ${name} set default_transaction_read_only = off`, kick),
  };
}
