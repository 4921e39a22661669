import { Migration } from '@mikro-orm/migrations';

// The organizer API (issue 13): a concert's announced sale opening, the append-only audit log of
// admin actions, and an index for the per-concert funnel counts (reservations by status).
export class Migration20261129090000Organizer extends Migration {
  override up(): void {
    this.addSql('alter table concerts add column sale_opens_at datetime(3) null after duration_minutes');
    // request_id is the job id of an action run as a job: a retried job records its action once.
    // before/after are JSON text (longtext, not the JSON type: MySQL 8 and MariaDB disagree on it
    // and the MariaDB driver hands JSON back as strings anyway). Rows are only ever inserted; a
    // production deployment can enforce that with a grant of INSERT, SELECT on this table alone.
    this.addSql(`create table admin_audit (
      id bigint unsigned not null auto_increment primary key,
      actor_id bigint unsigned not null,
      action varchar(64) not null,
      target_type varchar(32) not null,
      target_id varchar(64) not null,
      before_json longtext null,
      after_json longtext null,
      request_id varchar(100) null,
      created_at datetime(3) not null default current_timestamp(3),
      unique key uq_admin_audit_request (request_id),
      key idx_admin_audit_target (target_type, target_id, id),
      key idx_admin_audit_actor (actor_id, id)
    ) engine=InnoDB default charset=utf8mb4`);
    this.addSql('create index idx_reservations_concert_status on reservations (concert_id, status)');
  }

  override down(): void {
    this.addSql('drop index idx_reservations_concert_status on reservations');
    this.addSql('drop table if exists admin_audit');
    this.addSql('alter table concerts drop column sale_opens_at');
  }
}
