import { io, Socket } from 'socket.io-client';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { DrillService } from './drill.service';

interface Ev {
  seq: number;
  type: string;
  world?: string;
}

/**
 * A `moveups` drill at maximum speed writes `moveup.*` (and incident) events in its own world: they
 * reach only the sockets watching drills (`subscribe { drills: true }`, or the run's id), relayed live
 * or replayed; a city commander's socket following live work gets none of them (it used to get every
 * move-up step and reload its live move-ups for each), and neither does one watching another drill.
 */
describe('a drill’s events reach only the sockets watching that drill', () => {
  let t: TestApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await startTestApp('drill-events-rooms');
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  /** A commander's socket subscribed with `body`; the events it receives and its acknowledgement. */
  const consoleSocket = async (body: Record<string, unknown>) => {
    const events: Ev[] = [];
    const s = io(t.url, { transports: ['websocket'], reconnection: false, auth: { token: t.token } });
    sockets.push(s);
    s.on('event', (e: Ev) => events.push(e));
    const ack = await new Promise<{ ok: boolean; error?: string; relayed?: number }>((resolve, reject) => {
      s.on('connect_error', reject);
      s.on('connect', () => s.emit('subscribe', body, resolve));
    });
    return { events, ack };
  };

  it('relays and replays them to watchers only', async () => {
    const live = await consoleSocket({ lastSeq: null });
    const watcher = await consoleSocket({ lastSeq: null, drills: true });
    const other = await consoleSocket({ lastSeq: null, drills: ['drill-2016-12-31-nearest-s1-none'] });
    for (const x of [live, watcher, other]) expect(x.ack.ok).toBe(true);
    const from = live.ack.relayed!;

    const r = await t.request('POST', '/api/drills', { day: '2017-01-03', speed: 'max', policy: 'moveups', seed: 42, limit: 25 });
    expect(r.status).toBe(201);
    const world: string = r.body.id;
    await t.app.get(DrillService).whenDone(world);
    // A live call after the drill: every socket gets its events, so each has been relayed past the drill's.
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7205, lon: -122.446, address: 'after the drill', callNumber: 'after-drill' });
    await t.incidentOf(call.body.id);
    const head: number = await waitFor(async () => {
      const [x] = await t.ds.query(`SELECT max(seq)::int AS head, count(*) FILTER (WHERE seq IS NULL)::int AS pending FROM incident_event`);
      return x.pending === 0 ? x.head : undefined;
    }, 20000, 'every event positioned');
    const [{ n: drillEvents }] = await t.ds.query(`SELECT count(*)::int AS n FROM incident_event WHERE world = $1 AND type LIKE 'moveup.%'`, [world]);
    expect(drillEvents).toBeGreaterThan(0);
    const caughtUp = async (x: { events: Ev[] }) => {
      const end = Date.now() + 60000;
      while (!x.events.some((e) => e.seq >= head) && Date.now() < end) await new Promise((res) => setTimeout(res, 100));
      expect(x.events.some((e) => e.seq >= head)).toBe(true);
    };
    for (const x of [live, watcher, other]) await caughtUp(x);

    const moveups = (x: { events: Ev[] }) => x.events.filter((e) => e.world === world && e.type.startsWith('moveup.')).length;
    expect(moveups(watcher)).toBe(drillEvents);
    expect(live.events.filter((e) => e.world !== 'live')).toEqual([]);
    expect(other.events.filter((e) => e.world !== 'live')).toEqual([]);
    expect(live.events.some((e) => e.type === 'incident.created')).toBe(true);

    // Replayed after a reconnect: the same split; watching this run by its id gets them too.
    const liveAgain = await consoleSocket({ lastSeq: from });
    const byId = await consoleSocket({ lastSeq: from, drills: [world] });
    for (const x of [liveAgain, byId]) await caughtUp(x);
    expect(liveAgain.events.filter((e) => e.world !== 'live')).toEqual([]);
    expect(moveups(byId)).toBe(drillEvents);
    expect((await consoleSocket({ lastSeq: null, drills: ['live; drop'] })).ack).toMatchObject({ ok: false, error: expect.stringMatching(/drills/) });
  }, 300000);
});
