// The faults a chaos run applies, one per rush. Each applies its fault and its repair and says
// when the fault began and when the repair was done; the runner measures everything else.
import type { Stack } from './stack.ts';
import { sleep } from './stack.ts';

export interface FaultOptions { freezeSeconds: number; kafkaDownSeconds: number }
export interface Fault {
  name: string;
  what: string;
  /** Cheap enough for CI. */
  ci: boolean;
  apply(stack: Stack, o: FaultOptions): Promise<{ startedAt: number; repairedAt: number }>;
}

const timed = async (fault: () => Promise<void>, repair: () => Promise<void>) => {
  const startedAt = Date.now();
  await fault();
  await repair();
  return { startedAt, repairedAt: Date.now() };
};

export const FAULTS: Fault[] = [
  {
    name: 'worker-sigkill', what: 'SIGKILL one of two workers mid-rush, start a new one 5 s later', ci: true,
    apply: (s) => timed(async () => { await s.workers[0]!.stop('SIGKILL'); await sleep(5000); }, () => s.workers[0]!.start()),
  },
  {
    name: 'graceful-sigterm', what: 'SIGTERM the API and a worker (graceful), restart both', ci: false,
    apply: (s) => timed(async () => { await Promise.all([s.api.stop('SIGTERM'), s.workers[1]!.stop('SIGTERM')]); }, async () => { await Promise.all([s.api.start(), s.workers[1]!.start()]); }),
  },
  {
    name: 'redis-restart', what: 'SIGTERM Redis (AOF), start it again on the same data', ci: true,
    apply: (s) => timed(() => s.redis.stop('SIGTERM'), () => s.redis.start()),
  },
  {
    name: 'redis-flush', what: 'FLUSHALL: Redis loses every key (queue tokens, jobs, schedulers)', ci: false,
    apply: (s) => timed(() => s.redis.flushAll(), async () => undefined),
  },
  {
    name: 'mariadb-restart', what: 'SIGTERM MariaDB, start it again', ci: false,
    apply: (s) => timed(() => s.mariadb.stop('SIGTERM'), () => s.mariadb.start()),
  },
  {
    name: 'broker-freeze', what: 'SIGSTOP the Kafka broker, SIGCONT after the freeze', ci: true,
    apply: (s, o) => timed(async () => { s.kafka.freeze(); await sleep(o.freezeSeconds * 1000); }, async () => { s.kafka.thaw(); }),
  },
  {
    name: 'kafka-down', what: 'stop the Kafka broker (network to Kafka gone), start it after the outage', ci: false,
    apply: (s, o) => timed(async () => { await s.kafka.stop(); await sleep(o.kafkaDownSeconds * 1000); }, () => s.kafka.start()),
  },
];
