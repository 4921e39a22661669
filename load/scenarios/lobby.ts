// `lobby`: a line of a million fans in one concert, and what waiting in it costs (issue 10 item 4).
//   1. Fills the concert's line with `--waiting` fans through the real join script, pipelined
//      straight into Redis (the one part of the runner that is not an HTTP client: a million HTTP
//      joins would measure the generator, not the line). Redis INFO memory before/after gives the
//      bytes per waiting fan; admission ticks are timed at checkpoints as the line grows.
//   2. `--pollers` fans join over HTTP as fast as `--join-concurrency` allows (the join rate).
//   3. For `--duration` s they wait as real clients do: polling at the server's pace
//      (pollAfterMs) or, for the `--sse` fraction, on the SSE stream. Nobody is admitted meanwhile
//      (the concert is paused, unless `--admit`), so this is the pure cost of waiting: status p99
//      and, with `--api-pid` (a locally started API), the API's CPU per 1,000 waiting fans.
// Needs the server's REDIS_URL / REDIS_PREFIX / JWT_SECRET (or QUEUE_TOKEN_SECRET) in this shell.
// At the end the concert is resumed and, unless `--keep`, its line is deleted.
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/platform/config.ts';
import { WaitingRoom } from '../../src/domain/queue/queue.service.ts';
import { queueKeys } from '../../src/domain/queue/queue.keys.ts';
import { goal, type Scenario } from '../lib/context.ts';
import { join, pacing, status, streamUntilFinal, type FanSession } from '../lib/fan.ts';
import { sleep } from '../lib/vu.ts';
import { processCpuSeconds } from '../lib/stats.ts';

const FILLER_BASE = 100_000_000;

export const lobby: Scenario = async (ctx) => {
  const waiting = ctx.num('waiting', 1_000_000);
  const pollers = ctx.num('pollers', 20_000);
  const duration = ctx.num('duration', 60);
  const sse = ctx.num('sse', 0);
  const joinConcurrency = ctx.num('join-concurrency', 256);
  // The API's CPU is read from `--settle` s into the wait to its end: the first seconds are the
  // fans connecting (every SSE stream opens at once here), the rest is the cost of waiting itself.
  const settle = ctx.num('settle', 15);
  const apiPid = ctx.args['api-pid'] ? Number(ctx.args['api-pid']) : undefined;
  const admit = ctx.args.admit === 'true';
  const concerts = (await ctx.client.request('GET /api/concerts', 'GET', '/api/concerts')).json as { id: number }[];
  const concertId = ctx.args.concert ? Number(ctx.args.concert) : concerts[concerts.length - 1]!.id;

  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const redis = new Redis(config.REDIS_URL);
  const room = WaitingRoom.fromConfig(redis, config);
  const k = queueKeys(config.REDIS_PREFIX, concertId);
  if (!admit) await room.pause(concertId);
  const started = Date.now();

  // 1. Fill.
  const memoryBefore = await usedMemory(redis);
  const ticks: { lineLength: number; tickMs: number; admitted: number }[] = [];
  const checkpoints = [10_000, 100_000, 1_000_000, 10_000_000].filter((c) => c <= waiting);
  if (!checkpoints.includes(waiting)) checkpoints.push(waiting);
  const fillStarted = Date.now();
  let filled = 0;
  for (const checkpoint of checkpoints) {
    while (filled < checkpoint) {
      const batch = Array.from({ length: Math.min(5000, checkpoint - filled) }, (_, i) => FILLER_BASE + filled + i);
      await room.joinMany(batch, concertId);
      filled += batch.length;
      ctx.recorder.count('filled', batch.length);
    }
    // One admission tick as the worker runs it (minus the SQL count), timed at this line length.
    const lineLength = await redis.zcard(k.waiting);
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = await room.promote(concertId);
      ticks.push({ lineLength, tickMs: round(performance.now() - t0), admitted: r.admitted });
    }
  }
  const fillSeconds = (Date.now() - fillStarted) / 1000;
  const memoryAfter = await usedMemory(redis);
  const bytesPerFan = (memoryAfter - memoryBefore) / Math.max(1, filled);

  // 2. Join over HTTP.
  const fans: FanSession[] = [];
  const joinStarted = Date.now();
  let nextUser = ctx.num('user-base', 1);
  await Promise.all(Array.from({ length: joinConcurrency }, async () => {
    while (fans.length < pollers && nextUser < ctx.num('user-base', 1) + pollers) {
      const f = await join(ctx, nextUser++, concertId);
      if (f) fans.push(f);
    }
  }));
  const joinSeconds = (Date.now() - joinStarted) / 1000;
  const joinRate = fans.length / Math.max(0.001, joinSeconds);

  // 3. Wait at the server's pace.
  ctx.recorder.beginPhase();
  const cpuAtStart = apiPid ? processCpuSeconds(apiPid) : undefined;
  const waitStarted = Date.now();
  let cpuSettled: { at: number; cpu: number } | undefined;
  const settleTimer = setTimeout(() => {
    if (apiPid) cpuSettled = { at: Date.now(), cpu: processCpuSeconds(apiPid) };
    ctx.recorder.beginPhase(); // the settled wait: status polls only (streams record their first event)
  }, settle * 1000);
  const deadline = waitStarted + duration * 1000;
  const finals: Record<string, number> = {};
  await Promise.all(fans.map(async (fan, i) => {
    if (i < fans.length * sse) {
      const final = await streamUntilFinal(ctx, fan, deadline);
      finals[`sse ${final}`] = (finals[`sse ${final}`] ?? 0) + 1;
      return;
    }
    // The first poll lands anywhere in the first pacing interval, as fans' arrivals would.
    await sleep(Math.random() * 5000);
    while (Date.now() < deadline) {
      const res = await status(ctx, fan);
      if (res.json?.state !== 'WAITING') {
        finals[`poll ${res.json?.state ?? res.status}`] = (finals[`poll ${res.json?.state ?? res.status}`] ?? 0) + 1;
        return;
      }
      await sleep(Math.min(pacing(res.json), Math.max(0, deadline - Date.now())));
    }
    finals['poll WAITING'] = (finals['poll WAITING'] ?? 0) + 1;
  }));
  clearTimeout(settleTimer);
  const waitEnded = Date.now();
  const cpuEnd = apiPid ? processCpuSeconds(apiPid) : undefined;
  if (apiPid && !cpuSettled) throw new Error(`--settle ${settle} must be shorter than --duration ${duration}`);
  const waitSeconds = cpuSettled ? (waitEnded - cpuSettled.at) / 1000 : (waitEnded - waitStarted) / 1000;
  const cpuUsed = cpuEnd !== undefined && cpuSettled ? cpuEnd - cpuSettled.cpu : undefined;
  const connectCpu = cpuSettled && cpuAtStart !== undefined ? cpuSettled.cpu - cpuAtStart : undefined;
  const cpuPerMinutePer1000 = cpuUsed !== undefined ? (cpuUsed / (waitSeconds / 60)) / (fans.length / 1000) : undefined;
  const phase = ctx.recorder.phaseStats();

  if (!admit) await room.resume(concertId);
  if (ctx.args.keep !== 'true') {
    for (const key of Object.values(k)) await redis.unlink(key);
  }
  redis.disconnect();

  // Status p99 of the settled wait (after --settle s): the whole run's also counts the seconds in
  // which every fan connects at once, which the summary's endpoint table shows.
  const statusP99 = phase.requests > 0 ? phase.p99 : NaN;
  const tickMax = Math.max(...ticks.map((t) => t.tickMs));
  return {
    durationSeconds: (Date.now() - started) / 1000,
    parameters: { waiting, pollers, duration, settle, sse, joinConcurrency, concertId, admit, apiPid: apiPid ?? null },
    extra: {
      fill: { fans: filled, seconds: round(fillSeconds), perSecond: Math.round(filled / Math.max(0.001, fillSeconds)) },
      redisMemory: { beforeBytes: memoryBefore, afterBytes: memoryAfter, bytesPerWaitingFan: round(bytesPerFan) },
      admissionTicks: ticks,
      joinsOverHttp: { fans: fans.length, seconds: round(joinSeconds), perSecond: Math.round(joinRate) },
      waiting: {
        seconds: round(waitSeconds), statusRequestsPerSecond: phase.rps, statusP99Settled: phase.p99, finals,
        apiCpuSeconds: cpuUsed ?? 'pass --api-pid <pid of a locally started API>',
        apiCpuSecondsPerMinutePer1000Fans: cpuPerMinutePer1000 ?? null,
        apiCorePercent: cpuUsed !== undefined ? round((100 * cpuUsed) / waitSeconds) : null,
        apiCpuSecondsConnecting: connectCpu ?? null, settleSeconds: settle,
      },
    },
    goals: [
      goal('status p99 after --settle (ms)', '≤ 20', statusP99, statusP99 <= 20),
      goal('Redis bytes per waiting fan', '≤ 200', bytesPerFan, bytesPerFan <= 200),
      goal('admission tick (ms, worst at any line length)', '≤ 10', tickMax, tickMax <= 10),
      goal('joins over HTTP (per s)', '≥ 3000', joinRate, joinRate >= 3000),
      ...(cpuUsed !== undefined
        ? [goal('API core % for the waiting fans (20,000 fans)', '≤ 10 % of one core', (100 * cpuUsed) / waitSeconds * (20_000 / Math.max(1, fans.length)), (100 * cpuUsed) / waitSeconds * (20_000 / Math.max(1, fans.length)) <= 10)]
        : []),
    ],
  };
};

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

const round = (n: number) => Math.round(n * 100) / 100;
