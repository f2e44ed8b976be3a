import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { prepareStatements } from './prepare.ts';
import type * as sqliteSchema from '../schema.ts';
import { isUnavailable, PreparedStatements, StoreUnavailableError, unavailableCause, type Health, type Orm, type Preparable, type Store, type Tx } from '../store.ts';
import * as schema from './schema.ts';

export const PG_MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** How long health waits for PostgreSQL (a connection from the pool, then the answer) before it says "timeout". */
const HEALTH_TIMEOUT_MS = 2_000;

/** Any fixed number: the advisory lock under which one instance at a time migrates. */
const MIGRATION_LOCK = 7_341_001;

export interface PostgresStoreOptions {
  readonly url: string;
  /** Connections this instance keeps; PostgreSQL's max_connections is shared by all instances. */
  readonly poolSize?: number;
}

type PgOrm = NodePgDatabase<typeof schema>;
type PgTx = Parameters<Parameters<PgOrm['transaction']>[0]>[0];

/** A pooled connection as Huduma uses it: drizzle over it, and the statements prepared on it. */
interface Connection {
  readonly orm: PgOrm;
  readonly statements: PreparedStatements;
}

// PostgreSQL keeps a prepared statement per connection, under its name.
const prepareNamed = (builder: Preparable<unknown>, name: string) => (builder as unknown as { prepare(name: string): unknown }).prepare(`p_${name}`);

/**
 * PostgreSQL through node-postgres: a pool, one pooled connection per
 * transaction, so turns of different people commit side by side (and
 * PostgreSQL groups their commits' flushes itself).
 */
export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly pool: pg.Pool;
  private readonly connections = new WeakMap<pg.PoolClient, Connection>();

  private constructor(options: PostgresStoreOptions) {
    this.pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, connectionTimeoutMillis: 10_000 });
    // An idle connection that dies (the server restarted) must not crash the process: the next query gets a new one.
    this.pool.on('error', () => undefined);
    this.pool.on('connect', prepareStatements);
  }

  /** Connects and applies the migrations not yet applied, one instance at a time. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    try {
      const client = await store.pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migrate(drizzle(client), { migrationsFolder: PG_MIGRATIONS_DIR });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
        client.release();
      }
    } catch (error) {
      await store.pool.end().catch(() => undefined);
      throw error;
    }
    return store;
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.withConnection((c) => c.orm.transaction((inner) => fn(txOf(inner, c))));
  }

  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.withConnection((c) => fn(txOf(c.orm, c)));
  }

  /** One pooled connection for the whole of `fn` (a transaction's statements, and the ones prepared on it, must share it). */
  private async withConnection<T>(fn: (c: Connection) => Promise<T>): Promise<T> {
    if (this.pool.ending) throw closedError();
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      let c = this.connections.get(client);
      if (!c) {
        c = { orm: drizzle(client, { schema }), statements: new PreparedStatements(prepareNamed) };
        this.connections.set(client, c);
      }
      return await fn(c);
    } catch (error) {
      // A connection that failed (lost, or its ROLLBACK did not get through) is closed, not handed to the next caller.
      if (isUnavailable(error)) broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Whether PostgreSQL takes writes: read-only (a hot standby, or
   * default_transaction_read_only after a full disk), unreachable or refusing
   * connections, or too slow to answer within HEALTH_TIMEOUT_MS (a load
   * balancer's check must not hang for the pool's 10 s connect timeout).
   */
  async health(): Promise<Health> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError('HEALTH_TIMEOUT', `PostgreSQL did not answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
      timer.unref();
    });
    try {
      const query = this.pool.query<{ ro: string }>("select current_setting('transaction_read_only') as ro");
      query.catch(() => undefined); // answered after the timeout: nobody waits for it any more
      const { rows } = await Promise.race([query, timeout]);
      return rows[0]?.ro === 'on' ? { status: 'read_only' } : { status: 'ok' };
    } catch (e) {
      const cause = e instanceof StoreUnavailableError && e.code === 'HEALTH_TIMEOUT' ? 'timeout' : unavailableCause(e);
      return { status: 'unavailable', reason: e instanceof Error ? e.message : String(e), cause };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Work arriving while Huduma stops is refused as "not now", not as a defect. */
const closedError = () => new StoreUnavailableError('CLOSED', 'the database is closed (Huduma is stopping)');

function txOf(orm: PgOrm | PgTx, c: Connection): Tx {
  const tx: Tx = {
    dialect: 'postgres',
    // The same row shapes as SQLite's drizzle (see db/store.ts).
    orm: orm as unknown as Orm,
    t: schema as unknown as typeof sqliteSchema,
    sqlite: undefined,
    savepoint: (fn) => orm.transaction((inner) => fn(txOf(inner, c))),
    prepared: (name, build) => c.statements.get(tx, name, build),
  };
  return tx;
}
