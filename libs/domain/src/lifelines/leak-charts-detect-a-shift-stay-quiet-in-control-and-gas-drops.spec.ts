import { mulberry32 } from '../random';
import { CusumChart, EwmaChart, gasPressureCheck } from './control-charts';
import { planeToWgs84, scaleFromPipeLengths } from './georeference';
import { cosine, placeSensors, rankLeakCandidates } from './localisation';
import { parseReading, ReadingRefused } from './readings';

const normal = (rand: () => number) => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

describe('residual control charts', () => {
  it('EWMA (λ 0.05, L 4) and CUSUM (k 0.5, h 10) stay quiet on 20,000 in-control residuals', () => {
    const rand = mulberry32(1);
    const e = new EwmaChart(0.05, 4);
    const c = new CusumChart(0.5, 10);
    let alarms = 0;
    for (let i = 0; i < 20000; i++) {
      const x = normal(rand);
      if (e.add(x).alarm || c.add(x).alarm) alarms++;
    }
    expect(alarms).toBe(0);
  });

  it('a one-σ drop is flagged by both within 40 readings; a one-σ rise (more pressure) never is', () => {
    const rand = mulberry32(2);
    const firstAlarm = (chart: { add(x: number): { alarm: boolean } }, shift: number) => {
      for (let i = 0; i < 200; i++) if (chart.add(normal(rand) * 0.3 + shift).alarm) return i;
      return null;
    };
    expect(firstAlarm(new EwmaChart(0.05, 4), -1)).toBeLessThan(40);
    expect(firstAlarm(new CusumChart(0.5, 10), -1)).toBeLessThan(40);
    expect(firstAlarm(new EwmaChart(0.05, 4), 1)).toBeNull();
    expect(firstAlarm(new CusumChart(0.5, 10), 1)).toBeNull();
  });

  it('refuses settings that cannot work', () => {
    expect(() => new EwmaChart(0, 3)).toThrow(RangeError);
    expect(() => new EwmaChart(0.1, -1)).toThrow(RangeError);
    expect(() => new CusumChart(0.5, 0)).toThrow(RangeError);
  });

  it('gas: below the floor, falling faster than the rate, but not a slow fall, a rise, or two readings at one instant', () => {
    expect(gasPressureCheck(null, { t: 0, value: 10 }, 15, 5)).toBe('below-floor');
    expect(gasPressureCheck({ t: 0, value: 100 }, { t: 60, value: 90 }, 15, 5)).toBe('falling-fast');
    expect(gasPressureCheck({ t: 0, value: 100 }, { t: 60, value: 97 }, 15, 5)).toBeNull();
    expect(gasPressureCheck({ t: 0, value: 100 }, { t: 60, value: 120 }, 15, 5)).toBeNull();
    expect(gasPressureCheck({ t: 60, value: 100 }, { t: 60, value: 50 }, 15, 5)).toBeNull();
  });
});

describe('sensor readings', () => {
  const now = 1_800_000_000;
  it('parses the documented topic and payload (ISO time or epoch seconds)', () => {
    const r = parseReading(
      'city',
      'city/hanoi/P-2/pressure',
      Buffer.from(
        JSON.stringify({
          t: '2027-01-15T08:00:00Z',
          value: 61.5,
          unit: 'm',
          seq: 7,
        }),
      ),
      now,
    );
    expect(r).toEqual({
      network: 'hanoi',
      sensor: 'P-2',
      quantity: 'pressure',
      t: Date.parse('2027-01-15T08:00:00Z') / 1000,
      value: 61.5,
      unit: 'm',
      seq: 7,
    });
    expect(parseReading('a/b', 'a/b/gasnet/G1/gas_pressure', JSON.stringify({ t: now, value: 200, unit: 'kPa' }), now).seq).toBeNull();
  });
  it.each([
    ['city/hanoi/P-2', '{}', 'topic'],
    ['other/hanoi/P-2/pressure', '{}', 'topic'],
    ['city/hanoi/P 2/pressure', '{}', 'topic'],
    ['city/hanoi/P-2/pressure', '[1]', 'payload'],
    ['city/hanoi/P-2/pressure', `{"t":${now},"value":null,"unit":"m"}`, 'value'],
    ['city/hanoi/P-2/pressure', `{"t":${now},"value":-11,"unit":"m"}`, 'value'],
    ['city/hanoi/P-2/pressure', `{"t":${now},"value":50,"unit":"m","seq":-1}`, 'seq'],
    ['city/hanoi/P-2/pressure', `{"t":${now},"value":50,"unit":"m","seq":1.5}`, 'seq'],
    ['city/hanoi/P-2/pressure', `{"t":"2027-01-15 08:00","value":50,"unit":"m"}`, 't'],
    ['city/hanoi/P-2/pressure', `{"t":${now},"value":50,"unit":"m","__proto__":1}`, '__proto__'],
  ])('%s %s is refused naming %s', (topic, payload, field) => {
    try {
      parseReading('city', topic, payload, now);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ReadingRefused);
      expect((e as ReadingRefused).field).toBe(field);
    }
  });
});

describe('georeference and localisation', () => {
  it('places plane points by origin, scale and rotation (1 km east turned 90° lands 1 km north)', () => {
    const g = {
      planeOrigin: [0, 0] as [number, number],
      origin: { lat: 37.75, lon: -122.45 },
      rotationDeg: 90,
      metresPerUnit: 2,
    };
    const p = planeToWgs84(g, 500, 0);
    expect(p.lon).toBeCloseTo(-122.45, 9);
    expect((p.lat - 37.75) * 111195).toBeCloseTo(1000, 0);
  });
  it('scale is pipe length over drawn length; a network with no drawn pipe is refused', () => {
    const coords = new Map<string, [number, number]>([
      ['a', [0, 0]],
      ['b', [3, 4]],
      ['c', [3, 0]],
    ]);
    expect(
      scaleFromPipeLengths(
        [
          ['a', 'b', 50],
          ['a', 'c', 30],
          ['a', 'x', 999],
        ],
        coords,
      ),
    ).toBeCloseTo(10, 9);
    expect(() => scaleFromPipeLengths([['x', 'y', 1]], coords)).toThrow(RangeError);
  });
  it('ranks the junction whose simulated signature matches the residuals first, whatever the leak size', () => {
    const sig = new Map([
      ['A', [-1, -0.2, 0]],
      ['B', [-0.2, -1, -0.1]],
      ['C', [0, -0.1, -1]],
    ]);
    expect(rankLeakCandidates([-0.5, -2.1, -0.2], sig)[0].node).toBe('B');
    expect(() => rankLeakCandidates([-1, -1], sig)).toThrow(RangeError);
    expect(cosine([0, 0], [1, 1])).toBe(0);
  });
  it('places sensors where leaks look least alike', () => {
    const sens = new Map([
      ['A', [-1, 0, 0]],
      ['B', [0, -1, 0]],
      ['C', [0, 0, -1]],
    ]);
    const chosen = placeSensors(sens, ['A', 'B', 'C'], 2);
    expect(new Set(chosen).size).toBe(2);
  });
});
