// A whole ticket-open: U fans (default 20,000) arrive within --arrival seconds for every seat of
// the catalog (the seed's 5,000). Each joins its concert's waiting room, polls until admitted,
// reads the seat map, holds 1-2 seats (submit and poll), pays, and tries other seats when beaten;
// --abandon of them give up while waiting. Ends with `npm run audit`.
import { spawnSync } from 'node:child_process';
import { goal, type Scenario } from '../lib/context.ts';
import { join, runJob, status, waitUntilActive, type FanSession } from '../lib/fan.ts';
import { sleep } from '../lib/vu.ts';

const shuffle = <T>(a: T[]) => a.map((v) => [Math.random(), v] as const).sort((x, y) => x[0] - y[0]).map(([, v]) => v);

export const rush: Scenario = async (ctx) => {
  const users = ctx.num('users', 20_000);
  const arrival = ctx.num('arrival', 10);
  const abandon = ctx.num('abandon', 0.05);
  const limit = ctx.num('limit', 900);
  // The fraction of fans that wait on the SSE stream instead of polling at the server's pace.
  const sse = ctx.num('sse', 0);
  const concerts = (await ctx.client.request('GET /api/concerts', 'GET', '/api/concerts')).json as { id: number }[];
  const schedulesOf = new Map<number, number[]>();
  let totalSeats = 0;
  for (const c of concerts) {
    const s = (await ctx.client.request('GET /api/concerts/:id/schedules', 'GET', `/api/concerts/${c.id}/schedules`)).json as { id: number; seatCount: number }[];
    schedulesOf.set(c.id, s.map((x) => x.id));
    totalSeats += s.reduce((n, x) => n + x.seatCount, 0);
  }
  const started = Date.now();
  const deadline = started + limit * 1000;
  let sold = 0;
  let firstConfirmAt = 0;
  let lastConfirmAt = 0;
  let soldOutAt = 0;
  const admittedAt: number[] = [];
  const outcomes: Record<string, number> = {};
  const outcome = (o: string) => { outcomes[o] = (outcomes[o] ?? 0) + 1; ctx.recorder.count(o); };

  const fan = async (userId: number) => {
    await sleep(Math.random() * arrival * 1000);
    const concertId = concerts[Math.floor(Math.random() * concerts.length)]!.id;
    const f: FanSession | undefined = await join(ctx, userId, concertId);
    if (!f) return outcome('join failed or sold out');
    if (Math.random() < abandon) {
      await status(ctx, f);
      await ctx.client.request('DELETE /api/queue/tokens/current', 'DELETE', '/api/queue/tokens/current', { token: f.jwt, headers: { 'x-queue-token': f.queueToken }, expected: [204] });
      return outcome('abandoned');
    }
    if (!(await waitUntilActive(ctx, f, deadline, { sse: Math.random() < sse }))) return outcome('never admitted (or sold out)');
    admittedAt.push(Date.now() - started);
    for (let attempt = 0; attempt < 6; attempt++) {
      let pick: { scheduleId: number; seats: number[] } | undefined;
      for (const scheduleId of shuffle(schedulesOf.get(concertId) ?? [])) {
        const map = (await ctx.client.request('GET /api/schedules/:id/seats', 'GET', `/api/schedules/${scheduleId}/seats?status=available`, { token: f.jwt })).json;
        const free = (map?.seats ?? []).map((s: { seatNumber: number }) => s.seatNumber) as number[];
        if (free.length) { pick = { scheduleId, seats: shuffle(free).slice(0, Math.random() < 0.5 ? 1 : 2) }; break; }
      }
      if (!pick) {
        await leave(f);
        return outcome('sold out');
      }
      const hold = await runJob(ctx, f, 'hold', '/api/reservations', { scheduleId: pick.scheduleId, seatNumbers: pick.seats });
      if (hold.job.state !== 'succeeded') {
        // Beaten to the seats, or the schedule sold out since the map was read: try again.
        if (hold.job.error?.code === 'SEAT_UNAVAILABLE' || hold.job.error?.code === 'SCHEDULE_NOT_BOOKABLE') continue;
        await leave(f);
        return outcome(`hold ${hold.job.error?.code ?? hold.job.state}`);
      }
      const pay = await runJob(ctx, f, 'payment', '/api/payments', { reservationId: hold.job.result.reservationId });
      if (pay.job.state !== 'succeeded') {
        await leave(f);
        return outcome(`payment ${pay.job.error?.code ?? pay.job.state}`);
      }
      sold += pick.seats.length;
      const now = Date.now() - started;
      firstConfirmAt ||= now;
      lastConfirmAt = now;
      if (sold >= totalSeats && !soldOutAt) soldOutAt = now;
      ctx.recorder.count('seats sold', pick.seats.length);
      return outcome('bought');
    }
    await leave(f);
    return outcome('gave up after 6 tries');
  };
  const leave = (f: FanSession) =>
    ctx.client.request('DELETE /api/queue/tokens/current', 'DELETE', '/api/queue/tokens/current', { token: f.jwt, headers: { 'x-queue-token': f.queueToken }, expected: [204, 404, 403] });

  await Promise.all(Array.from({ length: users }, (_, i) => fan(ctx.num('user-base', 1) + i).catch(() => outcome('no answer (client error)'))));
  const durationSeconds = (Date.now() - started) / 1000;
  const confirmedWindow = Math.max(0.001, (lastConfirmAt - firstConfirmAt) / 1000);
  const bought = outcomes.bought ?? 0;
  const audit = runAudit();
  const s = ctx.recorder.summary(durationSeconds);
  const holdP99 = s.timingsMs['hold submit-to-result']?.p99 ?? NaN;
  const joins = s.endpoints['POST /api/queue/tokens']?.requests ?? 0;
  return {
    durationSeconds,
    parameters: { users, arrival, abandon, limit, sse, totalSeats },
    extra: {
      outcomes, seatsSold: sold, totalSeats, soldOutAfterSeconds: soldOutAt ? soldOutAt / 1000 : null,
      tokensPerSecond: Math.round(joins / Math.max(1, Math.min(arrival, durationSeconds))),
      admissionsPerSecond: Math.round(admittedAt.length / Math.max(0.001, (Math.max(...admittedAt, 0) - Math.min(...admittedAt, 0)) / 1000)),
      reservationsConfirmedPerSecond: Math.round(bought / confirmedWindow), audit,
    },
    goals: [
      goal('sold out', 'every seat sold', sold, sold === totalSeats),
      goal('every fan got a final answer', '0 without one', outcomes['no answer (client error)'] ?? 0, !outcomes['no answer (client error)']),
      goal('reservations confirmed (per s)', '≥ 1500', bought / confirmedWindow, bought / confirmedWindow >= 1500),
      goal('hold submit-to-result p99 (ms)', '≤ 500', holdP99, holdP99 <= 500),
      goal('audit', 'clean', audit.clean ? 1 : 0, audit.clean),
    ],
  };
};

/** `npm run audit` against the database the server uses (DATABASE_URL in this shell). */
function runAudit(): { clean: boolean; output: string } {
  const r = spawnSync(process.execPath, ['src/cli/audit.ts'], { encoding: 'utf8', env: process.env });
  return { clean: r.status === 0, output: (r.stdout + r.stderr).trim().split('\n').slice(-12).join('\n') };
}
