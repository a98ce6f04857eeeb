import { JurisdictionIndex } from '@cad/domain';
import { deviceRequest } from '../testing/device-request';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: phone `e01` sent `X-Device-Id: commander` with its clock 2 h ahead and
 * every console showed "Clock skew: commander +7200 s" (the banner named the device id, the phone's own
 * word, not the account); `GET /api/devices/clocks` was citywide for district posts. Now each clock names
 * its account and unit beside the device id, and a district post sees only its own units' devices.
 */
describe('a spoofed device id on a skewed clock', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('clock-spoof');
  });
  afterAll(async () => {
    await t.close();
  });
  type Clock = { account: string; unitId: string | null; deviceId: string; offsetS: number; skewed: boolean };

  it('is shown under the account and unit that sent it, and only to the posts over that unit', async () => {
    const crew = await t.signIn('e01');
    const phone = { id: 'commander', clockAheadMs: 7_200_000 };
    for (let i = 0; i < 2; i++) expect((await deviceRequest(t, phone, 'GET', '/api/units/E01/assignment', undefined, crew)).status).toBeLessThan(300);

    const city = (await t.request('GET', '/api/devices/clocks')).body as Clock[];
    const spoofed = city.find((c) => c.deviceId === 'commander')!;
    expect(spoofed).toMatchObject({ account: 'e01', unitId: 'E01', skewed: true });
    expect(spoofed.offsetS).toBeGreaterThan(7100);

    // The district over E01's station sees it; another district does not.
    const [{ home_street_id }] = await t.ds.query(`SELECT home_street_id FROM unit WHERE world = 'live' AND id = 'E01'`);
    const chain = t.app.get(JurisdictionIndex).chain(home_street_id);
    const districts = Array.from({ length: 11 }, (_, k) => `sf-d${k + 1}`);
    const own = districts.find((d) => chain.includes(d))!;
    const other = districts.find((d) => !chain.includes(d))!;
    const seenBy = async (d: string) => ((await t.request('GET', '/api/devices/clocks', undefined, await t.signIn(d.replace(/^sf-/, '')))).body as Clock[]).map((c) => c.account);
    expect(await seenBy(own)).toContain('e01');
    expect(await seenBy(other)).not.toContain('e01');
  });
});
