// One broadcast per concert per admission tick: the worker publishes the line's compact state on
// one pub/sub channel; every API process subscribes once and updates its connected fans from it
// locally (positions estimated from head/tail sequence numbers, see estimatePosition), so push
// costs no Redis call per fan per tick.
import type { RedisClient } from '../../platform/redis.ts';
import { queueStateChannel } from './queue.keys.ts';

export interface LineState {
  concertId: number;
  /** Sequence number of the first fan still waiting (tailSeq + 1 when nobody waits). */
  headSeq: number;
  /** Sequence number of the last fan who joined. */
  tailSeq: number;
  waiting: number;
  active: number;
  /** Measured admissions per second (0 = not measured). */
  rate: number;
  paused: boolean;
  soldOut: boolean;
  allHeld: boolean;
  /** Most fans ACTIVE at once as of this tick (maxActive and the inventory cap). */
  ceiling: number;
  /** When the tick ran (ms). */
  at: number;
}

export function encodeLineState(s: LineState): string {
  return JSON.stringify([s.concertId, s.headSeq, s.tailSeq, s.waiting, s.active, Math.round(s.rate * 1000) / 1000, +s.paused, +s.soldOut, +s.allHeld, s.at, s.ceiling]);
}

export function decodeLineState(text: string): LineState | undefined {
  try {
    const a = JSON.parse(text) as number[];
    if (!Array.isArray(a) || a.length < 11 || !a.every((n) => typeof n === 'number')) return undefined;
    const [concertId, headSeq, tailSeq, waiting, active, rate, paused, soldOut, allHeld, at, ceiling] = a as number[] as [number, number, number, number, number, number, number, number, number, number, number];
    return { concertId, headSeq, tailSeq, waiting, active, rate, paused: paused === 1, soldOut: soldOut === 1, allHeld: allHeld === 1, at, ceiling };
  } catch {
    return undefined;
  }
}

export async function publishLineState(redis: RedisClient, prefix: string, state: LineState): Promise<void> {
  await redis.publish(queueStateChannel(prefix), encodeLineState(state));
}

/**
 * The receiving side in an API process: one subscription, and a listener per concert with
 * connected fans. `subscriber` must be a connection of its own (it enters subscriber mode).
 */
export class LineStateFeed {
  private readonly listeners = new Map<number, Set<(s: LineState) => void>>();
  private readonly latest = new Map<number, LineState>();
  private readonly subscriber: RedisClient;
  private readonly channel: string;

  constructor(subscriber: RedisClient, prefix: string) {
    this.subscriber = subscriber;
    this.channel = queueStateChannel(prefix);
    // Reconnection is ioredis's job; a down Redis shows in /health/ready, not as an unhandled error.
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, text: string) => {
      if (channel !== this.channel) return;
      const state = decodeLineState(text);
      if (!state) return;
      this.latest.set(state.concertId, state);
      for (const fn of this.listeners.get(state.concertId) ?? []) fn(state);
    });
  }

  /** Subscribes; ioredis re-subscribes by itself after a reconnect. */
  async start(): Promise<void> {
    await this.subscriber.subscribe(this.channel);
  }

  /** The last state this process heard for a concert, if any. */
  last(concertId: number): LineState | undefined {
    return this.latest.get(concertId);
  }

  on(concertId: number, fn: (s: LineState) => void): () => void {
    let set = this.listeners.get(concertId);
    if (!set) this.listeners.set(concertId, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.listeners.delete(concertId);
    };
  }

  stop(): void {
    this.subscriber.disconnect();
  }
}
