import { silentSensors } from './silence';

describe('a sensor that stops reporting', () => {
  const now = 1_800_000_000;
  const period = 1800;

  it('is silent once its newest reading is older than three periods, and says for how long', () => {
    const s = silentSensors([{ key: 'hanoi/P-30/pressure', periodS: period, lastT: now - 3 * period - 1 }], now, 3, now - 86400);
    expect(s).toEqual([{ key: 'hanoi/P-30/pressure', silentForS: 3 * period + 1, limitS: 3 * period }]);
  });

  it('a reading late but within the limit (one, two, exactly three periods) raises nothing', () => {
    const late = [period + 600, 2 * period + 900, 3 * period].map((ago, i) => ({ key: `s${i}`, periodS: period, lastT: now - ago }));
    expect(silentSensors(late, now, 3, now - 86400)).toEqual([]);
  });

  it('is no longer silent once it reports again', () => {
    const before = silentSensors([{ key: 'a', periodS: period, lastT: now - 4 * period }], now, 3, now - 86400);
    const after = silentSensors([{ key: 'a', periodS: period, lastT: now - 10 }], now, 3, now - 86400);
    expect(before.map((x) => x.key)).toEqual(['a']);
    expect(after).toEqual([]);
  });

  it('a sensor never heard counts from when watching began: a fresh restart raises nothing, a long wait does', () => {
    const never = [{ key: 'n', periodS: period, lastT: null }];
    expect(silentSensors(never, now, 3, now - 60)).toEqual([]);
    expect(silentSensors(never, now, 3, now - 4 * period).map((x) => x.key)).toEqual(['n']);
  });

  it('each sensor is judged by its own period', () => {
    const mixed = [
      { key: 'fast', periodS: 60, lastT: now - 200 },
      { key: 'slow', periodS: 3600, lastT: now - 200 },
    ];
    expect(silentSensors(mixed, now, 3, now).map((x) => x.key)).toEqual(['fast']);
  });

  it('refuses a multiple below one (every sensor would be silent between two readings)', () => {
    expect(() => silentSensors([], now, 0.5, now)).toThrow(RangeError);
  });
});
