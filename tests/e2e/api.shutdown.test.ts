// Graceful shutdown of the API process (src/api/server.ts) under keep-alive clients: SIGTERM lets
// a request in flight finish, closes each kept-alive socket after its answer (`Connection: close`)
// and exits 0 well before the shutdown deadline. Before, a client polling on a kept-alive socket
// held the server open until the deadline killed it (exit 1), dropping what was in flight.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';
import { testEnv, userIdSource } from '../support/env.ts';
import { signUserToken } from '../../src/api/auth.ts';

const entry = fileURLToPath(new URL('../../src/api/server.ts', import.meta.url));
const users = userIdSource();

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

describe('API graceful shutdown', () => {
  it('SIGTERM finishes the request in flight, closes kept-alive sockets after their answer, exits 0 before the deadline', async () => {
    const port = await freePort();
    const env = testEnv({ PORT: String(port), LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '20000' });
    const child = spawn(process.execPath, [entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout!.on('data', (d: Buffer) => { log += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
    // Two kept-alive sockets, as a browser or a proxy holds them.
    const client = new Agent({ connections: 2, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
    const origin = `http://127.0.0.1:${port}`;
    try {
      for (let i = 0; i < 480 && !log.includes('"api listening"'); i++) await new Promise((r) => setTimeout(r, 250));
      expect(log).toContain('"api listening"');
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
      child.kill('SIGTERM');
      const answer = await poll;
      expect(answer.statusCode).toBe(200);
      expect(answer.headers.connection).toBe('close');
      expect(((await answer.body.json()) as { state: string }).state).toBe('queued');

      const { code, at } = await exited;
      expect(code).toBe(0);
      expect(at - signalledAt).toBeLessThan(15_000); // the poll's 3 s plus closing clients, not the 20 s deadline
      expect(log).toContain('"shutdown complete"');
      expect(log).not.toContain('shutdown deadline passed');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await client.close();
    }
  }, 180_000);
});
