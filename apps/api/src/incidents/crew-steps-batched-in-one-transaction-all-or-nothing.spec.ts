import { TASK_ORDER_RULE } from '@cad/domain';
import { startTestApp, TestApp } from '../testing/test-app';
import { AssignmentsService } from './assignments.service';
import { IncidentsService } from './incidents.service';

/**
 * Issue 19 (the drill's speed): a drill's simulated crews report a batch of steps in one transaction
 * (`AssignmentsService.changeStatusMany`). The steps are applied in the given order exactly as one
 * report each would be (the same rows and events, the events' ids in that order); a step out of order
 * rolls back the whole batch, leaving every task as it was and no event of it.
 */
describe('crew steps batched in one transaction: applied in order, or none of them', () => {
  let t: TestApp;
  let assignments: AssignmentsService;
  beforeAll(async () => {
    t = await startTestApp('crew_steps_batched');
    assignments = t.app.get(AssignmentsService);
  });
  afterAll(async () => {
    await t.close();
  });

  const eventsOf = (assignmentId: string): Promise<{ id: string; status: string }[]> =>
    t.ds.query(
      `SELECT id, payload->'assignment'->>'status' AS status FROM incident_event WHERE type = 'assignment.updated' AND payload->'assignment'->>'id' = $1 ORDER BY id`,
      [assignmentId],
    );

  it('applies acknowledged, en route and on scene in order in one call, with the unit and incident following and the events in step order', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 2, lat: 37.793, lon: -122.419 });
    const incident = await t.incidentOf(call.body.id);
    const a = incident.assignments[0];
    const before = (await eventsOf(a.id)).length;
    const t0 = Date.now();
    const results = await assignments.changeStatusMany(
      [
        { assignmentId: a.id, to: 'acknowledged', at: new Date(t0 + 1000) },
        { assignmentId: a.id, to: 'en_route', at: new Date(t0 + 2000) },
        { assignmentId: a.id, to: 'on_scene', at: new Date(t0 + 3000), position: { lat: 37.793, lon: -122.419 } },
      ],
      'test',
    );
    expect(results.map((r) => [r.applied, r.assignment.status])).toEqual([
      [true, 'acknowledged'],
      [true, 'en_route'],
      [true, 'on_scene'],
    ]);
    const events = (await eventsOf(a.id)).slice(before);
    expect(events.map((e) => e.status)).toEqual(['acknowledged', 'en_route', 'on_scene']);
    const [unit] = await t.ds.query(`SELECT status, lat, lon FROM unit WHERE world = 'live' AND id = $1`, [a.unitId]);
    expect(unit).toMatchObject({ status: 'on_scene', lat: 37.793, lon: -122.419 });
    const [inc] = await t.ds.query(`SELECT status FROM incident WHERE id = $1`, [incident.id]);
    expect(inc.status).toBe('on_scene');
  });

  it('rolls back every step of the batch when one is out of order (on scene before en route): nothing changed, no event, the rule named', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 2, lat: 37.801, lon: -122.419 });
    const incident = await t.incidentOf(call.body.id);
    const a = incident.assignments[0];
    const before = await eventsOf(a.id);
    const t0 = Date.now();
    await expect(
      assignments.changeStatusMany(
        [
          { assignmentId: a.id, to: 'acknowledged', at: new Date(t0 + 1000) },
          { assignmentId: a.id, to: 'on_scene', at: new Date(t0 + 2000) },
        ],
        'test',
      ),
    ).rejects.toThrow(TASK_ORDER_RULE);
    expect(await eventsOf(a.id)).toEqual(before);
    const [row] = await t.ds.query(`SELECT status, acknowledged_at FROM assignment WHERE id = $1`, [a.id]);
    expect(row).toMatchObject({ status: 'dispatched', acknowledged_at: null });
    const [unit] = await t.ds.query(`SELECT status FROM unit WHERE world = 'live' AND id = $1`, [a.unitId]);
    expect(unit.status).toBe('dispatched');
    expect(await assignments.changeStatusMany([], 'test')).toEqual([]);
  });

  it('writes each row once with what the steps left: the same columns as one report each, a stamp no step set kept to the microsecond, the unit version moved once per step', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 2, lat: 37.7965, lon: -122.4237 });
    const incident = await t.incidentOf(call.body.id);
    const a = incident.assignments[0];
    // An acknowledgement recorded earlier with microseconds (as now() writes them): no step of the batch sets it again.
    await t.ds.query(`UPDATE assignment SET status = 'acknowledged', acknowledged_at = '2026-01-01T00:00:00.123456Z', status_at = now() WHERE id = $1`, [a.id]);
    const [{ version: v0 }] = await t.ds.query(`SELECT version::int AS version FROM unit WHERE world = 'live' AND id = $1`, [a.unitId]);
    const t0 = Date.now() + 5000;
    await assignments.changeStatusMany(
      [
        { assignmentId: a.id, to: 'en_route', at: new Date(t0 + 1000) },
        { assignmentId: a.id, to: 'on_scene', at: new Date(t0 + 2000), position: { lat: 37.7966, lon: -122.4238 } },
      ],
      'test',
    );
    const [row] = await t.ds.query(
      `SELECT status, to_char(acknowledged_at AT TIME ZONE 'UTC', 'HH24:MI:SS.US') AS ack, en_route_at, on_scene_at, status_at, cleared_at FROM assignment WHERE id = $1`,
      [a.id],
    );
    expect(row).toMatchObject({ status: 'on_scene', ack: '00:00:00.123456', cleared_at: null });
    expect(row.en_route_at.getTime()).toBe(t0 + 1000);
    expect(row.on_scene_at.getTime()).toBe(t0 + 2000);
    expect(row.status_at.getTime()).toBe(t0 + 2000);
    const [unit] = await t.ds.query(`SELECT status, lat, lon, version::int AS version FROM unit WHERE world = 'live' AND id = $1`, [a.unitId]);
    expect(unit).toEqual({ status: 'on_scene', lat: 37.7966, lon: -122.4238, version: v0 + 2 });
    const [inc] = await t.ds.query(`SELECT status FROM incident WHERE id = $1`, [incident.id]);
    expect(inc.status).toBe('on_scene');
    // The incident's last event carries the view as the rows now stand.
    const view = await t.request('GET', `/api/incidents/${incident.id}`);
    expect(view.body.assignments.find((x: { id: string }) => x.id === a.id)).toMatchObject({ status: 'on_scene' });
  });

  it('a unit changed by someone else while the batch ran: the batch rolls back whole (409), the other change stands', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 2, lat: 37.7985, lon: -122.4105 });
    const incident = await t.incidentOf(call.body.id);
    const a = incident.assignments[0];
    const before = await eventsOf(a.id);
    const incidents = t.app.get(IncidentsService);
    const real = incidents.viewRows.bind(incidents);
    // Mid-batch (the incident's first view of the batch), another session moves the unit (a dispatcher's change), committed at once.
    const spy = jest.spyOn(incidents, 'viewRows').mockImplementationOnce(async (ids, m) => {
      await t.ds.query(`UPDATE unit SET version = version + 1, lat = 37.7, lon = -122.45 WHERE world = 'live' AND id = $1`, [a.unitId]);
      return real(ids, m);
    });
    try {
      const t0 = Date.now();
      await expect(
        assignments.changeStatusMany(
          [
            { assignmentId: a.id, to: 'acknowledged', at: new Date(t0 + 1000) },
            { assignmentId: a.id, to: 'en_route', at: new Date(t0 + 2000) },
          ],
          'test',
        ),
      ).rejects.toMatchObject({ status: 409 });
    } finally {
      spy.mockRestore();
    }
    expect(await eventsOf(a.id)).toEqual(before);
    const [row] = await t.ds.query(`SELECT status, acknowledged_at, en_route_at FROM assignment WHERE id = $1`, [a.id]);
    expect(row).toEqual({ status: 'dispatched', acknowledged_at: null, en_route_at: null });
    const [unit] = await t.ds.query(`SELECT status, lat, lon FROM unit WHERE world = 'live' AND id = $1`, [a.unitId]);
    expect(unit).toEqual({ status: 'dispatched', lat: 37.7, lon: -122.45 });
  });
});
