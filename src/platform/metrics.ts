import { Registry, collectDefaultMetrics, Histogram, Counter, Gauge } from 'prom-client';

export { Histogram, Counter, Gauge };

/** One registry per process, with Node's process metrics (CPU, memory, event-loop lag, GC). */
export function createMetricsRegistry(app: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** The registry's counter of that name, created on first use (several components may share one). */
export function sharedCounter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return (registry.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
}
