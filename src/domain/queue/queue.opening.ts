// The opening of a sale with a pre-queue (docs/fairness.md), as the admission tick runs it under
// the concert's promoter lock. Redis does the moving, one Lua script per batch; this process
// computes the order (deterministic from the seed), so a worker that resumes an opening another
// one left half done computes the same order and continues at the recorded cursor.
import type { RedisClient } from '../../platform/redis.ts';
import type { QueueKeys } from './queue.keys.ts';
import { OPEN_BATCH } from './queue.scripts.ts';
import { openingOrder, type EntrantIds } from './queue.fairness.ts';

/** Places per opening script call: 10,000 fans is one ~1 MB call that keeps Redis busy for tens of ms. */
export const OPENING_BATCH = 10_000;

export interface OpeningReport {
  /** All places are assigned (also true when there was no pre-queue). */
  done: boolean;
  entrants: number;
  /** Places this call assigned (0 when another worker did it, or it was done before). */
  placed: number;
  /** Reading the frozen pre-queue and computing the order, ms. */
  computeMs: number;
  /** Each batch script's round trip, ms. */
  batchMs: number[];
}

export async function runOpening(
  redis: RedisClient, k: QueueKeys, concertId: number, seed: string, ids: EntrantIds, now: number, batchSize = OPENING_BATCH,
): Promise<OpeningReport> {
  const [state, cursor0, total] = await redis.queueOpenStart(k.meta, k.pre, k.entrants, now);
  const entrants = total;
  const report: OpeningReport = { done: state === 'done', entrants, placed: 0, computeMs: 0, batchMs: [] };
  if (report.done) return report;

  const t0 = performance.now();
  const users = await readSet(redis, k.entrants);
  if (users.length !== entrants) {
    // Only a lost write could do this (the set is frozen); placing a different set would publish a wrong list.
    throw new Error(`opening of concert ${concertId}: ${users.length} entrants read, ${entrants} recorded`);
  }
  const order = openingOrder(concertId, users, ids, seed);
  report.computeMs = performance.now() - t0;

  let cursor = cursor0;
  while (cursor < entrants) {
    const k2 = Math.min(batchSize, entrants - cursor);
    const b0 = performance.now();
    const [applied, next, done] = await redis.queueOpenBatch(
      k.waiting, k.seen, k.meta, k.entrantIds, k.entrants,
      now, cursor, k2, ...order.users.slice(cursor, cursor + k2), ...order.sortedIds.slice(cursor, cursor + k2),
    );
    report.batchMs.push(performance.now() - b0);
    if (applied === OPEN_BATCH.APPLIED) report.placed += k2;
    else if (next === cursor) throw new Error(`opening of concert ${concertId}: batch at ${cursor} refused`);
    cursor = next;
    report.done = done === 1;
  }
  report.done = true;
  return report;
}

/** Every member of a set that nobody changes meanwhile (SSCAN may repeat a member: deduplicated). */
async function readSet(redis: RedisClient, key: string): Promise<string[]> {
  const seen = new Set<string>();
  let cursor = '0';
  do {
    const [next, members] = await redis.sscan(key, cursor, 'COUNT', 10_000);
    for (const m of members) seen.add(m);
    cursor = next;
  } while (cursor !== '0');
  return [...seen];
}
