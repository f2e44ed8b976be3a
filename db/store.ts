import type BetterSqlite3 from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type * as schema from './schema.ts';

// The one storage interface the rest of Huduma sees: asynchronous, one
// transaction per state change, the same on SQLite and PostgreSQL. Only db/
// knows which dialect is underneath; the queries in db/queries/ take a Tx.

export type Dialect = 'sqlite' | 'postgres';

/**
 * drizzle on the current transaction. It is typed as the SQLite schema's,
 * and on PostgreSQL it is drizzle over db/postgres/schema.ts: the two
 * schemas give the same row shapes, and queries use only what both dialects
 * have (awaited builders, `returning`, `onConflict…`), never `.get()`/`.run()`.
 */
export type Orm = BetterSQLite3Database<typeof schema>;

export interface Tx {
  readonly dialect: Dialect;
  readonly orm: Orm;
  /** The tables of this dialect. */
  readonly t: typeof schema;
  /** The SQLite connection, for the statements prepared once (the hot path); undefined on PostgreSQL. */
  readonly sqlite: BetterSqlite3.Database | undefined;
  /** Runs `fn` in a savepoint of this transaction: if it throws, only its own writes are undone. */
  savepoint<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * A statement of the hot path, built by drizzle once per connection and kept
   * under `name` (one name per statement shape; its values are
   * `sql.placeholder`s), then only run with `execute(values)`. Building SQL
   * through drizzle on every call cost more than PostgreSQL's own work
   * (BENCHMARKS.md, the backends). Placeholders pass values as they are:
   * nullable JSON and time columns take them through `sql`, already encoded.
   */
  prepared<P>(name: string, build: (tx: Tx) => Preparable<P>): P;
}

/** A drizzle query that can be prepared (a select, insert or update builder). */
export interface Preparable<P> {
  prepare(): P;
}

/** The statements `Tx.prepared` has built on one connection. */
export class PreparedStatements {
  private readonly built = new Map<string, unknown>();

  /** `prepare` makes the drizzle prepared query of a builder, as the connection's dialect wants it named. */
  constructor(private readonly prepare: (builder: Preparable<unknown>, name: string) => unknown) {}

  get<P>(tx: Tx, name: string, build: (tx: Tx) => Preparable<P>): P {
    let statement = this.built.get(name);
    if (statement === undefined) {
      statement = this.prepare(build(tx), name);
      this.built.set(name, statement);
    }
    return statement as P;
  }
}

/** Why the database cannot take a write now, in the words health and the HTTP layer need. */
export type Health =
  | { readonly status: 'ok' }
  | { readonly status: 'read_only' }
  | {
      readonly status: 'unavailable';
      /** The driver's own words, for the log (never shown on /healthz: it may name paths or hosts). */
      readonly reason: string;
      /** What kind of trouble, for /healthz and the operator (see unavailableCause). */
      readonly cause?: UnavailableCause;
    };

export interface Store {
  readonly dialect: Dialect;
  /** One state change: `fn`'s writes commit together or not at all. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Reads that change nothing (on SQLite they still take their turn on the connection). */
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  health(): Promise<Health>;
  close(): Promise<void>;
}

/**
 * A database failure that means "not now" rather than "this request is
 * wrong": busy, read-only, disk full, connection lost. Callers answer 503
 * and try again later; everything else is a defect.
 */
export class StoreUnavailableError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|READONLY|IOERR|FULL|CANTOPEN)/;
// PostgreSQL's classes: 08 connection, 53 resources (disk full, too many connections), 57P admin shutdown,
// 25006 read-only transaction, 55000 "database is not currently accepting connections".
const PG_UNAVAILABLE = /^(08|53|57P)|^(25006|55000)$/;
const NODE_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/** Whether an error from either driver means the database cannot serve now. */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const code = errorCode(error);
  if (code === undefined) return /Connection terminated|timeout exceeded when trying to connect|Client was closed/.test(String((error as Error | undefined)?.message));
  return SQLITE_UNAVAILABLE.test(code) || PG_UNAVAILABLE.test(code) || NODE_UNAVAILABLE.has(code);
}

/** The error's driver code, when it has one (for logs and 503 answers); drizzle wraps the driver's error as its cause. */
export const errorCode = (error: unknown): string | undefined => {
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
};

/**
 * Whether a transaction lost a race with another instance's and may simply be
 * run again: a unique key taken meanwhile (two first messages of one new
 * person), a serialization failure or a deadlock. PostgreSQL's codes; SQLite
 * has one writer and never reports these.
 */
export function isConflict(error: unknown): boolean {
  const code = errorCode(error);
  return code === '23505' || code === '40001' || code === '40P01';
}

/**
 * What kind of "not now" an unavailable database is in: the disk is full, another
 * program holds the write lock, the disk fails, the file cannot be opened, the
 * server cannot be reached, it did not answer in time; or something else.
 */
export type UnavailableCause = 'disk_full' | 'locked' | 'io_error' | 'cannot_open' | 'unreachable' | 'timeout' | 'other';

/** The cause an error names (SQLite's and PostgreSQL's codes, and the file system's). */
export function unavailableCause(error: unknown): UnavailableCause {
  const code = errorCode(error) ?? '';
  if (/^SQLITE_FULL|^(ENOSPC|EDQUOT|EFBIG|53100)$/.test(code)) return 'disk_full';
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return 'locked';
  if (/^SQLITE_IOERR|^(EIO|58030)$/.test(code)) return 'io_error';
  if (/^SQLITE_CANTOPEN/.test(code)) return 'cannot_open';
  if (/^(08|57P)|^(53300|55000)$/.test(code) || NODE_UNAVAILABLE.has(code)) return 'unreachable';
  if (/Connection terminated|Client was closed/.test(String((error as Error | undefined)?.message))) return 'unreachable';
  if (/timeout exceeded when trying to connect/.test(String((error as Error | undefined)?.message))) return 'timeout';
  return 'other';
}
