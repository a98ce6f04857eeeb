import type { FeatureCollection, LineString } from 'geojson';
import { median } from '@cad/domain';
import { haversineMetres } from './geo';
import type { RoadFeatureProperties } from './road-network';

/** A place found for an address typed by a call taker. Coordinates are WGS84 degrees. */
export interface GeocodeResult {
  lat: number;
  lon: number;
  /**
   * How sure the place is:
   * - `intersection`: where the two named roads meet (an OSM node on both);
   * - `block`: the block's own point from the calls data (the SFFD publishes block-level addresses);
   * - `interpolated`: between two known blocks of the street, snapped onto the street;
   * - `street`: the middle of the named street only (no block known): the call taker should click the map;
   * - `place`: a place name the city added (a park, a pier), at the point it was given.
   */
  precision: 'intersection' | 'block' | 'interpolated' | 'street' | 'place';
  /** What was matched, in the data's spelling, e.g. `500 Block of COLUMBUS AVE` or `COLUMBUS AVE & UNION ST`. */
  matched: string;
}

/** One known address with its position, e.g. `{ address: '500 Block of COLUMBUS AVE', lat, lon }`. */
/** Why a typed address was not found, as a code a client words in its own language. */
export type GeocodeMissCode = 'no_address' | 'no_street' | 'streets_do_not_meet' | 'number_not_on_street';

/**
 * Why a typed address was not found: in English words for the call taker (`miss`, e.g. `no street
 * named NOWHERE ST`), and as a code with the names and numbers it cites (`params`: `street`, `a` and
 * `b` for two streets, `number`, and `first`/`last` for the house numbers known on the street).
 */
export interface GeocodeMiss {
  miss: string;
  code: GeocodeMissCode;
  params: Record<string, string | number>;
}

const noStreet = (street: string): GeocodeMiss => ({ miss: `no street named ${street}`, code: 'no_street', params: { street } });

/** How many blocks (of 100 numbers) past the last known block of a street a number may still be placed. */
const BLOCKS_PAST_KNOWN = 1;

export interface KnownAddress {
  address: string;
  lat: number;
  lon: number;
}

/** USPS-style street suffixes, as the SFFD data writes them. */
const SUFFIX: Record<string, string> = {
  AVENUE: 'AVE',
  AV: 'AVE',
  STREET: 'ST',
  BOULEVARD: 'BLVD',
  DRIVE: 'DR',
  ROAD: 'RD',
  PLACE: 'PL',
  COURT: 'CT',
  LANE: 'LN',
  TERRACE: 'TER',
  HIGHWAY: 'HWY',
  PLAZA: 'PLZ',
  ALLEY: 'ALY',
  CIRCLE: 'CIR',
  WAY: 'WAY',
  WY: 'WAY',
  PARKWAY: 'PKWY',
  SQUARE: 'SQ',
};

/** Every street type, spelt out or abbreviated (`STREET`, `ST`, `AV`, ...). */
const STREET_TYPES = new Set([...Object.keys(SUFFIX), ...Object.values(SUFFIX)]);

/**
 * Normalises a street name for matching: upper case, no punctuation, suffixes abbreviated
 * (`Columbus Avenue` and `COLUMBUS AVE` both give `COLUMBUS AVE`), ordinals kept (`3RD ST`).
 * An apostrophe joins the letters around it, and an Irish `O` written as a word of its own is joined
 * to the name after it, so OSM's `O'Farrell Street`, the SFFD's `OFARRELL ST` and a typed
 * `O Farrell St` all give `OFARRELL ST` (`Saint Joseph's Ave` gives `SAINT JOSEPHS AVE`). A lone
 * `O` before a street type or at the end stays a word: `O Street` gives `O ST`, `Avenue O` `AVENUE O`.
 */
export function normaliseStreet(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/['’`]/g, '')
    .replace(/[.,#]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  for (let i = words.length - 2; i >= 0; i--) {
    if (words[i] === 'O' && !STREET_TYPES.has(words[i + 1])) words.splice(i, 2, `O${words[i + 1]}`);
  }
  if (words.length > 1) words[words.length - 1] = SUFFIX[words[words.length - 1]] ?? words[words.length - 1];
  return words.join(' ');
}

/**
 * Finds typed addresses on the city's streets, from two public sources read as they are: the road
 * names of the OpenStreetMap extract (intersections, and the streets themselves) and the block-level
 * addresses of past calls for service (DataSF publishes `500 Block of COLUMBUS AVE` with a point).
 * It understands `500 Columbus Ave`, `500 Block of COLUMBUS AVE`, `Columbus Ave & Union St` (also `/`,
 * `and`, `at`) and a bare street name. It is a street index, not a full geocoder: a house number is
 * placed on its block (100 numbers), interpolated between known blocks when its own is unknown.
 */
export class Geocoder {
  /** Street → its road lines, `[lon, lat]` positions. */
  private readonly lines = new Map<string, number[][][]>();
  /** Street → block number → known point (median of the calls on that block). */
  private readonly blocks = new Map<string, Map<number, { lat: number; lon: number; address: string }>>();
  /** Display spelling per normalised street (the data's, else OSM's). */
  private readonly spelling = new Map<string, string>();
  /** Street name without its type (`COLUMBUS` for `COLUMBUS AVE`) → the streets it may mean. */
  private readonly byBase = new Map<string, string[]>();

  /**
   * @param roads the road network's ways (`RoadNetwork.roadsGeoJson()`); unnamed ways are ignored
   * @param known past addresses with their points (rows without a block number or point are ignored)
   */
  constructor(roads: FeatureCollection<LineString, RoadFeatureProperties>, known: readonly KnownAddress[]) {
    for (const f of roads.features) {
      const name = f.properties.name;
      if (!name) continue;
      const key = normaliseStreet(name);
      if (!this.lines.has(key)) this.lines.set(key, []);
      this.lines.get(key)!.push(f.geometry.coordinates);
      if (!this.spelling.has(key)) this.spelling.set(key, key);
    }
    const points = new Map<string, Map<number, { lat: number[]; lon: number[]; address: string }>>();
    for (const k of known) {
      const m = /^(\d+)\s+BLOCK\s+OF\s+(.+)$/i.exec(k.address.trim());
      if (!m || !Number.isFinite(k.lat) || !Number.isFinite(k.lon)) continue;
      const street = normaliseStreet(m[2]);
      const block = Number(m[1]);
      if (!points.has(street)) points.set(street, new Map());
      const byBlock = points.get(street)!;
      if (!byBlock.has(block)) byBlock.set(block, { lat: [], lon: [], address: `${block} Block of ${m[2].trim().toUpperCase()}` });
      byBlock.get(block)!.lat.push(k.lat);
      byBlock.get(block)!.lon.push(k.lon);
      this.spelling.set(street, m[2].trim().toUpperCase());
    }
    for (const [street, byBlock] of points) {
      const out = new Map<number, { lat: number; lon: number; address: string }>();
      for (const [block, p] of byBlock) out.set(block, { lat: median(p.lat), lon: median(p.lon), address: p.address });
      this.blocks.set(street, out);
    }
    for (const key of new Set([...this.lines.keys(), ...this.blocks.keys()])) {
      const words = key.split(' ');
      if (words.length < 2) continue;
      const base = words.slice(0, -1).join(' ');
      if (!this.byBase.has(base)) this.byBase.set(base, []);
      this.byBase.get(base)!.push(key);
    }
  }

  /** Every named street, normalised (`COLUMBUS AVE`), for candidate matching. */
  streetNames(): string[] {
    return [...new Set([...this.lines.keys(), ...this.blocks.keys()])];
  }

  /** The block numbers (100, 200, ...) the data knows on a normalised street, ascending; empty when none. */
  knownBlocks(street: string): number[] {
    return [...(this.blocks.get(street)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /** Number of named streets and of known blocks, for the start-up log. */
  get size(): { streets: number; blocks: number } {
    let blocks = 0;
    for (const b of this.blocks.values()) blocks += b.size;
    return { streets: new Set([...this.lines.keys(), ...this.blocks.keys()]).size, blocks };
  }

  /**
   * Finds a typed address.
   * @param query e.g. `500 Columbus Ave`, `Columbus Ave & Union St`, `Columbus Ave`
   * @returns the place, or null when no street of that name is known
   */
  geocode(query: string): GeocodeResult | null {
    const r = this.lookup(query);
    return 'miss' in r ? null : r;
  }

  /**
   * Finds a typed address, or says why not: no street of that name, two streets that do not meet, or
   * a house number more than a block past the numbers the data knows on that street.
   * @param query as {@link geocode}; a street may be named without its type (`Columbus and Union`)
   */
  lookup(query: string): GeocodeResult | GeocodeMiss {
    const q = query.trim().replace(/\s+/g, ' ');
    if (!q) return { miss: 'no address given', code: 'no_address', params: {} };
    const cross = q.split(/\s*(?:&|\/|\bAND\b|\bAT\b)\s*/i).filter(Boolean);
    if (cross.length === 2) return this.intersection(cross[0], cross[1]);
    const m = /^(\d+)(?:\s*-\s*\d+)?\s+(?:BLOCK\s+OF\s+)?(.+)$/i.exec(q);
    if (m) {
      const streets = this.resolve(m[2]);
      if (!streets.length) return noStreet(normaliseStreet(m[2]));
      return this.numbered(Number(m[1]), streets.find((x) => this.blocks.has(x)) ?? streets[0]);
    }
    const streets = this.resolve(q);
    return streets.length ? this.street(streets[0])! : noStreet(normaliseStreet(q));
  }

  /** The known streets a typed name may mean: itself, or the streets of that name with any type (`COLUMBUS` → `COLUMBUS AVE`). */
  private resolve(typed: string): string[] {
    const key = normaliseStreet(typed);
    if (this.lines.has(key) || this.blocks.has(key)) return [key];
    return this.byBase.get(key) ?? [];
  }

  private intersection(typedA: string, typedB: string): GeocodeResult | GeocodeMiss {
    const as = this.resolve(typedA);
    const bs = this.resolve(typedB);
    if (!as.length) return noStreet(normaliseStreet(typedA));
    if (!bs.length) return noStreet(normaliseStreet(typedB));
    for (const a of as) {
      const onA = new Set<string>();
      for (const line of this.lines.get(a) ?? []) for (const p of line) onA.add(`${p[0]},${p[1]}`);
      for (const b of bs) {
        for (const line of this.lines.get(b) ?? []) {
          for (const p of line) {
            if (onA.has(`${p[0]},${p[1]}`)) return { lat: p[1], lon: p[0], precision: 'intersection', matched: `${this.name(a)} & ${this.name(b)}` };
          }
        }
      }
    }
    const [a, b] = [this.name(as[0]), this.name(bs[0])];
    return { miss: `${a} and ${b} do not meet on the map`, code: 'streets_do_not_meet', params: { a, b } };
  }

  private numbered(n: number, street: string): GeocodeResult | GeocodeMiss {
    const block = Math.floor(n / 100) * 100;
    const known = this.blocks.get(street);
    const own = known?.get(block);
    if (own) return { lat: own.lat, lon: own.lon, precision: 'block', matched: own.address };
    if (known && known.size >= 2) {
      // Between the nearest known blocks below and above (or the two nearest on one side), then onto the street.
      const sorted = [...known.keys()].sort((x, y) => x - y);
      const first = sorted[0];
      const last = sorted[sorted.length - 1];
      if (block > last + 100 * BLOCKS_PAST_KNOWN || block < first - 100 * BLOCKS_PAST_KNOWN) {
        const name = this.name(street);
        return { miss: `${n} is not on ${name}: the numbers known there run from ${first} to ${last + 99}`, code: 'number_not_on_street', params: { number: n, street: name, first, last: last + 99 } };
      }
      let lo = sorted.filter((k) => k < block).pop();
      let hi = sorted.find((k) => k > block);
      if (lo === undefined) [lo, hi] = [sorted[0], sorted[1]];
      else if (hi === undefined) [lo, hi] = [sorted[sorted.length - 2], sorted[sorted.length - 1]];
      const p = known.get(lo)!;
      const r = known.get(hi!)!;
      const f = (block - lo) / (hi! - lo);
      const guess = { lat: p.lat + (r.lat - p.lat) * f, lon: p.lon + (r.lon - p.lon) * f };
      const on = this.snapToStreet(street, guess) ?? guess;
      return { ...on, precision: 'interpolated', matched: `${block} Block of ${this.name(street)}` };
    }
    return this.street(street) ?? noStreet(street);
  }

  private street(street: string): GeocodeResult | null {
    const lines = this.lines.get(street);
    if (lines?.length) {
      // The middle (by length) of the street's longest way.
      const lengths = lines.map(lineMetres);
      const line = lines[lengths.indexOf(Math.max(...lengths))];
      const mid = pointAtFraction(line, 0.5);
      return { lat: mid[1], lon: mid[0], precision: 'street', matched: this.name(street) };
    }
    const known = this.blocks.get(street);
    if (known?.size) {
      const first = [...known.values()][0];
      return { lat: first.lat, lon: first.lon, precision: 'street', matched: this.name(street) };
    }
    return null;
  }

  /** The nearest point of the street's road lines to `p` (vertices only: blocks are short). */
  private snapToStreet(street: string, p: { lat: number; lon: number }): { lat: number; lon: number } | null {
    let best: { lat: number; lon: number } | null = null;
    let bestD = Infinity;
    for (const line of this.lines.get(street) ?? []) {
      for (const [lon, lat] of line) {
        const d = haversineMetres(p.lat, p.lon, lat, lon);
        if (d < bestD) [bestD, best] = [d, { lat, lon }];
      }
    }
    return best;
  }

  private name(street: string): string {
    return this.spelling.get(street) ?? street;
  }
}

function lineMetres(line: number[][]): number {
  let m = 0;
  for (let i = 1; i < line.length; i++) m += haversineMetres(line[i - 1][1], line[i - 1][0], line[i][1], line[i][0]);
  return m;
}

/** The `[lon, lat]` point at fraction `f` (0..1) of a line's length. */
function pointAtFraction(line: number[][], f: number): number[] {
  const total = lineMetres(line);
  let left = total * f;
  for (let i = 1; i < line.length; i++) {
    const d = haversineMetres(line[i - 1][1], line[i - 1][0], line[i][1], line[i][0]);
    if (d >= left && d > 0) {
      const t = left / d;
      return [line[i - 1][0] + (line[i][0] - line[i - 1][0]) * t, line[i - 1][1] + (line[i][1] - line[i - 1][1]) * t];
    }
    left -= d;
  }
  return line[line.length - 1];
}
