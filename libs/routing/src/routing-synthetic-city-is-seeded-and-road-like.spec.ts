import { generateSyntheticCity } from './index';

describe('synthetic city generator', () => {
  const city = generateSyntheticCity({ seed: 3, columns: 60, rows: 50 });

  it('is deterministic for a seed and differs for another seed', () => {
    const again = generateSyntheticCity({ seed: 3, columns: 60, rows: 50 });
    expect(again.edgeCount).toBe(city.edgeCount);
    expect(again.forward.seconds).toEqual(city.forward.seconds);
    expect(again.lat).toEqual(city.lat);
    expect(generateSyntheticCity({ seed: 4, columns: 60, rows: 50 }).forward.seconds).not.toEqual(city.forward.seconds);
  });

  it('has columns x rows nodes, almost all in one strongly connected component', () => {
    expect(city.nodeCount).toBe(3000);
    expect(city.mainComponentSize).toBeGreaterThan(0.98 * city.nodeCount);
  });

  it('has faster arterials than local streets, and one-way streets', () => {
    const f = city.forward;
    const speeds: number[] = [];
    let oneWay = 0;
    for (let u = 0; u < city.nodeCount; u++) {
      for (let e = f.firstOut[u]; e < f.firstOut[u + 1]; e++) {
        speeds.push((f.metres[e] / f.seconds[e]) * 3.6);
        const v = f.head[e];
        let back = false;
        for (let b = f.firstOut[v]; b < f.firstOut[v + 1]; b++) if (f.head[b] === u) back = true;
        if (!back) oneWay++;
      }
    }
    speeds.sort((a, b) => a - b);
    expect(speeds[0]).toBeGreaterThan(20); // diagonal local streets: 25 km/h - 5 %
    expect(speeds[Math.floor(speeds.length / 2)]).toBeLessThan(42); // most blocks are local streets
    expect(speeds[speeds.length - 1]).toBeGreaterThan(75); // expressways: 80 km/h
    expect(oneWay).toBeGreaterThan(0.05 * f.head.length);
  });

  it('rejects a grid smaller than 2 x 2', () => {
    expect(() => generateSyntheticCity({ seed: 1, columns: 1, rows: 5 })).toThrow(RangeError);
  });
});
