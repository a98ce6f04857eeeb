import { waitFor } from '@cad/db/testing';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * A hostile test found a P1 left without its slot for good: its crew did not acknowledge while every unit
 * of that capability was busy, so nothing replaced it, and since the incident ran on its other units (not
 * back in `received`), no later dispatch looked at it again. Now a unit freed in its world (a crew
 * clearing; or the reconciler's sweep, for a unit put back in service) asks again for every such slot:
 * the freed unit fills it while the plan still misses it, and no retry writes anything while none can go.
 */
describe('a task taken back that nobody could replace is filled when a unit frees', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('unreplaced', { ACK_TIMEOUT_S: '2', RECONCILE_INTERVAL_S: '60', SILENT_UNIT_LIMIT: '50' });
  });
  afterAll(async () => {
    await t.close();
  });

  type Task = { id: string; unitId: string; capability: string; status: string; replacesId: string | null; releasedReason: string | null };
  const view = async (id: string): Promise<{ status: string; assignments: Task[] }> => (await t.request('GET', `/api/incidents/${id}`)).body;
  const walk = async (taskId: string, steps: string[]) => {
    for (const status of steps) expect((await t.request('PATCH', `/api/assignments/${taskId}`, { status })).status).toBe(200);
  };
  const requested = async (incidentId: string) =>
    (await t.ds.query(`SELECT payload FROM incident_event WHERE incident_id = $1 AND type = 'incident.resources_requested' ORDER BY id`, [incidentId])).map(
      (e: { payload: { sent: unknown[]; unfilled: string[] } }) => e.payload,
    );

  /** An incident whose ambulance went silent while no other ambulance was free; `spare` an incident holding the one ambulance that will free. */
  async function silentWithNoneFree(lat: number, lon: number) {
    const spare = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 3, lat: 37.8005, lon: -122.4105 })).body.id);
    const spareAmbulance = spare.assignments.find((a: Task) => a.capability === 'ambulance') as Task;
    await walk(spareAmbulance.id, ['acknowledged']);
    const p1 = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat, lon })).body.id);
    const engine = p1.assignments.find((a: Task) => a.capability === 'engine') as Task;
    const silent = p1.assignments.find((a: Task) => a.capability === 'ambulance') as Task;
    await walk(engine.id, ['acknowledged']);
    for (const a of spare.assignments as Task[]) if (a.id !== spareAmbulance.id) await walk(a.id, ['acknowledged']);
    // Every other ambulance busy elsewhere (taken out of service here).
    await t.ds.query(`UPDATE unit SET status = 'out_of_service' WHERE world = 'live' AND 'ambulance' = ANY(capabilities) AND status = 'available' AND id <> ALL($1)`, [
      [spareAmbulance.unitId, silent.unitId],
    ]);
    await waitFor(async () => (await view(p1.id)).assignments.find((a) => a.id === silent.id)?.releasedReason === 'not_acknowledged', 20000, 'the silent ambulance taken back');
    await waitFor(async () => (await requested(p1.id)).length > 0, 10000, 'the replacement asked');
    await t.settle();
    return { p1, silent, spareAmbulance };
  }

  it('the slot stays unfilled while no ambulance is free, then the first ambulance freed fills it; retries wrote nothing meanwhile', async () => {
    const { p1, silent, spareAmbulance } = await silentWithNoneFree(37.7935, -122.4045);
    const before = await view(p1.id);
    expect(before.status).not.toBe('received');
    expect(before.assignments.filter((a) => a.capability === 'ambulance' && a.status !== 'cleared')).toEqual([]);
    expect(await requested(p1.id)).toEqual([expect.objectContaining({ sent: [], unfilled: ['ambulance'] })]);

    // Another unit (not an ambulance) frees: the retry finds no ambulance and writes nothing.
    const other = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 3, lat: 37.7990, lon: -122.4200 })).body.id);
    for (const a of other.assignments as Task[]) if (a.capability !== 'ambulance') await walk(a.id, ['acknowledged', 'en_route', 'on_scene', 'cleared']);
    await t.settle();
    expect(await requested(p1.id)).toHaveLength(1);

    // The spare ambulance clears its incident: it is sent to the P1, replacing the silent crew's task.
    await walk(spareAmbulance.id, ['en_route', 'on_scene', 'cleared']);
    const filled = await waitFor(async () => {
      const v = await view(p1.id);
      return v.assignments.find((a) => a.capability === 'ambulance' && a.status !== 'cleared') ?? null;
    }, 15000, 'the freed ambulance sent to the P1');
    expect(filled).toMatchObject({ unitId: spareAmbulance.unitId, replacesId: silent.id });
    const asks = await requested(p1.id);
    expect(asks).toHaveLength(2);
    expect(asks[1]).toMatchObject({ unfilled: [] });
  });

  it('a slot filled by hand meanwhile is not filled twice when a unit frees', async () => {
    await t.ds.query(`UPDATE unit SET status = 'available', out_of_service_by = NULL WHERE world = 'live' AND status = 'out_of_service'`);
    const { p1, spareAmbulance } = await silentWithNoneFree(37.7975, -122.435);
    // A dispatcher puts an ambulance back in service and assigns it by hand.
    const [{ id: byHandUnit }] = await t.ds.query(`SELECT id FROM unit WHERE world = 'live' AND 'ambulance' = ANY(capabilities) AND status = 'out_of_service' AND id <> $1 ORDER BY id LIMIT 1`, [
      spareAmbulance.unitId,
    ]);
    expect((await t.request('PATCH', `/api/units/${byHandUnit}`, { status: 'available' })).status).toBe(200);
    expect((await t.request('POST', `/api/incidents/${p1.id}/assignments`, { unitId: byHandUnit })).status).toBe(201);
    await walk(spareAmbulance.id, ['en_route', 'on_scene', 'cleared']);
    await new Promise((r) => setTimeout(r, 1500));
    await t.settle();
    const ambulances = (await view(p1.id)).assignments.filter((a) => a.capability === 'ambulance' && a.status !== 'cleared');
    expect(ambulances.map((a) => a.unitId)).toEqual([byHandUnit]);
  });
});
