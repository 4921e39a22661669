// The organizer's live sale page in a real headless Chromium (Debian's, driven by playwright-core):
// it loads Chart.js from our own server, draws the funnel and the per-second rates, and refreshes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApi, type TestApi } from '../support/app.ts';
import { launchBrowser } from '../support/fan-browser.ts';
import { api } from '../support/http.ts';
import { userIdSource } from '../support/env.ts';
import { makeConcert } from '../support/fixtures.ts';
import { adminToken, fundDirect, holdDirect, payDirect } from '../support/admin.ts';

let t: TestApi;
let browser: Browser;
const users = userIdSource();

beforeAll(async () => {
  t = await startTestApi({ QUEUE_MAX_ACTIVE: '5' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

interface ChartState { funnel: number[]; labels: number; admissions: number[]; sales: number[] }

describe('the live sale page', () => {
  // Generous limits: Chromium on a busy 2-core machine can take tens of seconds to start drawing.
  it('draws a non-empty funnel and admissions and sales per second, from our own Chart.js, refreshing itself', { timeout: 240_000 }, async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 20, price: 1000 });
    const fans = users(12);
    const join = (u: number) => t.token(u).then((token) => api(t.url, '/api/queue/tokens', { method: 'POST', token, json: { concertId: concert.id } }));
    for (const u of fans) expect((await join(u)).status).toBe(201);
    await t.api.waitingRoom.promote(concert.id);

    const context = await browser.newContext();
    context.setDefaultTimeout(120_000);
    // Hermetic: any request off our server fails the test (no CDN).
    const offsite: string[] = [];
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => { offsite.push(route.request().url()); return route.abort(); });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.url}/admin/sales/${concert.id}#token=${await adminToken(t, users(1)[0]!)}`);
    expect(page.url()).not.toContain('token='); // the token leaves the address bar at once

    const state = () => page.evaluate((): ChartState | null => {
      const c = (window as unknown as { encoreCharts?: { funnel: { data: { datasets: { data: number[] }[] } }; rates: { data: { labels: unknown[]; datasets: { data: number[] }[] } } } }).encoreCharts;
      if (!c) return null;
      return { funnel: c.funnel.data.datasets[0]!.data, labels: c.rates.data.labels.length, admissions: c.rates.data.datasets[0]!.data, sales: c.rates.data.datasets[1]!.data };
    });
    await expect.poll(async () => (await state())?.funnel[0], { timeout: 60_000 }).toBe(12); // joined
    // While the page watches: more admissions and some sales, which it must draw as rates.
    await t.api.waitingRoom.endFor(fans[0]!, concert.id);
    await t.api.waitingRoom.endFor(fans[1]!, concert.id);
    await t.api.waitingRoom.promote(concert.id);
    for (let i = 0; i < 3; i++) {
      await fundDirect(t, fans[i]!, 5000);
      await payDirect(t, fans[i]!, (await holdDirect(t, fans[i]!, schedules[0]!.id, [i + 1])).reservationId);
    }
    await expect.poll(async () => Math.max(0, ...((await state())?.admissions ?? [])), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(async () => Math.max(0, ...((await state())?.sales ?? [])), { timeout: 60_000 }).toBeGreaterThan(0);
    const s = (await state())!;
    expect(s.funnel.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(s.labels).toBeGreaterThan(0);
    await expect.poll(async () => (await state())?.funnel[6], { timeout: 60_000 }).toBe(3); // paid
    // The canvases really have pixels drawn on them.
    const inked = await page.evaluate(() => [...document.querySelectorAll('canvas')].map((c) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    }));
    expect(inked.every((n) => n > 0)).toBe(true);
    expect(await page.locator('#counts').textContent()).toContain('seatsLeft');
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
    await context.close();
  });

  it('without a token the page asks for one; a fan\'s token is refused', { timeout: 180_000 }, async () => {
    const { concert } = await makeConcert(t.rt.orm.em.fork(), { seats: 1 });
    const context = await browser.newContext();
    context.setDefaultTimeout(120_000);
    const page = await context.newPage();
    await page.goto(`${t.url}/admin/sales/${concert.id}`);
    await expect.poll(() => page.locator('#login').isVisible(), { timeout: 60_000 }).toBe(true);
    await page.fill('#token', await t.token(users(1)[0]!));
    await page.click('#login button');
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 60_000 }).toContain('admin role');
    expect((await context.request.get(`${t.url}/admin/sales/abc`)).status()).toBe(400);
    await context.close();
  });
});
