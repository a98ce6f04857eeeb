import { RoadNetwork } from '@cad/routing';
import { callBody, realCalls } from '@cad/db/testing';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { TravelModelService } from '../routing/travel-model.service';

describe('a real SFFD call posted to /api/calls becomes an incident placed in its street and dispatched by road travel time', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('intake');
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates the incident in the right street and district, assigns the plan by ETA, and logs every change', async () => {
    const call = realCalls().find((c) => c.type === 'Medical Incident')!;
    const res = await fetch(`${t.url}/api/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
      body: JSON.stringify(callBody(call)),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };

    const incident = await waitFor(async () => {
      const list = ((await (await fetch(`${t.url}/api/incidents?open=true`, { headers: { authorization: `Bearer ${t.token}` } })).json()) as { items: any[] }).items;
      return list.find((i) => i.status === 'dispatched');
    });
    const [callRow] = await t.ds.query('SELECT incident_id FROM call WHERE id = $1', [id]);
    expect(callRow.incident_id).toBe(incident.id);

    // Placement agrees with an independent point-in-polygon over the stored boundary.
    const [inside] = await t.ds.query(
      `SELECT j.id, j.parent_id FROM jurisdiction j WHERE j.id = $1`,
      [incident.street.id],
    );
    expect(inside.parent_id).toBe(incident.district.id);
    expect(incident.district.name).toMatch(/^District \d+$/);
    expect(incident.outsideBoundary).toBe(false);

    // The plan for a medical incident of its priority (derived from the data, issue 20: an ambulance alone
    // at P2, an engine and an ambulance at P1), the type's plan when there is no variant.
    const [plan] = await t.ds.query(
      `SELECT slots FROM (SELECT slots, 0 AS k FROM response_plan_variant WHERE call_type = 'Medical Incident' AND priority = $1
       UNION ALL SELECT slots, 1 FROM response_plan WHERE call_type = 'Medical Incident') p ORDER BY k LIMIT 1`,
      [incident.priority],
    );
    const wanted = Object.values(plan.slots as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(incident.assignments).toHaveLength(wanted);
    for (const a of incident.assignments) {
      expect(a.etaSeconds).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(a.etaSeconds)).toBe(true);
      // Issue 20: the ETA is the unit type's turnout from the data + the modelled travel, shown apart.
      expect(a.turnoutSeconds).toBeGreaterThan(0);
      expect(a.travelSeconds).toBeCloseTo(a.etaSeconds - a.turnoutSeconds, 6);
      expect(a.route.type).toBe('LineString');
      const [unit] = await t.ds.query('SELECT status FROM unit WHERE id = $1', [a.unitId]);
      expect(unit.status).toBe('dispatched');
    }

    // Each chosen unit is the capable unit with the least road travel time within the commanding
    // tier's subtree (street: its own units; district: its streets'; city: all): no unit of that
    // subtree still available with that capability is closer, by an independent route per unit.
    const network = t.app.get(RoadNetwork);
    const target = network.snap(incident.lat, incident.lon).node;
    const scope =
      incident.commandingTier === 'city'
        ? ''
        : incident.commandingTier === 'district'
          ? `AND home_street_id IN (SELECT id FROM jurisdiction WHERE parent_id = '${incident.district.id}')`
          : `AND home_street_id = '${incident.street.id}'`;
    expect(incident.commandingJurisdiction.id).toBe(
      { street: incident.street.id, district: incident.district.id, city: incident.city.id }[incident.commandingTier as string],
    );
    const available = (await t.ds.query(`SELECT id, lat, lon, capabilities, unit_type, station_id FROM unit WHERE status = 'available' ${scope}`)) as any[];
    // No unit left available would have arrived sooner by the travel model (issue 20: modelled travel, not raw graph time).
    const travel = t.app.get(TravelModelService);
    for (const a of incident.assignments) {
      for (const u of available.filter((x) => x.capabilities.includes(a.capability))) {
        const r = network.route(network.snap(u.lat, u.lon).node, target);
        expect(r === null || travel.eta(r.seconds, incident.priority === 1, { unitType: u.unit_type, stationId: u.station_id }).travelS >= a.travelSeconds - 1e-6).toBe(true);
      }
    }
    const types = (await t.ds.query(`SELECT type, count(*)::int AS n FROM incident_event WHERE incident_id = $1 GROUP BY type`, [incident.id])) as {
      type: string;
      n: number;
    }[];
    const count = Object.fromEntries(types.map((r) => [r.type, r.n]));
    expect(count['incident.created']).toBe(1);
    expect(count['assignment.created']).toBe(wanted);
    expect(count['unit.status']).toBe(wanted);
  });

  it('answers a repeated call number with the first call id and does not dispatch twice', async () => {
    const call = realCalls().filter((c) => c.type === 'Alarms')[0];
    const post = () =>
      fetch(`${t.url}/api/calls`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` }, body: JSON.stringify(callBody(call)) }).then(
        async (r) => ({ status: r.status, body: (await r.json()) as { id: string; duplicate: boolean } }),
      );
    const first = await post();
    const second = await post();
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body).toEqual({ id: first.body.id, duplicate: true });
    await t.settle(async () => {
      const [r] = await t.ds.query('SELECT incident_id FROM call WHERE id = $1', [first.body.id]);
      return r.incident_id !== null;
    });
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM call WHERE call_number = $1`, [String(call.callNumber)]);
    expect(n).toBe(1);
    const [{ m }] = await t.ds.query(
      `SELECT count(*)::int AS m FROM incident i JOIN call c ON c.incident_id = i.id WHERE c.call_number = $1`,
      [String(call.callNumber)],
    );
    expect(m).toBe(1);
  });
});
