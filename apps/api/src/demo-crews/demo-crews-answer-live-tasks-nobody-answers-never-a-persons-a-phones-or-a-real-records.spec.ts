import { DEMO_RECORD_KEY } from '../auth/first-start';
import { startTestApp, TestApp } from '../testing/test-app';
import { DEMO_CREW_ACTOR, DemoCrewsService } from './demo-crews.service';

/**
 * What a new user of the demo saw: every live call they took from the console sent units whose phones
 * nobody held, so each task ran into its acknowledgement timeouts and its unit went out of service, until
 * the demo's live fleet was gone. Demo crews answer such tasks on a demo record, as a crew would; never a
 * task a person reported on, never a unit whose phone is in use, never on a record that is not a demo.
 * The tick is driven by the test (`DEMO_CREW_TICK_S` is an hour), and a task's dispatch is moved an hour
 * into the past so that every step is due at once (its ETA is minutes of real travel).
 */
describe('demo crews answer the live tasks nobody answers', () => {
  const env = { DEMO_CREWS: 'true', DEMO_CREW_TICK_S: '3600', DEMO_CREW_ACK_S: '5', DEMO_CREW_ON_SCENE_S: '60', ACK_TIMEOUT_S: '3600', SILENT_UNIT_LIMIT: '50' };
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('demo-crews', env);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A call's incident with its tasks, their dispatch moved an hour into the past (every step due). */
  async function dueTasks(lat: number, lon: number, type = 'Medical Incident') {
    const incident = await t.incidentOf((await t.request('POST', '/api/calls', { type, priority: 1, lat, lon })).body.id);
    const tasks: { id: string; unitId: string }[] = incident.assignments;
    expect(tasks.length).toBeGreaterThan(0);
    await t.ds.query(`UPDATE assignment SET dispatched_at = dispatched_at - interval '1 hour' WHERE incident_id = $1`, [incident.id]);
    return { incident, tasks };
  }
  const stepsOf = async (incidentId: string, unitId: string) =>
    (
      await t.ds.query(`SELECT actor, payload->'assignment'->>'status' AS status FROM incident_event WHERE incident_id = $1 AND unit_id = $2 AND type = 'assignment.updated' ORDER BY seq NULLS LAST, id`, [
        incidentId,
        unitId,
      ])
    ).map((r: { actor: string; status: string }) => `${r.actor}:${r.status}`);

  it('acknowledges, drives, arrives and clears a task no phone answers, through the crews’ own reports: the unit is available again, never out of service', async () => {
    const { incident, tasks } = await dueTasks(37.7935, -122.4045);
    expect(await t.app.get(DemoCrewsService).tick()).toBeGreaterThanOrEqual(4 * tasks.length);
    const view = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
    for (const a of view.assignments) expect(a).toMatchObject({ status: 'cleared', releasedReason: null, cancelReason: null });
    for (const a of tasks) {
      expect(await stepsOf(incident.id, a.unitId)).toEqual(['acknowledged', 'en_route', 'on_scene', 'cleared'].map((s) => `${DEMO_CREW_ACTOR}:${s}`));
    }
    const units: { status: string }[] = await t.ds.query(`SELECT status FROM unit WHERE world = 'live' AND id = ANY($1)`, [tasks.map((a) => a.unitId)]);
    expect(units.map((u) => u.status)).toEqual(tasks.map(() => 'available'));
    // Nothing more to do: a second tick takes no step.
    expect(await t.app.get(DemoCrewsService).tick()).toBe(0);
  });

  it('never steps a task a person reported on, nor one not yet due', async () => {
    const { incident, tasks } = await dueTasks(37.7800, -122.4150, 'Traffic Collision');
    const [mine, ...rest] = tasks;
    // A dispatcher records this crew's acknowledgement by radio: from now on the task is the person's.
    expect((await t.request('PATCH', `/api/assignments/${mine.id}`, { status: 'acknowledged' })).status).toBe(200);
    // A fresh call's tasks are not due yet (acknowledgement 5 s after their dispatch, which is now).
    const fresh = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7975, lon: -122.435 })).body.id);
    await t.app.get(DemoCrewsService).tick();
    const view = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
    expect(view.assignments.find((a: { id: string }) => a.id === mine.id)).toMatchObject({ status: 'acknowledged' });
    expect(await stepsOf(incident.id, mine.unitId)).toEqual(['commander:acknowledged']);
    for (const a of rest) expect(view.assignments.find((x: { id: string }) => x.id === a.id).status).toBe('cleared');
    const freshView = (await t.request('GET', `/api/incidents/${fresh.id}`)).body;
    for (const a of freshView.assignments) expect(a.status).toBe('dispatched');
  });

  it('never steps a task of a unit whose own phone spoke to CAD in the last 15 minutes', async () => {
    const { incident, tasks } = await dueTasks(37.7850, -122.4090);
    const [phoned] = tasks;
    await t.ds.query(`INSERT INTO device_clock (account, device_id, offset_ms, last_sample_ms, samples, updated_at) VALUES (lower($1), 'phone-demo', 0, 0, 1, now())`, [phoned.unitId]);
    await t.app.get(DemoCrewsService).tick();
    const view = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
    expect(view.assignments.find((a: { id: string }) => a.id === phoned.id).status).toBe('dispatched');
    expect(await stepsOf(incident.id, phoned.unitId)).toEqual([]);
  });
});

describe('demo crews on a record that is not a demo', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('demo-crews-real', { DEMO_CREWS: 'true', DEMO_CREW_TICK_S: '3600', ACK_TIMEOUT_S: '3600', SILENT_UNIT_LIMIT: '50' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers nothing, whatever is due: simulated crews never answer for a real fleet', async () => {
    const incident = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7935, lon: -122.4045 })).body.id);
    await t.ds.query(`UPDATE assignment SET dispatched_at = dispatched_at - interval '1 hour' WHERE incident_id = $1`, [incident.id]);
    // The record is no demo (the flag a demo record is created with, cleared).
    await t.ds.query(`UPDATE app_setting SET value = 'false' WHERE key = $1`, [DEMO_RECORD_KEY]);
    expect(await t.app.get(DemoCrewsService).tick()).toBe(0);
    const view = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
    for (const a of view.assignments) expect(a.status).toBe('dispatched');
  });
});
