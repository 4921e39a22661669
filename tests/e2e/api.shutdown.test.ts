// Graceful shutdown of the API process (src/api/server.ts) under keep-alive clients: SIGTERM lets
// a request in flight finish, closes each kept-alive socket after its answer (`Connection: close`)
// and exits 0 well before the shutdown deadline. Before, a client polling on a kept-alive socket
// held the server open until the deadline killed it (exit 1), dropping what was in flight.
// Server-Sent Events streams (a fan's place in line, a job's states) never end by themselves:
// SIGTERM ends them (the client reconnects, to another process) rather than waiting for them.
import { describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { testEnv, userIdSource } from '../support/env.ts';
import { spawnApi, type ApiProcess } from '../support/processes.ts';
import { api as call } from '../support/http.ts';
import { sseBlocks } from '../support/sse.ts';
import { until } from '../support/wait.ts';
import { signUserToken } from '../../src/api/auth.ts';

const users = userIdSource();

/** Follows an event stream: the events seen so far, and when (and how) it ended. */
function follow(url: string, headers: Record<string, string>) {
  const events: string[] = [];
  const ended = (async () => {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(120_000) });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    // Comments and the bare `retry:` line are not events.
    for await (const block of sseBlocks(res.body!)) if (!block.comment && block.data !== undefined) events.push(block.event);
    return { at: Date.now(), clean: true };
  })().catch((err: unknown) => ({ at: Date.now(), clean: false, err }));
  return { events, ended };
}

describe('API graceful shutdown', () => {
  it('SIGTERM finishes the request in flight, closes kept-alive sockets after their answer, exits 0 before the deadline', async () => {
    const env = testEnv({ SHUTDOWN_TIMEOUT_MS: '20000' });
    // Two kept-alive sockets, as a browser or a proxy holds them.
    const client = new Agent({ connections: 2, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
    let api: ApiProcess | undefined;
    try {
      api = await spawnApi(env);
      const { origin } = api;
      const jwt = await signUserToken(env.JWT_SECRET!, users(1)[0]!);
      const auth = { authorization: `Bearer ${jwt}` };
      // No worker runs: the job stays queued and a long poll on it holds its request open.
      const submit = await client.request({ origin, path: '/api/wallet/charges', method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ amount: 1 }) });
      expect(submit.statusCode).toBe(202);
      const { jobId } = (await submit.body.json()) as { jobId: string };
      await (await client.request({ origin, path: '/health/live', method: 'GET' })).body.text(); // the second socket, idle

      const poll = client.request({ origin, path: `/api/jobs/${jobId}?waitMs=3000`, method: 'GET', headers: auth });
      await new Promise((r) => setTimeout(r, 500)); // the poll is in flight
      const signalledAt = Date.now();
      api.child.kill('SIGTERM');
      const answer = await poll;
      expect(answer.statusCode).toBe(200);
      expect(answer.headers.connection).toBe('close');
      expect(((await answer.body.json()) as { state: string }).state).toBe('queued');

      const { code, at } = await api.exited;
      expect(code).toBe(0);
      expect(at - signalledAt).toBeLessThan(15_000); // the poll's 3 s plus closing clients, not the 20 s deadline
      expect(api.lines('shutdown complete')).toHaveLength(1);
      expect(api.log()).not.toContain('shutdown deadline passed');
    } finally {
      api?.kill();
      await client.close();
    }
  }, 180_000);

  it('SIGTERM ends the queue and job event streams at once and exits 0 well before the deadline', async () => {
    const env = testEnv({ SHUTDOWN_TIMEOUT_MS: '30000' });
    let api: ApiProcess | undefined;
    try {
      api = await spawnApi(env);
      const { origin } = api;
      const admin = await signUserToken(env.JWT_SECRET!, users(1)[0]!, 3600, ['admin']);
      const concert = await call(origin, '/api/admin/concerts', { method: 'POST', token: admin, json: { title: 'Shutdown test', artist: 'Test', durationMinutes: 90 } });
      expect(concert.status).toBe(201);
      const jwt = await signUserToken(env.JWT_SECRET!, users(1)[0]!);
      // No worker runs: nobody is admitted (the fan stays WAITING, so its stream stays open) and
      // the job stays queued (so its stream stays open).
      const joined = await call(origin, '/api/queue/tokens', { method: 'POST', token: jwt, json: { concertId: concert.json.id } });
      expect([joined.status, joined.json.state]).toEqual([201, 'WAITING']);
      const submitted = await call(origin, '/api/wallet/charges', { method: 'POST', token: jwt, json: { amount: 1 } });
      expect(submitted.status).toBe(202);

      const auth = { authorization: `Bearer ${jwt}` };
      const line = follow(`${origin}/api/queue/events`, { ...auth, 'x-queue-token': joined.json.token });
      const job = follow(`${origin}${submitted.json.eventsUrl}`, auth);
      await until('both streams sent their first event', () => line.events.length > 0 && job.events.length > 0, 60_000);
      expect([line.events, job.events]).toEqual([['status'], ['queued']]);

      const signalledAt = Date.now();
      api.child.kill('SIGTERM');
      const [lineEnd, jobEnd] = await Promise.all([line.ended, job.ended]);
      // Ended by the server (the terminating chunk), not cut off, and not by the 30 s deadline:
      // on an idle machine within tens of milliseconds; 10 s leaves room for a CPU hog.
      expect(lineEnd).toMatchObject({ clean: true });
      expect(jobEnd).toMatchObject({ clean: true });
      expect(lineEnd.at - signalledAt).toBeLessThan(10_000);
      expect(jobEnd.at - signalledAt).toBeLessThan(10_000);

      const { code, at } = await api.exited;
      expect(code).toBe(0);
      expect(at - signalledAt).toBeLessThan(20_000);
      expect(api.lines('shutdown complete')).toHaveLength(1);
      expect(api.log()).not.toContain('shutdown deadline passed');
    } finally {
      api?.kill();
    }
  }, 180_000);
});
