// The fans' pages: the bundle built from src/web (esbuild, `npm run build`) served as static files
// under /app, with index.html for every other /app path so the pages' own router takes over.
// Nothing here renders a page: the pages are a client of the API like any other.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import express, { Router } from 'express';
import { AppError } from '../platform/errors.ts';

/** dist/web beside the compiled API (dist/api), or dist/web of the checkout when run from source. */
export function defaultWebDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return /[\\/]dist[\\/]api[\\/]?$/.test(here) ? join(here, '..', 'web') : join(here, '..', '..', 'dist', 'web');
}

export interface WebSettings {
  dir: string;
  /** Development sign-in ("sign in as fan N") is offered only where POST /api/dev/tokens exists. */
  devSignIn: boolean;
  /** The identity provider's sign-in page, which sends the fan back to /app/#access_token=<JWT>. */
  signInUrl?: string;
}

export function webRoutes({ dir, devSignIn, signInUrl }: WebSettings): Router {
  const r = Router();
  const index = join(dir, 'index.html');
  r.get('/', (_req, res) => res.redirect(302, '/app/'));
  r.get('/app/config.json', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ devSignIn, signInUrl: signInUrl ?? null });
  });
  // Revalidated on every load (ETag), so a new build is picked up without stale bundles.
  r.use('/app/assets', express.static(join(dir, 'assets'), { index: false, cacheControl: true, maxAge: 0 }));
  r.use('/app/assets', (req) => {
    throw new AppError('NOT_FOUND', `no asset ${req.path}`);
  });
  r.get(['/app', '/app/{*path}'], (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The fans\' pages are not built: run `npm run build` (or `npm run build:web`).\n');
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return r;
}
