// The sold-out path in a real browser: a performance with one seat, one fan buys it while another
// waits in line; the waiting fan is told the concert is sold out (by the waiting room's SOLD_OUT
// state where the server sends it, else by the seat map once admitted). Screenshots:
// .services/screenshots/fan-sold-out/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApi, type TestApi } from '../support/app.ts';
import { spawnWorker, type WorkerProcess } from '../support/processes.ts';
import { makeConcert } from '../support/fixtures.ts';
import { testEnv, userIdSource } from '../support/env.ts';
import { buildPages, launchBrowser, openFan, PHONE, screenshotsDir } from '../support/fan-browser.ts';
import { runAudit } from '../../src/domain/audit/audit.service.ts';
import { Seat } from '../../src/domain/catalog/catalog.entity.ts';

let t: TestApi;
const workers: WorkerProcess[] = [];
let browser: Browser;
const users = userIdSource();
const shots = screenshotsDir('fan-sold-out');
const TIMEOUT = 30_000;

beforeAll(async () => {
  const env = testEnv({ QUEUE_MAX_ACTIVE: '1', QUEUE_TICK_MS: '250', WEB_DIR: await buildPages() });
  t = await startTestApi(env);
  browser = await launchBrowser();
  workers.push(await spawnWorker(env));
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all(workers.map((w) => w.stop()));
  await t?.close();
});

describe('the fans\' pages when the last seat goes', () => {
  it('the fan still in line is told the concert is sold out', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 1, price: 80_000, maxSeatsPerUser: 1 });
    const [idA, idB] = users(2) as [number, number];
    const a = await openFan(browser, t.url, idA, { dir: shots, label: 'buyer' });
    const b = await openFan(browser, t.url, idB, { dir: shots, label: 'waiting-fan' }, PHONE);

    for (const fan of [a, b]) {
      await fan.page.goto(`/app/concerts/${concert.id}`);
      await fan.page.getByRole('button', { name: 'Join the line for tickets' }).click();
      if (fan === a) await a.page.getByRole('heading', { level: 1, name: 'It is your turn!' }).waitFor({ timeout: TIMEOUT });
    }
    // Only one fan may be active: B waits (first in line) while A buys the only seat.
    await b.page.getByTestId('position').filter({ hasText: /^1$/ }).waitFor({ timeout: TIMEOUT });
    await b.shot('waiting');

    await a.page.getByRole('link', { name: /^Choose seats for/ }).click();
    await a.page.locator('button[data-seat="1"]').click();
    await a.page.getByRole('button', { name: 'Hold seat 1' }).click();
    await a.page.getByRole('button', { name: /^Top up/ }).click({ timeout: TIMEOUT });
    await a.page.getByRole('button', { name: /^Pay / }).click({ timeout: TIMEOUT });
    await a.page.getByRole('heading', { level: 1, name: 'You are going!' }).waitFor({ timeout: TIMEOUT });
    await a.shot('bought-the-last-seat');

    // B learns it either in the waiting room (SOLD_OUT) or, once admitted, from the seat map.
    const soldOut = b.page.getByText(/sold out/i).first();
    const choose = b.page.getByRole('link', { name: /^Choose seats for/ });
    await soldOut.or(choose).first().waitFor({ timeout: TIMEOUT });
    if (!(await soldOut.isVisible())) {
      await choose.click();
      await b.page.getByRole('alert').filter({ hasText: 'Sold out.' }).waitFor({ timeout: TIMEOUT });
    }
    await expect(b.page.locator('button.seat-available').count()).resolves.toBe(0);
    await b.shot('sold-out');

    const seats = await t.rt.orm.em.fork().find(Seat, { scheduleId: schedules[0]!.id });
    expect(seats.map((s) => s.status)).toEqual(['SOLD']);
    expect((await runAudit(t.rt.orm.em.fork())).violations).toEqual({});
    await a.context.close();
    await b.context.close();
  }, 180_000);
});
