// The original JMeter plan (seed-origin §11.2) as faithfully as HTTP allows: 7 thread groups with
// their threads, constant timers and ramp-up, looping until the duration ends. Differences forced
// by Encore's API: a token request is made as its own user (JWT) for a concert, and a status poll
// needs the token that the poller got by joining first.
import { goal, type Scenario } from '../lib/context.ts';
import { threadGroup } from '../lib/vu.ts';
import { join, pickTarget, status, type FanSession } from '../lib/fan.ts';

const GROUPS_730 = { token: 100, status: 200, concerts: 100, detail: 50, schedules: 50, seats: 200, ranking: 30 };
// The original's 350-thread run: Token 50, Status 100, Concert 50, Seat 100 and "Others 50".
const GROUPS_350 = { token: 50, status: 100, concerts: 50, detail: 20, schedules: 20, seats: 100, ranking: 10 };

export const seedPlan: Scenario = async (ctx) => {
  const users = ctx.num('users', 730);
  const groups = users === 350 ? GROUPS_350 : users === 730 ? GROUPS_730 : scale(GROUPS_730, users / 730);
  const duration = ctx.num('duration', 120);
  const ramp = ctx.num('ramp', 30);
  const { concertId, scheduleIds } = await pickTarget(ctx);
  const scheduleId = scheduleIds[0]!;
  const deadline = Date.now() + duration * 1000;
  let nextUser = ctx.num('user-base', 100_000);
  const started = Date.now();
  const pollers: (FanSession | undefined)[] = [];

  await Promise.all([
    threadGroup({ count: groups.token, rampSeconds: ramp, deadline, thinkMs: 500 }, async () => { await join(ctx, nextUser++, concertId); }),
    threadGroup({ count: groups.status, rampSeconds: ramp, deadline, thinkMs: 3000 }, async (vu) => {
      pollers[vu] ??= await join(ctx, 1 + Math.floor(Math.random() * 10_000), concertId, 'POST /api/queue/tokens (poller joins)');
      if (pollers[vu]) await status(ctx, pollers[vu]!);
    }),
    threadGroup({ count: groups.concerts, rampSeconds: ramp, deadline, thinkMs: 100 }, async () => { await ctx.client.request('GET /api/concerts', 'GET', '/api/concerts'); }),
    threadGroup({ count: groups.detail, rampSeconds: ramp, deadline, thinkMs: 100 }, async () => { await ctx.client.request('GET /api/concerts/:id', 'GET', `/api/concerts/${concertId}`); }),
    threadGroup({ count: groups.schedules, rampSeconds: ramp, deadline, thinkMs: 100 }, async () => { await ctx.client.request('GET /api/concerts/:id/schedules', 'GET', `/api/concerts/${concertId}/schedules`); }),
    threadGroup({ count: groups.seats, rampSeconds: Math.max(ramp, 60 * (ramp / 30)), deadline, thinkMs: 50 }, async () => { await ctx.client.request('GET /api/schedules/:id/seats', 'GET', `/api/schedules/${scheduleId}/seats`); }),
    threadGroup({ count: groups.ranking, rampSeconds: ramp, deadline, thinkMs: 200 }, async () => { await ctx.client.request('GET /api/concerts/ranking', 'GET', '/api/concerts/ranking?period=daily&limit=10'); }),
  ]);
  const durationSeconds = (Date.now() - started) / 1000;
  const s = ctx.recorder.summary(durationSeconds);
  const original = users === 350 ? { tps: 4523, avgMs: 17, errors: '0.00%' } : { tps: 4500, avgMs: 20, errors: '0.01%' };
  return {
    durationSeconds,
    parameters: { users, groups, duration, ramp, concertId, scheduleId },
    extra: { original },
    goals: users === 730 ? [
      goal('throughput (req/s)', '≥ 6000 (timers cap it near 6,400)', s.total.rps, s.total.rps >= 6000),
      goal('errors (%)', '0', s.total.errorRate, s.total.errors === 0),
      goal('p99 (ms)', '≤ 50', s.total.latencyMs.p99, s.total.latencyMs.p99 <= 50),
    ] : [goal('errors (%)', '0', s.total.errorRate, s.total.errors === 0)],
  };
};

function scale<T extends Record<string, number>>(g: T, f: number): T {
  return Object.fromEntries(Object.entries(g).map(([k, v]) => [k, Math.max(1, Math.round(v * f))])) as T;
}
