// The fans' pages are served by the API (static bundle, index.html for every /app path) and the
// development sign-in exists outside production only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/app.ts';
import { api } from '../support/http.ts';
import { buildPages } from '../support/fan-browser.ts';

let t: TestApi;
let prod: TestApi;

beforeAll(async () => {
  const dir = await buildPages();
  t = await startTestApi({ WEB_DIR: dir });
  prod = await startTestApi({ WEB_DIR: dir, WEB_SIGN_IN_URL: 'https://id.example.com/authorize?client_id=encore' }, { NODE_ENV: 'production' });
});
afterAll(async () => {
  await t?.close();
  await prod?.close();
});

describe('fans\' pages', () => {
  it('/ leads to /app/, and every /app path answers the page shell', async () => {
    const root = await fetch(`${t.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/app/');
    for (const path of ['/app/', '/app', '/app/concerts/3/queue', '/app/reservations/9/confirmed']) {
      const res = await api(t.url, path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.text).toContain('/app/assets/app.js');
    }
  });

  it('serves the bundle itself, with no reference to any other host', async () => {
    const js = await api(t.url, '/app/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    const html = await api(t.url, '/app/');
    expect(html.text).not.toMatch(/https?:\/\//);
    const css = await api(t.url, '/app/assets/app.css');
    expect(css.status).toBe(200);
    expect((await api(t.url, '/app/assets/missing.js')).status).toBe(404);
  });

  it('tells the page which sign-in to offer', async () => {
    expect((await api(t.url, '/app/config.json')).json).toEqual({ devSignIn: true, signInUrl: null });
    expect((await api(prod.url, '/app/config.json')).json).toEqual({ devSignIn: false, signInUrl: 'https://id.example.com/authorize?client_id=encore' });
  });
});

describe('development sign-in', () => {
  it('mints a token the API accepts (outside production)', async () => {
    const res = await api(t.url, '/api/dev/tokens', { method: 'POST', json: { userId: 42 } });
    expect(res.status).toBe(201);
    const me = await api(t.url, '/api/me', { token: res.json.token });
    expect(me.json).toEqual({ userId: 42 });
  });

  it('rejects a bad user id with the field named', async () => {
    const res = await api(t.url, '/api/dev/tokens', { method: 'POST', json: { userId: 'x' } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_FAILED');
  });

  it('does not exist in production (404)', async () => {
    const res = await api(prod.url, '/api/dev/tokens', { method: 'POST', json: { userId: 42 } });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('NOT_FOUND');
  });
});
