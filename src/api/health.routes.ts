import { Router } from 'express';
import type { Registry } from 'prom-client';
import { runChecks, type Check } from '../platform/health.ts';

export function healthRoutes(checks: Record<string, Check>, metrics: Registry): Router {
  const r = Router();
  r.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/health/ready', async (_req, res) => {
    const report = await runChecks(checks);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  r.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  return r;
}
