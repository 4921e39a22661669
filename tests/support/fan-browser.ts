// Helpers for the fans' pages in a real headless Chromium (Debian's, driven by playwright-core):
// the bundle built into a private folder, a browser, one context per fan, and screenshots.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.ts';
import { uniqueId } from './env.ts';

export const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Builds src/web into a folder of this test file's own (the API serves it via WEB_DIR). */
export async function buildPages(): Promise<string> {
  const dir = join(tmpdir(), `encore-web-${uniqueId()}`);
  await buildWeb(dir);
  return dir;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1100, height: 900 };

export interface FanPage { userId: number; context: BrowserContext; page: Page; shot(name: string): Promise<void> }

/** A fan in their own browser context, signed in with the development sign-in form. */
export async function openFan(browser: Browser, baseUrl: string, userId: number, shot: { dir: string; label: string }, viewport = DESKTOP): Promise<FanPage> {
  const context = await browser.newContext({ viewport, baseURL: baseUrl });
  // Offline apart from Encore itself: the pages must need no CDN.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/app/');
  await page.getByLabel(/Fan number/).fill(String(userId));
  await page.getByRole('button', { name: /Sign in as fan/ }).click();
  await page.getByTestId('signed-in-as').filter({ hasText: `Fan ${userId}` }).waitFor();
  mkdirSync(shot.dir, { recursive: true });
  let n = 0;
  return {
    userId, context, page,
    async shot(name: string) {
      n++;
      await page.screenshot({ path: join(shot.dir, `${shot.label}-${String(n).padStart(2, '0')}-${name}.png`), fullPage: true });
      if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    },
  };
}

/** A test's own screenshot folder under .services/screenshots (ignored by git), emptied first. */
export function screenshotsDir(name: string): string {
  const dir = join(process.cwd(), '.services', 'screenshots', name);
  rmSync(dir, { recursive: true, force: true });
  return dir;
}
