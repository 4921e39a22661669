import { Migration } from '@mikro-orm/migrations';

// Wallets with a version column (optimistic lock) and a ledger row per change; reservations with
// their seats; payments; the transactional outbox; per-user seat quotas.
export class Migration20261127000200Reservations extends Migration {
  override up(): void {
    this.addSql(`create table wallets (
      user_id bigint unsigned not null primary key,
      balance bigint not null default 0,
      version int not null default 1,
      updated_at datetime(3) not null default current_timestamp(3) on update current_timestamp(3),
      constraint chk_wallets_balance check (balance >= 0)
    ) engine=InnoDB default charset=utf8mb4`);
    // reference is unique: a charge or payment retried after a crash can never post twice.
    this.addSql(`create table wallet_ledger (
      id bigint unsigned not null auto_increment primary key,
      user_id bigint unsigned not null,
      amount bigint not null,
      balance_after bigint not null,
      kind varchar(16) not null,
      reference varchar(100) not null,
      created_at datetime(3) not null default current_timestamp(3),
      unique key uq_wallet_ledger_reference (reference),
      key idx_wallet_ledger_user (user_id, id)
    ) engine=InnoDB default charset=utf8mb4`);
    this.addSql(`create table reservations (
      id bigint unsigned not null auto_increment primary key,
      user_id bigint unsigned not null,
      schedule_id int unsigned not null,
      concert_id int unsigned not null,
      status varchar(16) not null,
      total_amount bigint not null,
      expires_at datetime(3) not null,
      job_id varchar(100) null,
      version int not null default 1,
      created_at datetime(3) not null default current_timestamp(3),
      updated_at datetime(3) not null default current_timestamp(3) on update current_timestamp(3),
      unique key uq_reservations_job (job_id),
      key idx_reservations_user (user_id, schedule_id, status),
      key idx_reservations_expiry (status, expires_at),
      constraint fk_reservations_schedule foreign key (schedule_id) references schedules (id)
    ) engine=InnoDB default charset=utf8mb4`);
    // live is 1 while the reservation holds or owns the seat and NULL afterwards. NULLs never
    // collide in a unique index, so uq_reservation_seats_live makes a double hold impossible
    // even if the locking code were wrong.
    this.addSql(`create table reservation_seats (
      id bigint unsigned not null auto_increment primary key,
      reservation_id bigint unsigned not null,
      seat_id int unsigned not null,
      seat_number int not null,
      price bigint not null,
      live tinyint null,
      unique key uq_reservation_seats_live (seat_id, live),
      key idx_reservation_seats_reservation (reservation_id),
      constraint fk_reservation_seats_reservation foreign key (reservation_id) references reservations (id),
      constraint fk_reservation_seats_seat foreign key (seat_id) references seats (id)
    ) engine=InnoDB default charset=utf8mb4`);
    // One row per (user, schedule): locked FOR UPDATE to serialise one user's parallel holds, so
    // maxSeatsPerUser holds under any concurrency.
    this.addSql(`create table seat_quotas (
      user_id bigint unsigned not null,
      schedule_id int unsigned not null,
      held int not null default 0,
      primary key (user_id, schedule_id),
      constraint chk_seat_quotas_held check (held >= 0)
    ) engine=InnoDB default charset=utf8mb4`);
    this.addSql(`create table payments (
      id bigint unsigned not null auto_increment primary key,
      reservation_id bigint unsigned not null,
      user_id bigint unsigned not null,
      amount bigint not null,
      status varchar(16) not null,
      created_at datetime(3) not null default current_timestamp(3),
      unique key uq_payments_reservation (reservation_id),
      constraint fk_payments_reservation foreign key (reservation_id) references reservations (id)
    ) engine=InnoDB default charset=utf8mb4`);
    this.addSql(`create table outbox (
      id bigint unsigned not null auto_increment primary key,
      event_id char(36) not null,
      type varchar(64) not null,
      aggregate_id varchar(64) not null,
      envelope text not null,
      created_at datetime(3) not null default current_timestamp(3),
      sent_at datetime(3) null,
      unique key uq_outbox_event (event_id),
      key idx_outbox_pending (sent_at, id)
    ) engine=InnoDB default charset=utf8mb4`);
  }

  override down(): void {
    for (const t of ['outbox', 'payments', 'seat_quotas', 'reservation_seats', 'reservations', 'wallet_ledger', 'wallets']) {
      this.addSql(`drop table if exists ${t}`);
    }
  }
}
