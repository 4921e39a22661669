// MikroORM on MySQL 8 (compose) or MariaDB 10.11+ (our machines). The MariaDB driver is the
// default because @mikro-orm/mysql on MariaDB returns JSON columns as strings and never produces an
// empty schema diff (stack-notes B5); both drivers share the MySQL dialect and the same API.
import { MikroORM, type EntitySchema, type Constructor, type Logger, type LogContext } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { MySqlDriver } from '@mikro-orm/mysql';
import { MariaDbDriver } from '@mikro-orm/mariadb';
import { Migrator, type Migration } from '@mikro-orm/migrations';
import type { Config } from './config.ts';

export type Orm = MikroORM<MySqlDriver, EntityManager>;
export type { EntityManager };

export interface OrmModel {
  entities: EntitySchema<any, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  migrations: { name: string; class: Constructor<Migration> }[];
}

export interface DbUrlParts { host: string; port: number; user: string; password: string; dbName: string }

/**
 * Seconds a statement waits for a row lock before giving up (the transaction is then retried).
 * Set once per pooled connection, not per transaction: that `set session` was one of the dozen
 * round trips every hold paid for (load/README.md).
 */
const LOCK_WAIT_SECONDS = 3;

export function parseDatabaseUrl(url: string): DbUrlParts {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    dbName: u.pathname.replace(/^\//, ''),
  };
}

export async function createOrm(
  config: Pick<Config, 'DATABASE_URL' | 'DB_DRIVER' | 'DB_POOL_MAX'> & Partial<Pick<Config, 'DATABASE_SOCKET'>>,
  model: OrmModel,
  opts: { debug?: boolean; onQuery?: (sql: string) => void } = {},
): Promise<Orm> {
  const db = parseDatabaseUrl(config.DATABASE_URL);
  const orm = await MikroORM.init({
    driver: (config.DB_DRIVER === 'mysql' ? MySqlDriver : MariaDbDriver) as typeof MySqlDriver,
    ...db,
    entities: model.entities,
    extensions: [Migrator],
    // No schema snapshot: migrations are hand-reviewed files, and the snapshot MikroORM would write
    // on every migrate (one per database, tests included) littered the repository root.
    migrations: { migrationsList: model.migrations, transactional: true, allOrNothing: false, snapshot: false },
    pool: { min: 0, max: config.DB_POOL_MAX },
    // The hot paths send several statements in one round trip (src/domain/reservation). Every
    // value still goes through placeholders (`sqlBatch` below), never string concatenation.
    multipleStatements: true,
    onCreateConnection: async (connection) => {
      // `connection` is Kysely's MySQL connection; it reads only `sql` and `parameters`.
      await (connection as { executeQuery(q: { sql: string; parameters: unknown[] }): Promise<unknown> })
        .executeQuery({ sql: `set session innodb_lock_wait_timeout = ${LOCK_WAIT_SECONDS}`, parameters: [] });
    },
    ...(config.DATABASE_SOCKET ? { driverOptions: { socketPath: config.DATABASE_SOCKET } } : {}),
    ...(opts.onQuery ? { loggerFactory: () => countingLogger(opts.onQuery!) } : {}),
    timezone: '+00:00',
    debug: opts.debug ?? false,
    // Every request and job forks its own EntityManager; the global one must never carry state.
    allowGlobalContext: false,
  });
  return orm as unknown as Orm;
}

/** A logger that reports every statement sent (one per round trip, BEGIN and COMMIT included). */
function countingLogger(onQuery: (sql: string) => void): Logger {
  return {
    log: () => undefined, error: () => undefined, warn: () => undefined, setDebugMode: () => undefined,
    isEnabled: () => false,
    logQuery: (ctx: LogContext) => { if (ctx.query) onQuery(ctx.query); },
  };
}

export async function pingDb(orm: Orm): Promise<void> {
  await orm.em.getConnection().execute('select 1');
}

/** One SQL statement with its placeholder values. */
export interface Stmt { sql: string; params?: unknown[] }
/** What a write statement answers. */
export interface WriteResult { affectedRows: number; insertId: number }
/** A statement's result: rows for a read, counts for a write. */
export type StmtResult = Record<string, unknown>[] | WriteResult;

/**
 * Sends the statements in ONE round trip (a multi-statement query) inside `em`'s transaction, if
 * any, and returns one result per statement. The server stops at the first failing statement and
 * the error is thrown (converted to MikroORM's exceptions: deadlock, lock wait timeout, unique
 * violation...), so callers run batches inside a transaction that the error rolls back.
 */
export async function sqlBatch(em: EntityManager, stmts: Stmt[]): Promise<StmtResult[]> {
  return sqlBatchOn(em, em.getTransactionContext(), stmts);
}

/** A transaction context or a single reserved connection: anything the ORM's `execute` runs on. */
export type SqlContext = ReturnType<EntityManager['getTransactionContext']>;

/** `sqlBatch` on a given context (src/platform/transactions.ts uses a reserved connection). */
export async function sqlBatchOn(em: EntityManager, ctx: SqlContext, stmts: Stmt[]): Promise<StmtResult[]> {
  const sql = stmts.map((s) => s.sql.trim().replace(/;$/, '')).join(';\n');
  const params = stmts.flatMap((s) => s.params ?? []);
  // mysql2 answers several statements with an array of their results (rows, or counts for a
  // write), and a single one with its own result, whose counts only the 'run' method keeps.
  const single = stmts.length === 1;
  const isRead = single && /^\s*(select|show|with)\b/i.test(stmts[0]!.sql);
  let res: unknown;
  try {
    res = await em.getConnection().execute(sql, params, single && !isRead ? 'run' : 'all', ctx);
  } catch (err) {
    throw em.getDriver().convertException(err as Error);
  }
  const results = (single ? [res] : res) as unknown[];
  return results.map((r) => (Array.isArray(r) ? (r as Record<string, unknown>[]) : { affectedRows: Number((r as WriteResult).affectedRows ?? 0), insertId: Number((r as WriteResult).insertId ?? 0) }));
}

/** The rows of a read result (throws if it was a write: a programming error). */
export function rowsOf<T>(r: StmtResult | undefined): T[] {
  if (!Array.isArray(r)) throw new Error('expected rows from a read statement');
  return r as T[];
}

/** The counts of a write result. */
export function writeOf(r: StmtResult | undefined): WriteResult {
  if (!r || Array.isArray(r)) throw new Error('expected a write result');
  return r;
}
