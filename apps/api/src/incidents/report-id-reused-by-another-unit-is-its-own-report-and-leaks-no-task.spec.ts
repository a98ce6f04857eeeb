import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: a crew status report's `reportId` (its idempotency key) was shared
 * by every unit, so E41 sending an id another unit had used got a 409 naming that unit's task id.
 * Now the key is the unit's own: another unit's id is a new report, applied, and no error ever names
 * another unit's task. A unit reusing its own id for another status still gets a 409.
 */
describe('a reportId another unit already used', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('reportidperunit');
  });
  afterAll(async () => {
    await t.close();
  });

  it('is a new report of this unit, applied, naming no other task; reused by the same unit it is a repeat or a 409', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.8005, lon: -122.4101, address: '550 Columbus Ave' });
    const incident = await t.incidentOf(call.body.id);
    const [a, b] = incident.assignments as { id: string; unitId: string }[];
    expect(a && b).toBeTruthy();
    const crewA = await t.signIn(a.unitId.toLowerCase());
    const crewB = await t.signIn(b.unitId.toLowerCase());

    const first = await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged', reportId: 'phone-report-1' }, crewA);
    expect(first.status).toBe(200);
    expect(first.body.applied).toBe(true);

    // The other crew's phone happens to use the same id: its own report, applied.
    const other = await t.request('PATCH', `/api/assignments/${b.id}`, { status: 'acknowledged', reportId: 'phone-report-1' }, crewB);
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ applied: true, assignment: { id: b.id, status: 'acknowledged' } });
    expect(other.body.repeated).toBeUndefined();
    expect(JSON.stringify(other.body)).not.toContain(a.id);

    // The same crew repeating its report: the first answer, nothing done again.
    const repeat = await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged', reportId: 'phone-report-1' }, crewA);
    expect(repeat.status).toBe(200);
    expect(repeat.body.repeated).toBe(true);
    // The same crew reusing its id for another status: 409, naming its own task only.
    const reused = await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'en_route', reportId: 'phone-report-1' }, crewA);
    expect(reused.status).toBe(409);
    expect(JSON.stringify(reused.body)).toContain('reportId');
    expect(JSON.stringify(reused.body)).not.toContain(b.id);
    const rows = await t.ds.query(`SELECT unit_id, assignment_id FROM status_report WHERE report_id = 'phone-report-1' ORDER BY unit_id`);
    expect(rows).toHaveLength(2);
  });
});
