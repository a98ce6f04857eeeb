import { io } from 'socket.io-client';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * Each post sees and acts on its own part of the city: a district dispatcher reading or changing
 * another district's incident gets 403, a responder changing another unit gets 403, an observer
 * cannot change anything, and nobody gets in without a token (REST or socket.io).
 */
describe('access by post: sign-in, jurisdiction scope, responder and observer limits', () => {
  let t: TestApp;
  let incident: any;
  beforeAll(async () => {
    t = await startTestApp('scope');
    // P1: its plan sends an engine and an ambulance (a P2 medical call gets an ambulance alone, issue 20).
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7930, lon: -122.4190 });
    incident = await t.incidentOf(call.body.id);
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses requests without a valid token (401) and a wrong password with one message', async () => {
    expect((await t.request('GET', '/api/incidents', undefined, null)).status).toBe(401);
    expect((await t.request('GET', '/api/incidents', undefined, 'not.a.token')).status).toBe(401);
    const wrong = await t.request('POST', '/api/auth/sign-in', { username: 'commander', password: 'nope' }, null);
    const unknown = await t.request('POST', '/api/auth/sign-in', { username: 'nobody', password: 'nope' }, null);
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.message).toBe(unknown.body.message);
    expect((await t.request('GET', '/api/health', undefined, null)).status).toBe(200);
  });

  it('a district dispatcher reading or changing another district’s incident gets 403', async () => {
    const home = incident.district.id.replace(/^sf-/, '');
    const otherDistrict = home === 'd2' ? 'd3' : 'd2';
    const other = await t.signIn(otherDistrict);
    const mine = await t.signIn(home);
    expect((await t.request('GET', `/api/incidents/${incident.id}`, undefined, other)).status).toBe(403);
    const change = await t.request('POST', `/api/incidents/${incident.id}/escalate`, { reason: 'not mine' }, other);
    expect(change.status).toBe(403);
    expect(change.body.message).toContain(`outside sf-${otherDistrict}`);
    const list = (await t.request('GET', '/api/incidents', undefined, other)).body.items as any[];
    expect(list.every((i) => i.district.id === `sf-${otherDistrict}`)).toBe(true);
    expect((await t.request('GET', `/api/incidents/${incident.id}`, undefined, mine)).status).toBe(200);
    const myList = (await t.request('GET', '/api/incidents', undefined, mine)).body.items as any[];
    expect(myList.map((i) => i.id)).toContain(incident.id);
  });

  it('only a post at the commanding tier hands command back down: a district dispatcher cannot take it from the city', async () => {
    const home = incident.district.id.replace(/^sf-/, '');
    const district = await t.signIn(home);
    // The commander takes the incident to city tier (escalating as often as the chain allows).
    for (let k = 0; k < 3; k++) {
      const v = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
      if (v.commandingTier === 'city') break;
      expect((await t.request('POST', `/api/incidents/${incident.id}/escalate`, { reason: 'city takes it' })).status).toBe(200);
    }
    const refused = await t.request('POST', `/api/incidents/${incident.id}/deescalate`, { reason: 'mine again' }, district);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe(`incident ${incident.id} is commanded at city tier: only a city post can hand command back down`);
    const byCommander = await t.request('POST', `/api/incidents/${incident.id}/deescalate`, { reason: 'district has it in hand' });
    expect(byCommander.status).toBe(200);
    expect(byCommander.body.commandingTier).toBe('district');
    // At district tier its own district dispatcher may hand it down to the street.
    expect((await t.request('POST', `/api/incidents/${incident.id}/deescalate`, { reason: 'street has it' }, district)).status).toBe(200);
  });

  it('a responder changing another unit gets 403, and can change its own', async () => {
    // The P1 medical plan sends an engine and an ambulance: two units, two crews.
    expect(incident.assignments.length).toBeGreaterThanOrEqual(2);
    const [a, b] = incident.assignments;
    const own = await t.signIn(a.unitId.toLowerCase());
    const res = await t.request('PATCH', `/api/assignments/${b.id}`, { status: 'acknowledged' }, own);
    expect(res.status).toBe(403);
    expect(res.body.message).toContain(`cannot change unit ${b.unitId}`);
    expect((await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged' }, own)).status).toBe(200);
    const others = (await t.request('GET', '/api/units', undefined, own)).body as any[];
    const stranger = others.find((u) => u.id !== a.unitId && u.status === 'available');
    expect((await t.request('PATCH', `/api/units/${stranger.id}`, { status: 'out_of_service' }, own)).status).toBe(403);
    expect((await t.request('POST', `/api/units/${stranger.id}/position`, { lat: 37.79, lon: -122.41 }, own)).status).toBe(403);
    expect((await t.request('POST', '/api/calls', { type: 'Medical Incident', lat: 37.79, lon: -122.41 }, own)).status).toBe(403);
    const task = await t.request('GET', `/api/units/${a.unitId}/assignment`, undefined, own);
    expect(task.body.incident.id).toBe(incident.id);
  });

  it('an observer reads but cannot change anything', async () => {
    const observer = await t.signIn('observer');
    expect((await t.request('GET', `/api/incidents/${incident.id}`, undefined, observer)).status).toBe(200);
    const res = await t.request('POST', `/api/incidents/${incident.id}/escalate`, { reason: 'x' }, observer);
    expect(res.status).toBe(403);
    expect((await t.request('POST', '/api/calls', { type: 'Medical Incident', lat: 37.79, lon: -122.41 }, observer)).status).toBe(403);
  });

  it('refuses a socket.io handshake without a token and a subscription outside the post', async () => {
    const refused = await new Promise<string>((resolve) => {
      const s = io(t.url, { transports: ['websocket'], reconnection: false });
      s.on('connect_error', (e) => resolve(e.message));
      s.on('connect', () => resolve('connected'));
    });
    expect(refused).toContain('no token');
    const street = await t.signIn(incident.street.id);
    const sock = io(t.url, { transports: ['websocket'], reconnection: false, auth: { token: street } });
    const ack = await new Promise<any>((resolve) => sock.on('connect', () => sock.emit('subscribe', { lastSeq: null, jurisdictionId: 'sf' }, resolve)));
    expect(ack.ok).toBe(false);
    expect(ack.error).toContain(`outside ${incident.street.id}`);
    const ok = await new Promise<any>((resolve) => sock.emit('subscribe', { lastSeq: null }, resolve));
    expect(ok.ok).toBe(true);
    sock.disconnect();
  });

  it('drops a socket.io client that sends an oversized payload (over 64 KB)', async () => {
    const sock = io(t.url, { transports: ['websocket'], reconnection: false, auth: { token: t.token } });
    await new Promise<void>((resolve) => sock.on('connect', () => resolve()));
    const reason = await new Promise<string>((resolve) => {
      sock.on('disconnect', resolve);
      sock.emit('subscribe', { lastSeq: null, jurisdictionId: 'x'.repeat(100_000) });
    });
    expect(reason).toBe('transport close');
  });
});
