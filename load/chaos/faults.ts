// The faults a chaos run applies, one per rush. Each applies its fault and its repair and says
// when the fault began and when the repair was done; the runner measures everything else.
import type { AppProcess, Stack } from './stack.ts';
import { sleep } from './stack.ts';

export interface FaultOptions { freezeSeconds: number; kafkaDownSeconds: number }
export interface Fault {
  name: string;
  what: string;
  /** Cheap enough for CI. */
  ci: boolean;
  apply(stack: Stack, o: FaultOptions): Promise<Applied>;
}
/** When the fault began and its repair ended; `note` describes it, `problem` fails the case. */
export interface Applied { startedAt: number; repairedAt: number; note?: string; problem?: string }

const timed = async (fault: () => Promise<string | void>, repair: () => Promise<void>): Promise<Applied> => {
  const startedAt = Date.now();
  const note = await fault();
  await repair();
  return { startedAt, repairedAt: Date.now(), ...(note ? { note } : {}) };
};

/** SIGTERM must end in a clean exit (code 0) before the shutdown deadline, not a forced one. */
async function gracefulStop(p: AppProcess): Promise<string> {
  const exit = await p.stop('SIGTERM');
  return `${p.name} exited ${exit?.code ?? exit?.signal} after ${exit?.ms} ms`;
}

export const FAULTS: Fault[] = [
  {
    name: 'worker-sigkill', what: 'SIGKILL one of two workers mid-rush, start a new one 5 s later', ci: true,
    apply: (s) => timed(async () => { await s.workers[0]!.stop('SIGKILL'); await sleep(5000); }, () => s.workers[0]!.start()),
  },
  {
    name: 'graceful-sigterm', what: 'SIGTERM the API and a worker (graceful), restart both', ci: true,
    apply: async (s) => {
      const applied = await timed(async () => (await Promise.all([gracefulStop(s.api), gracefulStop(s.workers[1]!)])).join(', '),
        async () => { await Promise.all([s.api.start(), s.workers[1]!.start()]); });
      return /exited (?!0 )/.test(applied.note!) ? { ...applied, problem: `not a clean shutdown: ${applied.note}` } : applied;
    },
  },
  {
    name: 'redis-restart', what: 'SIGTERM Redis (AOF), start it again on the same data', ci: true,
    apply: (s) => timed(() => s.redis.stop('SIGTERM'), () => s.redis.start()),
  },
  {
    name: 'redis-flush', what: 'FLUSHALL: Redis loses every key (queue tokens, jobs, schedulers)', ci: true,
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
