import { degreesAround, METRES_PER_DEGREE_LAT, metresPerDegreeLon } from './degrees';

/** Great-circle distance, metres, on the mean sphere (IUGG R1 = 6 371 008.8 m), as @cad/routing's haversineMetres. */
function haversine(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const h = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

describe('metres per degree: one figure for boxes and offsets in WGS84 degrees', () => {
  it('is one degree of arc on the WGS84 equator (2 pi 6 378 137 m / 360), rounded to 111 320 m', () => {
    expect(Math.abs(METRES_PER_DEGREE_LAT - (2 * Math.PI * 6_378_137) / 360)).toBeLessThan(1);
    expect(metresPerDegreeLon(0)).toBe(METRES_PER_DEGREE_LAT);
    expect(metresPerDegreeLon(60)).toBeCloseTo(METRES_PER_DEGREE_LAT / 2, 6);
  });

  it('gives a box around a San Francisco point that holds every point of the radius, and not much more', () => {
    const lat = 37.7749;
    const lon = -122.4194;
    const { dLat, dLon } = degreesAround(200, lat);
    // The box's edge midpoints lie at (about) the radius: at least 99 % of it, at most 101 %.
    for (const m of [haversine(lat, lon, lat + dLat, lon), haversine(lat, lon, lat, lon + dLon)]) {
      expect(m).toBeGreaterThan(198);
      expect(m).toBeLessThan(202);
    }
  });

  it('stays finite at the pole (the cosine is floored), where it is simply wider than needed', () => {
    const { dLat, dLon } = degreesAround(100, 90);
    expect(Number.isFinite(dLon)).toBe(true);
    expect(dLon).toBeCloseTo(dLat / 0.01, 9);
    expect(degreesAround(0, 37)).toEqual({ dLat: 0, dLon: 0 });
  });
});
