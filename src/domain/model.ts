// Everything MikroORM needs to know: the entities and the ordered migrations. Entry points and
// tests pass this to platform/db.ts createOrm().
import type { OrmModel } from '../platform/db.ts';
import { Concert, Schedule, Seat } from './catalog/catalog.entity.ts';
import { Wallet, WalletLedger } from './wallet/wallet.entity.ts';
import { Reservation, ReservationSeat, SeatQuota } from './reservation/reservation.entity.ts';
import { Payment } from './payment/payment.entity.ts';
import { OutboxEvent } from './events/outbox.entity.ts';
import { AdminAudit } from './organizer/organizer.audit.ts';
import { Migration20261127000100Catalog } from '../migrations/Migration20261127000100Catalog.ts';
import { Migration20261127000200Reservations } from '../migrations/Migration20261127000200Reservations.ts';
import { Migration20261129090000Organizer } from '../migrations/Migration20261129090000Organizer.ts';
import { Migration20261129120000SaleSeed } from '../migrations/Migration20261129120000SaleSeed.ts';
import { Migration20261129140000SeatStatusIndex } from '../migrations/Migration20261129140000SeatStatusIndex.ts';

export const ormModel: OrmModel = {
  entities: [Concert, Schedule, Seat, Wallet, WalletLedger, Reservation, ReservationSeat, SeatQuota, Payment, OutboxEvent, AdminAudit],
  migrations: [
    { name: 'Migration20261127000100Catalog', class: Migration20261127000100Catalog },
    { name: 'Migration20261127000200Reservations', class: Migration20261127000200Reservations },
    { name: 'Migration20261129090000Organizer', class: Migration20261129090000Organizer },
    { name: 'Migration20261129120000SaleSeed', class: Migration20261129120000SaleSeed },
    { name: 'Migration20261129140000SeatStatusIndex', class: Migration20261129140000SeatStatusIndex },
  ],
};
