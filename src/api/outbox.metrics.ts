import { Gauge, type Registry } from 'prom-client';
import type { EntityManager } from '../platform/db.ts';
import { outboxBacklog } from '../domain/events/outbox.relay.ts';

/** Outbox backlog and lag, read from MySQL when /metrics is scraped. */
export function outboxMetrics(registry: Registry, em: () => EntityManager): void {
  let reading: Promise<{ pending: number; oldestAgeSeconds: number }> | undefined;
  // One query serves both gauges of a scrape. If MySQL is down the gauges keep their last value
  // (and /health/ready says so) rather than failing the whole scrape.
  const read = () =>
    (reading ??= outboxBacklog(em())
      .catch(() => ({ pending: NaN, oldestAgeSeconds: NaN }))
      .finally(() => setTimeout(() => { reading = undefined; }, 0)));
  new Gauge({
    name: 'outbox_pending_events', help: 'events written but not yet published to Kafka', registers: [registry],
    async collect() { const v = (await read()).pending; if (!Number.isNaN(v)) this.set(v); },
  });
  new Gauge({
    name: 'outbox_lag_seconds', help: 'age of the oldest event not yet published to Kafka', registers: [registry],
    async collect() { const v = (await read()).oldestAgeSeconds; if (!Number.isNaN(v)) this.set(v); },
  });
}
