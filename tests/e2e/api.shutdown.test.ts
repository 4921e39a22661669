// Graceful shutdown of the API process (src/api/server.ts) under keep-alive clients: SIGTERM lets
// a request in flight finish, closes each kept-alive socket after its answer (`Connection: close`)
// and exits 0 well before the shutdown deadline. Before, a client polling on a kept-alive socket
// held the server open until the deadline killed it (exit 1), dropping what was in flight.
import { describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { testEnv, userIdSource } from '../support/env.ts';
import { spawnApi, type ApiProcess } from '../support/processes.ts';
import { signUserToken } from '../../src/api/auth.ts';

const users = userIdSource();

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
});
