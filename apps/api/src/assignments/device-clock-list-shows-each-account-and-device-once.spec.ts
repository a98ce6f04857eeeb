import { deviceRequest } from '../testing/device-request';
import { startTestApp, TestApp } from '../testing/test-app';

interface Clock {
  account: string;
  deviceId: string;
  offsetS: number;
  skewed: boolean;
  samples: number;
  updatedAt: string;
}

/**
 * The device clock list (`GET /api/devices/clocks`, the console's clock-skew line) showed one device
 * twice. It lists one row per account and device, the latest measured, whatever the case its names
 * were stored in; the same device measured through two accounts stays two rows (each account's
 * offset is its own), and the console shows that device once.
 */
describe('the device clock list shows each account and device once', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('deviceclocklist');
  });
  afterAll(async () => {
    await t.close();
  });
  const clocks = async () => (await t.request('GET', '/api/devices/clocks')).body as Clock[];

  it('a device measured again is one row, with its latest offset and every sample counted', async () => {
    for (let i = 0; i < 3; i++) expect((await deviceRequest(t, { id: 'tablet-7', clockAheadMs: 90_000 }, 'GET', '/api/units')).status).toBe(200);
    const rows = (await clocks()).filter((c) => c.deviceId === 'tablet-7');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ account: 'commander', samples: 3 });
    expect(rows[0].offsetS).toBeGreaterThan(85);
  });

  it('hostile: rows of one account and device stored in another case (an older write) are one row, the latest', async () => {
    await t.ds.query(
      `INSERT INTO device_clock (account, device_id, offset_ms, last_sample_ms, samples, updated_at) VALUES
         ('COMMANDER', 'Tablet-7', -3600000, -3600000, 9, now() - interval '2 days'),
         ('Commander', 'TABLET-7', -1800000, -1800000, 4, now() - interval '1 day')`,
    );
    const rows = (await clocks()).filter((c) => c.deviceId.toLowerCase() === 'tablet-7');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ account: 'commander', deviceId: 'tablet-7', samples: 3 });
    expect(rows[0].offsetS).toBeGreaterThan(85);
    // With the newest row in an odd case, that one is listed (in lower case).
    await t.ds.query(`UPDATE device_clock SET updated_at = now() + interval '1 minute' WHERE account = 'Commander'`);
    const [latest] = (await clocks()).filter((c) => c.deviceId === 'tablet-7');
    expect(latest).toMatchObject({ account: 'commander', offsetS: -1800, samples: 4 });
    expect((await clocks()).filter((c) => c.deviceId === 'tablet-7')).toHaveLength(1);
  });

  it("hostile: one device measured through two accounts stays one row per account (each account's offset is its own)", async () => {
    expect((await deviceRequest(t, { id: 'tablet-8', clockAheadMs: 0 }, 'GET', '/api/units')).status).toBe(200);
    expect((await deviceRequest(t, { id: 'tablet-8', clockAheadMs: 120_000 }, 'GET', '/api/units', undefined, await t.signIn('d3'))).status).toBe(200);
    const rows = (await clocks()).filter((c) => c.deviceId === 'tablet-8');
    expect(rows.map((c) => c.account).sort()).toEqual(['commander', 'd3']);
  });
});
