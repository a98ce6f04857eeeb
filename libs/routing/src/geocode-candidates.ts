import { distance } from 'fastest-levenshtein';
import type { Geocoder, GeocodeResult } from './geocoder';
import { normaliseStreet } from './geocoder';

/** A scored guess at what a call taker meant, never chosen for them. WGS84 degrees; `score` 0..1 (1: same spelling). */
export interface GeocodeCandidate extends GeocodeResult {
  /** The address to type to get this place exactly, e.g. `1200 Block of COLUMBUS AVE`. */
  address: string;
  score: number;
}

/** A named place (a city-added place name) that candidates may come from. */
export interface NamedPlace {
  name: string;
  lat: number;
  lon: number;
}

/** Names scoring below this are not offered. */
const MIN_SCORE = 0.6;

/**
 * Similarity of two normalised names, 0..1: one minus the Levenshtein edit distance over the longer
 * length (Levenshtein 1966, via `fastest-levenshtein`), the better of the full names and the names
 * without their street type (`COLOMBUS` against `COLUMBUS AVE` scores as `COLOMBUS` against `COLUMBUS`).
 */
export function nameScore(typed: string, known: string): number {
  const sim = (a: string, b: string) => (a.length || b.length ? 1 - distance(a, b) / Math.max(a.length, b.length) : 0);
  const base = (x: string) => (x.includes(' ') ? x.slice(0, x.lastIndexOf(' ')) : x);
  return Math.max(sim(typed, known), sim(base(typed), base(known)), sim(typed, base(known)));
}

/**
 * Up to `limit` scored candidates for an address the geocoder could not place: streets (and places)
 * spelt like the typed one, with the typed number placed on each when it can be, and for a number
 * past a street's known numbers, the street's first and last known blocks. Best first; ties by name.
 * @param query as typed, e.g. `1250 Colombus Av`, `Colombus Av`, `Pier 39`
 */
export function geocodeCandidates(geocoder: Geocoder, query: string, places: readonly NamedPlace[] = [], limit = 5): GeocodeCandidate[] {
  const q = query.trim().replace(/\s+/g, ' ');
  const m = /^(\d+)(?:\s*-\s*\d+)?\s+(?:BLOCK\s+OF\s+)?(.+)$/i.exec(q);
  const number = m ? Number(m[1]) : null;
  const typed = normaliseStreet(m ? m[2] : q);
  const out: GeocodeCandidate[] = [];
  for (const street of geocoder.streetNames()) {
    const score = nameScore(typed, street);
    if (score < MIN_SCORE) continue;
    const exact = score === 1;
    const tries = number === null ? [street] : [`${number} ${street}`];
    // The typed street itself with a number it does not have: offer its first and last known blocks.
    if (exact && number !== null) {
      const blocks = geocoder.knownBlocks(street);
      if (blocks.length) tries.push(`${blocks[0]} ${street}`, `${blocks[blocks.length - 1]} ${street}`);
    }
    for (const t of tries) {
      const r = geocoder.lookup(t);
      if ('miss' in r) continue;
      const address = r.precision === 'street' ? r.matched : t === tries[0] && number !== null ? `${number} ${r.matched.replace(/^\d+ Block of /, '')}` : r.matched;
      out.push({ ...r, address, score: Math.round((t === tries[0] ? score : score * 0.8) * 1000) / 1000 });
    }
  }
  const typedPlace = normaliseStreet(q);
  for (const p of places) {
    const score = nameScore(typedPlace, normaliseStreet(p.name));
    if (score >= MIN_SCORE) out.push({ lat: p.lat, lon: p.lon, precision: 'place', matched: p.name, address: p.name, score: Math.round(score * 1000) / 1000 });
  }
  const seen = new Set<string>();
  return out
    .sort((a, b) => b.score - a.score || a.address.localeCompare(b.address))
    .filter((c) => !seen.has(c.address) && seen.add(c.address))
    .slice(0, limit);
}
