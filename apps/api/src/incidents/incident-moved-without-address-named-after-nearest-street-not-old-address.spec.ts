import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: a dispatcher moved an incident 1.7 km from 550 Columbus Ave to a
 * point on Nob Hill ("move to device point", which sends no address); the incident kept
 * "550 Columbus Ave" and the crew's phone read "LOCATION CHANGED from 550 Columbus Ave to 550
 * Columbus Ave". Now a moved point without a typed address is named after the nearest named street
 * of the road network, and the alert reads old → new.
 */
describe('an incident moved to a point without an address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('movenoaddress');
  });
  afterAll(async () => {
    await t.close();
  });

  it('is named after the nearest street, never the old address, and the crew sees old → new', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.8005, lon: -122.4101, address: '550 Columbus Ave' });
    const incident = await t.incidentOf(call.body.id);
    const units: string[] = incident.assignments.map((a: { unitId: string }) => a.unitId);
    expect(units.length).toBeGreaterThan(0);
    // Pine St between Jones and Leavenworth, on Nob Hill (about 1.7 km away).
    const to = { lat: 37.79036, lon: -122.41512, reason: 'caller\'s phone location' };
    const moved = await t.request('POST', `/api/incidents/${incident.id}/location`, to);
    expect(moved.status).toBe(200);
    expect(moved.body.incident).toMatchObject({ lat: to.lat, lon: to.lon, address: 'near Pine Street' });
    expect(moved.body.alerts.length).toBe(units.length);
    for (const a of moved.body.alerts) expect(a).toMatchObject({ old: { address: '550 Columbus Ave' }, new: { address: 'near Pine Street' } });

    const crew = await t.signIn(units[0].toLowerCase());
    const open = await t.request('GET', `/api/units/${units[0]}/location-alerts`, undefined, crew);
    expect(open.body[0]).toMatchObject({ old: { address: '550 Columbus Ave' }, new: { address: 'near Pine Street' } });
    const events = (await t.request('GET', `/api/incidents/${incident.id}/events`)).body as { type: string; payload: any }[];
    expect(events.find((e) => e.type === 'incident.location_changed')!.payload).toMatchObject({ old: { address: '550 Columbus Ave' }, new: { address: 'near Pine Street' } });

    // The same point again without an address: nothing to change.
    const again = await t.request('POST', `/api/incidents/${incident.id}/location`, to);
    expect(again.status).toBe(400);
    // A typed address still wins over the street name.
    const typed = await t.request('POST', `/api/incidents/${incident.id}/location`, { ...to, address: '1100 Pine St', reason: 'caller confirmed the number' });
    expect(typed.status).toBe(200);
    expect(typed.body.incident.address).toBe('1100 Pine St');
  });
});
