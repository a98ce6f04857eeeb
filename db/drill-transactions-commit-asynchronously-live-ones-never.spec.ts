import { cloneTestDatabase } from './testing/clone-database';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { createDataSource } from './data-source';
import { IncidentEvent } from './entities';

/**
 * Issue 19 (the drill's speed): a transaction that appends a drill's events commits without waiting for
 * its WAL flush (`cad_event_world` sets `synchronous_commit` off for it); live work always waits. The
 * hostile twins: a transaction appending a live event and a drill's (in either order) waits; a server
 * set to a stricter level keeps it for live work, and so does a transaction that set one; an event of a
 * live incident naming a drill's world is live work; the session's own level is back after the commit. The
 * commit's notification names a drill-only transaction (`drill`), so the relay may sequence it later;
 * one that appended any live event is `live`.
 */
describe('drill transactions commit asynchronously, live ones never', () => {
  let ds: DataSource;
  let url: string;
  beforeAll(async () => {
    url = await cloneTestDatabase('drill-async-commit');
    const one = createDataSource(url);
    // One connection: the session level seen after each transaction is the same session's.
    one.setOptions({ extra: { ...(one.options.extra as object), max: 1 } });
    ds = await one.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  const append = (m: EntityManager, world: string) =>
    m.insert(IncidentEvent, { type: 'unit.status', world, unitId: 'E01', jurisdictionIds: ['sf'], at: new Date(), actor: 'test', payload: { world } });
  const level = async (m: EntityManager | DataSource): Promise<string> => (await m.query('SHOW synchronous_commit'))[0].synchronous_commit;
  /** The level a transaction would commit with after appending events of these worlds in this order; and the session's level after it. */
  const commitLevel = async (...worlds: string[]) => {
    const inside = await ds.transaction(async (m) => {
      for (const w of worlds) await append(m, w);
      return level(m);
    });
    return { inside, after: await level(ds) };
  };

  it('a drill transaction commits asynchronously; a live one waits for its flush; the session is unchanged after either', async () => {
    expect(await commitLevel('drill-a')).toEqual({ inside: 'off', after: 'on' });
    expect(await commitLevel('live')).toEqual({ inside: 'on', after: 'on' });
    expect(await commitLevel('drill-a', 'drill-a')).toEqual({ inside: 'off', after: 'on' });
    // What it committed is there, as any commit's is.
    expect(await ds.query(`SELECT count(*)::int AS n FROM incident_event WHERE world = 'drill-a'`)).toEqual([{ n: 3 }]);
  });

  it('a transaction that appends a live event waits for its flush, whatever order its events come in', async () => {
    expect(await commitLevel('drill-a', 'live')).toEqual({ inside: 'on', after: 'on' });
    expect(await commitLevel('live', 'drill-a')).toEqual({ inside: 'on', after: 'on' });
    expect(await commitLevel('drill-a', 'live', 'drill-b')).toEqual({ inside: 'on', after: 'on' });
  });

  it('an event of a live incident is live work whatever world it names; a stricter level set in the transaction stays', async () => {
    const [street] = await ds.query(`SELECT id FROM jurisdiction WHERE level = 'street' ORDER BY id LIMIT 1`);
    const inside = await ds.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO incident (type, priority, status, lat, lon, city_id, outside_boundary, commanding_tier, exercise, revision, received_at, street_id)
         VALUES ('Alarms', 3, 'received', 37.8, -122.42, 'sf', false, 'street', false, 0, now(), $1) RETURNING id`,
        [street.id],
      );
      await m.insert(IncidentEvent, { type: 'incident.updated', incidentId: id, world: 'drill-z', jurisdictionIds: ['sf'], at: new Date(), actor: 'test', payload: {} });
      return level(m);
    });
    expect(inside).toBe('on');
    const stricter = await ds.transaction(async (m) => {
      await append(m, 'drill-a');
      await m.query(`SET LOCAL synchronous_commit = 'remote_apply'`);
      await append(m, 'live');
      return level(m);
    });
    expect(stricter).toBe('remote_apply');
    expect(await level(ds)).toBe('on');
  });

  it('a stricter level set for the session stays for live work and comes back after a drill event', async () => {
    await ds.query(`SET synchronous_commit = 'remote_apply'`);
    try {
      expect(await commitLevel('live')).toEqual({ inside: 'remote_apply', after: 'remote_apply' });
      expect(await commitLevel('drill-a')).toEqual({ inside: 'off', after: 'remote_apply' });
      expect(await commitLevel('drill-a', 'live', 'drill-a')).toEqual({ inside: 'remote_apply', after: 'remote_apply' });
    } finally {
      await ds.query('RESET synchronous_commit');
    }
  });

  it('an event of a drill incident takes the drill world from its incident, and its transaction commits asynchronously', async () => {
    const [street] = await ds.query(`SELECT id FROM jurisdiction WHERE level = 'street' ORDER BY id LIMIT 1`);
    const inside = await ds.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO incident (type, priority, status, lat, lon, city_id, outside_boundary, commanding_tier, exercise, drill_id, revision, received_at, street_id)
         VALUES ('Alarms', 3, 'received', 37.8, -122.42, 'sf', false, 'street', true, 'drill-c', 0, now(), $1) RETURNING id`,
        [street.id],
      );
      await m.insert(IncidentEvent, { type: 'incident.created', incidentId: id, jurisdictionIds: ['sf'], at: new Date(), actor: 'test', payload: {} });
      return { level: await level(m), world: (await m.query(`SELECT world FROM incident_event WHERE incident_id = $1`, [id]))[0].world };
    });
    expect(inside).toEqual({ level: 'off', world: 'drill-c' });
  });

  it('the commit notification says drill when only drills\' events were appended, else live', async () => {
    const listener = new Client({ connectionString: url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => n.channel === 'cad_event' && heard.push(n.payload ?? ''));
    await listener.query('LISTEN cad_event');
    try {
      const byCommit: string[][] = [];
      for (const worlds of [['drill-a'], ['live'], ['drill-a', 'live'], ['live', 'drill-b'], ['drill-a', 'drill-b']]) {
        heard.length = 0;
        await commitLevel(...worlds);
        // A round trip on the listener's connection: every notification sent before it has been delivered.
        await listener.query('SELECT 1');
        byCommit.push([...heard]);
      }
      // One notification per INSERT statement, repeats folded: a transaction that appended a live event always says live.
      expect(byCommit).toEqual([['drill'], ['live'], ['drill', 'live'], ['live'], ['drill']]);
    } finally {
      await listener.end();
    }
  });
});
