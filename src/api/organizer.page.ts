// Serves the organizer's live sale page and the Chart.js bundle it draws with, from our own files.
import { Router } from 'express';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { AppError } from '../platform/errors.ts';
import { salesPageHtml } from './admin-page/sales.page.ts';

const CHART_JS_URL = '/admin/assets/chart.umd.min.js';

export function organizerPageRoutes(): Router {
  // chart.js's package exports do not expose the UMD build; it sits beside the main file.
  const chartJs = readFileSync(join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  const html = salesPageHtml(CHART_JS_URL);
  const r = Router();
  r.get(CHART_JS_URL, (_req, res) => {
    res.type('application/javascript').set('Cache-Control', 'public, max-age=86400').send(chartJs);
  });
  r.get('/admin/sales/:concertId', (req, res) => {
    if (!/^[1-9]\d{0,9}$/.test(String(req.params.concertId))) {
      throw new AppError('VALIDATION_FAILED', 'params.concertId: must be a positive integer', { in: 'params', field: 'concertId' });
    }
    res.type('html').set('Cache-Control', 'no-store').send(html);
  });
  return r;
}
