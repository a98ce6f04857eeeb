import { io, Socket } from 'socket.io-client';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

interface PhoneEvent {
  seq: number;
  type: string;
  incidentId: string | null;
  unitId: string | null;
  payload: { incidentId?: string; reason?: string; incident?: { id: string; type: string; priority: number; address: string | null } };
}

/**
 * A unit sent to incident A (P3, a wrong address) keeps its task when a dispatcher merges A into B
 * (P1 Structure Fire): its phone, listening in the unit's room, is told (`assignment.updated` of the
 * moved task naming B, with B's view), so it stops showing A; a later move of B's location reaches it
 * as B's. Hostile twin: the phone of a unit already on B, whose task did not move, is told nothing
 * about a moved task.
 */
describe('a merge tells the moved unit’s phone its surviving incident', () => {
  let t: TestApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await startTestApp('merge-phone', { ACK_TIMEOUT_S: '3600' });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  /** A phone of `unitId` in its unit's room, following from now; the events it receives. */
  const phone = async (unitId: string) => {
    const events: PhoneEvent[] = [];
    const s = io(t.url, { transports: ['websocket'], reconnection: false, auth: { token: await t.signIn(unitId.toLowerCase()) } });
    sockets.push(s);
    s.on('event', (e: PhoneEvent) => events.push(e));
    const ack = await new Promise<{ ok: boolean }>((resolve, reject) => {
      s.on('connect_error', reject);
      s.on('connect', () => s.emit('subscribe', { lastSeq: null, unitId }, resolve));
    });
    expect(ack.ok).toBe(true);
    return events;
  };

  it('sends the moved task with the survivor to the unit’s room, and later changes of the survivor', async () => {
    const a = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 3, lat: 37.77, lon: -122.419, address: '10 DUPLICATE ST (wrong)', callNumber: 'mp-a' })).body.id);
    const b = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 37.7725, lon: -122.4215, address: '2000 REAL FIRE ST', callNumber: 'mp-b' })).body.id);
    expect(b.id).not.toBe(a.id);
    const movedUnit: string = a.assignments[0].unitId;
    const stayingUnit: string = b.assignments[0].unitId;
    const moved = await phone(movedUnit);
    const staying = await phone(stayingUnit);

    const merged = await t.request('POST', `/api/incidents/${a.id}/merge`, { into: b.id, reason: 'same emergency' });
    expect(merged.status).toBe(200);
    const told = await waitFor(async () => moved.find((e) => e.type === 'assignment.updated' && e.payload.reason === 'merged'), 20000, 'merge on the phone');
    expect(told.unitId).toBe(movedUnit);
    expect(told.incidentId).toBe(b.id);
    expect(told.payload.incidentId).toBe(b.id);
    expect(told.payload.incident).toMatchObject({ id: b.id, type: 'Structure Fire', priority: 1, address: '2000 REAL FIRE ST' });

    const relocated = await t.request('POST', `/api/incidents/${b.id}/location`, { lat: 37.774, lon: -122.423, address: '2100 MOVED FIRE ST', reason: 'caller corrected' });
    expect(relocated.status).toBeLessThan(300);
    const alert = await waitFor(async () => moved.find((e) => e.type === 'assignment.location_alert'), 20000, 'location alert on the phone');
    expect(alert.incidentId).toBe(b.id);
    await waitFor(async () => staying.find((e) => e.type === 'assignment.location_alert'), 20000, 'location alert on the staying phone');

    // The unit already on B: no moved task, and nothing of another unit. An event naming no unit is a
    // change of the phone's own incident (B's `incident.updated`, sent to the rooms of B's crews; for the
    // moved unit also A's from before the merge, when A was its incident: a phone that subscribes while
    // A's dispatch is still being sent out gets it).
    expect(staying.some((e) => e.payload.reason === 'merged')).toBe(false);
    const ownIncident = (e: PhoneEvent, unit: string) =>
      e.unitId === null && e.type === 'incident.updated' && (e.incidentId === b.id || (unit === movedUnit && e.incidentId === a.id && e.seq < told.seq));
    expect(moved.every((e) => e.unitId === movedUnit || ownIncident(e, movedUnit))).toBe(true);
    expect(staying.every((e) => e.unitId === stayingUnit || ownIncident(e, stayingUnit))).toBe(true);
    // Hostile twin: nothing of A reached the moved phone once A was merged.
    expect(moved.filter((e) => e.incidentId === a.id && e.seq > told.seq)).toEqual([]);
  }, 120000);
});
