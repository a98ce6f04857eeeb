import { JurisdictionIndex } from '@cad/domain';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * A call just off the shore (outside every street and district polygon, within MAX_OUTSIDE_METRES)
 * goes to the nearest jurisdiction and is flagged `outsideBoundary`, on the incident and its event.
 */
describe('a point outside every district', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('outside');
  });
  afterAll(async () => {
    await t.close();
  });

  it('is placed in the nearest street and flagged', async () => {
    const index = t.app.get(JurisdictionIndex);
    // In the bay north of the Marina: walk north from the shore until the point is outside every polygon.
    let p = { lat: 37.8060, lon: -122.4400 };
    while (!index.locate(p.lat, p.lon).outsideBoundary) p = { ...p, lat: p.lat + 0.0005 };
    p = { ...p, lat: p.lat + 0.001 };
    const placement = index.locate(p.lat, p.lon);
    expect(placement.outsideBoundary).toBe(true);
    expect(placement.distanceMetres).toBeGreaterThan(50);
    expect(placement.distanceMetres).toBeLessThan(t.config.MAX_OUTSIDE_METRES);

    const call = await t.request('POST', '/api/calls', { type: 'Water Rescue', priority: 1, ...p });
    expect(call.status).toBe(202);
    const incident = await t.incidentOf(call.body.id, true);
    expect(incident.outsideBoundary).toBe(true);
    expect(incident.street.id).toBe(placement.streetId);
    expect(incident.district.id).toBe(placement.districtId);
    const events = (await t.request('GET', `/api/incidents/${incident.id}/events`)).body;
    expect(events.find((e: any) => e.type === 'incident.created').payload.outsideBoundary).toBe(true);
  });
});
