// Everything MikroORM needs to know: the entities and the ordered migrations. Entry points and
// tests pass this to platform/db.ts createOrm().
import type { OrmModel } from '../platform/db.ts';
import { Concert, Schedule, Seat } from './catalog/catalog.entity.ts';
import { Migration20261127000100Catalog } from '../migrations/Migration20261127000100Catalog.ts';

export const ormModel: OrmModel = {
  entities: [Concert, Schedule, Seat],
  migrations: [{ name: 'Migration20261127000100Catalog', class: Migration20261127000100Catalog }],
};
