// Closed loop, no think time: each endpoint alone for --duration seconds with --connections
// concurrent loops, then all of them mixed. The maximum requests/s and its latency.
import { goal, type Scenario } from '../lib/context.ts';
import { threadGroup } from '../lib/vu.ts';
import { join, pickTarget, waitUntilActive, type FanSession } from '../lib/fan.ts';

type Step = (vu: number) => Promise<void>;

export const capacity: Scenario = async (ctx) => {
  const duration = ctx.num('duration', 15);
  const connections = ctx.num('connections', 64);
  const { concertId, scheduleIds } = await pickTarget(ctx, 1);
  const scheduleId = scheduleIds[0]!;
  let nextUser = ctx.num('user-base', 200_000) + Math.floor(Math.random() * 1_000_000);

  // Pollers and reservers: one session per loop, joined (and for reservers admitted) beforehand.
  const pollers = await Promise.all(Array.from({ length: connections }, () => join(ctx, nextUser++, concertId)));
  const reserveConcert = await pickTarget(ctx, 2);
  const reservers = (await Promise.all(Array.from({ length: connections }, async () => {
    const fan = await join(ctx, 1 + Math.floor(Math.random() * 10_000), reserveConcert.concertId);
    return fan && (await waitUntilActive(ctx, fan, Date.now() + 60_000)) ? fan : undefined;
  }))).filter((f): f is FanSession => !!f);

  const steps: Record<string, Step> = {
    'concert list': async () => { await ctx.client.request('GET /api/concerts', 'GET', '/api/concerts'); },
    'seat map': async () => { await ctx.client.request('GET /api/schedules/:id/seats', 'GET', `/api/schedules/${scheduleId}/seats`); },
    'token issue': async () => { await join(ctx, nextUser++, concertId); },
    'status poll': async (vu) => {
      const f = pollers[vu % pollers.length];
      if (f) await ctx.client.request('GET /api/queue/status', 'GET', '/api/queue/status', { token: f.jwt, headers: { 'x-queue-token': f.queueToken } });
    },
    'reservation submit': async (vu) => {
      const f = reservers[vu % Math.max(1, reservers.length)];
      if (!f) return;
      const seat = 1 + Math.floor(Math.random() * 100);
      await ctx.client.request('POST /api/reservations', 'POST', '/api/reservations', {
        token: f.jwt, headers: { 'x-queue-token': f.queueToken }, body: { scheduleId: reserveConcert.scheduleIds[0], seatNumbers: [seat] }, expected: [202],
      });
    },
  };
  const mixedReads: Step[] = [steps['concert list']!, steps['seat map']!, steps['status poll']!,
    async () => { await ctx.client.request('GET /api/concerts/:id', 'GET', `/api/concerts/${concertId}`); },
    async () => { await ctx.client.request('GET /api/concerts/:id/schedules', 'GET', `/api/concerts/${concertId}/schedules`); }];

  const results: Record<string, ReturnType<typeof ctx.recorder.phaseStats>> = {};
  const started = Date.now();
  const measure = async (name: string, step: Step) => {
    ctx.recorder.beginPhase();
    await threadGroup({ count: connections, rampSeconds: 0, deadline: Date.now() + duration * 1000, thinkMs: 0 }, step);
    results[name] = ctx.recorder.phaseStats();
    console.log(`\n${name}: ${results[name]!.rps} req/s, p50 ${results[name]!.p50} ms, p99 ${results[name]!.p99} ms, errors ${results[name]!.errors}`);
  };
  // Reservation submits go last: the jobs they leave behind would steal CPU from later phases.
  for (const [name, step] of Object.entries(steps)) if (name !== 'reservation submit') await measure(name, step);
  await measure('mixed reads', (vu) => mixedReads[vu % mixedReads.length]!(vu));
  await measure('reservation submit', steps['reservation submit']!);

  await Promise.all([...pollers, ...reservers].filter((f) => !!f).map((f) => ctx.client.request('DELETE /api/queue/tokens/current', 'DELETE', '/api/queue/tokens/current', {
    token: f!.jwt, headers: { 'x-queue-token': f!.queueToken }, expected: [204, 404],
  })));
  return {
    durationSeconds: (Date.now() - started) / 1000,
    parameters: { duration, connections, concertId, scheduleId, reservers: reservers.length },
    extra: { perPhase: results },
    goals: [
      goal('mixed reads closed-loop (req/s)', '≥ 12000', results['mixed reads']!.rps, results['mixed reads']!.rps >= 12_000),
      goal('token issue (req/s)', '≥ 5000 (original ~100)', results['token issue']!.rps, results['token issue']!.rps >= 5000),
    ],
  };
};
