import { cloneTestDatabase } from '@cad/db/testing';
import { createDataSource, Incident, readEntities } from '@cad/db';
import { DataSource } from 'typeorm';
import { WAITING_IN_WORLD } from './dispatch-round.service';
import { WaitingIncidentsReader } from './waiting-incidents.reader';

/**
 * Issue 19: in a surge a dispatch round read every waiting incident whole, round after round, though
 * almost none had changed. The round now lists ids with row versions and reads whole only the new and
 * the changed ones. What it answers must be what a whole read answers, every time: hostile twins are a
 * change committed between the list and the whole read, an incident that stops waiting in that gap, and
 * a round that writes on an entity it was given.
 */
describe('a dispatch round reads whole only the incidents changed since the last round', () => {
  let ds: DataSource;
  let other: DataSource;
  const ids: string[] = [];
  const whole = () => readEntities(ds, Incident, `WHERE ${WAITING_IN_WORLD} ORDER BY id`, ['live']);

  beforeAll(async () => {
    const db = await cloneTestDatabase('waiting-reader');
    ds = await createDataSource(db).initialize();
    other = await createDataSource(db).initialize();
    const base: Partial<Incident> = { type: 'Medical Incident', priority: 2, status: 'received', lat: 37.8, lon: -122.42, cityId: 'sf', outsideBoundary: false, commandingTier: 'street', exercise: false, autoDispatch: true, revision: 1 };
    for (let k = 0; k < 4; k++) {
      const saved = await ds.manager.save(ds.manager.create(Incident, { ...base, receivedAt: new Date(Date.UTC(2017, 0, 1, 8, k)) }));
      ids.push(saved.id);
    }
    // Not waiting: a drill's, and one already dispatched.
    await ds.manager.save(ds.manager.create(Incident, { ...base, exercise: true, drillId: 'drill-x', receivedAt: new Date() }));
    await ds.manager.save(ds.manager.create(Incident, { ...base, status: 'dispatched', receivedAt: new Date() }));
  });
  afterAll(async () => {
    await ds?.destroy();
    await other?.destroy();
  });

  it('reads all whole at first, none the next round, then only the one changed; always what a whole read answers', async () => {
    const reader = new WaitingIncidentsReader(ds);
    expect(await reader.read('live', WAITING_IN_WORLD)).toStrictEqual(await whole());
    expect(reader.last).toEqual({ listed: 4, fetched: 4 });
    const again = await reader.read('live', WAITING_IN_WORLD);
    expect(reader.last).toEqual({ listed: 4, fetched: 0 });
    expect(again).toStrictEqual(await whole());
    again.forEach((e) => expect(Object.getPrototypeOf(e)).toBe(Incident.prototype));

    await other.query(`UPDATE incident SET priority = 1, revision = revision + 1 WHERE id = $1`, [ids[1]]);
    const changed = await reader.read('live', WAITING_IN_WORLD);
    expect(reader.last).toEqual({ listed: 4, fetched: 1 });
    expect(changed.find((e) => e.id === ids[1])!.priority).toBe(1);
    expect(changed).toStrictEqual(await whole());

    await other.query(`UPDATE incident SET status = 'dispatched' WHERE id = $1`, [ids[2]]);
    const fewer = await reader.read('live', WAITING_IN_WORLD);
    expect(fewer.map((e) => e.id)).not.toContain(ids[2]);
    expect(fewer).toStrictEqual(await whole());
    await other.query(`UPDATE incident SET status = 'received' WHERE id = $1`, [ids[2]]);
  });

  it('what a round sets on an entity it was given never reaches the next round', async () => {
    const reader = new WaitingIncidentsReader(ds);
    const first = await reader.read('live', WAITING_IN_WORLD);
    first[0].commandingTier = 'city';
    first[0].priority = 3;
    const next = await reader.read('live', WAITING_IN_WORLD);
    expect(reader.last.fetched).toBe(0);
    expect(next).toStrictEqual(await whole());
  });

  it('a change committed between the list and the whole read is read at its newer version, then read again next round; one that stopped waiting leaves at the next round', async () => {
    const reader = new WaitingIncidentsReader(ds);
    await reader.read('live', WAITING_IN_WORLD);
    await other.query(`UPDATE incident SET revision = revision + 1 WHERE id = $1`, [ids[0]]);
    const query = ds.query.bind(ds);
    const spy = jest.spyOn(ds, 'query').mockImplementation(async (sql: string, params?: unknown) => {
      const out = await query(sql, params as unknown[] | undefined);
      // Right after the list: one listed incident changes again, another stops waiting.
      if (sql.startsWith('SELECT id, xmin')) {
        await other.query(`UPDATE incident SET address = '1 Gap St', revision = revision + 1 WHERE id = $1`, [ids[0]]);
        await other.query(`UPDATE incident SET status = 'dispatched' WHERE id = $1`, [ids[3]]);
      }
      return out;
    });
    let gap: Incident[];
    try {
      gap = await reader.read('live', WAITING_IN_WORLD);
    } finally {
      spy.mockRestore();
    }
    expect(gap.find((e) => e.id === ids[0])!.address).toBe('1 Gap St');
    // Unchanged when listed: as a single read at the list would have answered (a round then finds it
    // decided when it locks it to commit, as with any change after its read).
    expect(gap.map((e) => e.id)).toContain(ids[3]);
    const next = await reader.read('live', WAITING_IN_WORLD);
    expect(reader.last).toEqual({ listed: 3, fetched: 1 });
    expect(next.map((e) => e.id)).not.toContain(ids[3]);
    expect(next).toStrictEqual(await whole());
  });

  it('another world, and a world with nothing waiting, are read apart', async () => {
    const reader = new WaitingIncidentsReader(ds);
    expect(await reader.read('drill-none', WAITING_IN_WORLD)).toEqual([]);
    expect(reader.last).toEqual({ listed: 0, fetched: 0 });
    expect((await reader.read('live', WAITING_IN_WORLD)).length).toBeGreaterThan(0);
  });
});
