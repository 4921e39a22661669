// The private system a chaos run breaks: its own MariaDB datadir, Redis (AOF) and Kafka broker on
// their own ports, plus its own API and worker processes. Nothing here touches the machine's
// shared services, so faults can be applied freely.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrivateKafka } from '../../tests/support/kafka-broker.ts';
import { PrivateRedis } from '../../tests/support/private-redis.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A MariaDB server on its own datadir and port (grant tables skipped: loopback only, throwaway). */
export class PrivateMariaDb {
  readonly port: number;
  readonly dir: string;
  private child?: ChildProcess;
  constructor(port: number) {
    this.port = port;
    this.dir = mkdtempSync(join(tmpdir(), 'encore-chaos-mariadb-'));
    execFileSync('mariadb-install-db', ['--no-defaults', `--datadir=${this.dir}/data`, '--auth-root-authentication-method=normal', '--skip-test-db', '--user=root'], { stdio: 'ignore' });
  }
  url(db: string): string { return `mysql://root:chaos@127.0.0.1:${this.port}/${db}`; }
  async start(): Promise<void> {
    this.child = spawn('mariadbd', ['--no-defaults', `--datadir=${this.dir}/data`, `--port=${this.port}`, '--bind-address=127.0.0.1', `--socket=${this.dir}/sock`,
      '--user=root', '--skip-grant-tables', '--innodb-buffer-pool-size=128M', '--skip-log-bin', '--max-connections=500'], { stdio: 'ignore' });
    for (let i = 0; i < 600; i++) {
      try { execFileSync('mariadb', ['-h127.0.0.1', `-P${this.port}`, '-uroot', '-e', 'select 1'], { stdio: 'ignore' }); return; } catch { await sleep(250); }
    }
    throw new Error('private MariaDB did not start');
  }
  sql(statement: string): void {
    execFileSync('mariadb', ['-h127.0.0.1', `-P${this.port}`, '-uroot', '-e', statement], { stdio: 'ignore' });
  }
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill(signal); setTimeout(() => child.kill('SIGKILL'), 60_000).unref(); });
  }
  remove(): void { rmSync(this.dir, { recursive: true, force: true }); }
}

export interface Exit { code: number | null; signal: NodeJS.Signals | null; ms: number }

/** An API or worker process of the system under test, restartable after a fault. */
export class AppProcess {
  readonly name: string;
  private readonly entry: string;
  private readonly env: Record<string, string>;
  child?: ChildProcess;
  constructor(name: string, entry: 'api' | 'worker', env: Record<string, string>) {
    this.name = name;
    this.entry = join(root, entry === 'api' ? 'src/api/server.ts' : 'src/workers/main.ts');
    this.env = env;
  }
  async start(): Promise<void> {
    const child = spawn(process.execPath, [this.entry], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not start:\n${out.slice(-2000)}`)), 180_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        if (out.includes('"worker ready"') || out.includes('"api listening"')) { clearTimeout(timer); out = ''; resolve(); }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${this.name} exited with ${code}:\n${out.slice(-2000)}`)); });
    });
    child.removeAllListeners('exit');
    child.stdout!.resume();
    child.stderr!.resume();
  }
  get alive(): boolean { return !!this.child && this.child.exitCode === null && this.child.signalCode === null; }
  /** Sends the signal and resolves when the process has exited: its exit code and how long it took. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit | undefined> {
    const child = this.child;
    if (!child || !this.alive) return undefined;
    const sentAt = Date.now();
    return new Promise<Exit>((resolve) => {
      child.once('exit', (code, sig) => resolve({ code, signal: sig, ms: Date.now() - sentAt }));
      child.kill(signal);
      setTimeout(() => child.kill('SIGKILL'), 60_000).unref();
    });
  }
}

export interface StackOptions { basePort: number; workers: number }

export class Stack {
  readonly redis: PrivateRedis;
  readonly kafka: PrivateKafka;
  readonly mariadb: PrivateMariaDb;
  readonly api: AppProcess;
  readonly workers: AppProcess[];
  readonly env: Record<string, string>;
  readonly url: string;
  constructor(opts: StackOptions) {
    const p = opts.basePort;
    this.redis = new PrivateRedis(p + 1);
    this.kafka = new PrivateKafka(p + 2); // and p + 3 for its controller
    this.mariadb = new PrivateMariaDb(p + 4);
    this.url = `http://127.0.0.1:${p}`;
    this.env = {
      NODE_ENV: 'development', LOG_LEVEL: 'info', PORT: String(p), RATE_LIMITS: 'off',
      DATABASE_URL: this.mariadb.url('encore_chaos'), DB_DRIVER: 'mariadb', DB_POOL_MAX: '20',
      REDIS_URL: this.redis.url, REDIS_PREFIX: 'chaos', KAFKA_BROKERS: this.kafka.brokers, KAFKA_TOPIC_PREFIX: 'chaos.',
      KAFKA_TOPIC_PARTITIONS: '3', JWT_SECRET: 'chaos-secret-chaos-secret-chaos-secret-01',
      QUEUE_MAX_ACTIVE: '200', QUEUE_TICK_MS: '500', HOLD_TTL_SECONDS: '60', WORKER_CONCURRENCY: '16',
      // Short enough that a run's faults heal within it; the defaults are documented in the README.
      WORKER_LOCK_DURATION_MS: '5000', WORKER_STALLED_INTERVAL_MS: '2000', HOLD_SWEEP_INTERVAL_MS: '2000',
      SCHEDULERS_ENSURE_INTERVAL_MS: '2000', OUTBOX_MAX_BACKOFF_MS: '2000', KAFKA_SESSION_TIMEOUT_MS: '6000',
    };
    this.api = new AppProcess('api', 'api', this.env);
    this.workers = Array.from({ length: opts.workers }, (_, i) => new AppProcess(`worker-${i + 1}`, 'worker', this.env));
  }

  async start(log: (m: string) => void): Promise<void> {
    log('starting private Redis (AOF), MariaDB and Kafka');
    await Promise.all([this.redis.start(), this.mariadb.start(), this.kafka.start()]);
    this.mariadb.sql('create database if not exists encore_chaos character set utf8mb4 collate utf8mb4_unicode_ci');
    execFileSync(process.execPath, [join(root, 'src/cli/migrate.ts')], { env: { ...process.env, ...this.env }, stdio: 'ignore' });
    log('starting the API and workers');
    await Promise.all([this.api.start(), ...this.workers.map((w) => w.start())]);
  }

  /** Brings back whatever a fault left stopped. */
  async heal(): Promise<void> {
    await Promise.all([this.api, ...this.workers].filter((p) => !p.alive).map((p) => p.start()));
  }

  async stop(): Promise<void> {
    await Promise.all([this.api, ...this.workers].map((p) => p.stop()));
    this.kafka.thaw();
    await Promise.all([this.kafka.stop(), this.redis.stop(), this.mariadb.stop()]);
    this.mariadb.remove();
  }
}
