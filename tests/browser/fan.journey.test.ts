// Two fans in a real browser: sign in, join the line, wait (live position), get admitted, pick the
// same seat; one holds it, the other is told it was taken and picks another; both top up their
// wallet, pay and see their confirmation. The API runs here, the workers as separate processes.
// Screenshots of every step: .services/screenshots/fan-journey/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApi, type TestApi } from '../support/app.ts';
import { spawnWorker, type WorkerProcess } from '../support/processes.ts';
import { makeConcert } from '../support/fixtures.ts';
import { testEnv, userIdSource } from '../support/env.ts';
import { api } from '../support/http.ts';
import { buildPages, launchBrowser, openFan, PHONE, screenshotsDir, type FanPage } from '../support/fan-browser.ts';
import { runAudit } from '../../src/domain/audit/audit.service.ts';
import { Seat } from '../../src/domain/catalog/catalog.entity.ts';

let t: TestApi;
const workers: WorkerProcess[] = [];
let browser: Browser;
const users = userIdSource();
const shots = screenshotsDir('fan-journey');
const TIMEOUT = 30_000;

beforeAll(async () => {
  // Two fans may be active at once, so two others in front keep our fans waiting until they leave.
  const env = testEnv({ QUEUE_MAX_ACTIVE: '2', QUEUE_TICK_MS: '250', WEB_DIR: await buildPages() });
  t = await startTestApi(env);
  // Started one by one and remembered at once, so a slow start never leaves a process behind.
  browser = await launchBrowser();
  for (let i = 0; i < 2; i++) workers.push(await spawnWorker(env));
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all(workers.map((w) => w.stop()));
  await t?.close();
});

async function occupyTheFront(concertId: number): Promise<{ jwt: string; token: string }[]> {
  const front = await Promise.all(users(2).map(async (userId) => {
    const jwt = await t.token(userId);
    const res = await api(t.url, '/api/queue/tokens', { method: 'POST', token: jwt, json: { concertId } });
    expect(res.status).toBe(201);
    return { jwt, token: res.json.token as string };
  }));
  await expect.poll(async () => {
    const states = await Promise.all(front.map((f) => api(t.url, '/api/queue/status', { token: f.jwt, headers: { 'x-queue-token': f.token } })));
    return states.map((s) => s.json.state);
  }, { timeout: TIMEOUT }).toEqual(['ACTIVE', 'ACTIVE']);
  return front;
}

async function joinLine(fan: FanPage, title: string) {
  await fan.page.getByRole('link', { name: title }).click();
  await fan.page.getByRole('heading', { level: 1, name: title }).waitFor();
  await fan.shot('concert');
  await fan.page.getByRole('button', { name: 'Join the line for tickets' }).click();
  await fan.page.getByRole('heading', { level: 1, name: 'Waiting room' }).waitFor();
}

async function payWithTopUp(fan: FanPage) {
  await fan.page.getByTestId('hold-countdown').waitFor({ timeout: TIMEOUT });
  await fan.shot('held');
  // A new fan's wallet is empty: the page offers exactly the shortfall.
  await fan.page.getByRole('button', { name: /^Top up/ }).click();
  await fan.page.getByRole('button', { name: /^Pay / }).waitFor({ timeout: TIMEOUT });
  await fan.shot('topped-up');
  await fan.page.getByRole('button', { name: /^Pay / }).click();
  await fan.page.getByRole('heading', { level: 1, name: 'You are going!' }).waitFor({ timeout: TIMEOUT });
  await fan.shot('confirmed');
}

describe('the fans\' pages', () => {
  it('two fans wait, are admitted live, race for one seat; the loser is told why; both pay', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 24, price: 55_000, maxSeatsPerUser: 2 });
    const scheduleId = schedules[0]!.id;
    const front = await occupyTheFront(concert.id);

    const [idA, idB] = users(2) as [number, number];
    const a = await openFan(browser, t.url, idA, { dir: shots, label: 'fan-a' });
    const b = await openFan(browser, t.url, idB, { dir: shots, label: 'fan-b' }, PHONE); // the second fan is on a phone
    await a.shot('concerts');

    // Join: both wait behind the two active fans, and see their place.
    await joinLine(a, concert.title);
    await a.page.getByTestId('position').filter({ hasText: /^1$/ }).waitFor({ timeout: TIMEOUT });
    await joinLine(b, concert.title);
    await b.page.getByTestId('position').filter({ hasText: /^2$/ }).waitFor({ timeout: TIMEOUT });
    await expect(b.page.getByRole('progressbar', { name: 'Progress to the front of the line' }).count()).resolves.toBe(1);
    await a.shot('waiting');
    await b.shot('waiting');

    // The two in front leave; the next admission tick lets our fans in and their pages change live.
    for (const f of front) {
      const left = await api(t.url, '/api/queue/tokens/current', { method: 'DELETE', token: f.jwt, headers: { 'x-queue-token': f.token } });
      expect(left.status).toBe(204);
    }
    for (const fan of [a, b]) {
      await fan.page.getByRole('heading', { level: 1, name: 'It is your turn!' }).waitFor({ timeout: TIMEOUT });
      await fan.shot('admitted');
      await fan.page.getByRole('link', { name: /^Choose seats for/ }).click();
      await fan.page.getByRole('heading', { level: 1, name: 'Choose your seats' }).waitFor();
    }

    // Both pick seat 7; A also picks 8, then holds first.
    const seat = (fan: FanPage, n: number) => fan.page.locator(`button[data-seat="${n}"]`);
    await seat(a, 7).click();
    await seat(a, 8).click();
    await seat(b, 7).click();
    await expect(seat(b, 7).getAttribute('aria-pressed')).resolves.toBe('true');
    await a.shot('seats-picked');
    await b.shot('seat-picked');
    await a.page.getByRole('button', { name: 'Hold seats 7, 8' }).click();
    await a.page.getByTestId('hold-countdown').waitFor({ timeout: TIMEOUT });

    // B's page either learns it from the live map first or from the failed hold: either way B is
    // told, in words, that another fan took the seat.
    // (The live map may drop the seat from B's pick before the click lands; then there is no button.)
    await b.page.getByRole('button', { name: 'Hold seat 7' }).click({ timeout: 2000 }).catch(() => undefined);
    await b.page.getByRole('alert').filter({ hasText: /seat 7 was taken by another fan/ }).waitFor({ timeout: TIMEOUT });
    await expect.poll(() => seat(b, 7).isDisabled(), { timeout: TIMEOUT }).toBe(true);
    await expect.poll(() => seat(b, 8).getAttribute('class'), { timeout: TIMEOUT }).toContain('seat-held');
    await b.shot('seat-lost');

    await seat(b, 9).click();
    await b.page.getByRole('button', { name: 'Hold seat 9' }).click();

    await payWithTopUp(a);
    await payWithTopUp(b);
    await a.page.getByText('seats 7, 8').first().waitFor();
    await b.page.getByText('seat 9').first().waitFor();

    // My reservations lists the confirmed one.
    await a.page.getByRole('link', { name: 'My reservations' }).first().click();
    await a.page.getByText('confirmed').first().waitFor({ timeout: TIMEOUT });
    await a.shot('my-reservations');

    const sold = await t.rt.orm.em.fork().find(Seat, { scheduleId, status: 'SOLD' }, { orderBy: { seatNumber: 'asc' } });
    expect(sold.map((s) => s.seatNumber)).toEqual([7, 8, 9]);
    expect((await runAudit(t.rt.orm.em.fork())).violations).toEqual({});
    await a.context.close();
    await b.context.close();
  }, 180_000);
});
