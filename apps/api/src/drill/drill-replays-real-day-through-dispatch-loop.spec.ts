import { isEmsUnit } from '@cad/domain';
import { startTestApp, TestApp } from '../testing/test-app';
import { CrewModel, unitPlace } from './crews';
import { DrillScenarios } from './drill-scenarios.service';
import { DrillService } from './drill.service';

/** The commander's token (set once the app is up): every request of this file is signed in. */
let token = '';
const fetch = (url: string, init: RequestInit = {}) =>
  globalThis.fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });

describe('a drill replays 2017-01-01 through the intake of POST /api/calls (in process), isolated from live work, with simulated crews and a report', () => {
  let t: TestApp;
  let id: string;
  beforeAll(async () => {
    t = await startTestApp('drill');
    token = t.token;
  });
  afterAll(async () => {
    await t.close();
  });

  it('POST /api/drills at max speed creates exercise incidents that are dispatched, reached and resolved', async () => {
    const res = await fetch(`${t.url}/api/drills`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ day: '2017-01-01', speed: 'max', policy: 'nearest', seed: 7, limit: 30 }),
    });
    expect(res.status).toBe(201);
    const started = await res.json();
    id = started.id;
    expect(started).toMatchObject({ day: '2017-01-01', policy: 'nearest', seed: 7, calls: 30, speed: 'max' });
    const done = await t.app.get(DrillService).whenDone(id);
    expect(done.state).toBe('finished');
    expect(done.posted + done.refused).toBe(30);
    expect(done.eventLogHash).toMatch(/^[0-9a-f]{64}$/);
    // The travel model was fitted on the data and says how well, beside the one-factor fit it replaced.
    expect(done.calibration.n).toBeGreaterThan(50);
    expect(done.calibration.rmseS).toBeLessThan(done.calibration.baselineRmseS);

    const calls = await t.ds.query(`SELECT exercise, source, received_at FROM call WHERE drill_id = $1 ORDER BY received_at`, [id]);
    expect(calls.length).toBe(done.posted);
    expect(calls.every((c: any) => c.exercise === true && c.source === 'drill')).toBe(true);
    expect(new Date(calls[0].received_at).getTime()).toBeGreaterThanOrEqual(Date.parse('2017-01-01T08:00:00Z'));
    const rows = await t.ds.query(
      `SELECT a.dispatched_at, a.en_route_at, a.on_scene_at, a.cleared_at, a.eta_seconds, a.turnout_seconds, u.unit_type, a.unit_id,
              (SELECT MIN(c.call_number) FROM call c WHERE c.incident_id = i.id) AS call_number FROM assignment a
         JOIN incident i ON i.id = a.incident_id JOIN unit u ON u.world = 'live' AND u.id = a.unit_id WHERE i.drill_id = $1 AND a.status = 'cleared'`,
      [id],
    );
    expect(rows.length).toBeGreaterThan(10);
    const fire = rows.filter((a: any) => !isEmsUnit(a.unit_type));
    expect(fire.length).toBeGreaterThan(5);
    for (const a of rows) {
      expect(a.turnout_seconds).toBeGreaterThan(0);
      expect(new Date(a.cleared_at).getTime()).toBeGreaterThan(new Date(a.on_scene_at).getTime());
    }
    // A fire unit arrives the travel model's travel time (the ETA less its turnout: the median from where it
    // set off) times the residual ratio its trip drew from other days (`CrewModel.travelRatio`, seeded by
    // seed, call and the unit's place at the call: common random numbers) after it went en route. The
    // ratios of a call's units of one type are the draws of its places 0, 1, … (`unitPlace`). (An
    // ambulance's travel is drawn from its type's on other days: see the ambulance-travel specs.)
    const scenarios = t.app.get(DrillScenarios);
    const crews = new CrewModel(scenarios.scenario('sf-north').calls, 7, await scenarios.travelResiduals('sf-north'));
    const ratios = fire.map((a: any) => (new Date(a.on_scene_at).getTime() - new Date(a.en_route_at).getTime()) / ((a.eta_seconds - a.turnout_seconds) * 1000));
    const byPlace = new Map<string, number[]>();
    fire.forEach((a: any, i: number) => {
      const k = `${a.call_number.slice(id.length + 1)}|${a.unit_type}`;
      byPlace.set(k, [...(byPlace.get(k) ?? []), ratios[i]]);
    });
    for (const [k, seen] of byPlace) {
      const [call, type] = k.split('|');
      const drawn = seen.map((_, n) => crews.travelRatio(call, unitPlace(type, n), type));
      drawn.sort((a, b) => a - b);
      [...seen].sort((a, b) => a - b).forEach((r, n) => expect(r).toBeCloseTo(drawn[n], 3));
    }
    // The trips have the spread of the data, not the median each.
    expect(new Set(ratios.map((r: number) => r.toFixed(6))).size).toBeGreaterThan(2);
    const open = await t.ds.query(`SELECT count(*)::int AS n FROM incident WHERE drill_id = $1 AND status NOT IN ('resolved', 'closed', 'cancelled')`, [id]);
    expect(open[0].n).toBe(0);
  });

  it('keeps drill incidents apart from live ones in the API and marks them Exercise in CAP', async () => {
    const live = await fetch(`${t.url}/api/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'Medical Incident', priority: 1, lat: 37.8, lon: -122.41, address: 'live call' }),
    });
    expect(live.status).toBe(202);
    await t.settle(async () => (await t.ds.query(`SELECT count(*)::int AS n FROM incident WHERE NOT exercise`))[0].n === 1);
    const liveOnly = (await (await fetch(`${t.url}/api/incidents?exercise=false`)).json()).items;
    expect(liveOnly.map((i: any) => i.address)).toEqual(['live call']);
    const drillOnly = (await (await fetch(`${t.url}/api/incidents?drillId=${id}`)).json()).items;
    expect(drillOnly.length).toBeGreaterThan(10);
    expect(drillOnly.every((i: any) => i.exercise && i.drillId === id)).toBe(true);
    const exercise = (await (await fetch(`${t.url}/api/incidents?exercise=true`)).json()).items;
    expect(exercise.length).toBe(drillOnly.length);

    const capDrill = await fetch(`${t.url}/api/incidents/${drillOnly[0].id}/cap`);
    expect(capDrill.headers.get('content-type')).toMatch(/application\/cap\+xml/);
    const xml = await capDrill.text();
    expect(xml).toContain('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">');
    expect(xml).toContain('<status>Exercise</status>');
    expect(xml).toMatch(/<sent>2017-01-0[12]T\d\d:\d\d:\d\d-00:00<\/sent>/);
    const capLive = await (await fetch(`${t.url}/api/incidents/${liveOnly[0].id}/cap`)).text();
    expect(capLive).toContain('<status>Actual</status>');
  });

  it('serves the after-action report as JSON and HTML, simulated next to historical intervals', async () => {
    const r = await (await fetch(`${t.url}/api/drills/${id}/report.json`)).json();
    expect(r.targets.turnoutFire.seconds).toBe(80);
    expect(r.targets.travelFirstUnit.seconds).toBe(240);
    expect(r.overall.calls).toBeGreaterThan(10);
    expect(r.overall.totalResponse.sim.n).toBeGreaterThan(10);
    expect(r.overall.totalResponse.hist.n).toBeGreaterThan(10);
    expect(r.overall.totalResponse.sim.p90).toBeGreaterThanOrEqual(r.overall.totalResponse.sim.p50);
    expect(Object.keys(r.byType).length).toBeGreaterThan(1);
    expect(Object.keys(r.byDistrict).length).toBeGreaterThan(0);
    expect(Object.keys(r.byStreet).length).toBeGreaterThan(0);
    expect(r.utilisation.length).toBeGreaterThan(0);
    expect(r.timeline.reduce((s: number, h: any) => s + h.calls, 0)).toBe(r.overall.calls);
    const page = await fetch(`${t.url}/api/drills/${id}/report.html`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('<svg');
    expect(html).toContain('NFPA 1710');
    expect(html).toContain(id);
  });

  it('refuses a bad start naming the field, and an unknown drill with 404', async () => {
    const bad = await fetch(`${t.url}/api/drills`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ day: '2017-01-01', speed: 'fast', policy: 'random' }),
    });
    expect(bad.status).toBe(400);
    const msg = JSON.stringify(await bad.json());
    expect(msg).toMatch(/speed/);
    expect(msg).toMatch(/policy/);
    const empty = await fetch(`${t.url}/api/drills`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ day: '2019-05-05', speed: 'max' }),
    });
    expect(empty.status).toBe(400);
    expect((await (await fetch(`${t.url}/api/drills/nope`)).status)).toBe(404);
  });
});
