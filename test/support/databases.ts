import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore } from '../../db/open.ts';
import type { Store } from '../../db/store.ts';

// Every storage test runs on both backends: SQLite in a temp file, and a
// fresh database on the test PostgreSQL (see test/global-setup.ts).

export type Backend = 'sqlite' | 'postgres';

const adminUrl = process.env.HUDUMA_TEST_PG_URL;

/** The backends this run has: SQLite always, PostgreSQL when one is there. */
export const BACKENDS: readonly Backend[] = adminUrl ? ['sqlite', 'postgres'] : ['sqlite'];

/** A new, empty PostgreSQL database on the test server, and its URL. */
export async function freshPostgresUrl(): Promise<string> {
  if (!adminUrl) throw new Error('no test PostgreSQL (HUDUMA_TEST_PG_URL)');
  const name = `huduma_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The settings that put the app on a fresh database of this backend (DATABASE_PATH in `dir` for SQLite). */
export async function databaseEnv(backend: Backend, sqlitePath: string): Promise<Record<string, string>> {
  return backend === 'postgres' ? { DATABASE_URL: await freshPostgresUrl() } : { DATABASE_PATH: sqlitePath };
}

/** A fresh store of this backend. */
export async function freshStore(backend: Backend, sqlitePath: string): Promise<Store> {
  const env = await databaseEnv(backend, sqlitePath);
  return openStore({ url: env.DATABASE_URL, path: env.DATABASE_PATH ?? sqlitePath });
}
