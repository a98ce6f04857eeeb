import { io, Socket } from 'socket.io-client';
import { deviceRequest } from '../testing/device-request';
import { proposeFirstRecommended } from '../testing/move-ups';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * The AVL relay sends a unit's positions to the consoles of the street it is based in. A unit moved
 * up to another street's station is based there from the moment it sets off: its next position
 * reaches the new street's consoles and no longer the old street's, without an API restart (the relay
 * once kept the streets it read at start-up); a move cancelled by a dispatch puts it back at its old
 * street at once. Real socket.io clients, one per street; a console
 * that must not hear a position waits for the next `clock` tick, which the server sends after it.
 */
describe('the position of a unit moved up to another street', () => {
  let t: TestApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await startTestApp('avl-street', { MOVE_UP_MODE: 'apply', MOVE_UP_MIN_NET_GAIN: '0', MOVE_UP_SWEEP_S: '0', ACK_TIMEOUT_S: '3600' });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  /** A console following `jurisdictionId`, with the unit ids of every position it received and the clock ticks it got. */
  async function consoleOf(jurisdictionId: string) {
    const seen: string[] = [];
    let ticks = 0;
    const s = io(t.url, { transports: ['websocket'], reconnection: false, auth: { token: t.token } });
    sockets.push(s);
    s.on('avl', (m: { positions: { unitId: string }[] }) => seen.push(...m.positions.map((p) => p.unitId)));
    s.on('clock', () => ticks++);
    const ack = await new Promise<{ ok: boolean }>((resolve) => s.on('connect', () => s.emit('subscribe', { lastSeq: null, jurisdictionId }, resolve)));
    expect(ack.ok).toBe(true);
    /** Resolves at the next clock tick: anything sent to this console before it has arrived. */
    const flushed = async () => {
      const from = ticks;
      await waitFor(async () => (ticks > from ? true : null), 5000, `a clock tick on ${jurisdictionId}`);
    };
    return { seen, flushed };
  }

  it('goes to the new street’s consoles after the move, to the old street’s before it and after the move is cancelled', async () => {
    const move = await proposeFirstRecommended(t);
    const [{ street_id: toStreet }] = await t.ds.query(`SELECT street_id FROM station WHERE id = $1`, [move.toStationId]);
    const [unit] = await t.ds.query(`SELECT home_street_id, lat, lon FROM unit WHERE world = 'live' AND id = $1`, [move.unitId]);
    const fromStreet: string = unit.home_street_id;
    expect(toStreet).toBeTruthy();
    expect(fromStreet).toBeTruthy();
    expect(toStreet).not.toBe(fromStreet);
    const oldStreet = await consoleOf(fromStreet);
    const newStreet = await consoleOf(toStreet);
    const crew = await t.signIn(move.unitId.toLowerCase());
    const device = { id: `phone-${move.unitId}`, clockAheadMs: 0 };
    const fix = async (dLat: number) => {
      const r = await deviceRequest(t, device, 'POST', `/api/units/${move.unitId}/position`, { lat: unit.lat + dLat, lon: unit.lon, accuracyM: 8 }, crew);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ verdict: 'accepted', used: true });
    };

    // Before the move: the old street hears the unit, the new one does not.
    await fix(0);
    await waitFor(async () => (oldStreet.seen.includes(move.unitId) ? true : null), 5000, 'the position on the old street');
    await newStreet.flushed();
    expect(newStreet.seen).not.toContain(move.unitId);

    // The move is agreed and the unit sets off: it is based at the new street's station now.
    expect((await t.request('POST', `/api/move-ups/${move.id}/confirm`)).status).toBe(200);
    expect((await t.request('POST', `/api/move-ups/${move.id}/consent`)).status).toBe(200);
    expect((await t.request('POST', `/api/move-ups/${move.id}/acknowledge`, undefined, crew)).body).toMatchObject({ status: 'moving' });
    oldStreet.seen.length = 0;

    // Its next position (a few metres on): the new street hears it, the old one does not.
    await fix(0.0001);
    await waitFor(async () => (newStreet.seen.includes(move.unitId) ? true : null), 5000, 'the position on the new street');
    await oldStreet.flushed();
    expect(oldStreet.seen).not.toContain(move.unitId);

    // Hostile twin: the unit is dispatched on its way, so the move is cancelled and it is based at its
    // old station again: its next position goes back to the old street, not the new one.
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: unit.lat, lon: unit.lon });
    const incident = await t.incidentOf(call.body.id, true);
    if (!incident.assignments.some((a: { unitId: string }) => a.unitId === move.unitId)) {
      const assigned = await t.request('POST', `/api/incidents/${incident.id}/assignments`, { unitId: move.unitId });
      expect(assigned.status).toBe(201);
    }
    const [cancelled] = await t.ds.query(`SELECT status FROM move_up WHERE id = $1`, [move.id]);
    expect(cancelled.status).toBe('cancelled');
    const [back] = await t.ds.query(`SELECT home_street_id FROM unit WHERE world = 'live' AND id = $1`, [move.unitId]);
    expect(back.home_street_id).toBe(fromStreet);
    oldStreet.seen.length = 0;
    newStreet.seen.length = 0;
    await fix(0.0002);
    await waitFor(async () => (oldStreet.seen.includes(move.unitId) ? true : null), 5000, 'the position back on the old street');
    await newStreet.flushed();
    expect(newStreet.seen).not.toContain(move.unitId);
  });
});
