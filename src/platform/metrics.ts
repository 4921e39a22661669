import { Registry, collectDefaultMetrics, Histogram, Counter, Gauge } from 'prom-client';

export { Histogram, Counter, Gauge };

/** One registry per process, with Node's process metrics (CPU, memory, event-loop lag, GC). */
export function createMetricsRegistry(app: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry });
  return registry;
}
