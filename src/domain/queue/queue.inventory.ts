// What the sale can absorb: one cheap SQL count per concert per admission tick over the seats of
// its bookable schedules (in the booking window, not cancelled). The write path needs no extra
// bookkeeping for it, and the count is the truth even after a crash or a Redis loss.
import type { EntityManager } from '../../platform/db.ts';

export interface Inventory { total: number; available: number; held: number; sold: number }

export async function readInventory(em: EntityManager, concertId: number, now: Date): Promise<Inventory> {
  const rows = await em.getConnection().execute<{ total: number; available: number; held: number; sold: number }[]>(
    `select count(*) as total,
            coalesce(sum(s.status = 'AVAILABLE'), 0) as available,
            coalesce(sum(s.status = 'HELD'), 0) as held,
            coalesce(sum(s.status = 'SOLD'), 0) as sold
       from schedules sc join seats s on s.schedule_id = sc.id
      where sc.concert_id = ? and sc.status <> 'CANCELLED' and sc.booking_open_at < ? and sc.booking_close_at > ?`,
    [concertId, now, now],
  );
  const r = rows[0];
  return { total: Number(r?.total ?? 0), available: Number(r?.available ?? 0), held: Number(r?.held ?? 0), sold: Number(r?.sold ?? 0) };
}

/** Every bookable seat SOLD: the line is over. */
export function isSoldOut(i: Inventory): boolean {
  return i.total > 0 && i.sold === i.total;
}

/** Nothing to offer right now, but held seats may come back when their holds end. */
export function isAllHeld(i: Inventory): boolean {
  return i.available === 0 && i.held > 0;
}
