// Results are pushed: a long-poll and a Server-Sent Events stream waiting on a job are woken by
// the API's one completion subscription, cost no Redis command while they wait, and get the
// outcome promptly. The API runs in this process, the worker as a separate process, started only
// once the waiters are in place so that every state is seen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startTestApi, type TestApi } from '../support/app.ts';
import { spawnWorker, type WorkerProcess } from '../support/processes.ts';
import { testEnv, userIdSource } from '../support/env.ts';
import { api } from '../support/http.ts';
import { readSse } from '../support/sse.ts';
import { finished } from '../support/flow.ts';
import { jobViewSchema } from '../../src/jobs/jobs.results.ts';
import { sleep, until } from '../support/wait.ts';

let t: TestApi;
let env: Record<string, string>;
let worker: WorkerProcess | undefined;
const users = userIdSource();

/** Counts every command the API's Redis client sends (pipelined ones included). */
function countCommands(redis: Redis): { count: () => number } {
  let n = 0;
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((...args: Parameters<Redis['sendCommand']>) => { n++; return send(...args); }) as Redis['sendCommand'];
  return { count: () => n };
}

beforeAll(async () => {
  env = testEnv({ MAX_PENDING_JOBS_PER_USER: '0' });
  t = await startTestApi(env);
});
afterAll(async () => {
  await worker?.stop();
  await t.close();
});

describe('results pushed to waiting clients', () => {
  it('10 long-polls and 10 SSE streams on one job: no Redis command while they wait, all get the result within a few seconds of completion, the streams send queued, active, succeeded and end', async () => {
    const jwt = await t.token(users(1)[0]!);
    const submitted = await api(t.url, '/api/wallet/charges', { method: 'POST', token: jwt, json: { amount: 1234 } });
    expect(submitted.status).toBe(202);
    const { jobId, eventsUrl } = submitted.json;
    expect(eventsUrl).toBe(`/api/jobs/${jobId}/events`);

    const polls = Array.from({ length: 10 }, () =>
      api(t.url, `/api/jobs/${jobId}?waitMs=30000`, { token: jwt }).then((r) => ({ ...r, at: Date.now() })));
    const streams = Array.from({ length: 10 }, () => readSse(`${t.url}${eventsUrl}`, jwt));
    await until('20 waiting requests', () => t.api.jobEvents.waiting() === 20, 30_000, 20);

    const commands = countCommands(t.rt.redis as Redis) // single-node suite;
    await sleep(2000);
    // 20 requests waited 2 s: fewer commands than one per waiting request (in practice a few from
    // the process's own background work, e.g. the heartbeat flush, none from the waits).
    const waited = commands.count();
    expect(waited).toBeLessThan(20);
    await t.rt.redis.exists('any-key'); // the counter does count this client's commands
    expect(commands.count()).toBe(waited + 1);

    worker = await spawnWorker(env); // the job runs only now
    const [pollResults, streamResults] = await Promise.all([Promise.all(polls), Promise.all(streams)]);
    const job = await t.api.queues.findUserJob(jobId);
    const finishedOn = job!.finishedOn!;
    const final = (await api(t.url, `/api/jobs/${jobId}`, { token: jwt })).json;
    expect(final).toMatchObject({ id: jobId, type: 'wallet.charge', state: 'succeeded', result: { balance: 1234 } });
    jobViewSchema.parse(final);

    for (const p of pollResults) {
      expect(p.status).toBe(200);
      expect(p.json).toEqual(final);
      expect(p.at - finishedOn).toBeLessThan(3000); // loose: pushed, not found by a later re-read
    }
    for (const s of streamResults) {
      expect(s.status).toBe(200);
      expect(s.events.map((e) => e.event)).toEqual(['queued', 'active', 'succeeded']);
      expect(s.events[0]!.data).toEqual({ id: jobId, type: 'wallet.charge', state: 'queued' });
      expect(s.events[1]!.data).toEqual({ id: jobId, type: 'wallet.charge', state: 'running' });
      expect(s.events[2]!.data).toEqual(final);
      expect(s.events[2]!.at - finishedOn).toBeLessThan(3000);
    }
    expect(t.api.jobEvents.waiting()).toBe(0); // every waiter let go
  }, 180_000); // a worker process takes long to start on a busy machine

  it('a stream opened after the job ended sends only its outcome and ends', async () => {
    worker ??= await spawnWorker(env);
    const jwt = await t.token(users(1)[0]!);
    const { jobId } = (await api(t.url, '/api/wallet/charges', { method: 'POST', token: jwt, json: { amount: 10 } })).json;
    const final = await finished(t, jwt, jobId);
    const s = await readSse(`${t.url}/api/jobs/${jobId}/events`, jwt);
    expect(s.events.map((e) => [e.event, e.data])).toEqual([['succeeded', final]]);
  });

  it('a stranger gets 404 from the poll and the stream, and no token gets 401', async () => {
    const jwt = await t.token(users(1)[0]!);
    const { jobId } = (await api(t.url, '/api/wallet/charges', { method: 'POST', token: jwt, json: { amount: 10 } })).json;
    const stranger = await t.token(users(1)[0]!);
    const poll = await api(t.url, `/api/jobs/${jobId}?waitMs=1000`, { token: stranger });
    expect([poll.status, poll.json.error.code]).toEqual([404, 'JOB_NOT_FOUND']);
    const stream = await api(t.url, `/api/jobs/${jobId}/events`, { token: stranger });
    expect([stream.status, stream.json.error.code]).toEqual([404, 'JOB_NOT_FOUND']);
    expect((await api(t.url, `/api/jobs/${jobId}/events`)).status).toBe(401);
    expect(t.api.jobEvents.waiting()).toBe(0);
  });
});
