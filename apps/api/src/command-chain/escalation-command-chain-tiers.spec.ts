import { startTestApp, TestApp } from '../testing/test-app';

/**
 * The commanding tier draws units from its own subtree only, and an incident escalates (with the
 * failing NFPA 1710 target recorded) when its tier cannot cover the plan in time.
 */
describe('escalation up the command chain', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('escalation');
  });
  afterAll(async () => {
    await t.close();
  });

  /** A point inside a street: the centre of its boundary's bounding box, checked by the API's own placement. */
  async function pointIn(streetId: string): Promise<{ lat: number; lon: number } | null> {
    const [j] = await t.ds.query(`SELECT boundary FROM jurisdiction WHERE id = $1`, [streetId]);
    const coords: number[][] = JSON.stringify(j.boundary).match(/-?\d+\.\d+,-?\d+\.\d+/g)!.map((p) => p.split(',').map(Number));
    for (const [lon, lat] of coords) {
      // Step a little inwards from each vertex towards the mean until the API places the point in the street.
      const mLon = coords.reduce((s, c) => s + c[0], 0) / coords.length;
      const mLat = coords.reduce((s, c) => s + c[1], 0) / coords.length;
      for (const f of [0.5, 0.3, 0.7, 0.1, 0.9]) {
        const p = { lat: lat + (mLat - lat) * f, lon: lon + (mLon - lon) * f };
        const placed = await t.request('POST', '/api/calls', { type: 'Other', priority: 3, ...p, callNumber: `probe-${streetId}-${lat}-${f}` });
        const inc = await t.incidentOf(placed.body.id, true);
        await t.request('POST', `/api/incidents/${inc.id}/cancel`, { disposition: 'placement probe' });
        if (inc.street?.id === streetId && !inc.outsideBoundary) return p;
      }
    }
    return null;
  }

  it('a street with no units of its own escalates to its district, recording why, and draws only on that district', async () => {
    const [street] = await t.ds.query(
      `SELECT j.id, j.parent_id FROM jurisdiction j WHERE j.level = 'street'
        AND NOT EXISTS (SELECT 1 FROM unit u WHERE u.home_street_id = j.id) ORDER BY j.area_m2 DESC LIMIT 1`,
    );
    const p = (await pointIn(street.id))!;
    expect(p).not.toBeNull();
    await t.settle();
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, ...p });
    const incident = await t.incidentOf(call.body.id);
    expect(incident.street.id).toBe(street.id);
    expect(incident.escalations[0]).toMatchObject({ fromTier: 'street', toTier: 'district', reason: 'plan_not_coverable', toJurisdictionId: street.parent_id });
    expect(incident.escalations[0].detail).toContain('in this tier');
    expect(['district', 'city']).toContain(incident.commandingTier);
    if (incident.commandingTier === 'district') {
      expect(incident.commandingJurisdiction.id).toBe(street.parent_id);
      for (const a of incident.assignments) {
        const [u] = await t.ds.query(`SELECT j.parent_id FROM unit u JOIN jurisdiction j ON j.id = u.home_street_id WHERE u.id = $1`, [a.unitId]);
        expect(u.parent_id).toBe(street.parent_id);
      }
    } else {
      // Went on to the city: the second step names the NFPA target the district missed.
      expect(incident.escalations[1]).toMatchObject({ fromTier: 'district', toTier: 'city', reason: 'plan_not_coverable' });
      expect(incident.escalations[1].detail).toMatch(/no unit|NFPA 1710/);
    }
    const events = (await t.request('GET', `/api/incidents/${incident.id}/events`)).body;
    expect(events.map((e: any) => e.type)).toContain('incident.escalated');
  });

  it('a street whose own station covers the plan keeps command and sends its own units', async () => {
    // A station whose units alone fill a plan: put the call at the station (travel ~0 s).
    const plans: { call_type: string; slots: Record<string, number> }[] = await t.ds.query(`SELECT call_type, slots FROM response_plan`);
    const stations: { station_id: string; home_street_id: string; lat: number; lon: number; caps: string[] }[] = await t.ds.query(
      `SELECT station_id, home_street_id, min(home_lat) AS lat, min(home_lon) AS lon, array_agg(capabilities[1]) AS caps
         FROM unit WHERE station_id IS NOT NULL AND home_street_id IS NOT NULL AND status = 'available' GROUP BY station_id, home_street_id`,
    );
    const picks: { plan: string; station: (typeof stations)[number] }[] = [];
    for (const plan of plans) {
      for (const s of stations) {
        if (Object.entries(plan.slots).every(([cap, n]) => s.caps.filter((c) => c === cap).length >= n)) picks.push({ plan: plan.call_type, station: s });
      }
    }
    // A station on a street boundary may be placed in the neighbouring street: take the first that is not.
    let incident: any = null;
    for (const pick of picks) {
      const call = await t.request('POST', '/api/calls', { type: pick.plan, priority: 2, lat: pick.station.lat, lon: pick.station.lon });
      const got = await t.incidentOf(call.body.id);
      if (got.street.id === pick.station.home_street_id) {
        incident = got;
        break;
      }
      await t.request('POST', `/api/incidents/${got.id}/cancel`, {});
    }
    expect(incident).not.toBeNull();
    expect(incident.commandingTier).toBe('street');
    expect(incident.escalations).toEqual([]);
    for (const a of incident.assignments) {
      const [u] = await t.ds.query(`SELECT home_street_id FROM unit WHERE id = $1`, [a.unitId]);
      expect(u.home_street_id).toBe(incident.street.id);
    }
  });

  it('escalates and de-escalates by hand, and answers 409 naming the tier at the top', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7955, lon: -122.4030 });
    const incident = await t.incidentOf(call.body.id);
    let tier = incident.commandingTier;
    while (tier !== 'city') {
      const r = await t.request('POST', `/api/incidents/${incident.id}/escalate`, { reason: 'commander takes over' });
      expect(r.status).toBe(200);
      expect(r.body.escalations.at(-1)).toMatchObject({ reason: 'manual', detail: 'commander takes over', fromTier: tier });
      tier = r.body.commandingTier;
    }
    const top = await t.request('POST', `/api/incidents/${incident.id}/escalate`, { reason: 'again' });
    expect(top.status).toBe(409);
    expect(top.body.message).toContain('commanded at city level');
    const down = await t.request('POST', `/api/incidents/${incident.id}/deescalate`, { reason: 'under control' });
    expect(down.body.commandingTier).toBe('district');
    expect(down.body.commandingJurisdiction.id).toBe(incident.district.id);
    const bad = await t.request('POST', `/api/incidents/${incident.id}/escalate`, {});
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('reason');
  });
});

describe('a street requests extra resources from its district', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('resource-request');
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends the nearest units of the district (the city only for what the district lacks), keeps command, and records the request', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 37.7925, lon: -122.4350 });
    const incident = await t.incidentOf(call.body.id);
    // Hand command back down to the street so the request goes to its district.
    while ((await t.request('GET', `/api/incidents/${incident.id}`)).body.commandingTier !== 'street') {
      expect((await t.request('POST', `/api/incidents/${incident.id}/deescalate`, { reason: 'street takes command' })).status).toBe(200);
    }
    const before = new Set(incident.assignments.map((a: any) => a.unitId));
    const r = await t.request('POST', `/api/incidents/${incident.id}/resource-requests`, { capabilities: ['engine', 'truck'], reason: 'second alarm' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ fromTier: 'district', jurisdictionId: incident.district.id });
    expect(r.body.sent.length + r.body.unfilled.length).toBe(2);
    // Units come from the district; a capability the district has none of left comes from the city.
    const events = (await t.request('GET', `/api/incidents/${incident.id}/events`)).body;
    const reasons = new Map<string, string>(
      events.filter((e: any) => e.type === 'assignment.created').map((e: any) => [e.payload.assignment.unitId, e.payload.reason]),
    );
    // The dispatcher's reason is kept as typed, replacing no unit.
    const [requested] = events.filter((e: any) => e.type === 'incident.resources_requested');
    expect(requested.payload.reason).toBe('second alarm');
    expect(requested.payload).not.toHaveProperty('replacesUnitId');
    for (const s of r.body.sent) {
      expect(before.has(s.unitId)).toBe(false);
      const [u] = await t.ds.query(`SELECT j.parent_id FROM unit u JOIN jurisdiction j ON j.id = u.home_street_id WHERE u.id = $1`, [s.unitId]);
      if (u.parent_id !== incident.district.id) expect(reasons.get(s.unitId)).toContain('none left in the district');
    }
    const after = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
    expect(after.commandingTier).toBe('street');
    const bad = await t.request('POST', `/api/incidents/${incident.id}/resource-requests`, { capabilities: ['helicopter'], reason: 'x' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('capabilities must each be one of');
  });
});
