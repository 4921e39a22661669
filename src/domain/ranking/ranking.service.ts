// Concert rankings in Redis sorted sets, fed by events:
//   popular  paid reservations per concert (payment.completed), highest first;
//   sellout  seconds from booking open to the last seat sold per schedule (schedule.sold_out), fastest first.
import type { Result } from 'ioredis';
import { loadLuaScripts, type RedisClient } from '../../platform/redis.ts';
import type { EventEnvelope } from '../events/events.envelope.ts';
import { PERIOD_TTL_SECONDS, rankingKey, type Period, type RankingType } from './ranking.keys.ts';

/** Return codes of ranking-apply.lua. */
const RANKING_APPLY = { APPLIED: 1, ALREADY_APPLIED: 0 } as const;
type RankingApplyCode = (typeof RANKING_APPLY)[keyof typeof RANKING_APPLY];

declare module 'ioredis' {
  interface RedisCommander<Context> {
    rankingApply(
      seenKey: string, dailyKey: string, weeklyKey: string, monthlyKey: string,
      member: string, mode: 'incr' | 'min', value: number,
      dailyTtlSeconds: number, weeklyTtlSeconds: number, monthlyTtlSeconds: number, seenTtlSeconds: number,
    ): Result<RankingApplyCode, Context>;
  }
}

/** How long an applied event id is remembered: longer than any redelivery could come late. */
const SEEN_TTL_SECONDS = 8 * 86_400;

export interface PaymentCompletedData { concertId: number; reservationId: number; scheduleId: number; amount: number }
export interface SoldOutData { scheduleId: number; concertId: number; secondsToSellOut: number; soldOutAt: string }

export class Rankings {
  private readonly redis: RedisClient;
  private readonly prefix: string;
  constructor(redis: RedisClient, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
    loadLuaScripts(redis, { rankingApply: new URL('./ranking-apply.lua', import.meta.url) });
  }

  /** Applies an event once; returns false for an event id already applied. */
  async apply(event: EventEnvelope): Promise<boolean> {
    const at = new Date(event.occurredAt);
    if (event.type === 'payment.completed') {
      const d = event.data as PaymentCompletedData;
      return this.run(event.id, 'popular', at, String(d.concertId), 'incr', 1);
    }
    if (event.type === 'schedule.sold_out') {
      const d = event.data as SoldOutData;
      return this.run(event.id, 'sellout', at, `${d.concertId}:${d.scheduleId}`, 'min', d.secondsToSellOut);
    }
    return false;
  }

  private async run(eventId: string, type: RankingType, at: Date, member: string, mode: 'incr' | 'min', value: number): Promise<boolean> {
    const applied = await this.redis.rankingApply(
      `${this.prefix}:{ranking}:seen:${eventId}`,
      rankingKey(this.prefix, type, 'daily', at), rankingKey(this.prefix, type, 'weekly', at), rankingKey(this.prefix, type, 'monthly', at),
      member, mode, value, PERIOD_TTL_SECONDS.daily, PERIOD_TTL_SECONDS.weekly, PERIOD_TTL_SECONDS.monthly, SEEN_TTL_SECONDS,
    );
    return applied === RANKING_APPLY.APPLIED;
  }

  /** The top `limit` members of the period containing `now`, best first, with their scores. */
  async top(type: RankingType, period: Period, limit: number, now: Date): Promise<{ member: string; score: number }[]> {
    const key = rankingKey(this.prefix, type, period, now);
    const flat = type === 'popular'
      ? await this.redis.zrevrange(key, 0, limit - 1, 'WITHSCORES')
      : await this.redis.zrange(key, '0', String(limit - 1), 'WITHSCORES');
    const out: { member: string; score: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ member: flat[i]!, score: Number(flat[i + 1]) });
    return out;
  }
}
