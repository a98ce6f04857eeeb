// Declaration for geokdbush@1 (CommonJS), which ships no types. Distances are in kilometres
// on a sphere of radius 6371 km; coordinates are WGS84 degrees, longitude first.
declare module 'geokdbush' {
  import KDBush = require('kdbush');

  /**
   * The `maxResults` items of `index.points` nearest to (lng, lat) by great-circle distance,
   * nearest first, optionally within `maxDistanceKm` and accepted by `predicate`.
   */
  export function around<T>(
    index: KDBush<T>,
    lng: number,
    lat: number,
    maxResults?: number,
    maxDistanceKm?: number,
    predicate?: (item: T) => boolean,
  ): T[];

  /** Great-circle distance in kilometres between two (lng, lat) points. */
  export function distance(lng1: number, lat1: number, lng2: number, lat2: number): number;
}
