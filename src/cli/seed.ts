// `npm run seed [-- --concerts 10 --schedules 5 --seats 100 --users 10000]`: idempotent seed data.
import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config.ts';
import { createOrm } from '../platform/db.ts';
import { ormModel } from '../domain/model.ts';
import { seedCatalog } from '../domain/catalog/catalog.seed.ts';

const { values } = parseArgs({
  options: {
    concerts: { type: 'string', default: '10' },
    schedules: { type: 'string', default: '5' },
    seats: { type: 'string', default: '100' },
    users: { type: 'string', default: '10000' },
  },
});
const num = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
};

const config = loadConfig();
const orm = await createOrm(config, ormModel);
try {
  const em = orm.em.fork();
  const catalog = await seedCatalog(em, { concerts: num('concerts'), schedulesPerConcert: num('schedules'), seatsPerSchedule: num('seats') });
  console.log(`seed: ${catalog.concertsCreated} concert(s) and ${catalog.seatsCreated} seat(s) created`);
} finally {
  await orm.close(true);
}
