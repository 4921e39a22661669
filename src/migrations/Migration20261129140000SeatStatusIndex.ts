import { Migration } from '@mikro-orm/migrations';

// "Has this schedule an unsold seat?" (after every payment, the sold-out mark, the sweep and the
// audit) looked for the first seat not SOLD along (schedule_id, seat_number): the more seats were
// sold, the longer the scan, so the payments of a rush grew slower as the schedule filled. MariaDB
// spent 1.2-1.3 cores on 440 payments/s (load/README.md, round 4). With this index the question is
// one index lookup.
export class Migration20261129140000SeatStatusIndex extends Migration {
  override up(): void {
    this.addSql('create index idx_seats_schedule_status on seats (schedule_id, status)');
  }

  override down(): void {
    this.addSql('drop index idx_seats_schedule_status on seats');
  }
}
