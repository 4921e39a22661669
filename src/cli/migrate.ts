// `npm run migrate` (Procfile `release`, compose `migrate`): applies pending migrations.
// `npm run migrate -- down` reverts the last one.
import { loadConfig } from '../platform/config.ts';
import { createOrm } from '../platform/db.ts';
import { ormModel } from '../domain/model.ts';

const config = loadConfig();
const orm = await createOrm(config, ormModel);
try {
  const applied = process.argv[2] === 'down' ? await orm.migrator.down() : await orm.migrator.up();
  console.log(applied.length ? `migrations ${process.argv[2] === 'down' ? 'reverted' : 'applied'}: ${applied.map((m) => m.name).join(', ')}` : 'database is up to date');
} finally {
  await orm.close(true);
}
