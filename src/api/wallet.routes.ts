// The caller's wallet: read the balance, charge it (a job, limited per user per minute).
import { Router } from 'express';
import { z } from 'zod';
import { getWallet } from '../domain/wallet/wallet.service.ts';
import { chargedBalance } from '../domain/wallet/wallet.rules.ts';
import { walletViewSchema } from '../jobs/jobs.results.ts';
import { userIdOf } from './auth.ts';
import { acceptedSchema, idempotencyHeader, refusals } from './jobs.accepted.ts';
import type { ApiContext } from './context.ts';

export function walletRoutes({ docs, auth, jobs, em, config }: ApiContext): Router {
  const r = Router();
  docs.route(r, {
    method: 'get', path: '/wallet', summary: 'My balance', tags: ['wallet'], security: 'user', rateLimit: 'read',
    responses: { 200: { description: 'the balance', schema: walletViewSchema } },
  }, [auth], async (req, res) => {
    res.json(await getWallet(em(), userIdOf(req)));
  });

  docs.route(r, {
    method: 'post', path: '/wallet/charges', summary: `Charge my wallet (a job; at most WALLET_CHARGES_PER_MINUTE per user)`, tags: ['wallet'], security: 'user', rateLimit: 'submit',
    headers: idempotencyHeader,
    body: z.object({ amount: z.number().int().positive() }).strict(),
    responses: { 202: { description: 'accepted', schema: acceptedSchema }, 422: { description: 'LIMIT_EXCEEDED: over the per-charge limit' }, ...refusals },
  }, [auth], async (req, res, { body }) => {
    // The wallet's per-charge rule, applied before enqueueing; the balance cap needs the balance,
    // so the worker checks that one.
    chargedBalance(0, body.amount, { maxCharge: config.WALLET_MAX_CHARGE, maxBalance: Number.MAX_SAFE_INTEGER });
    await jobs.submit(req, res, 'wallet.charge', { userId: userIdOf(req), amount: body.amount }, { perMinute: config.WALLET_CHARGES_PER_MINUTE });
  });
  return r;
}
