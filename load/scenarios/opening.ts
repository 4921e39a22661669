// `opening`: the fair opening of a sale with a huge pre-queue (issue 13 item 3, docs/fairness.md).
//   1. Fills one concert's pre-queue with `--waiting` fans through the real join script, pipelined
//      straight into Redis as `lobby` fills a line (a million HTTP joins would measure the generator).
//   2. Runs the opening as the admission tick does (`WaitingRoom.openSale`): reads the frozen
//      pre-queue, computes the seeded order, then one Lua script per `--batch` places. Reports the
//      total, the order's computation, each batch's round trip (the script plus sending its ~0.5 MB
//      of arguments: an upper bound of how long Redis was busy with it), the scripts' own time in
//      Redis (INFO commandstats, EVALSHA: exact on a private Redis where nothing else runs
//      scripts meanwhile), and Redis memory before the fill, after it and after the opening.
//   3. Times one admission tick on the opened line.
// Talks to Redis only (no API, no MySQL): needs REDIS_URL / REDIS_PREFIX and JWT_SECRET (or
// QUEUE_TOKEN_SECRET) in this shell. Deletes the concert's keys afterwards unless `--keep`.
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/platform/config.ts';
import { WaitingRoom } from '../../src/domain/queue/queue.service.ts';
import { queueKeys } from '../../src/domain/queue/queue.keys.ts';
import { newSaleSeed } from '../../src/domain/queue/queue.fairness.ts';
import { goal, type Scenario } from '../lib/context.ts';
import { percentile } from '../lib/stats.ts';

const FILLER_BASE = 100_000_000;

export const opening: Scenario = async (ctx) => {
  const waiting = ctx.num('waiting', 1_000_000);
  const batch = ctx.num('batch', 10_000);
  // A concert id of its own by default: the scenario needs no concert row, only its Redis keys.
  const concertId = ctx.args.concert ? Number(ctx.args.concert) : 1_900_000_000 + Math.floor(Math.random() * 100_000_000);
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const redis = new Redis(config.REDIS_URL);
  const room = WaitingRoom.fromConfig(redis, config);
  const k = queueKeys(config.REDIS_PREFIX, concertId);
  const started = Date.now();

  // 1. Fill the pre-queue (the opening is an hour ahead while it fills).
  const memoryBefore = await usedMemory(redis);
  const opensAt = Date.now() + 3_600_000;
  const fillStarted = Date.now();
  let filled = 0;
  while (filled < waiting) {
    const ids = Array.from({ length: Math.min(5000, waiting - filled) }, (_, i) => FILLER_BASE + filled + i);
    await room.joinMany(ids, concertId, opensAt);
    filled += ids.length;
    ctx.recorder.count('filled', ids.length);
  }
  const fillSeconds = (Date.now() - fillStarted) / 1000;
  const preQueue = await redis.scard(k.pre);
  const memoryFilled = await usedMemory(redis);

  // 2. The opening.
  const seed = newSaleSeed();
  const scriptsBefore = await evalStats(redis);
  const t0 = performance.now();
  const report = await room.openSale(concertId, seed, batch);
  const totalMs = performance.now() - t0;
  const scriptsAfter = await evalStats(redis);
  const scriptCalls = scriptsAfter.calls - scriptsBefore.calls;
  const scriptMs = (scriptsAfter.usec - scriptsBefore.usec) / 1000;
  const memoryOpened = await usedMemory(redis);
  const line = await redis.zcard(k.waiting);
  const published = await redis.llen(k.entrantIds);

  // 3. One admission tick on the opened line.
  const tick0 = performance.now();
  const tick = await room.promote(concertId);
  const tickMs = performance.now() - tick0;

  if (ctx.args.keep !== 'true') {
    for (const key of Object.values(k)) await redis.unlink(key);
  }
  redis.disconnect();

  const batchMax = percentile(report.batchMs, 100);
  return {
    durationSeconds: (Date.now() - started) / 1000,
    parameters: { waiting, batch, concertId },
    extra: {
      fill: { fans: filled, preQueue, seconds: round(fillSeconds), perSecond: Math.round(filled / Math.max(0.001, fillSeconds)) },
      opening: {
        totalMs: round(totalMs), computeMs: round(report.computeMs), batches: report.batchMs.length,
        batchMs: { p50: round(percentile(report.batchMs, 50)), p99: round(percentile(report.batchMs, 99)), max: round(batchMax), sum: round(report.batchMs.reduce((a, b) => a + b, 0)) },
        redisScripts: { calls: scriptCalls, totalMs: round(scriptMs), meanMsPerCall: round(scriptMs / Math.max(1, scriptCalls)) },
        placed: report.placed, lineAfter: line, entrantIdsPublished: published,
      },
      redisMemory: {
        beforeBytes: memoryBefore, filledBytes: memoryFilled, openedBytes: memoryOpened,
        bytesPerPreQueueFan: round((memoryFilled - memoryBefore) / Math.max(1, filled)),
        bytesPerPlacedFan: round((memoryOpened - memoryBefore) / Math.max(1, filled)),
      },
      firstTick: { ms: round(tickMs), admitted: tick.admitted },
    },
    goals: [
      goal('every fan placed and published once', `= ${filled}`, line, line === filled && published === filled && report.placed === filled),
      goal('opening total (s)', '≤ 60 at 1,000,000 fans', totalMs / 1000, totalMs / 1000 <= 60 * Math.max(1, filled / 1_000_000)),
      goal('one batch script (ms, worst round trip)', '≤ 250', batchMax, batchMax <= 250),
    ],
  };
};

/** Calls and microseconds of EVALSHA so far (INFO commandstats; the scripts' time inside Redis). */
async function evalStats(redis: Redis): Promise<{ calls: number; usec: number }> {
  const m = /cmdstat_evalsha:calls=(\d+),usec=(\d+)/.exec(await redis.info('commandstats'));
  return { calls: Number(m?.[1] ?? 0), usec: Number(m?.[2] ?? 0) };
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

const round = (n: number) => Math.round(n * 100) / 100;
