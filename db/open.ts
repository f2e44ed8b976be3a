import { PostgresStore } from './postgres/store.ts';
import { SqliteStore } from './sqlite/store.ts';
import type { Store } from './store.ts';

export interface OpenStoreOptions {
  /** postgres://user:pass@host:port/db selects PostgreSQL; without it, the SQLite file at `path`. */
  readonly url?: string;
  readonly path: string;
  readonly busyTimeoutMs?: number;
  readonly poolSize?: number;
}

/** Opens the database the settings name and brings its schema up to date. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.url) return PostgresStore.open({ url: options.url, poolSize: options.poolSize });
  return new SqliteStore({ path: options.path, busyTimeoutMs: options.busyTimeoutMs });
}
