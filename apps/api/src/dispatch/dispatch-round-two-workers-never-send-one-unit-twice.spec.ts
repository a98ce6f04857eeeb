import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { DispatchRoundService, RoundOutcome } from './dispatch-round.service';

/**
 * The hostile twin of dispatch rounds: two worker processes at once (two apps on one database and one
 * Redis prefix). One round per world runs at a time (PostgreSQL advisory lock); and even two rounds
 * forced to run at once, past the lock, never send one unit twice nor decide one incident twice: a
 * unit is taken by one conditional UPDATE under the one-active-assignment index, an incident's decision
 * under its row lock at the revision the round read.
 */
describe('two workers running dispatch rounds at once', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp('round-twins');
    b = await startTestApp('round-twins-b', { REDIS_PREFIX: a.config.REDIS_PREFIX }, { databaseUrl: a.config.DATABASE_URL, role: 'worker' });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  /** Posts `n` Outside Fires (one engine each) about 450 m apart, alternately to either process; waits until each was decided. */
  const surge = async (label: string, n: number, around: { lat: number; lon: number }): Promise<string[]> => {
    const posts = await Promise.all(
      Array.from({ length: n }, (_, k) =>
        (k % 2 ? b : a).request('POST', '/api/calls', {
          type: 'Outside Fire',
          priority: 1 + (k % 3),
          lat: around.lat + 0.004 * (k % 5) - 0.008,
          lon: around.lon + 0.004 * Math.floor(k / 5) - 0.004,
          callNumber: `${label}-${k}`,
          address: `${k} Twin St`,
        }, a.token),
      ),
    );
    expect(posts.map((p) => p.status)).toEqual(posts.map(() => 202));
    // One poller for all of them (the pool of 10 connections is shared with the API and the worker).
    const callIds = posts.map((p) => p.body.id as string);
    return waitFor(async () => {
      const rows: { id: string; incident_id: string }[] = await a.ds.query(
        `SELECT c.id, c.incident_id FROM call c JOIN incident i ON i.id = c.incident_id WHERE c.id = ANY($1) AND i.decided_revision IS NOT NULL`,
        [callIds],
      );
      if (rows.length < callIds.length) return undefined;
      return callIds.map((id) => rows.find((r) => r.id === id)!.incident_id);
    }, 30000, `decisions on the ${label} calls`);
  };

  /** Every unit has at most one active task; every incident at most one engine (its plan's one slot). */
  const expectNothingTwice = async () => {
    const perUnit = await a.ds.query(`SELECT unit_id, count(*)::int AS n FROM assignment WHERE world = 'live' AND released_reason IS NULL GROUP BY unit_id HAVING count(*) > 1`);
    expect(perUnit).toEqual([]);
    const perIncident = await a.ds.query(`SELECT incident_id, count(*)::int AS n FROM assignment WHERE world = 'live' GROUP BY incident_id HAVING count(*) > 1`);
    expect(perIncident).toEqual([]);
    const created = await a.ds.query(
      `SELECT payload->'assignment'->>'unitId' AS unit, incident_id, count(*)::int AS n FROM incident_event WHERE type = 'assignment.created' GROUP BY 1, 2 HAVING count(*) > 1`,
    );
    expect(created).toEqual([]);
  };

  it('two rounds of one world asked for at once: one runs, the other finds the world locked or nothing left; nothing is sent twice', async () => {
    const engines: { id: string; lat: number; lon: number }[] = await a.ds.query(
      `SELECT id, lat, lon FROM unit WHERE world = 'live' AND capabilities = ARRAY['engine']::text[] ORDER BY id LIMIT 6`,
    );
    await a.ds.query(`UPDATE unit SET status = 'out_of_service' WHERE world = 'live'`);
    const ids = await surge('twins-locked', 10, engines[0]);
    expect(new Set(ids).size).toBe(10);
    await a.settle();
    await b.settle();
    // Six engines come back, and every waiting incident is due again (as a unit clearing makes it).
    await a.ds.query(`UPDATE unit SET status = 'available' WHERE world = 'live' AND id = ANY($1)`, [engines.map((e) => e.id)]);
    await a.ds.query(`UPDATE incident SET revision = revision + 1 WHERE id = ANY($1)`, [ids]);
    const [ra, rb] = await Promise.all([a.app.get(DispatchRoundService).runRounds('live'), b.app.get(DispatchRoundService).runRounds('live')]);
    const ran = [ra, rb].filter((r): r is RoundOutcome[] => !!r && r.length > 0);
    expect(ran).toHaveLength(1);
    // The one that ran solved all ten in one round and sent the six engines.
    expect(ran[0][0].solved).toBe(10);
    const sent = ran[0].flatMap((r) => r.recorded.flatMap((x) => x.units));
    expect(sent.sort()).toEqual(engines.map((e) => e.id).sort());
    await expectNothingTwice();
  });

  it('hostile: two rounds forced past the lock at once still never send one unit twice nor decide one incident twice', async () => {
    const engines: { id: string; lat: number; lon: number }[] = await a.ds.query(
      `SELECT id, lat, lon FROM unit WHERE world = 'live' AND capabilities = ARRAY['engine']::text[] AND status = 'out_of_service' ORDER BY id LIMIT 5`,
    );
    // In the Richmond, far from the first surge (its calls would be linked to those incidents).
    const ids = await surge('twins-forced', 8, { lat: 37.7800, lon: -122.4780 });
    expect(new Set(ids).size).toBe(8);
    await a.settle();
    await b.settle();
    await a.ds.query(`UPDATE unit SET status = 'available' WHERE world = 'live' AND id = ANY($1)`, [engines.map((e) => e.id)]);
    await a.ds.query(`UPDATE incident SET revision = revision + 1 WHERE id = ANY($1)`, [ids]);
    type Unlocked = { round(world: string, handled: Map<string, number>): Promise<RoundOutcome | null> };
    const unlocked = (t: TestApp) => t.app.get(DispatchRoundService) as unknown as Unlocked;
    const [ra, rb] = await Promise.all([unlocked(a).round('live', new Map()), unlocked(b).round('live', new Map())]);
    const sent = [ra, rb].flatMap((r) => r?.recorded.flatMap((x) => x.units) ?? []);
    // Each engine went out at most once, whichever process won it.
    expect(new Set(sent).size).toBe(sent.length);
    expect(sent.length).toBeGreaterThan(0);
    // Each incident's decision was recorded by one of the two rounds only.
    const decided = [ra, rb].flatMap((r) => r?.recorded.map((x) => x.incidentId) ?? []);
    expect(new Set(decided).size).toBe(decided.length);
    expect(decided.length).toBeGreaterThanOrEqual(ids.length);
    await expectNothingTwice();
    // A twin that lost an incident to the other may leave a unit free for it; the next round (as the
    // next unit clearing triggers) sends it: every engine is out, still none twice.
    await a.ds.query(`UPDATE incident SET revision = revision + 1 WHERE status = 'received' AND NOT exercise`);
    await a.app.get(DispatchRoundService).runRounds('live');
    const [{ n }] = await a.ds.query(`SELECT count(*)::int AS n FROM assignment WHERE world = 'live' AND unit_id = ANY($1)`, [engines.map((e) => e.id)]);
    expect(n).toBe(engines.length);
    await expectNothingTwice();
  });

  it('a surge posted to both processes with both workers running: every engine free goes out once, each incident gets at most one', async () => {
    const engines: { id: string; lat: number; lon: number }[] = await a.ds.query(
      `SELECT id, lat, lon FROM unit WHERE world = 'live' AND capabilities = ARRAY['engine']::text[] AND status = 'out_of_service' ORDER BY id LIMIT 6`,
    );
    await a.ds.query(`UPDATE unit SET status = 'available' WHERE world = 'live' AND id = ANY($1)`, [engines.map((e) => e.id)]);
    // Around Mission Dolores Park, well inside the city.
    await surge('twins-live', 12, { lat: 37.7596, lon: -122.4269 });
    await a.settle();
    await b.settle();
    const [{ n }] = await a.ds.query(`SELECT count(*)::int AS n FROM assignment WHERE world = 'live' AND unit_id = ANY($1)`, [engines.map((e) => e.id)]);
    expect(n).toBe(engines.length);
    await expectNothingTwice();
  });
});
