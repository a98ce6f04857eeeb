import type { JurisdictionIndex } from '@cad/domain';
import { parse } from 'csv-parse/sync';
import * as fs from 'node:fs';

/** How our placement of the data's calls agrees with the data's own district and neighborhood columns. */
export interface PlacementAgreement {
  /** Calls (distinct call numbers) with a location and the data's own columns. */
  calls: number;
  /** Share of calls whose district is the data's `Supervisor District`, 0..1. */
  districtAgreement: number;
  /** Share of calls whose street's neighborhood is the data's neighborhood column, 0..1. */
  streetAgreement: number;
  /** Calls farther than the index's boundary tolerance from every boundary line (not `nearBoundary`). */
  callsBeyondTolerance: number;
  /** Share of those agreeing on both district and neighborhood, 0..1. */
  agreementBeyondTolerance: number;
  /** Up to 20 disagreements, for a reader to look at. */
  examples: { callNumber: string; lat: number; lon: number; data: string; ours: string; nearBoundary: boolean }[];
}

/** The neighborhood of a street of the chain (`Nob Hill (D3)` → `Nob Hill`). */
const hoodOf = (name: string) => name.replace(/\s\(D\d+\)$/, '');

/**
 * Places every call of an SFFD calls CSV with `index` and compares with the data's own `Supervisor
 * District` and neighborhood (`Neighborhood  District` or `Neighborhooods - Analysis Boundaries`)
 * columns, once per call number. Districts are compared by number (`sf-d3` ↔ `3`).
 * @returns null when the file has neither column (another city's data)
 */
export function placementAgreement(file: string, index: JurisdictionIndex): PlacementAgreement | null {
  const records: Record<string, string>[] = parse(fs.readFileSync(file), { columns: true, skip_empty_lines: true, relax_column_count: true });
  if (!records.length) return null;
  const hoodCol = ['Neighborhood  District', 'Neighborhooods - Analysis Boundaries', 'Neighborhood District'].find((c) => c in records[0]);
  if (!hoodCol || !('Supervisor District' in records[0])) return null;
  const seen = new Set<string>();
  let calls = 0;
  let district = 0;
  let street = 0;
  let beyond = 0;
  let beyondBoth = 0;
  const examples: PlacementAgreement['examples'] = [];
  for (const r of records) {
    const id = r['Call Number'];
    const m = /^\(\s*(-?\d+(?:\.\d+)?),\s*(-?\d+(?:\.\d+)?)\s*\)$/.exec(r['Location'] ?? '');
    if (!id || seen.has(id) || !m || !r['Supervisor District'] || !r[hoodCol]) continue;
    seen.add(id);
    const [lat, lon] = [Number(m[1]), Number(m[2])];
    const p = index.locate(lat, lon);
    const hood = p.streetId ? hoodOf(index.get(p.streetId)?.name ?? '') : '';
    const dOk = p.districtId === `sf-d${r['Supervisor District']}`;
    const sOk = hood === r[hoodCol];
    calls++;
    if (dOk) district++;
    if (sOk) street++;
    if (!p.nearBoundary) {
      beyond++;
      if (dOk && sOk) beyondBoth++;
    }
    if ((!dOk || !sOk) && examples.length < 20) {
      examples.push({ callNumber: id, lat, lon, data: `D${r['Supervisor District']} ${r[hoodCol]}`, ours: `${p.districtId} ${hood}`, nearBoundary: p.nearBoundary });
    }
  }
  return {
    calls,
    districtAgreement: calls ? district / calls : NaN,
    streetAgreement: calls ? street / calls : NaN,
    callsBeyondTolerance: beyond,
    agreementBeyondTolerance: beyond ? beyondBoth / beyond : NaN,
    examples,
  };
}
