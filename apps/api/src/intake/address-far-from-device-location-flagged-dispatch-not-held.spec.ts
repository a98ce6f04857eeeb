import { haversineMetres } from '@cad/routing';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: "1250 Columbus Ave" sent with the coordinates of 550 Columbus Ave
 * (957 m apart) was accepted and dispatched with no flag; the crew read the wrong address. Now the
 * incident is flagged `locationUnconfirmed` with both points kept, goes at once to the typed
 * address (dispatch is never held), and a dispatcher confirms or moves it.
 */
describe('a typed address far from the device location', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('mismatch');
  });
  afterAll(async () => {
    await t.close();
  });

  const geocode = async (q: string) => (await t.request('GET', `/api/geocode?q=${encodeURIComponent(q)}`)).body as { lat: number; lon: number };

  it('flags the P1 incident, sends units at once to the typed address, and keeps the device point', async () => {
    const device = await geocode('550 Columbus Ave');
    const typed = await geocode('1250 Columbus Ave');
    expect(haversineMetres(device.lat, device.lon, typed.lat, typed.lon)).toBeGreaterThan(900);
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: device.lat, lon: device.lon, accuracyM: 20, address: '1250 Columbus Ave' });
    expect(call.status).toBe(202);
    const incident = await t.incidentOf(call.body.id);
    expect(incident.locationUnconfirmed).toBe(true);
    expect(incident.status).toBe('dispatched');
    expect(incident.assignments.length).toBeGreaterThan(0);
    expect([incident.lat, incident.lon]).toEqual([typed.lat, typed.lon]);
    expect(incident.devicePoint).toEqual({ lat: device.lat, lon: device.lon, accuracyM: 20 });
    // The dispatcher confirms the typed address with the caller: the flag clears, the place stays.
    const confirmed = await t.request('POST', `/api/incidents/${incident.id}/location/confirm`, {});
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ locationUnconfirmed: false, lat: typed.lat, lon: typed.lon });
  });

  it('does not flag a device point within LOCATION_MISMATCH_M, nor one farther whose accuracy covers the gap', async () => {
    const block = await geocode('1250 Columbus Ave');
    const near = { lat: block.lat + 200 / 111_195, lon: block.lon };
    const a = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Alarms', priority: 2, ...near, address: '1250 Columbus Ave' })).body.id);
    expect(a.locationUnconfirmed).toBe(false);
    expect([a.lat, a.lon]).toEqual([near.lat, near.lon]);
    const device = await geocode('550 Columbus Ave');
    const posted = await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 2, lat: device.lat, lon: device.lon, accuracyM: 1000, address: '1250 Columbus Ave' });
    expect(posted.body).toMatchObject({ id: expect.any(String) });
    const coarse = await t.incidentOf(posted.body.id);
    expect(coarse.locationUnconfirmed).toBe(false);
    expect(coarse.devicePoint).toBeNull();
  });

  it('refuses a negative accuracy naming the field', async () => {
    const r = await t.request('POST', '/api/calls', { type: 'Alarms', lat: 37.8, lon: -122.41, accuracyM: -5 });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.message)).toContain('accuracyM');
  });
});
