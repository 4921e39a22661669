// The admin dashboard in a real headless Chromium (Debian's, driven by playwright-core).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApi, type TestApi } from '../support/app.ts';
import { launchBrowser } from '../support/fan-browser.ts';

let t: TestApi;
let browser: Browser;

beforeAll(async () => {
  t = await startTestApi();
  // Something to count on the board.
  await t.api.queues.enqueue('wallet.charge', { userId: 1, amount: 100 }, { jobId: 'charge-board-test', delay: 3_600_000 });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('Bull Board', () => {
  it('without credentials is a 401', async () => {
    const context = await browser.newContext();
    const res = await context.request.get(`${t.url}/admin/queues`);
    expect(res.status()).toBe(401);
    const wrong = await browser.newContext({ httpCredentials: { username: 'admin', password: 'wrong-password' } });
    expect((await wrong.request.get(`${t.url}/admin/queues`)).status()).toBe(401);
    await context.close();
    await wrong.close();
  });

  it('with credentials shows every queue and its counts, read-only', async () => {
    const context = await browser.newContext({
      httpCredentials: { username: t.rt.config.ADMIN_USER, password: t.rt.config.ADMIN_PASSWORD },
    });
    // Keep the test hermetic: the board asks for web fonts from the internet.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    const page = await context.newPage();
    await page.goto(`${t.url}/admin/queues`);
    for (const queue of ['admission', 'reservations', 'payments', 'holds']) {
      await expect.poll(() => page.getByText(queue, { exact: true }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    }
    const api = await context.request.get(`${t.url}/admin/queues/api/queues?activeQueue=charges&status=delayed&page=1`);
    expect(api.status()).toBe(200);
    const payments = (await api.json()).queues.find((q: { name: string }) => q.name === 'charges');
    expect(payments.counts.delayed).toBe(1);
    expect(payments.readOnlyMode).toBe(true);
    const write = await context.request.put(`${t.url}/admin/queues/api/queues/payments/pause`);
    expect(write.status()).toBe(405);
    await context.close();
  });
});
