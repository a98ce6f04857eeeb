import { databaseOutage, DatabaseOutage } from '@cad/db/testing';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * PostgreSQL goes away (every connection of the system's database dropped and new ones refused, as
 * during a restart): the API answers 503 naming the outage, readiness says `postgres: down`, and
 * once PostgreSQL accepts connections again the API recovers by itself, with nothing accepted lost.
 */
describe('Postgres outage', () => {
  let t: TestApp;
  let outage: DatabaseOutage;
  beforeAll(async () => {
    t = await startTestApp('pg-fault');
    outage = await databaseOutage(t.config.DATABASE_URL!);
  });
  afterAll(async () => {
    await outage.close();
    await t.close();
  });

  it('answers 503 while down and recovers by itself', async () => {
    const before = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7935, lon: -122.4045 });
    const incident = await t.incidentOf(before.body.id);
    await t.settle();

    await outage.cut();
    const down = await waitFor(async () => {
      const r = await t.request('GET', `/api/incidents/${incident.id}`);
      return r.status === 503 ? r : null;
    }, 10000, '503 during the outage');
    expect(down.body.message).toContain('unavailable');
    const ready = await t.request('GET', '/api/health/ready', undefined, null);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'unavailable', postgres: 'down', down: ['postgres'] });
    expect((await t.request('GET', '/api/health/live', undefined, null)).status).toBe(200);

    await outage.restore();
    const recovered = await waitFor(async () => {
      const r = await t.request('GET', `/api/incidents/${incident.id}`);
      return r.status === 200 ? r : null;
    }, 15000, 'recovery');
    expect(recovered.body.calls.map((c: any) => c.id)).toContain(before.body.id);
    const after = await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 2, lat: 37.7850, lon: -122.4300 });
    expect(after.status).toBe(202);
    expect((await t.incidentOf(after.body.id)).assignments.length).toBeGreaterThan(0);
  });
});
