/// <reference lib="dom" />
import { waitFor } from '@cad/db/testing';
import { openConsole, screenshot, useServerAndChromium } from './support/browser';

/**
 * A call from an address with a hazard note kept by the city: the incident card shows the note
 * (marked HAZARD) and the earlier incident there.
 */
describe('the incident card at a known address', () => {
  const env = useServerAndChromium('premise-card', { ACK_TIMEOUT_S: '3600', DUPLICATE_RADIUS_M: '0' });

  it('shows the hazard note and the earlier incident', async () => {
    const at = { lat: 37.789, lon: -122.401 };
    expect((await env.server.request('POST', '/api/premise-notes', { ...at, kind: 'hazard', text: 'Oxygen cylinders in the basement' })).status).toBe(201);
    const incidentOf = async (type: string) => {
      const r = await env.server.request('POST', '/api/calls', { type, priority: 3, ...at });
      expect(r.status).toBe(202);
      return waitFor(async () => (await env.server.db.query(`SELECT incident_id FROM call WHERE id = $1`, [r.body.id])).rows[0]?.incident_id ?? null, 15000, 'the incident');
    };
    await incidentOf('Alarms');
    const console = await openConsole(env.browser, env.server);
    const incidentId = await incidentOf('Medical Incident');
    await console.page.click(`.incident-row[data-incident-id="${incidentId}"]`, { timeout: 15000 });
    await console.page.waitForSelector('#detail .premise-notes .premise-hazard', { timeout: 10000 });
    expect(await console.page.textContent('#detail .premise-notes')).toContain('Oxygen cylinders in the basement');
    await console.page.waitForSelector('#detail .incident-history li', { timeout: 10000 });
    expect(await console.page.textContent('#detail .incident-history')).toContain('Earlier incidents here');
    await screenshot(console.page, 'console-premise-hazard-and-history');
    expect(console.errors).toEqual([]);
    await console.context.close();
  });
});
