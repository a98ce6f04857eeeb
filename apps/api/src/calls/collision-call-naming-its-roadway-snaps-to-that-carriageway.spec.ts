import { startTestApp, TestApp } from '../testing/test-app';

/**
 * Issue 18, part 1: "a traffic collision may name its roadway and direction (e.g. US-101 northbound,
 * a tunnel) and snaps there". Above the Presidio Parkway tunnels at the Main Post (37.803, -122.456) an
 * address call snaps to the surface street; a collision call at the same point naming "US 101
 * eastbound" snaps into the tunnel carriageway going east, and its units are routed there. The hostile
 * twins: a roadway or heading that is not one is refused naming the field, and nothing is stored.
 */
describe('a collision call naming its roadway snaps to that carriageway', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('call-roadway');
  });
  afterAll(async () => {
    await t.close();
  });
  const point = { lat: 37.803, lon: -122.456 };

  it('an address call above the tunnel snaps to the surface street; a collision in the tunnel snaps into it', async () => {
    const address = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, ...point, address: 'Presidio Main Post' });
    expect(address.status).toBe(202);
    const above = await t.incidentOf(address.body.id);
    expect(above.roadway).toBeNull();
    expect(above.access.surface).toBe(true);

    const crash = await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 1, ...point, roadway: 'US 101 eastbound' });
    expect(crash.status).toBe(202);
    const inTunnel = await t.incidentOf(crash.body.id);
    expect(inTunnel.roadway).toBe('US 101 eastbound');
    expect(inTunnel.access.surface).toBe(false);
    expect(inTunnel.access.road).not.toBe(above.access.road);
    // The access points differ: the tunnel lies under the street, within the 300 m a named roadway is looked for.
    expect([inTunnel.access.lat, inTunnel.access.lon]).not.toEqual([above.access.lat, above.access.lon]);
    expect(inTunnel.access.distanceMetres).toBeLessThan(300);
    // Units sent to the collision are driven to its access point in the tunnel.
    for (const a of inTunnel.assignments) {
      expect(a.route.coordinates.at(-1)).toEqual([inTunnel.access.lon, inTunnel.access.lat]);
    }
  });

  it('a heading given apart from the roadway keeps the carriageway going that way', async () => {
    // Each collision is cancelled before the next, else the next call at the same point joins it as a duplicate.
    const collision = async (headingDegrees: number) => {
      const incident = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 2, ...point, roadway: 'US 101', headingDegrees })).body.id);
      expect((await t.request('POST', `/api/incidents/${incident.id}/cancel`, { disposition: 'test: next carriageway' })).status).toBe(200);
      return incident;
    };
    for (const open of (await t.request('GET', '/api/incidents')).body.items) await t.request('POST', `/api/incidents/${open.id}/cancel`, { disposition: 'test' });
    const east = await collision(90);
    const west = await collision(270);
    expect(east.headingDegrees).toBe(90);
    expect(east.access.surface).toBe(false);
    expect(west.access.surface).toBe(false);
    // Two carriageways: the two access points are not the same point of road.
    expect([east.access.lat, east.access.lon]).not.toEqual([west.access.lat, west.access.lon]);
  });

  it('refuses a roadway or heading that is not one, naming the field, and stores nothing', async () => {
    const before = (await t.ds.query(`SELECT COUNT(*)::int AS n FROM call`))[0].n;
    const cases: [Record<string, unknown>, string][] = [
      [{ roadway: 'US 101\u0000' }, 'roadway'],
      [{ roadway: 'x'.repeat(81) }, 'roadway'],
      [{ roadway: '   ' }, 'roadway'],
      [{ roadway: 101 }, 'roadway'],
      [{ headingDegrees: 360 }, 'headingDegrees'],
      [{ headingDegrees: -1 }, 'headingDegrees'],
      [{ headingDegrees: 'north' }, 'headingDegrees'],
    ];
    for (const [extra, field] of cases) {
      const r = await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 2, ...point, ...extra });
      expect([field, r.status]).toEqual([field, 400]);
      expect(JSON.stringify(r.body.message)).toContain(field);
    }
    expect((await t.ds.query(`SELECT COUNT(*)::int AS n FROM call`))[0].n).toBe(before);
  });
});
