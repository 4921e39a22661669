// Composition of the API's module routers.
import { Router } from 'express';
import type { Runtime } from '../platform/runtime.ts';
import { requireUser, userIdOf } from './auth.ts';

export function buildApiRouters(runtime: Runtime): Router[] {
  const auth = requireUser(runtime.config.JWT_SECRET);
  const me = Router();
  me.get('/me', auth, (req, res) => {
    res.json({ userId: userIdOf(req) });
  });
  return [me];
}
