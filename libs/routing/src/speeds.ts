/** 1 international mile = 1.609344 km (exact, by the 1959 international yard and pound agreement). */
export const KM_PER_MILE = 1.609344;
/** 1 international nautical mile = 1.852 km (exact). */
export const KM_PER_NAUTICAL_MILE = 1.852;

/**
 * Default travel speed in km/h per OSM `highway` class, used when a way has no usable `maxspeed`.
 *
 * Source / rationale (urban San Francisco, car-sized emergency vehicle, no traffic model):
 * the figures are the usual posted/prima-facie limits in California converted from mph and
 * rounded to whole km/h —
 * - motorway 89 km/h = 55 mph (CA Vehicle Code §22349(b) / typical SF urban freeway posting);
 * - trunk 72 km/h = 45 mph; primary 56 km/h = 35 mph; secondary 48 km/h = 30 mph
 *   (typical SF arterial postings, which is also what the `maxspeed` tags in the SF extract show);
 * - tertiary, unclassified, residential 40 km/h = 25 mph (CVC §22352(a)(2), business and
 *   residence districts);
 * - living_street and service 16 km/h = 10 mph (CVC §22352(a)(1) sets 15 mph for alleys;
 *   parking aisles and driveways are slower in practice);
 * - `*_link` ramps 0.7 × their parent class (engineering judgement: ramps carry advisory speeds
 *   well below the mainline; OSRM's car profile uses ratios between 0.45 and 0.6, we are a
 *   little less pessimistic because the figures above are already urban).
 * These are legal speeds, not measured free-flow or lights-and-siren speeds; they are a
 * documented first approximation and can be overridden through `defaultSpeedsKph`.
 */
export const DEFAULT_SPEEDS_KPH: Readonly<Record<string, number>> = Object.freeze({
  motorway: 89,
  trunk: 72,
  primary: 56,
  secondary: 48,
  tertiary: 40,
  unclassified: 40,
  residential: 40,
  living_street: 16,
  service: 16,
  motorway_link: 89 * 0.7,
  trunk_link: 72 * 0.7,
  primary_link: 56 * 0.7,
  secondary_link: 48 * 0.7,
  tertiary_link: 40 * 0.7,
});

/** The OSM `highway` values treated as drivable (the keys of {@link DEFAULT_SPEEDS_KPH}). */
export const DRIVABLE_HIGHWAY_CLASSES: readonly string[] = Object.freeze(Object.keys(DEFAULT_SPEEDS_KPH));

const SPEED_RE = /^(\d+(?:\.\d+)?)\s*(mph|km\/h|kmh|kph|knots)?$/i;

/**
 * Parses an OSM `maxspeed` value into km/h.
 *
 * Accepted: a bare number (km/h, the OSM default unit), `"<n> mph"`, `"<n> km/h"` (also `kmh`,
 * `kph`), `"<n> knots"`, with or without a space; a `;`-separated list yields the lowest value.
 * Returns `undefined` for anything else (`"none"`, `"signals"`, `"walk"`, `"US:urban"`, zero or
 * negative numbers), so that the caller falls back to the road-class default.
 * Unit conversion figures: see {@link KM_PER_MILE}, {@link KM_PER_NAUTICAL_MILE}.
 */
export function parseMaxspeedKph(value: string | undefined | null): number | undefined {
  if (value == null) return undefined;
  let best: number | undefined;
  for (const part of String(value).split(';')) {
    const m = SPEED_RE.exec(part.trim());
    if (!m) continue;
    const n = Number(m[1]);
    const unit = (m[2] ?? '').toLowerCase();
    const kph = unit === 'mph' ? n * KM_PER_MILE : unit === 'knots' ? n * KM_PER_NAUTICAL_MILE : n;
    if (!(kph > 0) || !Number.isFinite(kph)) continue;
    if (best === undefined || kph < best) best = kph;
  }
  return best;
}
