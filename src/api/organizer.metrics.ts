import { Gauge, type Registry } from 'prom-client';
import { FUNNEL_STAGES, type Funnels } from '../domain/organizer/organizer.funnel.ts';

/**
 * `sale_funnel{concert_id, stage}`: the funnel of every concert on sale (a schedule whose booking
 * has not closed), read when /metrics is scraped. Labels are per concert and stage only, and at
 * most `maxConcerts` concerts are exported, so the series count stays bounded (11 per concert).
 */
export function funnelMetrics(registry: Registry, funnels: Funnels, maxConcerts = 50): void {
  new Gauge({
    name: 'sale_funnel', help: 'live funnel of a concert on sale, by stage (soldOut is 0 or 1)', labelNames: ['concert_id', 'stage'], registers: [registry],
    async collect() {
      // If MySQL or Redis is down the scrape still answers, without these series (/health/ready says why).
      const all = await funnels.onSale(maxConcerts).catch(() => undefined);
      if (!all) return;
      this.reset();
      for (const f of all) {
        for (const stage of FUNNEL_STAGES) this.set({ concert_id: String(f.concertId), stage }, Number(f[stage]));
      }
    },
  });
}
