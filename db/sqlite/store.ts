import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import * as schema from '../schema.ts';
import { PreparedStatements, StoreUnavailableError, type Health, type Orm, type Store, type Tx } from '../store.ts';
import { whenFree } from './busy.ts';
import { startCheckpointer, type Checkpointer } from './checkpointer.ts';
import { openConnection, opensReadOnly, probeWrite } from './connection.ts';

export interface SqliteStoreOptions {
  readonly path: string;
  /**
   * How long a writer waits for another connection's lock, in ms. 0: the
   * connection never sleeps on a lock; a busy BEGIN is tried again on the
   * event loop's timers instead (see busy.ts), for up to `busyDeadlineMs`.
   */
  readonly busyTimeoutMs?: number;
  readonly busyDeadlineMs?: number;
  /** Most transactions one commit takes; the rest wait for the next. */
  readonly maxBatch?: number;
  /** Checkpoint the WAL on a thread of its own (checkpointer.ts); default on. */
  readonly checkpointThread?: boolean;
}

/**
 * With the checkpoint thread, the connection's own automatic checkpoint waits
 * for a WAL this large (pages of 4 KiB: 40 MiB): a safety net, should the thread lag.
 */
const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

/** The longest health waits for another connection's write lock before it says "locked" (at most the busy timeout). */
const HEALTH_LOCK_WAIT_MS = 1_000;

/** A transaction waiting for its batch, and its caller. */
interface Job {
  readonly fn: (tx: Tx) => Promise<unknown>;
  readonly write: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Settled = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * The embedded default: one better-sqlite3 connection behind the async Store.
 *
 * A connection has one transaction at a time, so transactions take turns; and
 * with synchronous=FULL every COMMIT waits for the disk, so one commit per
 * transaction would cap the bot at the disk's fsync rate. The store therefore
 * commits in groups: the transactions that arrive while a batch runs are taken
 * together next, one BEGIN and one COMMIT for all, each in a savepoint of its
 * own (one that throws leaves the others whole), and each caller is answered
 * only after that COMMIT, so a resolved transaction is durable. Nothing waits
 * on a timer: a lone transaction is committed at once. Inside a transaction,
 * nest with `tx.savepoint`, never `store.transaction` (that would wait for
 * itself; it throws instead).
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly sqlite: Database.Database;
  readonly orm: Orm;
  private queue: Job[] = [];
  private running: Promise<void> | undefined;
  private readonly inside = new AsyncLocalStorage<true>();
  private savepoints = 0;
  private closed = false;
  private readonly tx: Tx;
  private readonly maxBatch: number;
  /** The file could not be written when this connection opened it: SQLite keeps the connection read-only until it is reopened. */
  private readonly openedReadOnly: boolean;
  /**
   * What made SQLite roll the current transaction back by itself (disk full, I/O
   * error) while its caller went on: the savepoints and the COMMIT after it must
   * fail too, or what ran before it would be reported committed and be lost.
   */
  private lost: unknown;
  /** One health probe at a time; callers that ask meanwhile share its answer. */
  private probing: Promise<Health> | undefined;
  private readonly checkpointer: Checkpointer | undefined;

  constructor(private readonly options: SqliteStoreOptions) {
    const { orm, sqlite } = openConnection(options.path, options.busyTimeoutMs ?? 5000);
    this.sqlite = sqlite;
    this.orm = orm;
    this.openedReadOnly = opensReadOnly(options.path);
    this.maxBatch = options.maxBatch ?? 256;
    if ((options.checkpointThread ?? true) && !this.openedReadOnly && options.path !== ':memory:' && options.path !== '') {
      this.checkpointer = startCheckpointer(options.path);
      sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    }
    const statements = new PreparedStatements((builder) => builder.prepare());
    const tx: Tx = { dialect: 'sqlite', orm, t: schema, sqlite, savepoint: (fn) => this.savepoint(fn), prepared: (name, build) => statements.get(tx, name, build) };
    this.tx = tx;
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.enqueue(fn, true);
  }

  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.enqueue(fn, false);
  }

  /**
   * Whether a write would be taken now, asked without this connection: a
   * connection opened read-only stays so (restart once the file is writable);
   * otherwise a real write on a connection of its own (connection.ts's
   * probeWrite) says read-only, disk full, locked or an I/O error, and says
   * "ok" again as soon as the trouble is gone.
   */
  health(): Promise<Health> {
    if (this.openedReadOnly) return Promise.resolve({ status: 'read_only' });
    if (!this.probing) {
      const lockWaitMs = Math.min(this.options.busyTimeoutMs ?? 5000, HEALTH_LOCK_WAIT_MS);
      this.probing = probeWrite(this.options.path, { lockWaitMs }).finally(() => {
        this.probing = undefined;
      });
    }
    return this.probing;
  }

  async close(): Promise<void> {
    this.closed = true;
    // What was queued before closing still runs.
    while (this.running) await this.running;
    await this.checkpointer?.stop();
    this.sqlite.close();
  }

  private enqueue<T>(fn: (tx: Tx) => Promise<T>, write: boolean): Promise<T> {
    // Closing: work still arriving (a late request) is refused as "not now", not as a defect.
    if (this.closed) return Promise.reject(new StoreUnavailableError('CLOSED', 'the database is closed (Huduma is stopping)'));
    if (this.inside.getStore()) return Promise.reject(new Error('a transaction was opened inside another on the same SQLite connection: use tx.savepoint'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, write, resolve: resolve as (v: unknown) => void, reject });
      // Idle: start on the next turn of the event loop, so what arrives with it joins the batch.
      this.running ??= new Promise<void>((r) => setImmediate(r)).then(() => this.drainQueue());
    });
  }

  private async drainQueue(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      const settled = await this.inside.run(true, () => this.runBatch(batch));
      batch.forEach((job, i) => {
        const s = settled[i] as Settled;
        if (s.ok) job.resolve(s.value);
        else job.reject(s.error);
      });
      // Let the answers go out, and more transactions arrive, before the next batch.
      if (this.queue.length > 0) await new Promise((r) => setImmediate(r));
    }
    this.running = undefined;
  }

  /** One BEGIN … COMMIT for the batch: what each job settled as, every job failed if the BEGIN or the COMMIT did. */
  private async runBatch(batch: readonly Job[]): Promise<Settled[]> {
    const all = (error: unknown): Settled[] => batch.map(() => ({ ok: false, error }));
    try {
      await this.begin(batch.some((j) => j.write) ? 'BEGIN IMMEDIATE' : 'BEGIN');
    } catch (error) {
      return all(error);
    }
    this.lost = undefined;
    try {
      const settled: Settled[] = [];
      for (const job of batch) settled.push(await this.settle(job, batch.length > 1));
      if (settled.some((s) => s.ok)) {
        this.stillOpen();
        this.sqlite.exec('COMMIT');
      } else this.rollback();
      return settled;
    } catch (error) {
      // SQLite may have rolled back already (disk full, I/O error): then that is the failure to report.
      this.rollback();
      return all(this.lost ?? error);
    } finally {
      this.lost = undefined;
    }
  }

  /** A job alone in its batch needs no savepoint: if it throws, the batch is rolled back whole. */
  private async settle(job: Job, shared: boolean): Promise<Settled> {
    try {
      return { ok: true, value: await (shared ? this.savepoint(job.fn) : job.fn(this.tx)) };
    } catch (error) {
      // Once SQLite has rolled the transaction back by itself, nothing of the batch can be kept.
      if (this.lost !== undefined || !this.sqlite.inTransaction) throw this.lost ?? error;
      return { ok: false, error };
    }
  }

  /** Throws when SQLite ended the transaction by itself: nothing of it is kept, and the caller must not be told otherwise. */
  private stillOpen(): void {
    if (this.sqlite.inTransaction) return;
    // Its cause was caught by the caller and not seen here: a code of the I/O error family, so that it reads as
    // "not now" (503) on both sides of the engine thread, where only the code crosses.
    throw this.lost ?? new StoreUnavailableError('SQLITE_IOERR_AUTOROLLBACK', 'SQLite rolled the transaction back by itself (disk full or I/O error?); nothing of it was kept');
  }

  /** Ends a failed transaction; a ROLLBACK that fails too (the disk again) must not hide the first error. */
  private rollback(): void {
    if (!this.sqlite.inTransaction) return;
    try {
      this.sqlite.exec('ROLLBACK');
    } catch {
      // The next begin() tries again before it starts anything.
    }
  }

  private begin(statement: string): Promise<void> | void {
    // A transaction left open by a ROLLBACK that failed: end it first, or every BEGIN from now on would fail.
    this.rollback();
    if ((this.options.busyTimeoutMs ?? 5000) > 0) return void this.sqlite.exec(statement);
    return whenFree(() => void this.sqlite.exec(statement), { deadlineMs: this.options.busyDeadlineMs ?? 5_000 });
  }

  private async savepoint<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    // Outside a transaction (SQLite rolled it back) a SAVEPOINT would start a new one, and its RELEASE commit alone.
    this.stillOpen();
    const name = `sp${++this.savepoints}`;
    this.sqlite.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn(this.tx);
      this.sqlite.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      if (this.sqlite.inTransaction) this.sqlite.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
      else this.lost ??= error;
      throw error;
    } finally {
      this.savepoints--;
    }
  }
}
