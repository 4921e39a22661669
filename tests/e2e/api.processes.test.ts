// API_PROCESSES=2: the host entry point (src/api/main.ts) forks two server processes that share
// one port, both answer, and SIGTERM to the primary stops both gracefully, then the primary.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { testEnv } from '../support/env.ts';
import { until } from '../support/wait.ts';

const main = fileURLToPath(new URL('../../src/api/main.ts', import.meta.url));

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

describe('several API processes on one host', () => {
  it('two processes share the port and answer; SIGTERM to the primary stops both gracefully', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, ...testEnv({ API_PROCESSES: '2', PORT: String(port), LOG_LEVEL: 'info' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout!.on('data', (d: Buffer) => { log += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
    const lines = (msg: string) => log.split('\n').filter((l) => l.includes(`"msg":"${msg}"`));
    const pidsOf = (msg: string) => new Set(lines(msg).map((l) => JSON.parse(l).pid as number));
    try {
      await until('two API processes listening', () => pidsOf('api listening').size === 2, 240_000);
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/health/live`);
        expect(res.status).toBe(200);
      }
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(pidsOf('shutdown complete')).toEqual(pidsOf('api listening'));
      expect(lines('all API processes stopped')).toHaveLength(1);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 300_000);
});
