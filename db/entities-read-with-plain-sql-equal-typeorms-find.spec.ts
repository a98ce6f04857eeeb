import { cloneTestDatabase } from './testing/clone-database';
import { DataSource, In } from 'typeorm';
import { createDataSource } from './data-source';
import { Assignment, Call, Escalation, Incident, IncidentEvent, Unit } from './entities';
import { entitiesFrom, readEntities } from './raw-entities';

/**
 * Issue 19 (the drill's speed): the hot reads of dispatch, intake and the crews' steps read entities
 * with plain SQL (`readEntities`) instead of TypeORM's `find`, whose query building cost more than the
 * query. What they answer must be what `find` answers, value for value and key for key (event payloads
 * are built from them and hashed by drills): nulls, dates, JSON, arrays, bigint columns with their
 * transformer, numbers. Hostile twins: a row carrying a column the entity does not map, a row missing
 * columns, no row at all, and `FOR UPDATE` really locking.
 */
describe('entities read with plain SQL equal what TypeORM find reads', () => {
  let ds: DataSource;
  let incident: Incident;
  beforeAll(async () => {
    ds = await createDataSource(await cloneTestDatabase('raw-entities')).initialize();
    const [street] = await ds.query(`SELECT id FROM jurisdiction WHERE level = 'street' ORDER BY id LIMIT 1`);
    const base = { type: 'Structure Fire', priority: 1, lat: 37.8, lon: -122.42, cityId: 'sf', outsideBoundary: false, commandingTier: 'street', exercise: false, receivedAt: new Date('2017-01-01T08:00:00.123Z') };
    incident = await ds.manager.save(ds.manager.create(Incident, { ...base, status: 'dispatched', streetId: street.id, revision: 7 }));
    await ds.manager.save(ds.manager.create(Incident, { ...base, status: 'received', address: 'ÄÖ 1 Main St', revision: 0 }));
    await ds.manager.save(
      ds.manager.create(Call, [
        { type: 'Structure Fire', priority: 1, lat: 37.8, lon: -122.42, source: 'phone', receivedAt: new Date('2017-01-01T08:00:00.123Z'), exercise: false, incidentId: incident.id, callNumber: 'C-1' },
        { type: 'Alarms', priority: 2, lat: 37.81, lon: -122.41, source: 'phone', receivedAt: new Date('2017-01-01T08:01:00Z'), exercise: false, suggestedIncidentId: incident.id },
      ]),
    );
    const [unit] = await ds.query(`SELECT id FROM unit WHERE world = 'live' ORDER BY id LIMIT 1`);
    await ds.manager.save(
      ds.manager.create(Assignment, {
        incidentId: incident.id,
        unitId: unit.id,
        capability: 'engine',
        status: 'en_route',
        etaSeconds: 123.456789,
        turnoutSeconds: null,
        routeMetres: 987.6,
        route: { type: 'LineString', coordinates: [[-122.4, 37.8], [-122.41, 37.81]] },
        dispatchedAt: new Date('2017-01-01T08:00:05.5Z'),
        statusAt: new Date('2017-01-01T08:01:05Z'),
        enRouteAt: new Date('2017-01-01T08:01:05Z'),
      }),
    );
    await ds.manager.save(
      ds.manager.create(Escalation, { incidentId: incident.id, key: `k-${incident.id}`, fromTier: 'street', toTier: 'district', toJurisdictionId: 'd1', reason: 'plan_not_coverable', detail: 'engine 300 s > 240 s', actor: 'dispatch', at: new Date('2017-01-01T08:00:01Z') }),
    );
    await ds.manager.insert(IncidentEvent, { type: 'incident.updated', incidentId: incident.id, jurisdictionIds: ['a', 'b'], at: new Date(), actor: 'test', payload: { n: 1.5, s: 'x', nested: [null, { t: true }] } });
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  /** The same entities, the same values, the same keys in the same order, and the same class. */
  const expectSame = <T extends object>(raw: T[], typeorm: T[]) => {
    expect(raw.length).toBeGreaterThan(0);
    expect(raw).toStrictEqual(typeorm);
    expect(JSON.stringify(raw)).toBe(JSON.stringify(typeorm));
    raw.forEach((r, k) => expect(Object.getPrototypeOf(r)).toBe(Object.getPrototypeOf(typeorm[k])));
  };

  it('incidents, calls, tasks, escalations, units and events read as find reads them', async () => {
    const ids = [incident.id];
    expectSame(await readEntities(ds, Incident, 'ORDER BY id'), await ds.manager.find(Incident, { order: { id: 'ASC' } }));
    expectSame(
      await readEntities(ds, Call, 'WHERE incident_id = ANY($1) OR suggested_incident_id = ANY($1) ORDER BY received_at', [ids]),
      await ds.manager.find(Call, { where: [{ incidentId: In(ids) }, { suggestedIncidentId: In(ids) }], order: { receivedAt: 'ASC' } }),
    );
    expectSame(await readEntities(ds, Assignment, 'WHERE incident_id = ANY($1)', [ids]), await ds.manager.find(Assignment, { where: { incidentId: In(ids) } }));
    expectSame(await readEntities(ds, Escalation, 'WHERE incident_id = $1', [incident.id]), await ds.manager.find(Escalation, { where: { incidentId: incident.id } }));
    // Unit: a composite key and a bigint version through its transformer (a number, not a string).
    const units = await readEntities(ds, Unit, `WHERE world = 'live' ORDER BY id`);
    expectSame(units, await ds.manager.find(Unit, { where: { world: 'live' }, order: { id: 'ASC' } }));
    expect(typeof units[0].version).toBe('number');
    // An event: a bigint sequence kept as a string (no transformer), a text array, a JSON payload.
    expectSame(await readEntities(ds, IncidentEvent, 'WHERE incident_id = $1', [incident.id]), await ds.manager.find(IncidentEvent, { where: { incidentId: incident.id } }));
    // Read in a transaction, through its manager, it sees the transaction's own changes.
    await ds.transaction(async (m) => {
      await m.update(Incident, { id: incident.id }, { revision: 8 });
      const [mine] = await readEntities(m, Incident, 'WHERE id = $1', [incident.id]);
      expect(mine.revision).toBe(8);
      expectSame([mine], [(await m.findOneBy(Incident, { id: incident.id }))!]);
    });
  });

  it('a column the entity does not map is ignored; a column missing is left unset, as find with a select leaves it', async () => {
    const [extra] = await ds.query(`SELECT *, 42 AS not_a_column FROM incident WHERE id = $1`, [incident.id]);
    const [read] = entitiesFrom(ds, Incident, [extra]);
    expect(read).not.toHaveProperty('not_a_column');
    expectSame([read], [(await ds.manager.findOneBy(Incident, { id: incident.id }))!]);
    const [partial] = entitiesFrom(ds.manager, Incident, await ds.query(`SELECT id, revision FROM incident WHERE id = $1`, [incident.id]));
    expectSame([partial], await ds.manager.find(Incident, { select: { id: true, revision: true }, where: { id: incident.id } }));
    expect(Object.keys(partial)).toEqual(['id', 'revision']);
    expect(await readEntities(ds, Incident, 'WHERE id = $1', ['00000000-0000-4000-8000-000000000000'])).toEqual([]);
  });

  it('FOR UPDATE locks the rows it reads until the transaction ends', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const lockedNow = new Promise<void>((r) => (locked = r));
    const holder = ds.transaction(async (m) => {
      const [row] = await readEntities(m, Incident, 'WHERE id = $1 FOR UPDATE', [incident.id]);
      expect(row.id).toBe(incident.id);
      locked();
      await held;
    });
    await lockedNow;
    await expect(ds.query(`SELECT id FROM incident WHERE id = $1 FOR UPDATE NOWAIT`, [incident.id])).rejects.toThrow(/could not obtain lock/);
    release();
    await holder;
    expect(await ds.query(`SELECT id FROM incident WHERE id = $1 FOR UPDATE NOWAIT`, [incident.id])).toEqual([{ id: incident.id }]);
  });
});
