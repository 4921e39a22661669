// A fan's steps over HTTP, for end-to-end tests.
import { expect } from 'vitest';
import type { TestApi } from './app.ts';
import { api } from './http.ts';
import { jobViewSchema } from '../../src/jobs/jobs.results.ts';

export interface Fan { userId: number; jwt: string; queueToken: string }

/** Users who joined the concert's line and were admitted (one promotion tick run directly). */
export async function admittedFans(t: TestApi, concertId: number, userIds: number[]): Promise<Fan[]> {
  const fans = await Promise.all(userIds.map(async (userId) => {
    const jwt = await t.token(userId);
    const res = await api(t.url, '/api/queue/tokens', { method: 'POST', token: jwt, json: { concertId } });
    expect(res.status).toBeLessThan(300);
    return { userId, jwt, queueToken: res.json.token as string };
  }));
  await t.api.waitingRoom.promote(concertId);
  return fans;
}

export async function submit(t: TestApi, fan: Fan, path: string, body: unknown, headers: Record<string, string> = {}) {
  return api(t.url, path, { method: 'POST', token: fan.jwt, json: body, headers: { 'x-queue-token': fan.queueToken, ...headers } });
}

/** Polls a job until it ends (long-polling with waitMs) and returns its final view, checked against the job's result schema. */
export async function finished(t: TestApi, jwt: string, jobId: string, deadlineMs = 60_000) {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const res = await api(t.url, `/api/jobs/${jobId}?waitMs=5000`, { token: jwt });
    expect(res.status).toBe(200);
    jobViewSchema.parse(res.json);
    if (res.json.state === 'succeeded' || res.json.state === 'failed') return res.json;
    if (Date.now() > end) throw new Error(`job ${jobId} did not finish: ${JSON.stringify(res.json)}`);
  }
}

export async function fund(t: TestApi, jwt: string, amount: number) {
  const res = await api(t.url, '/api/wallet/charges', { method: 'POST', token: jwt, json: { amount } });
  expect(res.status).toBe(202);
  const job = await finished(t, jwt, res.json.jobId);
  expect(job.state).toBe('succeeded');
  return job;
}
