import { io, Socket } from 'socket.io-client';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { DrillService } from './drill.service';

/**
 * Drill crews are simulated: the phone of the live unit with the same id never receives a drill's
 * task, event or position, neither replayed after a reconnect nor relayed while the drill runs, cannot
 * report on a drill task (403), and its task and incident list hold live work only. The same phone does get its live task.
 */
describe('a phone never receives a drill task', () => {
  let t: TestApp;
  let phone: Socket | undefined;
  beforeAll(async () => {
    t = await startTestApp('phone-no-drill', { ACK_TIMEOUT_S: '3600' });
  });
  afterAll(async () => {
    phone?.disconnect();
    await t.close();
  });

  it('sees none of the drill tasks of its unit id, replayed or relayed, and sees its live task', async () => {
    const drills = t.app.get(DrillService);
    const drill = { day: '2017-01-01', speed: 'max', policy: 'nearest', seed: 4, limit: 20 };
    const first = await t.request('POST', '/api/drills', drill);
    expect(first.status).toBe(201);
    await drills.whenDone(first.body.id);
    // The unit the drill used most: its live twin's phone is the one that must hear nothing.
    const [{ unit_id: unitId }] = await t.ds.query(
      `SELECT unit_id FROM assignment WHERE world = $1 GROUP BY unit_id ORDER BY count(*) DESC, unit_id LIMIT 1`,
      [first.body.id],
    );
    const token = await t.signIn(unitId.toLowerCase());
    const events: { world?: string; type: string; unitId: string | null; incidentId?: string | null }[] = [];
    const avl: { world?: string }[] = [];
    phone = io(t.url, { transports: ['websocket'], reconnection: false, auth: { token } });
    phone.on('event', (e) => events.push(e));
    phone.on('avl', (m) => avl.push(m));
    // Replay from the start of the log: the first drill's events of this unit id are not sent.
    const ack = await new Promise<{ ok: boolean }>((resolve) => phone!.on('connect', () => phone!.emit('subscribe', { lastSeq: 0 }, resolve)));
    expect(ack.ok).toBe(true);

    // The same drill again (same seed: the same unit is sent again), relayed while the phone listens.
    const second = await t.request('POST', '/api/drills', drill);
    expect(second.status).toBe(201);
    await drills.whenDone(second.body.id);
    const [{ n: again }] = await t.ds.query(`SELECT count(*)::int AS n FROM assignment WHERE world = $1 AND unit_id = $2`, [second.body.id, unitId]);
    expect(again).toBeGreaterThan(0);

    // Hostile twin: the phone cannot act on the drill's task of its unit id (a status change is refused, nothing moves).
    const [drillTask] = await t.ds.query(`SELECT id, status FROM assignment WHERE world = $1 AND unit_id = $2 ORDER BY id LIMIT 1`, [second.body.id, unitId]);
    const refused = await t.request('PATCH', `/api/assignments/${drillTask.id}`, { status: 'cleared' }, token);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/drill/);
    const [after] = await t.ds.query(`SELECT status FROM assignment WHERE id = $1`, [drillTask.id]);
    expect(after.status).toBe(drillTask.status);

    // Its task and incident list: live work only (none yet).
    expect((await t.request('GET', `/api/units/${unitId}/assignment`, undefined, token)).status).toBe(204);
    expect((await t.request('GET', '/api/incidents', undefined, token)).body.items).toEqual([]);

    // A live call the dispatcher gives this unit reaches the phone (it was listening all along).
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7205, lon: -122.4460, address: 'live task', callNumber: 'live-phone' });
    const incident = await t.incidentOf(call.body.id);
    if (!incident.assignments.some((a: { unitId: string }) => a.unitId === unitId)) {
      const assigned = await t.request('POST', `/api/incidents/${incident.id}/assignments`, { unitId });
      expect(assigned.status).toBe(201);
    }
    await waitFor(async () => events.some((e) => e.type === 'assignment.created') || undefined, 20000, 'live task on the phone');
    expect(events.length).toBeGreaterThan(0);
    // Live events only: its unit's, or a change of its live incident (sent to the rooms of its crews).
    expect(events.every((e) => e.world === 'live' && (e.unitId === unitId || (e.unitId === null && e.type === 'incident.updated' && e.incidentId === incident.id)))).toBe(true);
    expect(avl.every((m) => m.world === 'live')).toBe(true);
    const task = await t.request('GET', `/api/units/${unitId}/assignment`, undefined, token);
    expect(task.body.incident.id).toBe(incident.id);
    expect(task.body.assignment.world).toBe('live');
  }, 600000);
});
