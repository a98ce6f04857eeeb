import { Geocoder, RoadNetwork } from '@cad/routing';
import { loadConfig } from '../config/config';
import { CapValidator } from '../alerts/cap/cap-validator';
import { ServiceUnavailable } from '../common/errors';
import { DrillService } from '../drill/drill.service';
import { recordConfigurationChange } from './config-audit';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * Everything on the record: a response-plan edit shows in the audit with its actor, address, before
 * and after; sign-ins and failed ones, exports and configuration changes are there too; only the city
 * commander reads it (a responder, a dispatcher and an observer get 403); and nothing, not even the
 * database owner, can change or delete an entry.
 */
describe('a plan edit shows in the audit with before and after, and a responder cannot read the audit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('audit');
  });
  afterAll(async () => {
    await t.close();
  });

  it('records a plan edit with actor, time, source address, before and after', async () => {
    const before = (await t.request('GET', '/api/response-plans/Medical%20Incident')).body;
    const edited = await t.request('PUT', '/api/response-plans/Medical%20Incident', { slots: { engine: 1, als: 2 }, commandingTier: 'district' });
    expect(edited.status).toBe(200);
    const created = await t.request('PUT', '/api/response-plans/Drone%20Crash', { slots: { engine: 1 }, commandingTier: 'street' });
    expect(created.status).toBe(200);
    const [entry] = (await t.request('GET', '/api/audit?action=plan.update')).body as any[];
    expect(entry).toMatchObject({ actor: 'commander', action: 'plan.update', subject: 'plan:Medical Incident', source: expect.stringMatching(/127\.0\.0\.1/) });
    expect(entry.before).toEqual(before);
    expect(entry.after).toEqual(edited.body);
    expect(entry.after.slots).toEqual({ engine: 1, als: 2 });
    expect(Math.abs(Date.parse(entry.at) - Date.now())).toBeLessThan(60_000);
    const [creation] = (await t.request('GET', '/api/audit?subject=plan:Drone%20Crash')).body as any[];
    expect(creation).toMatchObject({ action: 'plan.create', before: null });
    // A refused edit (a district dispatcher) changes nothing and records nothing.
    const refused = await t.request('PUT', '/api/response-plans/Medical%20Incident', { slots: { engine: 5 }, commandingTier: 'city' }, await t.signIn('d3'));
    expect(refused.status).toBe(403);
    expect((await t.request('GET', '/api/audit?action=plan.*')).body).toHaveLength(2);
  });

  it('records sign-ins, failed sign-ins with the reason, and exports', async () => {
    expect((await t.request('POST', '/api/auth/sign-in', { username: 'D2', password: 'wrong' }, null)).status).toBe(401);
    expect((await t.request('POST', '/api/auth/sign-in', { username: 'nobody', password: 'wrong' }, null)).status).toBe(401);
    await t.signIn('d2');
    const trail = (await t.request('GET', '/api/audit?action=sign-in*&limit=3')).body as any[];
    expect(trail.map((a) => [a.actor, a.action, a.after?.reason ?? null])).toEqual([
      ['d2', 'sign-in', null],
      ['nobody', 'sign-in.failed', 'unknown account'],
      ['d2', 'sign-in.failed', 'wrong password'],
    ]);
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.793, lon: -122.419 });
    const incident = await t.incidentOf(call.body.id, true);
    const res = await fetch(`${t.url}/api/incidents/${incident.id}/cap`, { headers: { authorization: `Bearer ${t.token}` } });
    expect(res.status).toBe(200);
    const [exported] = (await t.request('GET', '/api/audit?action=export.cap')).body as any[];
    expect(exported).toMatchObject({ actor: 'commander', subject: `incident:${incident.id}` });
    // An export whose CAP validation fails (its validating process crashed: 503) is not recorded as made.
    jest.spyOn(t.app.get(CapValidator), 'writeValid').mockRejectedValueOnce(new ServiceUnavailable('CAP schema validation: the validator ended (SIGSEGV) during this validation; try again'));
    const failed = await fetch(`${t.url}/api/incidents/${incident.id}/cap`, { headers: { authorization: `Bearer ${t.token}` } });
    expect(failed.status).toBe(503);
    expect((await t.request('GET', '/api/audit?action=export.cap')).body).toHaveLength(1);
  });

  it('records road closures and place names with who drew them, drills started and stopped, and drill reports exported', async () => {
    const d3 = await t.signIn('d3');
    const geo = new Geocoder(t.app.get(RoadNetwork).roadsGeoJson(), []);
    const line = ['Columbus Ave & Union St', 'Columbus Ave & Green St'].map((q) => [geo.geocode(q)!.lon, geo.geocode(q)!.lat]);
    const closure = await t.request('POST', '/api/road-closures', { geometry: { type: 'LineString', coordinates: line }, reason: 'water main repair' }, d3);
    expect(closure.status).toBe(201);
    expect((await t.request('DELETE', `/api/road-closures/${closure.body.closure.id}`, undefined, d3)).status).toBe(200);
    const place = await t.request('POST', '/api/places', { name: 'Audit Test Plaza', lat: 37.7958, lon: -122.4190 }, d3);
    expect(place.status).toBe(201);
    expect((await t.request('DELETE', `/api/places/${place.body.id}`, undefined, d3)).status).toBe(204);
    const changes = ((await t.request('GET', '/api/audit?actor=d3&limit=10')).body as any[]).filter((a) => a.action !== 'sign-in');
    expect(changes.map((a) => a.action)).toEqual(['place.delete', 'place.create', 'closure.delete', 'closure.create']);
    expect(changes[3]).toMatchObject({ subject: `closure:${closure.body.closure.id}`, after: { reason: 'water main repair' }, source: expect.stringMatching(/127\.0\.0\.1/) });
    expect(changes[1]).toMatchObject({ subject: `place:${place.body.id}`, after: { name: 'Audit Test Plaza' } });
    // A refused change records nothing: a closure far outside District 3 (403: beyond the post's jurisdiction),
    // and a self-intersecting area inside it (400 naming geometry).
    expect((await t.request('POST', '/api/road-closures', { geometry: { type: 'LineString', coordinates: [[-120, 30], [-120.001, 30]] }, reason: 'nowhere' }, d3)).status).toBe(403);
    const bowTie = { type: 'Polygon', coordinates: [[[-122.409, 37.795], [-122.407, 37.797], [-122.407, 37.795], [-122.409, 37.797], [-122.409, 37.795]]] };
    const refused = await t.request('POST', '/api/road-closures', { geometry: bowTie, reason: 'bow tie' }, d3);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('geometry');
    expect((await t.request('GET', '/api/audit?actor=d3&action=closure.*')).body).toHaveLength(2);

    const started = await t.request('POST', '/api/drills', { day: '2017-01-01', speed: 'max', limit: 2, seed: 1 });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    await t.app.get(DrillService).whenDone(id);
    expect((await t.request('GET', `/api/drills/${id}/report.json`)).status).toBe(200);
    const html = await fetch(`${t.url}/api/drills/${id}/report.html`, { headers: { authorization: `Bearer ${t.token}` } });
    expect(html.status).toBe(200);
    const drill = (await t.request('GET', `/api/audit?subject=drill:${id}`)).body as any[];
    expect(drill.map((a) => [a.actor, a.action, a.after?.format ?? null])).toEqual([
      ['commander', 'export.drill-report', 'html'],
      ['commander', 'export.drill-report', 'json'],
      ['commander', 'drill.start', null],
    ]);
    expect(drill[2].after).toMatchObject({ day: '2017-01-01', limit: 2, seed: 1 });
  });

  it('records a configuration change with only the changed settings, secrets as fingerprints', async () => {
    const base = { ...process.env, DATABASE_URL: t.config.DATABASE_URL, DRILL_DATE: '' };
    await recordConfigurationChange(t.ds, loadConfig(base));
    const first = await recordConfigurationChange(t.ds, loadConfig({ ...base, ACK_TIMEOUT_S: '45', JWT_SECRET: 'a-new-signing-secret-of-some-length', PORT: '4111' }));
    expect(first.changed).toEqual(['ACK_TIMEOUT_S', 'JWT_SECRET']);
    expect((await recordConfigurationChange(t.ds, loadConfig({ ...base, ACK_TIMEOUT_S: '45', JWT_SECRET: 'a-new-signing-secret-of-some-length', PORT: '4222' }))).changed).toEqual([]);
    const [entry] = (await t.request('GET', '/api/audit?action=config.change&limit=1')).body as any[];
    expect(entry.actor).toBe('system:start');
    expect(entry.before.ACK_TIMEOUT_S).toBe(String(t.config.ACK_TIMEOUT_S));
    expect(entry.after.ACK_TIMEOUT_S).toBe('45');
    expect(entry.after.JWT_SECRET).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(JSON.stringify(entry)).not.toContain('a-new-signing-secret');
  });

  it('a responder, a dispatcher and an observer cannot read the audit; bad filters get 400 naming the field', async () => {
    for (const who of ['e38', 'd3', 'sf-d3-nob-hill', 'observer']) {
      const res = await t.request('GET', '/api/audit', undefined, await t.signIn(who));
      expect([who, res.status]).toEqual([who, 403]);
    }
    expect((await t.request('GET', '/api/audit', undefined, null)).status).toBe(401);
    const bad = await t.request('GET', '/api/audit?from=yesterday');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('from must be an ISO 8601 instant');
    expect((await t.request('GET', '/api/audit?limit=501')).status).toBe(400);
  });

  it('is append-only: the database refuses to change, delete or truncate an entry', async () => {
    const [{ n }] = await t.ds.query('SELECT COUNT(*)::int AS n FROM audit_event');
    expect(n).toBeGreaterThan(0);
    await expect(t.ds.query(`UPDATE audit_event SET actor = 'someone else'`)).rejects.toThrow(/append-only/);
    await expect(t.ds.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
    await expect(t.ds.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
    const [{ n: after }] = await t.ds.query('SELECT COUNT(*)::int AS n FROM audit_event');
    expect(after).toBe(n);
  });

  it('pages back through the trail with beforeId, newest first', async () => {
    const page1 = (await t.request('GET', '/api/audit?limit=2')).body as any[];
    const page2 = (await t.request('GET', `/api/audit?limit=2&beforeId=${page1[1].id}`)).body as any[];
    expect(page1).toHaveLength(2);
    expect(BigInt(page1[0].id)).toBeGreaterThan(BigInt(page1[1].id));
    expect(BigInt(page2[0].id)).toBeLessThan(BigInt(page1[1].id));
  });
});
