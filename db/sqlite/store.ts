import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import * as schema from '../schema.ts';
import type { Health, Orm, Store, Tx } from '../store.ts';
import { whenFree } from './busy.ts';
import { canWrite, openConnection } from './connection.ts';

export interface SqliteStoreOptions {
  readonly path: string;
  /**
   * How long a writer waits for another connection's lock, in ms. 0: the
   * connection never sleeps on a lock; a busy BEGIN is tried again on the
   * event loop's timers instead (see busy.ts), for up to `busyDeadlineMs`.
   */
  readonly busyTimeoutMs?: number;
  readonly busyDeadlineMs?: number;
}

/**
 * The embedded default: one better-sqlite3 connection behind the async Store.
 * A connection has one transaction at a time, so transactions take turns in a
 * queue: a transaction's awaits never let another's statements in. Inside a
 * transaction, nest with `tx.savepoint`, never `store.transaction` (that
 * would wait for itself; it throws instead).
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly sqlite: Database.Database;
  readonly orm: Orm;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly inside = new AsyncLocalStorage<true>();
  private savepoints = 0;
  private readonly tx: Tx;

  constructor(private readonly options: SqliteStoreOptions) {
    const { orm, sqlite } = openConnection(options.path, options.busyTimeoutMs ?? 5000);
    this.sqlite = sqlite;
    this.orm = orm;
    this.tx = { dialect: 'sqlite', orm, t: schema, sqlite, savepoint: (fn) => this.savepoint(fn) };
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.turn(fn, 'BEGIN IMMEDIATE');
  }

  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.turn(fn, 'BEGIN');
  }

  async health(): Promise<Health> {
    try {
      return await this.exclusive(async (): Promise<Health> => (canWrite(this.sqlite) ? { status: 'ok' } : { status: 'read_only' }));
    } catch (e) {
      return { status: 'unavailable', reason: e instanceof Error ? e.message : String(e) };
    }
  }

  async close(): Promise<void> {
    await this.tail.catch(() => undefined);
    this.sqlite.close();
  }

  private turn<T>(fn: (tx: Tx) => Promise<T>, begin: string): Promise<T> {
    if (this.inside.getStore()) return Promise.reject(new Error('a transaction was opened inside another on the same SQLite connection: use tx.savepoint'));
    return this.exclusive(() =>
      this.inside.run(true, async () => {
        await this.begin(begin);
        try {
          const result = await fn(this.tx);
          this.sqlite.exec('COMMIT');
          return result;
        } catch (error) {
          // SQLite may have rolled back already (disk full, I/O error).
          if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
          throw error;
        }
      }),
    );
  }

  private begin(statement: string): Promise<void> | void {
    if ((this.options.busyTimeoutMs ?? 5000) > 0) return void this.sqlite.exec(statement);
    return whenFree(() => void this.sqlite.exec(statement), { deadlineMs: this.options.busyDeadlineMs ?? 5_000 });
  }

  /** Runs `work` after everything queued before it, whether that succeeded or not. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async savepoint<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const name = `sp${++this.savepoints}`;
    this.sqlite.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn(this.tx);
      this.sqlite.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      if (this.sqlite.inTransaction) this.sqlite.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
      throw error;
    } finally {
      this.savepoints--;
    }
  }
}
