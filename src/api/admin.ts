// Bull Board at /admin/queues behind basic auth. Read-only: the board shows every queue, its
// counts and jobs, and its write endpoints answer 405 (operators retry through the API, not here).
import { Router, type RequestHandler } from 'express';
import basicAuth from 'express-basic-auth';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';

/** `loginGuard` runs before the credentials are checked (rate limits on failed logins, per IP). */
export function adminRoutes(queues: Queue[], user: string, password: string, loginGuard?: RequestHandler): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath('/admin/queues');
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })), serverAdapter: adapter });
  const r = Router();
  if (loginGuard) r.use('/admin/queues', loginGuard);
  r.use('/admin/queues', basicAuth({ users: { [user]: password }, challenge: true, realm: 'Encore admin' }), adapter.getRouter());
  return r;
}
