// A private redis-server for one test file (or the chaos suite), with AOF on, so a test can flush,
// kill and restart it without touching the machine's shared Redis.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { until } from './wait.ts';

export class PrivateRedis {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  private child?: ChildProcess;

  constructor(port: number) {
    this.port = port;
    this.url = `redis://127.0.0.1:${port}`;
    this.dir = mkdtempSync(join(tmpdir(), 'encore-redis-'));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts (or restarts) on the same data directory: with AOF, what was written survives. */
  async start(): Promise<void> {
    this.child = spawn('redis-server', [
      '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '',
      '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction',
    ], { stdio: 'ignore' });
    await until(`private Redis on ${this.port} to start`, async () => {
      const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined); // refused while starting: expected, the loop retries
      try {
        await probe.connect();
        // AOF loading answers LOADING until done: wait for a real PONG.
        return (await probe.ping()) === 'PONG';
      } catch {
        return false; // not up yet
      } finally {
        probe.disconnect();
      }
    }, 60_000);
  }

  async flushAll(): Promise<void> {
    const c = new Redis(this.url, { maxRetriesPerRequest: 1 });
    try { await c.flushall(); } finally { c.disconnect(); }
  }

  /** SIGTERM (Redis writes its AOF and exits) or SIGKILL; resolves when the process is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
      setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
    });
  }
}
