/// <reference lib="dom" />
import { signInConsole, useServerAndChromium } from './support/browser';

/**
 * The console's Accounts dialog in headless Chromium: the city commander disables an account and sees
 * it, and the change, in the audit list; the account's next request is refused. A district dispatcher
 * gets no Accounts button (and the API refuses it anyway).
 */
describe('the commander disables an account in the console and finds it in the audit', () => {
  const env = useServerAndChromium('accounts-console', { RUN_WORKERS: 'false' });

  it('disables d9 from the Accounts dialog; the audit list shows it and d9 is refused', async () => {
    const d9 = await env.server.signIn('d9');
    const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(env.server.url, { waitUntil: 'domcontentloaded' });
    await signInConsole(page);
    await page.click('#accounts-btn', { timeout: 45000 });
    const row = page.locator('#acc-list tr', { has: page.locator('b', { hasText: /^d9$/ }) });
    await row.locator('button[data-act="disable"]').click({ timeout: 20000 });
    await row.locator('button[data-act="enable"]').waitFor({ timeout: 20000 });
    await page.waitForFunction(() => /commander user\.disable user:d9/.test(document.querySelector('#acc-audit')?.textContent ?? ''), null, { timeout: 20000 });
    expect((await env.server.request('GET', '/api/auth/me', undefined, d9)).status).toBe(401);
    expect(errors).toEqual([]);
  });

  it('shows no Accounts button to a district dispatcher', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(env.server.url, { waitUntil: 'domcontentloaded' });
    await signInConsole(page, 'd2');
    await page.waitForSelector('#drill-btn', { timeout: 45000 });
    expect(await page.locator('#accounts-btn').count()).toBe(0);
  });
});
