// The invariants Encore promises, checked in SQL against the database as it is. Each query returns
// the rows that break its rule; an empty result everywhere is a clean audit.
import type { EntityManager } from '../../platform/db.ts';

const LIVE = "('PENDING', 'CONFIRMED')";

export const AUDIT_CHECKS: Record<string, string> = {
  'no seat in more than one live reservation': `
    select rs.seat_id, count(*) as live_reservations from reservation_seats rs
    join reservations r on r.id = rs.reservation_id
    where r.status in ${LIVE} group by rs.seat_id having count(*) > 1`,
  'reservation_seats.live is set exactly while its reservation is live': `
    select rs.id, rs.live, r.status from reservation_seats rs join reservations r on r.id = rs.reservation_id
    where (r.status in ${LIVE}) <> (rs.live <=> 1)`,
  'a HELD seat belongs to a PENDING reservation and a SOLD seat to a CONFIRMED one': `
    select s.id, s.status, r.id as reservation_id, r.status as reservation_status from seats s
    left join reservation_seats rs on rs.seat_id = s.id and rs.live = 1
    left join reservations r on r.id = rs.reservation_id
    where (s.status = 'HELD' and (r.status is null or r.status <> 'PENDING' or s.reservation_id <> r.id))
       or (s.status = 'SOLD' and (r.status is null or r.status <> 'CONFIRMED'))
       or (s.status = 'AVAILABLE' and r.id is not null)`,
  'a wallet balance equals the sum of its ledger': `
    select w.user_id, w.balance, coalesce(sum(l.amount), 0) as ledger_sum from wallets w
    left join wallet_ledger l on l.user_id = w.user_id
    group by w.user_id, w.balance having w.balance <> coalesce(sum(l.amount), 0)`,
  'no ledger without a wallet': `
    select l.user_id from wallet_ledger l left join wallets w on w.user_id = l.user_id where w.user_id is null group by l.user_id`,
  'no balance is negative': 'select user_id, balance from wallets where balance < 0',
  'every CONFIRMED reservation has exactly one COMPLETED payment of its total, debited once': `
    select r.id, count(distinct p.id) as payments, max(p.amount) as paid, r.total_amount, count(distinct l.id) as debits from reservations r
    left join payments p on p.reservation_id = r.id and p.status = 'COMPLETED'
    left join wallet_ledger l on l.reference = concat('payment:', r.id)
    where r.status = 'CONFIRMED'
    group by r.id, r.total_amount
    having count(distinct p.id) <> 1 or max(p.amount) <> r.total_amount or count(distinct l.id) <> 1`,
  'every REFUNDED reservation has one REFUNDED payment, debited once and credited back once': `
    select r.id, count(distinct p.id) as payments, count(distinct d.id) as debits, count(distinct c.id) as credits, max(c.amount) as credited, max(p.amount) as paid
    from reservations r
    left join payments p on p.reservation_id = r.id and p.status = 'REFUNDED'
    left join wallet_ledger d on d.reference = concat('payment:', r.id)
    left join wallet_ledger c on c.reference = concat('refund:', r.id)
    where r.status = 'REFUNDED'
    group by r.id
    having count(distinct p.id) <> 1 or count(distinct d.id) <> 1 or count(distinct c.id) <> 1 or max(c.amount) <> max(p.amount)`,
  'a payment belongs to a CONFIRMED (COMPLETED) or REFUNDED (REFUNDED) reservation': `
    select p.id, p.reservation_id, p.status, r.status as reservation_status from payments p join reservations r on r.id = p.reservation_id
    where not ((r.status = 'CONFIRMED' and p.status = 'COMPLETED') or (r.status = 'REFUNDED' and p.status = 'REFUNDED'))`,
  'a schedule (not CANCELLED) is SOLD_OUT exactly when it has seats and none unsold': `
    select sc.id, sc.status, sum(s.status <> 'SOLD') as unsold, count(s.id) as seats from schedules sc join seats s on s.schedule_id = sc.id
    where sc.status <> 'CANCELLED'
    group by sc.id, sc.status having (sc.status = 'SOLD_OUT') <> (sum(s.status <> 'SOLD') = 0)`,
  'a CANCELLED schedule has no live reservation': `
    select r.id, r.status, r.schedule_id from reservations r join schedules sc on sc.id = r.schedule_id
    where sc.status = 'CANCELLED' and r.status in ${LIVE}`,
  "a user's seat quota equals the seats they hold or bought": `
    select q.user_id, q.schedule_id, q.held, count(rs.id) as live_seats from seat_quotas q
    left join reservations r on r.user_id = q.user_id and r.schedule_id = q.schedule_id and r.status in ${LIVE}
    left join reservation_seats rs on rs.reservation_id = r.id and rs.live = 1
    group by q.user_id, q.schedule_id, q.held having q.held <> count(rs.id)`,
};

export interface AuditReport { clean: boolean; violations: Record<string, unknown[]> }

export async function runAudit(em: EntityManager): Promise<AuditReport> {
  const violations: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(AUDIT_CHECKS)) {
    const rows = await em.getConnection().execute<unknown[]>(sql);
    if (rows.length > 0) violations[name] = rows.slice(0, 20);
  }
  return { clean: Object.keys(violations).length === 0, violations };
}
