// `npm run seed [-- --concerts 10 --schedules 5 --seats 100 --users 10000 --balance 1000000]`:
// idempotent seed data (the original load-test data set by default).
import { parseCli } from '../platform/cli.ts';
import { loadConfig } from '../platform/config.ts';
import { createOrm } from '../platform/db.ts';
import { ormModel } from '../domain/model.ts';
import { seedCatalog } from '../domain/catalog/catalog.seed.ts';
import { seedWallets } from '../domain/wallet/wallet.seed.ts';

const { values } = parseCli({
  usage: 'npm run seed [-- --concerts 10 --schedules 5 --seats 100 --users 10000 --balance 1000000]',
  about: 'Idempotent seed data: concerts "Encore Live 1..N", each with its schedules and numbered seats, and funded users\n1..N. Concerts and wallets that already exist are left alone.',
  options: {
    concerts: { type: 'string', default: '10', help: 'concerts Encore Live 1..N' },
    schedules: { type: 'string', default: '5', help: 'schedules per concert' },
    seats: { type: 'string', default: '100', help: 'seats per schedule' },
    users: { type: 'string', default: '10000', help: 'users 1..N with a funded wallet' },
    balance: { type: 'string', default: '1000000', help: 'starting balance of each new wallet (won)' },
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
  const wallets = await seedWallets(em, num('users'), num('balance'));
  console.log(`seed: ${wallets} funded wallet(s) created (users 1..${num('users')}, ${num('balance')} won each)`);
} finally {
  await orm.close(true);
}
