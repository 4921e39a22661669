import { readFileSync } from 'node:fs';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/**
 * Either topology. Both share the command interface (and the `defineCommand` augmentations), so
 * domain code takes a `RedisClient` and never asks which one it got. What differs: on a Cluster
 * every multi-key command, Lua script, MULTI and pipeline must keep its keys in one hash slot
 * (hash tags, see docs/topologies.md), and SCAN walks one node only (see `masters`).
 */
export type RedisClient = Redis | Cluster;

/** Where Redis is: one node (`REDIS_URL`) or, when `REDIS_CLUSTER_NODES` is set, a Redis Cluster. */
export interface RedisTarget {
  REDIS_URL: string;
  /** Seed nodes (`host:port`); any reachable one is enough, ioredis discovers the rest. */
  REDIS_CLUSTER_NODES?: string[];
}

/**
 * `command`: the API's and workers' ordinary client. It fails fast (one retry, no offline queue) so
 * a Redis outage becomes a 503 at once instead of requests piling up in memory.
 * `blocking`: for BullMQ Workers and QueueEvents, which require maxRetriesPerRequest: null.
 * A plain URL gives a single-node client; a target with cluster nodes gives a Cluster client.
 */
export function createRedis(url: string, kind: 'command' | 'blocking', extra?: RedisOptions): Redis;
export function createRedis(target: RedisTarget, kind: 'command' | 'blocking', extra?: RedisOptions): RedisClient;
export function createRedis(target: string | RedisTarget, kind: 'command' | 'blocking', extra: RedisOptions = {}): RedisClient {
  const nodes = typeof target === 'string' ? undefined : target.REDIS_CLUSTER_NODES;
  if (nodes?.length) return createCluster(nodes, kind, extra);
  const base: RedisOptions =
    kind === 'blocking'
      ? { maxRetriesPerRequest: null }
      : {
          maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true,
          // Commands issued in the same tick go out in one socket write. Without it a rush spent
          // ~28% of the API's CPU in per-command socket writes (CPU profile, load/README.md).
          enableAutoPipelining: true,
        };
  return new Redis(typeof target === 'string' ? target : target.REDIS_URL, { ...base, connectTimeout: 3000, ...extra });
}

/** How long a command on a Cluster's commands client may wait for its node's answer. */
export const CLUSTER_COMMAND_TIMEOUT_MS = 5000;

function createCluster(nodes: string[], kind: 'command' | 'blocking', extra: RedisOptions): Cluster {
  const command = kind === 'command';
  const options: ClusterOptions = {
    // Same contract as the single-node clients: commands fail fast, blocking ones wait.
    lazyConnect: command,
    enableOfflineQueue: !command,
    // No auto-pipelining on a Cluster: ioredis routes an auto-pipelined EVALSHA by its first
    // argument (the script's SHA), not its keys, so a script can land in another node's pipeline;
    // that pipeline then fails and ioredis throws an uncaught "results[i] is not iterable" that
    // killed a CI run (ioredis issues #2109, #1931). Single-node clients keep it.
    enableAutoPipelining: false,
    // Reads go to masters: the waiting room, locks and caches read their own writes, and a
    // replica lags (asynchronous replication).
    scaleReads: 'master',
    // While a master fails over (node timeout + election, ~3-5 s on the local cluster), commands
    // for its slots are retried against the refreshed slot map rather than failed at once.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: 2000,
    // A master that stops answering without closing its sockets (frozen, a host crash, a network
    // partition: no RST) causes no error, so nothing made ioredis look at the slot map again:
    // every command for its slots, the commands client's and BullMQ's alike, waited for the node
    // to come back, long after its replica had been promoted (SIGSTOP of the {jobs} master for
    // 12 s on the local cluster: every SET, Queue.add and getJob started in those 12 s answered
    // only at SIGCONT). A periodic refresh finds the promoted replica within this interval.
    slotsRefreshInterval: 2000,
    clusterRetryStrategy: (times) => Math.min(200 * times, 2000),
    redisOptions: {
      connectTimeout: 3000,
      // BullMQ reads the Cluster's redisOptions and refuses a blocking connection without null.
      maxRetriesPerRequest: command ? 1 : null,
      // The commands already sent to such a master would still wait for it: bound them, so a
      // request fails (503, or the job retries) instead of hanging until the client gives up.
      // Generous: a script here takes milliseconds, but a CI machine beside a CPU hog has stalled
      // replies for seconds. Not on blocking clients, whose commands wait by design.
      ...(command ? { commandTimeout: CLUSTER_COMMAND_TIMEOUT_MS } : {}),
      ...extra,
    },
  };
  return new Cluster(parseNodes(nodes), options);
}

function parseNodes(nodes: string[]): { host: string; port: number }[] {
  return nodes.map((n) => {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(n.trim());
    if (!m) throw new Error(`REDIS_CLUSTER_NODES: "${n}" is not host:port`);
    return { host: m[1]!, port: Number(m[2]) };
  });
}

/** Connects a lazy client and waits until it is ready; rejects if Redis is unreachable. */
export async function connectRedis<C extends RedisClient>(redis: C): Promise<C> {
  if (redis.status === 'wait') await redis.connect();
  return redis;
}

/** A second connection like `redis` (a subscriber, say), with some options changed. */
export function duplicateRedis(redis: RedisClient, options: { enableOfflineQueue?: boolean; lazyConnect?: boolean }): RedisClient {
  return redis instanceof Cluster ? redis.duplicate(undefined, options) : redis.duplicate(options);
}

/**
 * The nodes holding data: the client itself on one node, every master of a Cluster. For commands
 * that act on one node only (SCAN, FLUSHDB, INFO).
 */
export function masters(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

/**
 * Registers Lua scripts with ioredis `defineCommand`. Each `.lua` file carries its contract in a
 * header; the line `-- numberOfKeys: N` tells the loader how many of the arguments are KEYS.
 * ioredis sends EVALSHA and falls back to EVAL once per connection when the script is not cached.
 */
export function loadLuaScripts(redis: RedisClient, scripts: Record<string, URL>): void {
  for (const [name, file] of Object.entries(scripts)) {
    if (typeof (redis as unknown as Record<string, unknown>)[name] === 'function') continue;
    const lua = readFileSync(file, 'utf8');
    const m = /^--\s*numberOfKeys:\s*(\d+)\s*$/m.exec(lua);
    if (!m) throw new Error(`${file.pathname}: missing "-- numberOfKeys: N" header`);
    redis.defineCommand(name, { numberOfKeys: Number(m[1]), lua });
  }
}
