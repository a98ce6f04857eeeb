import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { emptyTestDatabase } from '@cad/db/testing';
import { prepare } from '../bootstrap';
import { loadConfig } from '../config/config';
import { startTestApp, TestApp } from '../testing/test-app';

const DIR = path.resolve('db/cities/fixtures/riverton');
const ENV = { CITY_PROFILE: path.join(DIR, 'riverton.yaml'), DATA_DIR: DIR, ROUTING_CACHE_DIR: path.resolve('.cad/routing-cache-test') };

/**
 * The hospital a unit transports to is chosen from the city profile's list (the fixture city lists
 * one), nearest first, and recorded as an `assignment.hospital` event; a name the profile does not
 * list, or a task not on scene, is refused. San Francisco's profile lists no hospital it cannot
 * source, and the list says so.
 */
describe('choosing the hospital on transport', () => {
  describe('in the fixture city (Riverton lists a hospital)', () => {
    let t: TestApp;
    beforeAll(async () => {
      const empty: DataSource = await emptyTestDatabase('hospitals');
      const databaseUrl = (empty.options as { url: string }).url;
      await empty.destroy();
      const config = loadConfig({ ...process.env, ...ENV, DATABASE_URL: databaseUrl, SEED_DEMO_USERS: 'true', DRILL_DATE: '' });
      await prepare(config, { log: () => undefined });
      t = await startTestApp('hospitals', ENV, { databaseUrl });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('lists the hospital nearest first, records the choice as an event, and refuses what the profile does not list', async () => {
      const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 41.004, lon: -89.985, address: '5 Mill Rd' });
      const incident = await t.incidentOf(call.body.id);
      const task = incident.assignments[0];
      const list = await t.request('GET', `/api/hospitals?incidentId=${incident.id}`);
      expect(list.status).toBe(200);
      expect(list.body.note).toBeNull();
      expect(list.body.hospitals).toEqual([expect.objectContaining({ name: 'Riverton General (fixture)', lat: 41.002, lon: -89.995 })]);
      // 0.01 degree of longitude at 41° N is about 840 m; 0.002 of latitude 222 m.
      expect(list.body.hospitals[0].distanceM).toBeGreaterThan(800);
      expect(list.body.hospitals[0].distanceM).toBeLessThan(900);

      // Not yet on scene: refused, naming the status.
      const early = await t.request('POST', `/api/assignments/${task.id}/hospital`, { hospital: 'Riverton General (fixture)' });
      expect(early.status).toBe(409);
      expect(early.body.message).toContain('dispatched');
      for (const s of ['acknowledged', 'en_route', 'on_scene']) expect((await t.request('PATCH', `/api/assignments/${task.id}`, { status: s })).status).toBe(200);

      const unknown = await t.request('POST', `/api/assignments/${task.id}/hospital`, { hospital: 'St Elsewhere' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toContain('hospital must be one the city profile lists: Riverton General (fixture)');
      expect((await t.request('POST', `/api/assignments/${task.id}/hospital`, {})).status).toBe(400);
      expect((await t.request('POST', `/api/assignments/${task.id}/hospital`, { hospital: 'Riverton General (fixture)' }, await t.signIn('observer'))).status).toBe(403);

      const chosen = await t.request('POST', `/api/assignments/${task.id}/hospital`, { hospital: 'Riverton General (fixture)' });
      expect(chosen.status).toBe(200);
      expect(chosen.body).toMatchObject({ assignmentId: task.id, unitId: task.unitId, hospital: { name: 'Riverton General (fixture)' }, chosenBy: 'commander' });
      const events = await t.ds.query(`SELECT actor, payload FROM incident_event WHERE incident_id = $1 AND type = 'assignment.hospital'`, [incident.id]);
      expect(events).toEqual([{ actor: 'commander', payload: chosen.body }]);
      expect((await t.request('GET', `/api/incidents/${incident.id}/hospitals`)).body).toEqual([chosen.body]);
      // The crew may choose too, while transporting.
      expect((await t.request('PATCH', `/api/assignments/${task.id}`, { status: 'transporting' })).status).toBe(200);
      const crew = await t.signIn(task.unitId.toLowerCase());
      expect((await t.request('POST', `/api/assignments/${task.id}/hospital`, { hospital: 'Riverton General (fixture)' }, crew)).status).toBe(200);
    });
  });

  describe('in San Francisco (the profile lists none it cannot source)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp('hospitals-sf');
    });
    afterAll(async () => {
      await t?.close();
    });

    it('answers an empty list that says so, and refuses a choice naming the field', async () => {
      const list = await t.request('GET', '/api/hospitals');
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ hospitals: [], note: expect.stringContaining('lists no hospital') });
      const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.789, lon: -122.401 });
      const incident = await t.incidentOf(call.body.id);
      const r = await t.request('POST', `/api/assignments/${incident.assignments[0].id}/hospital`, { hospital: 'SF General' });
      expect(r.status).toBe(400);
      expect(r.body.message).toContain('hospital: the city profile lists no hospital');
      expect((await t.request('GET', '/api/hospitals?incidentId=nope')).status).toBe(400);
    });
  });
});
