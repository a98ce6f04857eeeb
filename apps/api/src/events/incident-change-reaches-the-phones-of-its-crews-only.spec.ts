import { io, Socket } from 'socket.io-client';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

interface PhoneEvent {
  seq: number;
  type: string;
  incidentId: string | null;
  unitId: string | null;
  payload: { id?: string; address?: string | null; assignments?: { unitId: string; status: string }[] };
}

/**
 * A later change of an incident (`incident.updated`: a new address, a merge's priority, a hold) named
 * no unit, so it never reached the phones of the crews sent to it: a crew drove to the address it was
 * first given. The relay now sends it to the room of every unit with a task in force on the incident,
 * live and on replay after a reconnect. Hostile twins: the phone of a unit on another incident, of a
 * free unit, and of a unit whose task on it was cleared get nothing of it.
 */
describe("an incident's change reaches the phones of its crews, and only theirs", () => {
  let t: TestApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await startTestApp('incident-to-crews', { ACK_TIMEOUT_S: '3600', LOCATION_ACK_S: '3600' });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  /**
   * A socket in the room of `unitId`, as its phone follows it (`lastSeq`: replay after it; null: follow
   * from now); the events it receives. Opened as the city commander, who may follow any unit (not every
   * unit has a responder account named after it).
   */
  const phone = async (unitId: string, lastSeq: number | null = null) => {
    const events: PhoneEvent[] = [];
    const s = io(t.url, { transports: ['websocket'], reconnection: false, auth: { token: t.token } });
    sockets.push(s);
    s.on('event', (e: PhoneEvent) => events.push(e));
    const ack = await new Promise<{ ok: boolean; error?: string }>((resolve, reject) => {
      s.on('connect_error', reject);
      s.on('connect', () => s.emit('subscribe', { lastSeq, unitId }, resolve));
    });
    expect([unitId, ack]).toEqual([unitId, expect.objectContaining({ ok: true })]);
    return events;
  };
  const updatesOf = (events: PhoneEvent[], incidentId: string) => events.filter((e) => e.type === 'incident.updated' && e.incidentId === incidentId);
  const lastSeq = async (): Promise<number> => Number((await t.ds.query(`SELECT max(seq)::bigint AS s FROM incident_event`))[0].s);

  it('a new address goes to both crews of the incident, live and on replay; not to a crew of another incident nor to a free unit', async () => {
    const x = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.8005, lon: -122.4101, address: '550 Columbus Ave' })).body.id);
    const y = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Alarms', priority: 3, lat: 37.7599, lon: -122.4148, address: '3000 Mission St' })).body.id);
    const crews: string[] = x.assignments.map((a: { unitId: string }) => a.unitId);
    expect(crews).toHaveLength(2);
    const other: string = y.assignments[0].unitId;
    expect(crews).not.toContain(other);
    const [free] = await t.ds.query(`SELECT id FROM unit WHERE world = 'live' AND status = 'available' AND NOT (id = ANY($1)) ORDER BY id LIMIT 1`, [[...crews, other]]);
    const before = await lastSeq();
    const [first, second, otherPhone, freePhone] = await Promise.all([phone(crews[0]), phone(crews[1]), phone(other), phone(free.id)]);

    const moved = await t.request('POST', `/api/incidents/${x.id}/location`, { lat: 37.7937, lon: -122.4265, address: '1900 Pacific Ave', reason: 'caller gave the wrong street' });
    expect(moved.status).toBe(200);
    for (const events of [first, second]) {
      const update = await waitFor(async () => updatesOf(events, x.id).find((e) => e.payload.address === '1900 Pacific Ave'), 20000, 'the new address on the crew phone');
      expect(update.payload.id).toBe(x.id);
      expect(update.unitId).toBeNull();
    }
    // A phone that reconnects with the seq it saw before is sent it on replay too.
    const replayed = await phone(crews[0], before);
    await waitFor(async () => updatesOf(replayed, x.id).find((e) => e.payload.address === '1900 Pacific Ave'), 20000, 'the new address on replay');
    // A change of Y, so the phones of X had time to be sent anything of Y: they were not.
    expect((await t.request('POST', `/api/incidents/${y.id}/location`, { lat: 37.7605, lon: -122.4149, address: '3010 Mission St', reason: 'next door' })).status).toBe(200);
    await waitFor(async () => updatesOf(otherPhone, y.id).find((e) => e.payload.address === '3010 Mission St'), 20000, "Y's change on its crew's phone");
    expect(updatesOf(otherPhone, x.id)).toEqual([]);
    expect(freePhone.filter((e) => e.type === 'incident.updated')).toEqual([]);
    for (const events of [first, second, replayed]) expect(updatesOf(events, y.id)).toEqual([]);
  }, 120000);

  it('hostile: a crew whose task on the incident was cleared hears no later change of it; the crew still on it does', async () => {
    const x = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7881, lon: -122.4075, address: '1 Grant Ave' })).body.id);
    const [staying, leaving] = x.assignments as { id: string; unitId: string }[];
    const stayingPhone = await phone(staying.unitId);
    const leavingPhone = await phone(leaving.unitId);
    const cleared = await t.request('PATCH', `/api/assignments/${leaving.id}`, { status: 'cleared', cancelReason: 'not_needed' });
    expect(cleared.status).toBe(200);
    await waitFor(async () => leavingPhone.find((e) => e.type === 'assignment.updated' && e.unitId === leaving.unitId), 20000, 'the cleared task on its phone');
    const heardBefore = updatesOf(leavingPhone, x.id).length;

    expect((await t.request('POST', `/api/incidents/${x.id}/location`, { lat: 37.7895, lon: -122.4069, address: '50 Grant Ave', reason: 'second caller' })).status).toBe(200);
    await waitFor(async () => updatesOf(stayingPhone, x.id).find((e) => e.payload.address === '50 Grant Ave'), 20000, 'the new address on the staying crew');
    // The leaving crew's own events still reach it (its task view), never the incident's later change.
    expect(updatesOf(leavingPhone, x.id).slice(heardBefore)).toEqual([]);
  }, 120000);
});
