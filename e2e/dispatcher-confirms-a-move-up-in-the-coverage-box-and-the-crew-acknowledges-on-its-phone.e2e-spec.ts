/// <reference lib="dom" />
import { waitFor } from '@cad/db/testing';
import { openConsole, openResponder, PHONE, screenshot, useServerAndChromium } from './support/browser';

/**
 * Under MOVE_UP_MODE=apply a proposed move-up shows in the console's coverage box by call sign and
 * station names (never ids); the dispatcher confirms and consents there, the crew acknowledges on its
 * phone, and the unit sets off (the phone then offers "At the new station"). (MOVE_UP_MIN_NET_GAIN=0
 * and no automatic sweep: the test proposes the first recommended move the policy lets through.)
 */
describe('a move-up through the console and the phone', () => {
  const env = useServerAndChromium('move-up', { MOVE_UP_MODE: 'apply', MOVE_UP_MIN_NET_GAIN: '0', MOVE_UP_SWEEP_S: '0' });

  it('is confirmed in the coverage box and acknowledged by the crew, then the unit moves', async () => {
    const coverage = (await env.server.request('GET', '/api/coverage')).body;
    let move: any = null;
    for (const m of coverage.moveUps) {
      const r = await env.server.request('POST', '/api/move-ups', { unitId: m.unitId, toStationId: m.toStationId });
      if (r.status === 201) {
        move = r.body;
        break;
      }
    }
    expect(move).not.toBeNull();
    const console = await openConsole(env.browser, env.server);
    const row = `.move-ups li[data-moveup="${move.id}"]`;
    await console.page.waitForSelector(row, { timeout: 30000 });
    const text = (await console.page.textContent(row)) ?? '';
    expect(text).toContain(move.callsign);
    expect(text).toContain(move.toStationName);
    expect(text).not.toContain(move.toStationId);
    await screenshot(console.page, 'console-move-up-proposed');

    await console.page.click(`${row} button[data-moveup-action="confirm"]`);
    await waitFor(async () => (await env.server.db.query(`SELECT dispatcher FROM move_up WHERE id = $1`, [move.id])).rows[0].dispatcher === 'confirmed', 15000, 'confirmed');
    await console.page.waitForSelector(`${row} button[data-moveup-action="consent"]`, { timeout: 15000 });
    await console.page.click(`${row} button[data-moveup-action="consent"]`);
    await waitFor(async () => (await env.server.db.query(`SELECT consented_by FROM move_up WHERE id = $1`, [move.id])).rows[0].consented_by === 'commander', 15000, 'consented');

    const phone = await env.browser.newContext({ ...PHONE });
    const { page, errors } = await openResponder(phone, env.server, move.unitId);
    await page.waitForSelector('#r-moveup button[data-moveup-crew="acknowledge"]', { timeout: 20000 });
    expect(await page.textContent('#r-moveup')).toContain(move.toStationName);
    await page.tap('#r-moveup button[data-moveup-crew="acknowledge"]');
    await page.waitForSelector('#r-moveup button[data-moveup-crew="arrived"]', { timeout: 15000 });
    await screenshot(page, 'responder-move-up-moving');
    const [unit] = (await env.server.db.query(`SELECT station_id FROM unit WHERE world = 'live' AND id = $1`, [move.unitId])).rows;
    expect(unit.station_id).toBe(move.toStationId);
    expect(errors).toEqual([]);
    expect(console.errors).toEqual([]);
    await phone.close();
    await console.context.close();
  });
});
