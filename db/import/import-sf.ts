import { derivePlans, JurisdictionIndex } from '@cad/domain';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import * as fs from 'node:fs';
import type { DataSource } from 'typeorm';
import { Jurisdiction, ResponsePlanRow, Station, Unit } from '../entities';
import { buildChain } from './boundaries';
import { placementAgreement, PlacementAgreement } from './placement-agreement';
import { readSfCalls } from './sf-calls';
import { deriveUnitsAndStations, readStationsFile } from './stations';

/** Files and settings the import reads. */
export interface ImportOptions {
  districtsFile: string;
  neighborhoodsFile: string;
  callsFile: string;
  stationsFile?: string;
  zone: string;
  streetMinAreaM2: number;
  /** Boundary tolerance of the placement, metres (default `DEFAULT_BOUNDARY_TOLERANCE_M`). */
  boundaryToleranceM?: number;
}

/** What an import stored. */
export interface ImportSummary {
  cities: number;
  districts: number;
  streets: number;
  stations: number;
  units: number;
  plans: number;
  badRows: { line: number; reason: string }[];
  /** Agreement of our placement with the data's own district and neighborhood columns (null without them). */
  placement: PlacementAgreement | null;
}

/**
 * Imports the San Francisco command chain, stations, units and response plans from the published
 * files, as they are, in one transaction. Re-running it updates what is there; it never resets a
 * unit's live status or position.
 */
export async function importSanFrancisco(ds: DataSource, opts: ImportOptions): Promise<ImportSummary> {
  const readFc = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
  const chain = buildChain(readFc(opts.districtsFile), readFc(opts.neighborhoodsFile), opts.streetMinAreaM2);
  const index = new JurisdictionIndex(chain, opts.boundaryToleranceM);
  const { rows, problems } = readSfCalls(opts.callsFile, opts.zone);
  const overrides = opts.stationsFile ? readStationsFile(opts.stationsFile) : new Map();
  const { units, stations } = deriveUnitsAndStations(rows, overrides);
  const plans = derivePlans(rows.map((r) => ({ incidentKey: r.incidentNumber, callType: r.callType, unitType: r.unitType })));

  await ds.transaction(async (m) => {
    await m.upsert(Jurisdiction, chain, ['id']);
    await m.upsert(
      Station,
      [...stations].map(([num, s]) => ({
        id: `st-${num}`,
        number: num,
        name: s.name,
        lat: s.lat,
        lon: s.lon,
        estimated: s.estimated,
        method: s.method,
        streetId: index.locate(s.lat, s.lon).streetId,
      })),
      ['id'],
    );
    // The import defines the live fleet; a drill's world is a copy made when it starts.
    const existing = new Set((await m.find(Unit, { select: { id: true }, where: { world: 'live' } })).map((u) => u.id));
    for (const u of units) {
      const fixed = {
        callsign: u.id,
        unitType: u.unitType,
        capabilities: u.capabilities,
        stationId: u.stationNumber !== null ? `st-${u.stationNumber}` : null,
        homeStreetId: index.locate(u.base.lat, u.base.lon).streetId,
        homeLat: u.base.lat,
        homeLon: u.base.lon,
      };
      if (existing.has(u.id)) await m.update(Unit, { world: 'live', id: u.id }, fixed);
      else await m.insert(Unit, { world: 'live', id: u.id, ...fixed, lat: u.base.lat, lon: u.base.lon, status: 'available' });
    }
    await m.upsert(
      ResponsePlanRow,
      [...plans.values()].map((p) => ({
        callType: p.callType,
        slots: p.slots as Record<string, number>,
        commandingTier: p.commandingTier,
        derivedFrom: p.derivedFrom,
        alarms: (p.alarms ?? null) as ResponsePlanRow['alarms'],
      })),
      ['callType'],
    );
  });
  const count = (level: string) => chain.filter((j) => j.level === level).length;
  return {
    cities: count('city'),
    districts: count('district'),
    streets: count('street'),
    stations: stations.size,
    units: units.length,
    plans: plans.size,
    badRows: problems,
    placement: placementAgreement(opts.callsFile, index),
  };
}
