// `npm run migrate` (Procfile `release`, compose `migrate`): applies pending migrations.
// `npm run migrate -- down` reverts the last one.
import { parseCli } from '../platform/cli.ts';
import { loadConfig } from '../platform/config.ts';
import { createOrm } from '../platform/db.ts';
import { ormModel } from '../domain/model.ts';

const { positionals: [direction = 'up'] } = parseCli({
  usage: 'npm run migrate [-- down]',
  about: 'Applies the pending migrations of src/migrations to DATABASE_URL, or reverts the last one.',
  positionals: { '[down]': 'revert the last applied migration instead of applying the pending ones' },
  options: {},
});
if (direction !== 'up' && direction !== 'down') {
  console.error(`migrate: unknown direction "${direction}" (only "down")`);
  process.exit(2);
}
const config = loadConfig();
const orm = await createOrm(config, ormModel);
try {
  const applied = direction === 'down' ? await orm.migrator.down() : await orm.migrator.up();
  console.log(applied.length ? `migrations ${direction === 'down' ? 'reverted' : 'applied'}: ${applied.map((m) => m.name).join(', ')}` : 'database is up to date');
} finally {
  await orm.close(true);
}
