import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { createWorld } from '../drill/world';

/**
 * Issue 20: a drill replaying a real day sends each incident the units history sent to its call, so a
 * drill call may carry its own first alarm (`firstAlarm`, units per capability). Its incident gets exactly
 * those units in its drill world, where the city's plan would send an ambulance alone. A live call may
 * not carry one (live dispatch follows the response plans), and a first alarm naming no capability, a
 * fractional or too large count, or no unit at all is refused with a 400 naming the field.
 */
describe('a drill call carries its own first alarm; a live call may not', () => {
  let t: TestApp;
  const drillId = 'drill-2017-01-01-first-alarm';
  const place = { type: 'Medical Incident', priority: 2, lat: 37.7905, lon: -122.417, address: '1200 Pine St' };
  const drill = (callNumber: string, extra: Record<string, unknown>) => ({ ...place, callNumber, exercise: true, drillId, receivedAt: '2017-01-01T12:00:00Z', ...extra });

  beforeAll(async () => {
    t = await startTestApp('firstalarm', { PENDING_TIMEOUT_S: '3600', WAITING_RETRY_S: '3600' });
    await t.ds.query(`INSERT INTO drill_run (id, policy, state, view, started_at) VALUES ($1, 'nearest', 'running', '{}'::jsonb, now())`, [drillId]);
    await createWorld(t.ds, drillId, []);
  });
  afterAll(async () => {
    await t.close();
  });

  /** The capabilities of an incident's tasks in its world, sorted, once dispatch decided. */
  const sentTo = async (callId: string) =>
    waitFor(
      async () => {
        const rows: { capability: string; world: string }[] = await t.ds.query(
          `SELECT a.capability, a.world FROM assignment a JOIN call c ON c.incident_id = a.incident_id JOIN incident i ON i.id = a.incident_id
            WHERE c.id = $1 AND i.decided_revision IS NOT NULL ORDER BY a.capability`,
          [callId],
        );
        return rows.length ? rows : null;
      },
      20000,
      'the units sent',
    );

  it("sends a drill incident the engine and ambulance of its call's first alarm, in its drill world", async () => {
    const own = await t.request('POST', '/api/calls', drill('fa-1', { firstAlarm: { engine: 1, ambulance: 1 } }));
    expect(own.status).toBe(202);
    const [{ first_alarm }] = await t.ds.query(`SELECT first_alarm FROM call WHERE id = $1`, [own.body.id]);
    expect(first_alarm).toEqual({ engine: 1, ambulance: 1 });
    const sent = await sentTo(own.body.id);
    expect(sent).toEqual([
      { capability: 'ambulance', world: drillId },
      { capability: 'engine', world: drillId },
    ]);
    const [{ first_alarm: incidentAlarm }] = await t.ds.query(`SELECT i.first_alarm FROM incident i JOIN call c ON c.incident_id = i.id WHERE c.id = $1`, [own.body.id]);
    expect(incidentAlarm).toEqual({ engine: 1, ambulance: 1 });
  });

  it('hostile twin: the same drill call without one gets the plan of its type and priority (an ambulance alone)', async () => {
    const planned = await t.request('POST', '/api/calls', drill('fa-2', { lat: 37.8005, lon: -122.4365, address: '3000 Chestnut St' }));
    expect(planned.status).toBe(202);
    expect(await sentTo(planned.body.id)).toEqual([{ capability: 'ambulance', world: drillId }]);
  });

  it('refuses a first alarm on a live call, and bad ones on a drill call, naming the field; nothing refused is stored', async () => {
    const live = await t.request('POST', '/api/calls', { ...place, callNumber: 'fa-live', firstAlarm: { engine: 1 } });
    expect(live.status).toBe(400);
    expect(live.body.message).toMatch(/^firstAlarm: only a drill call/);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ firetruck: 1 }, /^firstAlarm\.firetruck: not a capability/],
      [{ engine: 1.5 }, /^firstAlarm\.engine: must be a whole number of units from 0 to 20/],
      [{ engine: 21 }, /^firstAlarm\.engine: must be a whole number/],
      [{ engine: '1' }, /^firstAlarm\.engine: must be a whole number/],
      [{ engine: 0 }, /^firstAlarm: must ask for at least one unit/],
      // Other agencies' units are asked of their posts, which a drill world has none of: never a drill's own first alarm.
      [{ police: 1 }, /^firstAlarm\.police: not a capability a drill sends/],
      // A key that names an Object method is refused like any other, never dropped.
      [{ toString: 1, ambulance: 1 }, /^firstAlarm\.toString: not a capability/],
      [{ water_crew: 1, engine: 1 }, /^firstAlarm\.water_crew: not a capability a drill sends/],
    ];
    for (const [firstAlarm, why] of cases) {
      const r = await t.request('POST', '/api/calls', drill(`fa-bad-${JSON.stringify(firstAlarm).replace(/\W/g, '')}`, { firstAlarm }));
      expect({ status: r.status, message: r.body.message }).toEqual({ status: 400, message: expect.stringMatching(why) });
    }
    const notAnObject = await t.request('POST', '/api/calls', drill('fa-bad-list', { firstAlarm: ['engine'] }));
    expect(notAnObject.status).toBe(400);
    expect(JSON.stringify(notAnObject.body.message)).toContain('firstAlarm must be an object');
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM call WHERE call_number = 'fa-live' OR call_number LIKE 'fa-bad-%'`);
    expect(n).toBe(0);
  });

  it('takes firstAlarm: null as none, and refuses a repeat of a call number with another first alarm (409), never dropping it silently', async () => {
    const none = await t.request('POST', '/api/calls', drill('fa-null', { firstAlarm: null, lat: 37.7981, lon: -122.4101, address: '1400 Powell St' }));
    expect(none.status).toBe(202);
    expect(await sentTo(none.body.id)).toEqual([{ capability: 'ambulance', world: drillId }]);
    const first = await t.request('POST', '/api/calls', drill('fa-rep', { firstAlarm: { ambulance: 1 }, lat: 37.7849, lon: -122.4291, address: '1500 Geary Blvd' }));
    expect(first.status).toBe(202);
    const same = await t.request('POST', '/api/calls', drill('fa-rep', { firstAlarm: { ambulance: 1, engine: 0 }, lat: 37.7849, lon: -122.4291, address: '1500 Geary Blvd' }));
    expect(same.status).toBe(202);
    expect(same.body).toMatchObject({ id: first.body.id, duplicate: true });
    const other = await t.request('POST', '/api/calls', drill('fa-rep', { firstAlarm: { engine: 3 }, lat: 37.7849, lon: -122.4291, address: '1500 Geary Blvd' }));
    expect(other.status).toBe(409);
    expect(other.body.message).toBe('callNumber fa-rep was already received with a different firstAlarm: use a new call number');
    const bare = await t.request('POST', '/api/calls', drill('fa-rep', { lat: 37.7849, lon: -122.4291, address: '1500 Geary Blvd' }));
    expect(bare.status).toBe(409);
  });

  it('a drill incident sent its own first alarm still gets what the plan of a raised priority adds', async () => {
    const p2 = await t.request('POST', '/api/calls', drill('fa-raise-1', { firstAlarm: { ambulance: 1 }, lat: 37.7955, lon: -122.4035, address: '500 Clay St' }));
    expect(await sentTo(p2.body.id)).toEqual([{ capability: 'ambulance', world: drillId }]);
    const p1 = await t.request('POST', '/api/calls', drill('fa-raise-2', { priority: 1, firstAlarm: { ambulance: 1 }, lat: 37.7956, lon: -122.4036, address: '500 Clay St' }));
    expect(p1.status).toBe(202);
    const caps = await waitFor(
      async () => {
        const rows: { capability: string }[] = await t.ds.query(
          `SELECT a.capability FROM assignment a JOIN call c ON c.incident_id = a.incident_id WHERE c.id = $1 AND a.status <> 'cleared' ORDER BY a.capability`,
          [p2.body.id],
        );
        return rows.length === 2 ? rows.map((r) => r.capability) : null;
      },
      20000,
      'the engine the P1 plan adds',
    );
    // The P1 plan (engine + ambulance) adds its engine; the ambulance already sent serves its slot.
    expect(caps).toEqual(['ambulance', 'engine']);
    const [{ priority }] = await t.ds.query(`SELECT i.priority FROM incident i JOIN call c ON c.incident_id = i.id WHERE c.id = $1`, [p1.body.id]);
    expect(priority).toBe(1);
  });
});
