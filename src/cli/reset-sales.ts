// `npm run load:reset`: puts the database back to an unsold catalog with funded wallets, for a
// repeatable load run. Deletes every reservation, payment, outbox row and ledger row, frees every
// seat, refunds the seed users, drops the waiting rooms and rankings from Redis, and empties the
// job queues. Stop the workers first and start them again after (they re-create their schedulers).
// Refuses to run with NODE_ENV=production.
import { parseCli } from '../platform/cli.ts';
import { loadConfig } from '../platform/config.ts';
import { createOrm } from '../platform/db.ts';
import { createRedis, connectRedis, masters } from '../platform/redis.ts';
import { ormModel } from '../domain/model.ts';
import { seedWallets } from '../domain/wallet/wallet.seed.ts';
import { JobQueues } from '../jobs/jobs.queues.ts';

const { positionals: [usersArg = '20000'] } = parseCli({
  usage: 'npm run load:reset [-- <users>]',
  about: 'Puts the database back to an unsold catalog with funded wallets for a repeatable load run: deletes reservations,\npayments, outbox and ledger rows, frees every seat, refunds users 1..<users>, drops the waiting rooms, rankings,\ncaches and job queues from Redis. Stop the workers first. Refuses NODE_ENV=production.',
  positionals: { '[users]': 'how many seed users to fund again (default 20000)' },
  options: {},
});
const users = Number(usersArg);
if (!Number.isInteger(users) || users < 0) {
  console.error(`load:reset: <users> must be a non-negative integer (got ${usersArg})`);
  process.exit(2);
}
const config = loadConfig();
if (config.NODE_ENV === 'production') {
  console.error('load:reset refuses to run with NODE_ENV=production');
  process.exit(2);
}
const orm = await createOrm(config, ormModel);
const redis = await connectRedis(createRedis(config, 'command'));
try {
  const conn = orm.em.getConnection();
  for (const sql of [
    'delete from payments', 'delete from reservation_seats', 'delete from reservations', 'delete from seat_quotas', 'delete from outbox',
    'delete from wallet_ledger', 'delete from wallets', "update seats set status = 'AVAILABLE', reservation_id = null",
    "update schedules set status = 'AVAILABLE', sold_out_at = null",
  ]) await conn.execute(sql);
  await seedWallets(orm.em.fork(), users, 1_000_000);
  let dropped = 0;
  for (const pattern of [`${config.REDIS_PREFIX}:{q:*`, `${config.REDIS_PREFIX}:{ranking}*`, `${config.REDIS_PREFIX}:cache:*`, `${config.REDIS_PREFIX}:idem:*`]) {
    // SCAN walks one node: on a Redis Cluster, walk every master (and unlink key by key, as the
    // keys of one page may live in different slots).
    for (const node of masters(redis)) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        for (const n of await Promise.all(keys.map((key) => node.unlink(key)))) dropped += n;
      } while (cursor !== '0');
    }
  }
  const queues = new JobQueues(redis, config.REDIS_PREFIX, { tickMs: config.QUEUE_TICK_MS });
  for (const q of Object.values(queues.queues)) await q.obliterate({ force: true });
  await queues.close();
  console.log(`sales reset: every seat available, ${users} funded users, ${dropped} Redis keys dropped`);
} finally {
  redis.disconnect();
  await orm.close(true);
}
