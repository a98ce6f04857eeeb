import { area, featureCollection, intersect, union } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { JurisdictionShape } from '@cad/domain';

/** A jurisdiction ready to store: shape plus its area in m². */
export type JurisdictionRecord = JurisdictionShape & { areaM2: number };

/** `Russian Hill` -> `russian-hill`. */
export function slug(s: string): string {
  return s
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Builds the three-tier command chain of San Francisco from the published boundaries:
 * city = union of the supervisor districts; districts = the 11 supervisor districts (2012 lines);
 * streets = analysis neighborhoods clipped to each district, one street per (neighborhood, district)
 * intersection piece, so every street has exactly one district parent. Pieces smaller than
 * `minAreaM2` (slivers from boundary lines drawn at different precision) are dropped.
 * @param districts FeatureCollection with property `supervisor_district` ("1".."11")
 * @param neighborhoods FeatureCollection with property `nhood`
 * @param minAreaM2 sliver threshold in square metres (turf geodesic area)
 */
export function buildChain(
  districts: FeatureCollection<Polygon | MultiPolygon>,
  neighborhoods: FeatureCollection<Polygon | MultiPolygon>,
  minAreaM2: number,
): JurisdictionRecord[] {
  const cityFeature = union(featureCollection(districts.features));
  if (!cityFeature) throw new Error('district boundaries do not form a city');
  const out: JurisdictionRecord[] = [
    { id: 'sf', name: 'San Francisco', level: 'city', parentId: null, boundary: cityFeature.geometry, areaM2: area(cityFeature) },
  ];
  const pieces: { d: string; n: string; f: Feature<Polygon | MultiPolygon> }[] = [];
  const ds = [...districts.features].sort(
    (a, b) => Number(a.properties?.supervisor_district) - Number(b.properties?.supervisor_district),
  );
  for (const d of ds) {
    const num = String(d.properties?.supervisor_district);
    out.push({ id: `sf-d${num}`, name: `District ${num}`, level: 'district', parentId: 'sf', boundary: d.geometry, areaM2: area(d) });
    for (const n of neighborhoods.features) {
      const piece = intersect(featureCollection([d, n]));
      if (piece && area(piece) >= minAreaM2) pieces.push({ d: num, n: String(n.properties?.nhood), f: piece });
    }
  }
  const districtsPerHood = new Map<string, number>();
  for (const p of pieces) districtsPerHood.set(p.n, (districtsPerHood.get(p.n) ?? 0) + 1);
  for (const p of pieces) {
    out.push({
      id: `sf-d${p.d}-${slug(p.n)}`,
      name: districtsPerHood.get(p.n)! > 1 ? `${p.n} (D${p.d})` : p.n,
      level: 'street',
      parentId: `sf-d${p.d}`,
      boundary: p.f.geometry,
      areaM2: area(p.f),
    });
  }
  return out;
}
