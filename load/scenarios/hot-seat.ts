// N fans (default 500), all admitted, reserve the same seat at the same instant. Reports the
// winner count (must be 1) and the time until every job had ended.
import { goal, type Scenario } from '../lib/context.ts';
import { join, pickTarget, runJob, waitUntilActive } from '../lib/fan.ts';

export const hotSeat: Scenario = async (ctx) => {
  const n = ctx.num('n', 500);
  const { concertId, scheduleIds } = await pickTarget(ctx, ctx.num('concert-index', 3));
  // The first seat still AVAILABLE in any of the concert's schedules.
  let target: { scheduleId: number; seatNumber: number } | undefined;
  for (const scheduleId of scheduleIds) {
    const seats = (await ctx.client.request('GET /api/schedules/:id/seats', 'GET', `/api/schedules/${scheduleId}/seats?status=available`)).json;
    if (seats?.seats?.length) { target = { scheduleId, seatNumber: seats.seats[0].seatNumber }; break; }
  }
  if (!target) throw new Error(`no available seat left in concert ${concertId}: reset with \`npm run load:reset\``);
  const base = ctx.num('user-base', 1) + Math.floor(Math.random() * 5_000);
  const fans = (await Promise.all(Array.from({ length: n }, (_, i) => join(ctx, base + i, concertId)))).filter((f) => !!f);
  const admitted = await Promise.all(fans.map((f) => waitUntilActive(ctx, f!, Date.now() + 120_000)));
  if (admitted.some((a) => !a)) throw new Error(`only ${admitted.filter(Boolean).length} of ${n} fans were admitted: run the server with QUEUE_MAX_ACTIVE >= ${n}`);

  const started = performance.now();
  const results = await Promise.all(fans.map((f) => runJob(ctx, f!, 'hold', '/api/reservations', { scheduleId: target.scheduleId, seatNumbers: [target.seatNumber] })));
  const settledMs = performance.now() - started;
  // Give the admission slots back, as fans who are done would.
  await Promise.all(fans.map((f) => ctx.client.request('DELETE /api/queue/tokens/current', 'DELETE', '/api/queue/tokens/current', {
    token: f!.jwt, headers: { 'x-queue-token': f!.queueToken }, expected: [204],
  })));
  const winners = results.filter((r) => r.job.state === 'succeeded').length;
  const codes: Record<string, number> = {};
  for (const r of results) if (r.job.state !== 'succeeded') codes[r.job.error?.code ?? r.job.state] = (codes[r.job.error?.code ?? r.job.state] ?? 0) + 1;
  return {
    durationSeconds: settledMs / 1000,
    parameters: { n, concertId, ...target },
    extra: { winners, failures: codes, settledMs: Math.round(settledMs) },
    goals: [
      goal('winners', '= 1', winners, winners === 1),
      goal('time until every job ended (ms)', '≤ 1000', settledMs, settledMs <= 1000),
    ],
  };
};
