import { callsBetween } from '@cad/db';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { DrillService } from './drill.service';

/**
 * A drill runs in its own world: the same live calls, placed beside the drill's own incidents, get
 * the same live units with the same ETAs whether or not a drill runs at maximum speed at the same
 * time, and no live unit row is written while the drill starts, runs and stops (issue 15: E10 sent
 * to the drill left Marina's live call to E16; E28 on the drill refused a hand assignment).
 */
describe('live dispatch is untouched by a drill running at max speed beside it', () => {
  const DAY = '2017-01-03';
  const env = { ACK_TIMEOUT_S: '3600' };

  /** Every live unit row, all columns that any write would change (version and updated_at included). */
  const liveUnits = async (t: TestApp) =>
    JSON.stringify(
      await t.ds.query(
        `SELECT id, status, lat, lon, version, out_of_service_by, updated_at FROM unit WHERE world = 'live' ORDER BY id`,
      ),
    );

  /** The drill day's first calls, as live calls 20 m away (the streets the drill keeps busy). */
  const liveCallsBesideTheDrill = (t: TestApp) =>
    callsBetween(t.app.get(DrillService).scenario('sf-north'), DAY)
      .slice(0, 6)
      .map((c, k) => ({ type: c.type, priority: c.priority, lat: c.lat + 0.00018, lon: c.lon, callNumber: `live-${k}`, address: `beside drill call ${k}` }));

  /** Posts the calls one after another, each dispatched before the next, and answers who went where. */
  const postLive = async (t: TestApp) => {
    const out: { call: string; units: { unit_id: string; capability: string; eta_seconds: number; world: string }[] }[] = [];
    for (const call of liveCallsBesideTheDrill(t)) {
      const r = await t.request('POST', '/api/calls', call);
      expect(r.status).toBe(202);
      const incident = await t.incidentOf(r.body.id);
      expect(incident.exercise).toBe(false);
      const units = await t.ds.query(
        `SELECT unit_id, capability, eta_seconds, world FROM assignment WHERE incident_id = $1 ORDER BY unit_id, capability`,
        [incident.id],
      );
      out.push({ call: call.callNumber, units });
    }
    return out;
  };

  let alone: Awaited<ReturnType<typeof postLive>>;
  let liveAfterAlone: string;

  it('records the live assignments and ETAs with no drill', async () => {
    const t = await startTestApp('world-live-alone', env);
    try {
      alone = await postLive(t);
      expect(alone.every((x) => x.units.length > 0)).toBe(true);
      liveAfterAlone = JSON.stringify(
        await t.ds.query(`SELECT id, status, lat, lon, version FROM unit WHERE world = 'live' ORDER BY id`),
      );
    } finally {
      await t.close();
    }
  });

  it('gets the same live assignments and ETAs beside a drill at max speed, and the drill writes no live unit row', async () => {
    const t = await startTestApp('world-live-beside-drill', env);
    try {
      const before = await liveUnits(t);
      const started = await t.request('POST', '/api/drills', { day: DAY, speed: 'max', policy: 'nearest', seed: 3 });
      expect(started.status).toBe(201);
      const id = started.body.id as string;
      // The drill's world is its own copy of the fleet: same ids, every unit available but those the import
      // put out of service (an engine or truck of a station the data cannot place: 6 on the north strip).
      const [fleet] = await t.ds.query(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE d.status = 'available')::int AS free,
                count(*) FILTER (WHERE d.capabilities = l.capabilities AND d.home_lat = l.home_lat AND d.home_lon = l.home_lon)::int AS same,
                count(*) FILTER (WHERE d.status = 'out_of_service' AND d.out_of_service_by = 'import:base-unknown' AND l.out_of_service_by = 'import:base-unknown')::int AS unplaced
           FROM unit d JOIN unit l ON l.world = 'live' AND l.id = d.id WHERE d.world = $1`,
        [id],
      );
      const [{ n: liveCount }] = await t.ds.query(`SELECT count(*)::int AS n FROM unit WHERE world = 'live'`);
      expect(fleet).toEqual({ n: liveCount, free: liveCount - 6, same: liveCount, unplaced: 6 });
      // The drill dispatches its own units (the same ids the live calls will want)...
      await waitFor(async () => {
        const [r] = await t.ds.query(`SELECT count(*)::int AS n FROM assignment WHERE world = $1`, [id]);
        return r.n >= 6 || undefined;
      }, 60000, 'drill dispatches');
      // ...and no live unit row was written by starting and running it.
      expect(await liveUnits(t)).toBe(before);

      const beside = await postLive(t);
      const view = (await t.request('GET', `/api/drills/${id}`)).body;
      expect(view.state).toBe('running');
      expect(beside).toEqual(alone);
      expect(beside.flatMap((x) => x.units).every((u) => u.world === 'live')).toBe(true);
      const liveAfterCalls = await liveUnits(t);

      // Stopping the drill ends its incidents and deletes its world; live units stay as they are.
      const stopped = await t.request('POST', `/api/drills/${id}/stop`);
      expect(stopped.body.state).toBe('stopped');
      await t.app.get(DrillService).whenDone(id);
      expect(await liveUnits(t)).toBe(liveAfterCalls);
      expect(JSON.stringify(await t.ds.query(`SELECT id, status, lat, lon, version FROM unit WHERE world = 'live' ORDER BY id`))).toBe(liveAfterAlone);
      const [{ n: left }] = await t.ds.query(`SELECT count(*)::int AS n FROM unit WHERE world = $1`, [id]);
      expect(left).toBe(0);
      // The drill's tasks all named its world, and its events too.
      const [mixed] = await t.ds.query(
        `SELECT count(*)::int AS n FROM assignment a JOIN incident i ON i.id = a.incident_id WHERE a.world <> COALESCE(i.drill_id, 'live')`,
      );
      expect(mixed.n).toBe(0);
      const [events] = await t.ds.query(
        `SELECT count(*) FILTER (WHERE e.world = $1)::int AS drill, count(*) FILTER (WHERE e.world <> COALESCE(i.drill_id, 'live'))::int AS wrong
           FROM incident_event e JOIN incident i ON i.id = e.incident_id`,
        [id],
      );
      expect(events.drill).toBeGreaterThan(0);
      expect(events.wrong).toBe(0);
    } finally {
      await t.close();
    }
  });
});
