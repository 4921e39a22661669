// A schedule's seat map is cached once, whole (catalog.cache.ts); `?status=` views are derived from
// it here and remembered for as long as the whole body is the same string, so a rush's filtered
// reads cost neither a cache entry of their own nor an invalidation per status.
import { LRUCache } from 'lru-cache';
import type { SeatStatus } from '../domain/catalog/catalog.entity.ts';
import type { SeatView } from '../domain/catalog/catalog.service.ts';

interface Derived { whole: string; byStatus: Map<SeatStatus, string> }

export class SeatViews {
  private readonly memo = new LRUCache<number, Derived>({ max: 2000 });

  /** `whole` filtered to seats in `status` (the whole body itself when no status is asked). */
  view(scheduleId: number, whole: string, status?: SeatStatus): string {
    if (!status) return whole;
    let d = this.memo.get(scheduleId);
    if (!d || d.whole !== whole) {
      d = { whole, byStatus: new Map() };
      this.memo.set(scheduleId, d);
    }
    let body = d.byStatus.get(status);
    if (body === undefined) {
      const map = JSON.parse(whole) as { scheduleId: number; seats: SeatView[] };
      body = JSON.stringify({ scheduleId: map.scheduleId, seats: map.seats.filter((s) => s.status === status) });
      d.byStatus.set(status, body);
    }
    return body;
  }
}
