import { io, Socket } from 'socket.io-client';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * Drills never touch live work: the Exercise view's "Messages to crews" box, used on a drill's incident,
 * is refused with a 400 naming `incidentId` (drill crews are simulated), so the live unit of the same id
 * gets nothing on its phone socket nor in its inbox. A message about a live incident still reaches it.
 */
describe('a message on a drill incident', () => {
  let t: TestApp;
  let phone: Socket | undefined;
  beforeAll(async () => {
    t = await startTestApp('drill-message', { ACK_TIMEOUT_S: '3600' });
  });
  afterAll(async () => {
    phone?.disconnect();
    await t.close();
  });

  it('never reaches the live phone nor its inbox, while a live message does', async () => {
    const [{ id: unitId }] = await t.ds.query(`SELECT id FROM unit WHERE world = 'live' AND status = 'available' ORDER BY id LIMIT 1`);
    const crew = await t.signIn(unitId.toLowerCase());
    const [{ s: lastSeq }] = await t.ds.query(`SELECT coalesce(max(seq), 0)::bigint AS s FROM incident_event`);
    const events: { type: string; payload: { text?: string; incidentId?: string } }[] = [];
    phone = io(t.url, { transports: ['websocket'], reconnection: false, auth: { token: crew } });
    phone.on('event', (e) => events.push(e));
    const ack = await new Promise<{ ok: boolean }>((resolve) => phone!.on('connect', () => phone!.emit('subscribe', { lastSeq: Number(lastSeq) }, resolve)));
    expect(ack.ok).toBe(true);

    // A drill run and one of its calls: the incident is an exercise of that drill.
    const drillId = 'drill-2017-01-01-messages';
    await t.ds.query(`INSERT INTO drill_run (id, policy, state, view, started_at) VALUES ($1, 'nearest', 'running', '{}'::jsonb, now())`, [drillId]);
    const drillCall = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.8055, lon: -122.4203, address: 'Beach St drill', exercise: true, drillId, receivedAt: '2017-01-01T12:00:00Z' });
    expect(drillCall.status).toBe(202);
    const [{ id: drillIncident, exercise }] = await waitFor(
      async () => {
        const rows = await t.ds.query(`SELECT i.id, i.exercise FROM incident i JOIN call c ON c.incident_id = i.id WHERE c.id = $1`, [drillCall.body.id]);
        return rows.length ? rows : null;
      },
      20000,
      'the drill incident',
    );
    expect(exercise).toBe(true);

    const refused = await t.request('POST', `/api/units/${unitId}/messages`, { text: 'DRILL ONLY: proceed to Beach St', incidentId: drillIncident });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe(
      `incidentId: incident ${drillIncident} is an exercise (drill ${drillId}): drill crews are simulated, so a message about it is never sent to a live unit's phone`,
    );

    // Hostile twin: a live message, sent after, reaches the same phone (events arrive in order, so the drill one would have come first).
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7930, lon: -122.4190, address: 'live' });
    const live = await t.incidentOf(call.body.id);
    const sent = await t.request('POST', `/api/units/${unitId}/messages`, { text: 'LIVE: use the north gate', incidentId: live.id });
    expect(sent.status).toBe(201);
    await waitFor(async () => events.find((e) => e.type === 'unit.message' && e.payload.text === 'LIVE: use the north gate') ?? null, 10000, 'the live message on the phone');
    const onPhone = events.filter((e) => e.type === 'unit.message').map((e) => e.payload.text);
    expect(onPhone).toEqual(['LIVE: use the north gate']);

    // Its inbox (what a phone that lost its events reads) holds the live message only.
    const inbox = await t.request('GET', `/api/units/${unitId}/messages`, undefined, crew);
    expect(inbox.status).toBe(200);
    expect(inbox.body.map((m: { text: string }) => m.text)).toEqual(['LIVE: use the north gate']);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM unit_message WHERE incident_id = $1`, [drillIncident]);
    expect(n).toBe(0);
  });
});
