import { startTestApp, TestApp } from '../testing/test-app';
import { AssignmentsService } from '../incidents/assignments.service';

type Step = { assignmentId: string; to: any; at: Date; position?: { lat: number; lon: number }; extra?: { cancelReason?: any; acknowledgeOnTurnout?: boolean } };

/**
 * Issue 19 (the drill's speed): a batch of crew steps (`AssignmentsService.changeStatusMany`) reads its rows
 * once and writes each once before commit. Whatever the steps, it must leave every row (tasks, units, the
 * incident, deadlines) and every event (order and payload) exactly as the same steps reported one by one
 * (`changeStatus`) do: drill and live incidents, a cancel with a reason, a late report, a slow phone clock, a
 * transport, and a late acknowledgement given back after an outage (found by a hostile tester: the batch
 * used rows the give-back had changed, and a late report's event jumped ahead of earlier steps').
 */
describe('a batch of crew steps leaves the rows and events one report each would', () => {
  let t: TestApp;
  let assignments: AssignmentsService;
  beforeAll(async () => {
    t = await startTestApp('crew_steps_batch_equals_single');
    assignments = t.app.get(AssignmentsService);
  });
  afterAll(async () => {
    await t.close();
  });

  const cols = async (table: string): Promise<string[]> =>
    (await t.ds.query(`SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = 'public' AND is_generated = 'NEVER' ORDER BY ordinal_position`, [table])).map((r: any) => r.column_name);

  async function snapshot(incidentId: string) {
    const asg = (await t.ds.query(`SELECT to_jsonb(a) AS j FROM assignment a WHERE incident_id = $1 ORDER BY id`, [incidentId])).map((r: any) => r.j);
    const unitIds = asg.map((a: any) => a.unit_id);
    const units = (await t.ds.query(`SELECT to_jsonb(u) AS j FROM unit u WHERE world = 'live' AND id = ANY($1::text[]) ORDER BY id`, [unitIds])).map((r: any) => r.j);
    const [{ j: inc }] = await t.ds.query(`SELECT to_jsonb(i) AS j FROM incident i WHERE id = $1`, [incidentId]);
    const deadlines = (await t.ds.query(`SELECT to_jsonb(d) AS j FROM deadline d WHERE assignment_id = ANY($1::uuid[]) ORDER BY id`, [asg.map((a: any) => a.id)])).map((r: any) => r.j);
    const [{ m }] = await t.ds.query(`SELECT COALESCE(max(id), 0)::text AS m FROM incident_event`);
    return { asg, units, inc, deadlines, maxEvent: m as string };
  }

  async function restore(s: Awaited<ReturnType<typeof snapshot>>) {
    const put = async (table: string, row: any, where: string) => {
      const c = (await cols(table)).map((x) => `"${x}"`).join(', ');
      await t.ds.query(`UPDATE ${table} t SET (${c}) = (SELECT ${c} FROM jsonb_populate_record(NULL::${table}, $1::jsonb)) WHERE ${where}`, [JSON.stringify(row)]);
    };
    for (const a of s.asg) await put('assignment', a, `t.id::text = $1::jsonb->>'id'`);
    for (const u of s.units) await put('unit', u, `t.world = $1::jsonb->>'world' AND t.id = $1::jsonb->>'id'`);
    await put('incident', s.inc, `t.id::text = $1::jsonb->>'id'`);
    for (const d of s.deadlines) await put('deadline', d, `t.id::text = $1::jsonb->>'id'`);
    await t.ds.query(`DELETE FROM incident_event WHERE id > $1::bigint`, [s.maxEvent]);
  }

  const strip = (x: any): any =>
    Array.isArray(x) ? x.map(strip) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).filter(([k]) => !['updated_at', 'updatedAt'].includes(k)).map(([k, v]) => [k, strip(v)])) : x;

  async function state(incidentId: string, sinceEvent: string) {
    const s = await snapshot(incidentId);
    const events = await t.ds.query(`SELECT type, unit_id, incident_id, at, actor, payload FROM incident_event WHERE id > $1::bigint ORDER BY id`, [sinceEvent]);
    return strip({ asg: s.asg, units: s.units, inc: s.inc, deadlines: s.deadlines, events });
  }

  async function compare(incidentId: string, steps: Step[]) {
    const before = await snapshot(incidentId);
    const batch = await assignments.changeStatusMany(steps, 'hostile').then((r) => r.map((x) => [x.applied, x.assignment.status]), (e: Error) => `threw ${e.message}`);
    const afterBatch = await state(incidentId, before.maxEvent);
    await restore(before);
    const single: unknown[] = [];
    for (const x of steps) {
      single.push(await assignments.changeStatus(x.assignmentId, x.to, x.at, 'hostile', x.position, undefined, x.extra ?? {}).then((r) => [r.applied, r.assignment.status], (e: Error) => `threw ${e.message}`));
    }
    const afterSingle = await state(incidentId, before.maxEvent);
    return { batch, single, afterBatch, afterSingle };
  }

  /** The batch answered and left every row and event (types first, for a readable diff) as one report each did. */
  function expectAsOneByOne(r: Awaited<ReturnType<typeof compare>>) {
    expect(r.batch).toEqual(r.single);
    expect(r.afterBatch.inc).toEqual(r.afterSingle.inc);
    expect(r.afterBatch.asg).toEqual(r.afterSingle.asg);
    expect(r.afterBatch.units).toEqual(r.afterSingle.units);
    expect(r.afterBatch.deadlines).toEqual(r.afterSingle.deadlines);
    expect(r.afterBatch.events.map((e: any) => e.type)).toEqual(r.afterSingle.events.map((e: any) => e.type));
    expect(r.afterBatch.events).toEqual(r.afterSingle.events);
  }

  async function fire(lat: number, lon: number) {
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 2, lat, lon });
    return t.incidentOf(call.body.id);
  }

  it('a drill (exercise) incident: interleaved steps of every task, one cancel with a reason, every unit cleared, the incident closes', async () => {
    const incident = await fire(37.793, -122.419);
    const tasks = incident.assignments as { id: string; unitId: string }[];
    expect(tasks.length).toBeGreaterThanOrEqual(2);
    await t.ds.query(`UPDATE incident SET exercise = true WHERE id = $1`, [incident.id]);
    const t0 = Date.now() + 10_000;
    const steps: Step[] = [];
    let k = 0;
    const at = () => new Date(t0 + 1000 * ++k);
    for (const a of tasks) steps.push({ assignmentId: a.id, to: 'acknowledged', at: at() });
    steps.push({ assignmentId: tasks[1].id, to: 'cleared', at: at(), extra: { cancelReason: 'not_needed' } });
    for (const a of tasks.filter((_, i) => i !== 1)) steps.push({ assignmentId: a.id, to: 'en_route', at: at(), position: { lat: 37.79, lon: -122.42 } });
    for (const a of tasks.filter((_, i) => i !== 1)) steps.push({ assignmentId: a.id, to: 'on_scene', at: at() });
    for (const a of tasks.filter((_, i) => i !== 1)) steps.push({ assignmentId: a.id, to: 'cleared', at: at() });
    const r = await compare(incident.id, steps);
    expectAsOneByOne(r);
  });

  it('a late report (an earlier step again) in the middle of a batch: its event keeps its place in step order', async () => {
    const incident = await fire(37.801, -122.419);
    const a = incident.assignments[0];
    const t0 = Date.now() + 10_000;
    const r = await compare(incident.id, [
      { assignmentId: a.id, to: 'acknowledged', at: new Date(t0 + 1000) },
      { assignmentId: a.id, to: 'en_route', at: new Date(t0 + 2000) },
      { assignmentId: a.id, to: 'acknowledged', at: new Date(t0 + 500) },
      { assignmentId: a.id, to: 'on_scene', at: new Date(t0 + 3000) },
    ]);
    expect(r.afterBatch.events.map((e: any) => e.type)).toEqual(r.afterSingle.events.map((e: any) => e.type));
  });

  it('a live incident: steps stamped before the status in force (slow phone clock), a transport, resolved', async () => {
    const incident = await fire(37.7965, -122.4237);
    const tasks = incident.assignments as { id: string; unitId: string }[];
    const t0 = Date.now() + 10_000;
    const steps: Step[] = [];
    for (const a of tasks) steps.push({ assignmentId: a.id, to: 'en_route', at: new Date(t0 + 1000), extra: { acknowledgeOnTurnout: true } });
    for (const a of tasks) steps.push({ assignmentId: a.id, to: 'on_scene', at: new Date(t0 + 500) }); // before status in force
    steps.push({ assignmentId: tasks[0].id, to: 'transporting', at: new Date(t0 + 3000) });
    steps.push({ assignmentId: tasks[0].id, to: 'at_hospital', at: new Date(t0 + 4000) });
    for (const a of tasks) steps.push({ assignmentId: a.id, to: 'cleared', at: new Date(t0 + 5000) });
    const r = await compare(incident.id, steps);
    expectAsOneByOne(r);
  });

  it('a late acknowledgement given back (outage) then en route, in one batch: as one report each', async () => {
    const incident = await fire(37.7985, -122.4105);
    const a = incident.assignments[0];
    const t0 = Date.now() - 600_000;
    const due = new Date(t0 + 60_000);
    await t.ds.query(`UPDATE assignment SET status = 'cleared', released_reason = 'not_acknowledged', cleared_at = $2, status_at = $2 WHERE id = $1`, [a.id, new Date(t0 + 61_000)]);
    await t.ds.query(`UPDATE unit SET status = 'out_of_service', out_of_service_by = 'timer:ack' WHERE world = 'live' AND id = $1`, [a.unitId]);
    await t.ds.query(`UPDATE deadline SET state = 'cancelled' WHERE assignment_id = $1`, [a.id]);
    await t.ds.query(
      `INSERT INTO deadline (key, kind, incident_id, assignment_id, revision, due_at, state, fired_by, fired_at) VALUES ($1, 'ack', $2, $3, 1, $4, 'fired', 'hostile', $4)`,
      [`hostile-ack-${a.id}`, incident.id, a.id, due],
    );
    await t.ds.query(`INSERT INTO outage (started_at, ended_at, detected_at, detected_by) VALUES ($1, $2, $2, 'hostile')`, [new Date(t0), new Date(t0 + 120_000)]);
    const r = await compare(incident.id, [
      { assignmentId: a.id, to: 'acknowledged', at: new Date(t0 + 30_000) },
      { assignmentId: a.id, to: 'en_route', at: new Date(t0 + 700_000) },
    ]);
    expect(r.batch).toEqual(r.single);
    expect(r.afterBatch.asg).toEqual(r.afterSingle.asg);
    expect(r.afterBatch.units).toEqual(r.afterSingle.units);
  });

  async function givenBackSetup(lat: number, lon: number) {
    const incident = await fire(lat, lon);
    const [a, b] = incident.assignments;
    const t0 = Date.now() - 600_000;
    const due = new Date(t0 + 60_000);
    await t.ds.query(`UPDATE assignment SET status = 'cleared', released_reason = 'not_acknowledged', cleared_at = $2, status_at = $2 WHERE id = $1`, [a.id, new Date(t0 + 61_000)]);
    await t.ds.query(`UPDATE unit SET status = 'out_of_service', out_of_service_by = 'timer:ack' WHERE world = 'live' AND id = $1`, [a.unitId]);
    await t.ds.query(`UPDATE deadline SET state = 'cancelled' WHERE assignment_id = $1`, [a.id]);
    await t.ds.query(`INSERT INTO deadline (key, kind, incident_id, assignment_id, revision, due_at, state, fired_by, fired_at) VALUES ($1, 'ack', $2, $3, 1, $4, 'fired', 'hostile', $4)`, [`hostile-ack2-${a.id}`, incident.id, a.id, due]);
    await t.ds.query(`INSERT INTO outage (started_at, ended_at, detected_at, detected_by) VALUES ($1, $2, $2, 'hostile')`, [new Date(t0), new Date(t0 + 120_000)]);
    return { incident, a, b, t0 };
  }

  it('another task steps, then a late acknowledgement is given back, in one batch: the give-back event shows the incident as it stands', async () => {
    const { incident, a, b, t0 } = await givenBackSetup(37.7905, -122.4205);
    expect(b).toBeDefined();
    const r = await compare(incident.id, [
      { assignmentId: b.id, to: 'acknowledged', at: new Date(Date.now() + 1000) },
      { assignmentId: b.id, to: 'en_route', at: new Date(Date.now() + 2000) },
      { assignmentId: a.id, to: 'acknowledged', at: new Date(t0 + 30_000) },
    ]);
    expect(r.batch).toEqual(r.single);
    expect(r.afterBatch.asg).toEqual(r.afterSingle.asg);
    const view = (x: any) => x.events.filter((e: any) => e.type === 'incident.updated').map((e: any) => ({ status: e.payload.status, tasks: e.payload.assignments?.map((y: any) => [y.unitId, y.status]) }));
    expect(view(r.afterBatch)).toEqual(view(r.afterSingle));
  });

  it('a late acknowledgement given back, then the other task clears, in one batch: the incident is not resolved under the given-back unit', async () => {
    const { incident, a, b, t0 } = await givenBackSetup(37.7915, -122.4155);
    const now = Date.now();
    const r = await compare(incident.id, [
      { assignmentId: a.id, to: 'acknowledged', at: new Date(t0 + 30_000) },
      { assignmentId: b.id, to: 'en_route', at: new Date(now + 1000), extra: { acknowledgeOnTurnout: true } },
      { assignmentId: b.id, to: 'on_scene', at: new Date(now + 2000) },
      { assignmentId: b.id, to: 'cleared', at: new Date(now + 3000) },
    ]);
    expect(r.batch).toEqual(r.single);
    expect({ status: r.afterBatch.inc.status, resolved_at: r.afterBatch.inc.resolved_at }).toEqual({ status: r.afterSingle.inc.status, resolved_at: r.afterSingle.inc.resolved_at });
    expect(r.afterBatch.asg).toEqual(r.afterSingle.asg);
  });
});
