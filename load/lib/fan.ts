// A fan's steps against the API, shared by the scenarios.
import type { ScenarioContext } from './context.ts';
import { sleep } from './vu.ts';

export interface FanSession { userId: number; jwt: string; queueToken: string; concertId: number }

export async function join(ctx: ScenarioContext, userId: number, concertId: number, endpoint = 'POST /api/queue/tokens'): Promise<FanSession | undefined> {
  const jwt = await ctx.identity.token(userId);
  const res = await ctx.client.request(endpoint, 'POST', '/api/queue/tokens', { token: jwt, body: { concertId }, expected: [200, 201] });
  if (res.status !== 200 && res.status !== 201) return undefined;
  return { userId, jwt, queueToken: res.json.token, concertId };
}

export async function status(ctx: ScenarioContext, fan: FanSession) {
  return ctx.client.request('GET /api/queue/status', 'GET', '/api/queue/status', { token: fan.jwt, headers: { 'x-queue-token': fan.queueToken } });
}

/** Polls until ACTIVE (true), EXPIRED/deadline (false); the poll interval follows the ETA as a real client's would. */
export async function waitUntilActive(ctx: ScenarioContext, fan: FanSession, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    const res = await status(ctx, fan);
    if (res.json?.state === 'ACTIVE') return true;
    if (res.json?.state === 'EXPIRED') return false;
    const eta = Number(res.json?.estimatedWaitSeconds ?? 1);
    await sleep(Math.min(5000, Math.max(500, (eta * 1000) / 3)));
  }
  return false;
}

/** Submits a job and long-polls it to its end; returns the final job view and submit-to-result ms. */
export async function runJob(ctx: ScenarioContext, fan: FanSession, kind: string, path: string, body: unknown) {
  const started = performance.now();
  const submitted = await ctx.client.request(`POST ${path}`, 'POST', path, { token: fan.jwt, body, headers: { 'x-queue-token': fan.queueToken }, expected: [202] });
  if (submitted.status !== 202) return { job: { state: 'rejected', error: submitted.json?.error }, ms: performance.now() - started };
  for (;;) {
    const res = await ctx.client.request('GET /api/jobs/:id', 'GET', `/api/jobs/${submitted.json.jobId}?waitMs=10000`, { token: fan.jwt });
    if (res.json?.state === 'succeeded' || res.json?.state === 'failed' || res.status !== 200) {
      const ms = performance.now() - started;
      ctx.recorder.timing(`${kind} submit-to-result`, ms);
      return { job: res.json ?? { state: 'error' }, ms };
    }
  }
}

/** The first concert and its first bookable schedule (the seed data set has 10 × 5). */
export async function pickTarget(ctx: ScenarioContext, concertIndex = 0) {
  const concerts = (await ctx.client.request('GET /api/concerts', 'GET', '/api/concerts')).json as { id: number }[];
  const concert = concerts[concertIndex % concerts.length]!;
  const schedules = (await ctx.client.request('GET /api/concerts/:id/schedules', 'GET', `/api/concerts/${concert.id}/schedules`)).json as { id: number }[];
  if (!schedules.length) throw new Error(`concert ${concert.id} has no bookable schedule: run \`npm run seed\``);
  return { concertId: concert.id, scheduleIds: schedules.map((s) => s.id) };
}
