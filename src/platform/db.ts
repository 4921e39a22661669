// MikroORM on MySQL 8 (compose) or MariaDB 10.11+ (our machines). The MariaDB driver is the
// default because @mikro-orm/mysql on MariaDB returns JSON columns as strings and never produces an
// empty schema diff (stack-notes B5); both drivers share the MySQL dialect and the same API.
import { MikroORM, type EntitySchema, type Constructor } from '@mikro-orm/core';
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
  opts: { debug?: boolean } = {},
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
    ...(config.DATABASE_SOCKET ? { driverOptions: { socketPath: config.DATABASE_SOCKET } } : {}),
    timezone: '+00:00',
    debug: opts.debug ?? false,
    // Every request and job forks its own EntityManager; the global one must never carry state.
    allowGlobalContext: false,
  });
  return orm as unknown as Orm;
}

export async function pingDb(orm: Orm): Promise<void> {
  await orm.em.getConnection().execute('select 1');
}
