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

/** Which properties of the boundary files hold what, and the city's id and name (from the city profile). */
export interface ChainSpec {
  /** Id of the city jurisdiction, prefix of every other id: `sf` -> `sf-d1`, `sf-d1-russian-hill`. */
  cityId: string;
  cityName: string;
  /** District id property (`supervisor_district`); optional name property, else `nameTemplate` (`District {id}`). */
  districts: { idProperty: string; nameProperty?: string; nameTemplate?: string };
  /** Street name property (`nhood`). */
  streets: { nameProperty: string };
  /** Where the layers come from, for errors. */
  files?: { districts: string; streets: string };
}

/**
 * Builds a city's three-tier command chain from its published boundaries:
 * city = union of the districts; districts = one per district feature, ids `<cityId>-d<id>`, ordered
 * by id (numerically when every id is a number); streets = the street layer clipped to each district,
 * one street per (street, district) intersection piece, so every street has exactly one district
 * parent (`<cityId>-d<id>-<slug of name>`; a street split by districts is named `Name (D<id>)`).
 * Pieces smaller than `minAreaM2` (slivers from lines drawn at different precision) are dropped.
 * @param districts FeatureCollection with the profile's district id property
 * @param streets FeatureCollection with the profile's street name property
 * @param minAreaM2 sliver threshold in square metres (turf geodesic area)
 * @throws Error naming the file, the property and the feature index when a feature lacks its property,
 *   or when two districts share an id
 */
export function buildCityChain(
  spec: ChainSpec,
  districts: FeatureCollection<Polygon | MultiPolygon>,
  streets: FeatureCollection<Polygon | MultiPolygon>,
  minAreaM2: number,
): JurisdictionRecord[] {
  const prop = (f: Feature, key: string, layer: 'districts' | 'streets', i: number): string => {
    const v: unknown = f.properties?.[key];
    if (v === undefined || v === null || String(v).trim() === '') {
      throw new Error(`${spec.files?.[layer] ?? layer}: feature ${i} has no property "${key}" (boundaries.${layer} in the city profile)`);
    }
    return String(v).trim();
  };
  const cityFeature = union(featureCollection(districts.features));
  if (!cityFeature) throw new Error(`${spec.files?.districts ?? 'districts'}: district boundaries do not form a city`);
  const out: JurisdictionRecord[] = [
    { id: spec.cityId, name: spec.cityName, level: 'city', parentId: null, boundary: cityFeature.geometry, areaM2: area(cityFeature) },
  ];
  const keyed = districts.features.map((f, i) => ({ f, key: prop(f, spec.districts.idProperty, 'districts', i), i }));
  const numeric = keyed.every((d) => /^\d+$/.test(d.key));
  keyed.sort((a, b) => (numeric ? Number(a.key) - Number(b.key) : a.key.localeCompare(b.key)));
  const streetNames = streets.features.map((f, i) => prop(f, spec.streets.nameProperty, 'streets', i));
  const pieces: { d: string; n: string; f: Feature<Polygon | MultiPolygon> }[] = [];
  const ids = new Set<string>();
  for (const { f: d, key, i } of keyed) {
    const id = `${spec.cityId}-d${slug(key)}`;
    if (ids.has(id)) throw new Error(`${spec.files?.districts ?? 'districts'}: feature ${i} repeats district id "${key}"`);
    ids.add(id);
    const name = spec.districts.nameProperty ? prop(d, spec.districts.nameProperty, 'districts', i) : (spec.districts.nameTemplate ?? 'District {id}').replace('{id}', key);
    out.push({ id, name, level: 'district', parentId: spec.cityId, boundary: d.geometry, areaM2: area(d) });
    streets.features.forEach((n, j) => {
      const piece = intersect(featureCollection([d, n]));
      if (piece && area(piece) >= minAreaM2) pieces.push({ d: key, n: streetNames[j], f: piece });
    });
  }
  const districtsPerStreet = new Map<string, number>();
  for (const p of pieces) districtsPerStreet.set(p.n, (districtsPerStreet.get(p.n) ?? 0) + 1);
  for (const p of pieces) {
    const parent = `${spec.cityId}-d${slug(p.d)}`;
    out.push({
      id: `${parent}-${slug(p.n)}`,
      name: districtsPerStreet.get(p.n)! > 1 ? `${p.n} (D${p.d})` : p.n,
      level: 'street',
      parentId: parent,
      boundary: p.f.geometry,
      areaM2: area(p.f),
    });
  }
  return out;
}
