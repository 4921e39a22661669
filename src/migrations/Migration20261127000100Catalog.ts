import { Migration } from '@mikro-orm/migrations';

// Hand-written SQL that runs unchanged on MySQL 8 and MariaDB 10.11. Money is integer won
// (KRW has no minor unit), never floating point.
export class Migration20261127000100Catalog extends Migration {
  override up(): void {
    this.addSql(`create table concerts (
      id int unsigned not null auto_increment primary key,
      title varchar(200) not null,
      artist varchar(200) not null,
      description text null,
      poster_image_url varchar(500) null,
      duration_minutes int not null,
      created_at datetime(3) not null default current_timestamp(3),
      updated_at datetime(3) not null default current_timestamp(3) on update current_timestamp(3)
    ) engine=InnoDB default charset=utf8mb4`);
    this.addSql(`create table schedules (
      id int unsigned not null auto_increment primary key,
      concert_id int unsigned not null,
      performance_at datetime(3) not null,
      booking_open_at datetime(3) not null,
      booking_close_at datetime(3) not null,
      max_seats_per_user int not null default 4,
      seat_count int not null,
      status varchar(16) not null default 'AVAILABLE',
      sold_out_at datetime(3) null,
      created_at datetime(3) not null default current_timestamp(3),
      key idx_schedules_concert (concert_id, performance_at),
      constraint fk_schedules_concert foreign key (concert_id) references concerts (id),
      constraint chk_schedules_window check (booking_open_at < booking_close_at)
    ) engine=InnoDB default charset=utf8mb4`);
    this.addSql(`create table seats (
      id int unsigned not null auto_increment primary key,
      schedule_id int unsigned not null,
      seat_number int not null,
      price bigint not null,
      status varchar(16) not null default 'AVAILABLE',
      reservation_id bigint unsigned null,
      version int not null default 1,
      updated_at datetime(3) not null default current_timestamp(3) on update current_timestamp(3),
      unique key uq_seats_schedule_number (schedule_id, seat_number),
      constraint fk_seats_schedule foreign key (schedule_id) references schedules (id),
      constraint chk_seats_price check (price >= 0)
    ) engine=InnoDB default charset=utf8mb4`);
  }

  override down(): void {
    this.addSql('drop table if exists seats');
    this.addSql('drop table if exists schedules');
    this.addSql('drop table if exists concerts');
  }
}
