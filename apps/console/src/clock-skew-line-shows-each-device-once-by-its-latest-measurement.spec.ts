import { skewedDevices, type DeviceClockRow } from './location-actions';

/**
 * The console's clock-skew line listed a device twice when its clock was measured through two accounts
 * (a unit's phone used by its crew and by a dispatcher: one row per account and device). A device is
 * one clock: shown once, by its latest measurement, and only when that one is skewed.
 */
const row = (over: Partial<DeviceClockRow>): DeviceClockRow => ({ account: 'e01', deviceId: 'e01', offsetS: -3600, skewed: true, updatedAt: '2026-12-04T10:00:00Z', ...over });

it('shows a device measured through two accounts once, with its latest offset; most skewed first', () => {
  const shown = skewedDevices([
    row({ account: 'commander', offsetS: -3590, updatedAt: '2026-12-04T09:00:00Z' }),
    row({ account: 'e01', offsetS: -3600, updatedAt: '2026-12-04T10:00:00Z' }),
    row({ account: 'd3', deviceId: 'tablet-2', offsetS: 7200, updatedAt: '2026-12-04T08:00:00Z' }),
  ]);
  expect(shown.map((c) => [c.deviceId, c.offsetS])).toEqual([
    ['tablet-2', 7200],
    ['e01', -3600],
  ]);
});

it('hostile: a device whose latest measurement is right is not shown, even when an older account saw it skewed; names differing in case are one device', () => {
  expect(skewedDevices([row({ account: 'commander', updatedAt: '2026-12-04T09:00:00Z' }), row({ account: 'e01', offsetS: 0.4, skewed: false, updatedAt: '2026-12-04T11:00:00Z' })])).toEqual([]);
  expect(skewedDevices([row({ deviceId: 'E01', updatedAt: '2026-12-04T09:00:00Z' }), row({ deviceId: 'e01', offsetS: -3700 })]).map((c) => c.offsetS)).toEqual([-3700]);
  // An older server's rows (no time): still each device once.
  expect(skewedDevices([row({ updatedAt: undefined }), row({ account: 'commander', updatedAt: undefined })])).toHaveLength(1);
  expect(skewedDevices([])).toEqual([]);
});
