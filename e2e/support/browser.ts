/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { waitFor } from '@cad/db/testing';
import { Server, startServer } from './server';

/** Screenshots of the console and responder page land here (not committed). */
export const ARTIFACTS = path.resolve('test-artifacts');

/** Launches Debian's Chromium headless (`CHROMIUM_PATH` overrides `/usr/bin/chromium`). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Saves a full-page screenshot as `test-artifacts/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({
    path: path.join(ARTIFACTS, `${name}.png`),
    fullPage: true,
  });
}

/** A page with the uncaught errors it raised (a test expects none). */
export interface WatchedPage {
  page: Page;
  errors: string[];
}

/** Opens a page in `context` that records uncaught errors. */
export async function watchedPage(context: BrowserContext): Promise<WatchedPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

/** Password of the seeded demo accounts (see db/import/demo-users.ts). */
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'dispatch-demo';

/** Signs the console in through its sign-in form (the city commander unless given). */
export async function signInConsole(page: Page, username = 'commander'): Promise<void> {
  await page.waitForSelector('#signin-dialog[open]');
  await page.fill('#signin-user', username);
  await page.fill('#signin-password', DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#signin-dialog:not([open])', { state: 'attached' });
}

/** Opens the dispatcher console (1400×900), signs in, and waits until the units are drawn and the socket is live. */
export async function openConsole(browser: Browser, s: Server): Promise<WatchedPage & { context: BrowserContext }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const w = await watchedPage(context);
  await w.page.goto(s.url, { waitUntil: 'domcontentloaded' });
  await signInConsole(w.page);
  await w.page.waitForFunction(() => document.querySelectorAll('.unit-marker').length > 0, null, { timeout: 45000 });
  await w.page.waitForSelector('#conn-status[data-state="live"]', { timeout: 20000 });
  return { ...w, context };
}

/** `POST /api/calls` from the test process, as the city commander. */
export function postCall(s: Server, body: unknown): Promise<{ status: number }> {
  return s.request('POST', '/api/calls', body);
}

/** Phone-sized context options: 390×844 CSS pixels, touch. */
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** Opens the responder page in `context` and signs in as `unitId`'s crew (account = unit id in lower case). */
export async function openResponder(context: BrowserContext, s: Server, unitId: string): Promise<WatchedPage> {
  const w = await watchedPage(context);
  await w.page.goto(`${s.url}/responder`, { waitUntil: 'domcontentloaded' });
  await w.page.waitForSelector('#r-signin-form');
  await w.page.fill('#r-user', unitId.toLowerCase());
  await w.page.fill('#r-password', DEMO_PASSWORD);
  await w.page.tap('#r-signin');
  return w;
}

/** An assignment row as the tests read it back. */
export interface AssignmentRow {
  id: string;
  incident_id: string;
  unit_id: string;
  status: string;
}

/** Waits until the incident of `callNumber` has at least one assignment, and answers them. */
export function assignmentsOfCall(s: Server, callNumber: string): Promise<AssignmentRow[]> {
  return waitFor(
    async () => {
      const r = await s.db.query<AssignmentRow>(
        `SELECT a.id, a.incident_id, a.unit_id, a.status FROM assignment a JOIN call c ON c.incident_id = a.incident_id
          WHERE c.call_number = $1 ORDER BY a.dispatched_at`,
        [callNumber],
      );
      return r.rowCount ? r.rows : null;
    },
    30000,
    `assignments of call ${callNumber}`,
  );
}

/** The API process and Chromium shared by the tests of one spec file. */
export interface BrowserTestEnv {
  server: Server;
  browser: Browser;
}

/**
 * Registers `beforeAll`/`afterAll` that start the API (database clone labelled `label`, extra
 * environment `serverEnv`) and Chromium, and stop both. Read the fields inside tests (they are set once `beforeAll` ran).
 */
export function useServerAndChromium(label: string, serverEnv: Record<string, string> = {}): BrowserTestEnv {
  const env = {} as BrowserTestEnv;
  beforeAll(async () => {
    env.server = await startServer(label, serverEnv);
    env.browser = await launchChromium();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/**
 * The toolbar buttons shown that are not wholly inside the viewport, or whose label breaks over more
 * than one line (by their text, e.g. `["Situation"]`); empty when the toolbar fits.
 */
export function toolbarMisfits(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLButtonElement>('.toolbar > button'))
      .filter((b) => !b.hidden && b.offsetParent !== null)
      .filter((b) => {
        const r = b.getBoundingClientRect();
        const label = b.querySelector('span') ?? b;
        const range = document.createRange();
        range.selectNodeContents(label);
        const lines = new Set(Array.from(range.getClientRects()).map((x) => Math.round(x.top))).size;
        return r.left < 0 || r.top < 0 || r.right > window.innerWidth || r.bottom > window.innerHeight || lines > 1;
      })
      .map((b) => (b.textContent ?? '').trim()),
  );
}
