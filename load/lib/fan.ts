// A fan's steps against the API, shared by the scenarios.
import type { ScenarioContext } from './context.ts';
import { request as httpRequest } from 'node:http';
import { sleep } from './vu.ts';
import { jobViewSchema } from '../../src/jobs/jobs.results.ts';

export interface FanSession { userId: number; jwt: string; queueToken: string; concertId: number }

export async function join(ctx: ScenarioContext, userId: number, concertId: number, endpoint = 'POST /api/queue/tokens'): Promise<FanSession | undefined> {
  const jwt = await ctx.identity.token(userId);
  // 409 SOLD_OUT is a correct answer to a join once the concert is sold out.
  const res = await ctx.client.request(endpoint, 'POST', '/api/queue/tokens', { token: jwt, body: { concertId }, expected: [200, 201, 409] });
  if (res.status !== 200 && res.status !== 201) return undefined;
  return { userId, jwt, queueToken: res.json.token, concertId };
}

export async function status(ctx: ScenarioContext, fan: FanSession) {
  return ctx.client.request('GET /api/queue/status', 'GET', '/api/queue/status', { token: fan.jwt, headers: { 'x-queue-token': fan.queueToken } });
}

/**
 * Waits until ACTIVE (true) or a final state / the deadline (false), as a real client would: by
 * polling at the server's pace (`pollAfterMs`), or on the Server-Sent Events stream when `sse`.
 */
export async function waitUntilActive(ctx: ScenarioContext, fan: FanSession, deadline: number, opts: { sse?: boolean } = {}): Promise<boolean> {
  if (opts.sse) {
    const final = await streamUntilFinal(ctx, fan, deadline);
    if (final !== 'DROPPED') return final === 'ACTIVE';
    ctx.recorder.count('sse dropped, polling');
  }
  while (Date.now() < deadline) {
    const res = await status(ctx, fan);
    const state = res.json?.state;
    if (state === 'ACTIVE') return true;
    if (state === 'EXPIRED' || state === 'SOLD_OUT' || (res.status >= 400 && res.status < 500)) return false;
    await sleep(pacing(res.json));
  }
  return false;
}

/** The server's pace: pollAfterMs (also sent as Retry-After); 1 s if the answer had none. */
export function pacing(body: { pollAfterMs?: number } | undefined): number {
  const ms = Number(body?.pollAfterMs);
  return Number.isFinite(ms) && ms > 0 ? ms : 1000;
}

/**
 * Follows GET /api/queue/events until a state other than WAITING (or the deadline). Returns that
 * state, or 'DROPPED' if the stream ended without one (the caller falls back to polling).
 * Time to the first event is recorded as the request's latency; every event is counted.
 */
export function streamUntilFinal(ctx: ScenarioContext, fan: FanSession, deadline: number): Promise<string> {
  const url = new URL('/api/queue/events', ctx.url);
  const started = performance.now();
  return new Promise((resolve) => {
    let first = true;
    let settled = false;
    const finish = (state: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(state);
    };
    const req = httpRequest(url, { headers: { accept: 'text/event-stream', authorization: `Bearer ${fan.jwt}`, 'x-queue-token': fan.queueToken }, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        ctx.recorder.record('GET /api/queue/events', performance.now() - started, res.statusCode ?? 0, false);
        res.resume();
        return finish('DROPPED');
      }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let i;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (!block.includes('event: status') || !data) continue;
          if (first) {
            ctx.recorder.record('GET /api/queue/events', performance.now() - started, 200, true);
            first = false;
          }
          ctx.recorder.count('sse events');
          const state = (JSON.parse(data.slice(6)) as { state: string }).state;
          if (state !== 'WAITING') finish(state);
        }
      });
      res.on('end', () => finish('DROPPED'));
      res.on('error', () => finish('DROPPED'));
    });
    req.on('error', (err) => {
      ctx.recorder.record('GET /api/queue/events', performance.now() - started, (err as { code?: string }).code ?? 'ERR', false);
      finish('DROPPED');
    });
    const timer = setTimeout(() => finish('DEADLINE'), Math.max(0, deadline - Date.now()));
    req.end();
  });
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
      // Every final answer is held to the job contract the API documents (src/jobs/jobs.results.ts).
      const checked = res.status === 200 ? jobViewSchema.safeParse(res.json) : undefined;
      if (checked && !checked.success) {
        const issue = checked.error.issues[0]!;
        throw new Error(`GET /api/jobs/${submitted.json.jobId} answered outside the job contract: ${issue.path.join('.')}: ${issue.message}`);
      }
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
