/// <reference lib="dom" />
import { DEMO_PASSWORD, signInConsole, useServerAndChromium } from './support/browser';

/**
 * Accounts (issue 27): any signed-in user changes their own password from the console header. A wrong
 * current password or two new ones that differ are said in the dialog and change nothing; a good change
 * ends every other session of the account (a token from another device is refused) while this console
 * carries on live with the new token, and the new password signs in.
 */
describe('a dispatcher changes their own password in the console', () => {
  const env = useServerAndChromium('own-password', { RUN_WORKERS: 'false' });

  it('refuses a wrong current password, then changes it: other sessions end, this console stays live', async () => {
    const otherDevice = await env.server.signIn('d4');
    const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(env.server.url, { waitUntil: 'domcontentloaded' });
    await signInConsole(page, 'd4');
    await page.waitForSelector('#conn-status[data-state="live"]', { timeout: 45000 });

    await page.click('#password-btn');
    await page.fill('#op-current', 'not-my-password');
    await page.fill('#op-password', 'Harbour-lantern-58-quarry');
    await page.fill('#op-again', 'Harbour-lantern-58-quarry');
    await page.click('#op-set');
    await page.waitForFunction(() => (document.querySelector('#op-error')?.textContent ?? '').length > 0, null, { timeout: 20000 });
    expect((await env.server.request('GET', '/api/auth/me', undefined, otherDevice)).status).toBe(200);

    await page.fill('#op-current', DEMO_PASSWORD);
    await page.fill('#op-again', 'Harbour-lantern-58-quarrx');
    await page.click('#op-set');
    expect(await page.textContent('#op-error')).toBe('the two passwords differ');

    await page.fill('#op-again', 'Harbour-lantern-58-quarry');
    await page.click('#op-set');
    await page.waitForSelector('#own-password-dialog:not([open])', { state: 'attached', timeout: 20000 });
    // The other device's session ended; this console's token is the new one and its socket is live again.
    expect((await env.server.request('GET', '/api/auth/me', undefined, otherDevice)).status).toBe(401);
    const stored = await page.evaluate(() => localStorage.getItem('cad.auth.token'));
    expect((await env.server.request('GET', '/api/auth/me', undefined, stored!)).body.username).toBe('d4');
    await page.waitForSelector('#conn-status[data-state="live"]', { timeout: 45000 });
    expect(await page.evaluate(() => (document.getElementById('signin-dialog') as HTMLDialogElement).open)).toBe(false);
    const fresh = await fetch(`${env.server.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'd4', password: 'Harbour-lantern-58-quarry' }) });
    expect(fresh.status).toBe(200);
    expect(errors).toEqual([]);
  });
});
