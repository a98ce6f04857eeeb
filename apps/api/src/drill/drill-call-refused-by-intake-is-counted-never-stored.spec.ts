import type { ScenarioCall } from '@cad/db';
import { startTestApp, TestApp } from '../testing/test-app';
import { DrillCallPoster } from './drill-call-poster';
import type { DrillRun } from './drill-run';
import { historicalFirstAlarm } from './replayed-first-alarm';

/**
 * Issue 12: a drill hands its calls to intake through the calls service in process, not over HTTP, with
 * the API's own body validation and checks. A call the endpoint would refuse (a bad field: 400; a drill
 * run that does not exist: 400) is counted as refused, never thrown into the drill and never stored.
 */
describe('a drill call refused by intake is counted as refused and never stored', () => {
  let t: TestApp;
  let poster: DrillCallPoster;
  beforeAll(async () => {
    t = await startTestApp('drill_call_refused');
    poster = t.app.get(DrillCallPoster, { strict: false });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A run as the poster reads it: its id, its counters and its call numbers. */
  const runOf = (id: string) => ({ id, firstAlarmOf: historicalFirstAlarm, posted: 0, refused: 0, callNumber: (x: string) => `${id}:${x}` }) as unknown as DrillRun;
  const call = (externalId: string, over: Partial<ScenarioCall> = {}): ScenarioCall =>
    ({ externalId, type: 'Medical Incident', priority: 2, lat: 37.793, lon: -122.419, address: null, received: new Date('2017-01-01T12:00:00Z'), localDate: '2017-01-01', line: 2, units: [], ...over }) as ScenarioCall;

  it('counts a call of an unknown drill run and a call with a bad field as refused; nothing of them is stored', async () => {
    const run = runOf('drill-2017-01-01-nearest-s1-nosuchrun');
    await poster.post(run, call('170010001'));
    // A blank type fails the body validation before any lookup.
    await poster.post(run, call('170010002', { type: '   ' }));
    expect({ posted: run.posted, refused: run.refused }).toEqual({ posted: 0, refused: 2 });
    const stored = await t.ds.query(`SELECT count(*)::int AS n FROM call WHERE call_number LIKE $1`, [`${run.id}:%`]);
    expect(stored[0].n).toBe(0);
  });
});
