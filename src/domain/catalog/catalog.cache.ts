// Cache keys and TTLs of the catalog reads (the original system's TTLs: list 5 min, detail 10 min,
// schedules 3 min, seats 10 s). The in-process copy lives at most 1 s, which is also the longest a
// seat map can be stale after a seat changes if an invalidation message were lost; normally the
// published invalidation drops it within milliseconds.
import type { CacheOptions, ResponseCache } from '../../platform/cache.ts';

export const CATALOG_CACHE = {
  concertList: { ttlMs: 5 * 60_000, l1TtlMs: 1000 },
  concertDetail: { ttlMs: 10 * 60_000, l1TtlMs: 1000 },
  schedules: { ttlMs: 3 * 60_000, l1TtlMs: 1000 },
  seats: { ttlMs: 10_000, l1TtlMs: 1000 },
} satisfies Record<string, CacheOptions>;

export const catalogKeys = {
  concertList: () => 'concerts',
  concertDetail: (id: number) => `concert:${id}`,
  schedules: (concertId: number, from: string, to: string) => `schedules:${concertId}:${from}:${to}`,
  /** The whole map; views filtered by status are derived from it in process (catalog.routes.ts). */
  seats: (scheduleId: number) => `seats:${scheduleId}`,
};

/** Tags (see ResponseCache.get) of cached bodies whose exact keys a writer cannot list. */
export const catalogTags = {
  /** Every cached schedule list of a concert, whatever date range was asked for. */
  schedules: (concertId: number) => `schedules:${concertId}`,
};

/** Called after a transaction that changed a concert or its schedules has committed. */
export async function invalidateConcert(cache: ResponseCache, concertId: number): Promise<void> {
  await cache.invalidateTag(catalogTags.schedules(concertId), catalogKeys.concertList(), catalogKeys.concertDetail(concertId));
}

/** Called after a transaction that changed seats of these schedules has committed. */
export async function invalidateSeatMaps(cache: ResponseCache, scheduleIds: Iterable<number>): Promise<void> {
  await cache.invalidate(...[...new Set(scheduleIds)].map(catalogKeys.seats));
}
