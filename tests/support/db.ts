// An ORM of its own for tests that count the statements a use case sends (one per round trip).
import { createOrm, type Orm } from '../../src/platform/db.ts';
import { ormModel } from '../../src/domain/model.ts';
import { testConfig } from './env.ts';

export interface CountingOrm { orm: Orm; statements: string[]; reset(): void }

export async function countingOrm(): Promise<CountingOrm> {
  const statements: string[] = [];
  const orm = await createOrm(testConfig(), ormModel, { onQuery: (sql) => statements.push(sql) });
  await orm.em.getConnection().execute('select 1'); // connect outside what is counted
  return { orm, statements, reset: () => { statements.length = 0; } };
}
