// Encore processes for end-to-end tests: the real entry points (src/workers/main.ts, the API's
// src/api/server.ts and src/api/main.ts) as child processes, so a test can run several, kill one
// with SIGKILL or stop one with SIGTERM and read its exit code and log.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { until } from './wait.ts';

const main = fileURLToPath(new URL('../../src/workers/main.ts', import.meta.url));
const apiEntries = {
  /** One API process (the Procfile's). */
  server: fileURLToPath(new URL('../../src/api/server.ts', import.meta.url)),
  /** The host entry point: forks `API_PROCESSES` server processes sharing one port. */
  main: fileURLToPath(new URL('../../src/api/main.ts', import.meta.url)),
};

export interface WorkerProcess { child: ChildProcess; stop(signal?: NodeJS.Signals): Promise<void> }

export async function spawnWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    // Generous on a busy machine; a worker that never got ready is killed, not left behind.
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`worker did not start:\n${output}`)); }, 90_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('"worker ready"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`worker exited with ${code}:\n${output}`)); });
  });
  child.stdout!.resume();
  return {
    child,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** A TCP port free on 127.0.0.1 now (the spawned process binds it a moment later). */
export const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

export interface ApiProcess {
  child: ChildProcess;
  port: number;
  origin: string;
  /** Everything it printed so far (JSON log lines at `info`). */
  log(): string;
  /** Its log lines whose `msg` is `msg`. */
  lines(msg: string): string[];
  /** The pids that logged `msg` (one per API process). */
  pidsOf(msg: string): Set<number>;
  /** Its exit code and when it exited (ms since the epoch). */
  exited: Promise<{ code: number | null; at: number }>;
  /** SIGKILL if it is still running: for `finally`, so no test leaves a process behind. */
  kill(): void;
}

/**
 * Starts the API as a child process on a free port with `env` (a `testEnv()`; `PORT` and
 * `LOG_LEVEL` are set here) and waits until every one of its `processes` logged "api listening".
 */
export async function spawnApi(env: Record<string, string>, opts: { entry?: keyof typeof apiEntries; processes?: number } = {}): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [apiEntries[opts.entry ?? 'server']], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => { log += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
  // Complete lines only: a chunk may end mid-line.
  const lines = (msg: string) => log.slice(0, log.lastIndexOf('\n')).split('\n').filter((l) => l.includes(`"msg":"${msg}"`));
  const p: ApiProcess = {
    child, port, origin: `http://127.0.0.1:${port}`, exited, lines,
    log: () => log,
    pidsOf: (msg) => new Set(lines(msg).map((l) => (JSON.parse(l) as { pid: number }).pid)),
    kill: () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); },
  };
  try {
    // Generous: starting Node processes on a busy 2-core machine took up to a minute.
    await until(`${opts.processes ?? 1} API process(es) listening`, () => {
      if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}:\n${log}`);
      return p.pidsOf('api listening').size >= (opts.processes ?? 1);
    }, 240_000, 100);
  } catch (err) {
    p.kill();
    throw err;
  }
  return p;
}
