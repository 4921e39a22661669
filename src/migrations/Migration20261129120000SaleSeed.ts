import { Migration } from '@mikro-orm/migrations';

// The fair opening (docs/fairness.md): each concert with an announced opening keeps the secret
// seed of its pre-queue's shuffle, committed (its SHA-256 published) before anyone joins. Concerts
// that already announce an opening get a seed now, from the server's random generator.
export class Migration20261129120000SaleSeed extends Migration {
  override up(): void {
    this.addSql('alter table concerts add column sale_seed char(64) null after sale_opens_at');
    this.addSql('update concerts set sale_seed = lower(hex(random_bytes(32))) where sale_opens_at is not null');
  }

  override down(): void {
    this.addSql('alter table concerts drop column sale_seed');
  }
}
