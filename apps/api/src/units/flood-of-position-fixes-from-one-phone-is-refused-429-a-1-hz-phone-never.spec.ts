import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: 300 concurrent position fixes from one phone were all accepted (200).
 * AVL fixes are now limited per unit and client address (`AVL_FIX_RATE_PER_S`, counted in Redis): a
 * flood is answered `429` naming the limit, and a phone reporting once a second never meets it.
 */
describe('position fixes from one phone', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('avl-rate', { AVL_FIX_RATE_PER_S: '10' });
  });
  afterAll(async () => {
    await t.close();
  });
  const fix = (k: number) => ({ lat: 37.7749 + k * 1e-6, lon: -122.4194 });

  it('a flood of 300 concurrent fixes: most are refused with 429 naming the limit', async () => {
    const crew = await t.signIn('e01');
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 300 }, (_, k) => t.request('POST', '/api/units/E01/position', fix(k), crew)));
    // At most 10 a second get through: over the seconds the flood took to answer (several on a loaded
    // machine), 10 for each second begun, and 10 more for a window that started just before.
    const windows = Math.ceil((Date.now() - started) / 1000) + 1;
    const refused = answers.filter((r) => r.status === 429);
    expect(answers.filter((r) => r.status === 200).length).toBeLessThanOrEqual(10 * windows);
    expect(refused.length).toBeGreaterThanOrEqual(300 - 10 * windows);
    expect(refused.length).toBeGreaterThan(150);
    expect(refused[0].body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(String(refused[0].body.message)).toMatch(/AVL_FIX_RATE_PER_S allows 10 per unit/);
  });

  it('a phone reporting once a second is never refused', async () => {
    const crew = await t.signIn('e02');
    for (let k = 0; k < 4; k++) {
      const r = await t.request('POST', '/api/units/E02/position', fix(k), crew);
      expect(r.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });
});
