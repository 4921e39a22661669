// API entry point for a host: with API_PROCESSES=1 (the default) it is the server itself; with N > 1
// a node:cluster primary forks N server processes (src/api/server.ts) that share PORT (the primary
// accepts and hands connections out round-robin), so a bigger machine's cores are used. The
// primary serves nothing itself. A server process that dies is replaced; SIGTERM or SIGINT to the
// primary stops every server gracefully (each runs its own shutdown) and then exits.
// Every server process has its own clients, caches and job waiters: Encore assumes nothing about
// being alone in a process (DESIGN.md "Scale beyond one machine").
import cluster, { type Worker } from 'node:cluster';
import { loadConfig } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';

const config = loadConfig();

if (config.API_PROCESSES <= 1 || !cluster.isPrimary) {
  await import('./server.ts');
} else {
  const logger = createLogger(config.LOG_LEVEL, 'api-primary');
  let stopping = false;
  const recentDeaths: number[] = [];

  const fork = (): Worker => cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    // A crash loop (bad config, a dependency that kills the process at start) must not fork
    // forever: more than 5 deaths within a minute stops the host's API.
    const now = Date.now();
    recentDeaths.push(now);
    while (recentDeaths.length && recentDeaths[0]! < now - 60_000) recentDeaths.shift();
    if (recentDeaths.length > 5) {
      logger.error({ deaths: recentDeaths.length }, 'API processes keep dying; stopping');
      void stopAll(1);
      return;
    }
    logger.warn({ pid: worker.process.pid, code, signal }, 'API process exited; starting a replacement');
    setTimeout(fork, 500).unref();
  });

  const stopAll = async (exitCode: number): Promise<void> => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    // Each server closes its listener, drains in-flight requests and closes its clients within
    // SHUTDOWN_TIMEOUT_MS; the primary waits a little longer, then kills what is left.
    const exited = workers.map((w) => new Promise<void>((resolve) => {
      if (w.isDead()) return resolve();
      w.once('exit', () => resolve());
      w.process.kill('SIGTERM');
    }));
    const deadline = setTimeout(() => {
      for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL');
    }, config.SHUTDOWN_TIMEOUT_MS + 2000);
    deadline.unref();
    await Promise.all(exited);
    clearTimeout(deadline);
    logger.info('all API processes stopped');
    process.exit(exitCode);
  };

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal, processes: config.API_PROCESSES }, 'stopping API processes');
      void stopAll(0);
    });
  }

  for (let i = 0; i < config.API_PROCESSES; i++) fork();
  logger.info({ processes: config.API_PROCESSES, port: config.PORT }, 'API primary started');
}
