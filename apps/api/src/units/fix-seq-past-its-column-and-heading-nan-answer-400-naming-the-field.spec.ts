import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: `POST /api/units/E01/position` with `seq` 1e20 or 2^63 answered
 * 500 (past the `bigint` column), and a call with `headingDegrees: "NaN"` was told it "must not be
 * greater than 359.999999". Now each answers 400 naming its field and what it must be; the largest
 * safe sequence number and a real heading are still taken.
 */
describe('a fix seq past its column and a heading of "NaN" answer 400 naming the field', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('seqheading');
  });
  afterAll(async () => {
    await t.close();
  });

  const fix = { lat: 37.79, lon: -122.41 };

  it.each([
    ['1e20', 1e20],
    ['2^63', 2 ** 63],
    ['2^53', 2 ** 53],
  ])('seq %s is refused with 400 naming seq', async (_, seq) => {
    const r = await t.request('POST', '/api/units/E01/position', { ...fix, seq });
    expect(r.status).toBe(400);
    expect(String(r.body.message)).toMatch(/^seq must be an integer from 0 to 9007199254740991/);
  });

  it('seq 2^53 − 1 (the largest safe integer) is taken and kept exactly', async () => {
    const r = await t.request('POST', '/api/units/E01/position', { ...fix, seq: Number.MAX_SAFE_INTEGER });
    expect(r.status).toBe(200);
    const [history] = (await t.request('GET', '/api/units/E01/fixes?limit=1')).body;
    expect(history.seq).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('a heading of "NaN" (a call, and a fix) is told it must be a number; a real heading is taken', async () => {
    const call = { type: 'Medical Incident', priority: 2, lat: 37.79, lon: -122.41, roadway: 'US-101' };
    const nan = await t.request('POST', '/api/calls', { ...call, headingDegrees: 'NaN' });
    expect(nan.status).toBe(400);
    expect(String(nan.body.message)).toMatch(/^headingDegrees must be a number/);
    const tooBig = await t.request('POST', '/api/calls', { ...call, headingDegrees: 360 });
    expect(tooBig.status).toBe(400);
    expect(String(tooBig.body.message)).toMatch(/headingDegrees must not be greater than 359.999999/);
    const fixNan = await t.request('POST', '/api/units/E01/position', { ...fix, headingDeg: 'NaN' });
    expect(fixNan.status).toBe(400);
    expect(String(fixNan.body.message)).toMatch(/^headingDeg must be a number/);
    expect((await t.request('POST', '/api/calls', { ...call, headingDegrees: 90 })).status).toBe(202);
  });
});
