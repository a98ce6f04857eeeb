/// <reference lib="dom" />
import { waitFor } from '@cad/db/testing';
import { openConsole, screenshot, useServerAndChromium } from './support/browser';

/**
 * Issue 15: with a drill running, the console shows one world at a time. The live view lists live
 * incidents only; the exercise view lists the drill's incidents below every live one, so a live P1
 * reported during the drill is first in its queue, not 11th of 19. The header counts the world
 * chosen and says which, and the drill's units (the same ids as the live ones) are never drawn.
 */
describe('the console switch shows one world at a time, and a live P1 above the drill', () => {
  const env = useServerAndChromium('world-switch', { ACK_TIMEOUT_S: '3600' });

  it('live view: live only; exercise view: the live P1 first, then the drill; header counts one world', async () => {
    const { page, errors, context } = await openConsole(env.browser, env.server);
    const started = await env.server.request('POST', '/api/drills', { day: '2017-01-01', speed: 600, policy: 'nearest', seed: 2 });
    expect(started.status).toBe(201);
    const drillId = started.body.id as string;
    // Several exercise incidents are open, dispatched from the drill's own fleet.
    await waitFor(async () => {
      const r = await env.server.db.query(`SELECT count(*)::int AS n FROM incident WHERE drill_id = $1 AND status IN ('dispatched', 'en_route', 'on_scene')`, [drillId]);
      return r.rows[0].n >= 3 || undefined;
    }, 90000, 'open exercise incidents');

    // A live cardiac arrest in the middle of the drill's streets.
    const [near] = (await env.server.db.query(`SELECT lat, lon FROM incident WHERE drill_id = $1 ORDER BY received_at LIMIT 1`, [drillId])).rows;
    const live = await env.server.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: near.lat + 0.0002, lon: near.lon, address: 'live P1 beside the drill', callNumber: 'live-p1' });
    expect(live.status).toBe(202);
    const incidentId = await waitFor(async () => {
      const r = await env.server.db.query(`SELECT incident_id FROM call WHERE call_number = 'live-p1' AND incident_id IS NOT NULL`);
      return r.rows[0]?.incident_id as string | undefined;
    }, 30000, 'live incident');

    // Live view (the default): the live P1 and no exercise row; the header says Live.
    await page.waitForSelector(`.incident-row[data-incident-id="${incidentId}"]`, { timeout: 30000 });
    const liveView = await page.evaluate(() => ({
      exerciseRows: document.querySelectorAll('.incident-row.exercise').length,
      world: document.querySelector('.counter.world .v')?.textContent,
      checked: document.querySelector('#world-switch button[aria-checked="true"]')?.textContent,
    }));
    expect(liveView).toEqual({ exerciseRows: 0, world: 'Live', checked: 'Live' });

    // Exercise view: the drill's incidents appear, below the live P1 in every queue; the header counts the drill's.
    await page.click('#world-switch button[data-world="exercise"]');
    await page.waitForFunction(() => document.querySelectorAll('.incident-row.exercise').length >= 3, null, { timeout: 30000 });
    const exerciseView = await page.evaluate((id) => {
      const row = document.querySelector(`.incident-row[data-incident-id="${id}"]`)!;
      const queueRows = Array.from(row.parentElement!.querySelectorAll('.incident-row'));
      return {
        firstInItsQueue: queueRows[0]?.getAttribute('data-incident-id') === id,
        // In every queue, no live row comes after an exercise row.
        liveAlwaysAbove: ['pending-list', 'active-list', 'resolved-list'].every((q) => {
          const ex = Array.from(document.querySelectorAll(`#${q} .incident-row`)).map((r) => r.classList.contains('exercise'));
          return !ex.includes(true) || ex.lastIndexOf(false) < ex.indexOf(true);
        }),
        world: document.querySelector('.counter.world .v')?.textContent,
        // The header's Open counts the drill's open incidents only (the live P1 is not among them).
        open: Number(document.querySelector('.counter.open .v')?.textContent),
        openExerciseRows: document.querySelectorAll('#pending-list .incident-row.exercise, #active-list .incident-row.exercise').length,
      };
    }, incidentId);
    expect(exerciseView).toMatchObject({ firstInItsQueue: true, liveAlwaysAbove: true, world: 'Exercise' });
    expect(exerciseView.open).toBe(exerciseView.openExerciseRows);
    await screenshot(page, 'console-world-exercise');

    // The drill's units are never drawn: one marker per live unit, whatever the drill does.
    const liveUnits = (await env.server.request('GET', '/api/units')).body as { world: string }[];
    expect(liveUnits.every((u) => u.world === 'live')).toBe(true);
    expect(await page.evaluate(() => document.querySelectorAll('.unit-marker').length)).toBe(liveUnits.length);

    // Back to live: one world again.
    await page.click('#world-switch button[data-world="live"]');
    await page.waitForFunction(() => document.querySelectorAll('.incident-row.exercise').length === 0, null, { timeout: 10000 });
    expect(await page.evaluate(() => document.querySelector('.counter.world .v')?.textContent)).toBe('Live');

    await env.server.request('POST', `/api/drills/${drillId}/stop`);
    expect(errors).toEqual([]);
    await context.close();
  }, 240000);
});
