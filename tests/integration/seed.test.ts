import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/platform/runtime.ts';
import { testRuntime } from '../support/env.ts';
import { seedCatalog } from '../../src/domain/catalog/catalog.seed.ts';
import { seedWallets } from '../../src/domain/wallet/wallet.seed.ts';
import { runAudit } from '../../src/domain/audit/audit.service.ts';

let rt: Runtime;
beforeAll(async () => { rt = await testRuntime(); });
afterAll(async () => { await rt.close(); });

describe('seed', () => {
  it('creates the data set once; a second run changes nothing and the audit is clean', async () => {
    const em = rt.orm.em.fork();
    const first = await seedCatalog(em, { concerts: 2, schedulesPerConcert: 3, seatsPerSchedule: 20 });
    const second = await seedCatalog(em, { concerts: 2, schedulesPerConcert: 3, seatsPerSchedule: 20 });
    expect(first.seatsCreated + second.seatsCreated).toBeLessThanOrEqual(120);
    expect(second).toEqual({ concertsCreated: 0, seatsCreated: 0 });
    await seedWallets(em, 50, 100_000);
    expect(await seedWallets(em, 50, 100_000)).toBe(0);
    const [row] = await em.getConnection().execute<{ n: number; total: string }[]>('select count(*) n, sum(balance) total from wallets where user_id <= 50');
    expect(Number(row!.n)).toBe(50);
    expect((await runAudit(em)).violations).toEqual({});
  });
});
