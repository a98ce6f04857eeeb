import { AGENCIES, Agency, AgencyRules, Capability, DEFAULT_AGENCY_RULES, DispatchMode, isAgency, isCapability } from '@cad/domain';
import { DRIVABLE_HIGHWAY_CLASSES } from '@cad/routing';
import { DateTime } from 'luxon';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';

/** A boundary layer: a GeoJSON file and which feature properties hold its ids and names. */
export interface BoundaryLayer {
  /** GeoJSON FeatureCollection of (Multi)Polygons, relative to the data folder. */
  file: string;
  /** Property holding the id (districts: required; streets: the name is the id when omitted). */
  idProperty?: string;
  /** Property holding the display name; districts without one are named by `nameTemplate`. */
  nameProperty?: string;
  /** District name when there is no name property, `{id}` replaced: `District {id}`. */
  nameTemplate?: string;
}

/** A hospital the city lists, with the public source of its position. */
export interface Hospital {
  name: string;
  /** WGS84 degrees. */
  lat: number;
  lon: number;
  /** Where the entry comes from (a URL or a data set id). */
  source: string;
}

/** The kinds of lifeline network a profile may list. */
export const LIFELINE_KINDS = ['water', 'gas', 'power', 'telecom'] as const;
export type LifelineKind = (typeof LIFELINE_KINDS)[number];

/** A lifeline network (water mains, gas lines) and its sensors, as files in the data folder. */
export interface LifelineNetwork {
  id: string;
  kind: LifelineKind;
  /** Network file (EPANET `.inp`, GeoJSON, ...), relative to the data folder. */
  file: string;
  /** Optional sensor list file, relative to the data folder. */
  sensorsFile?: string;
  /** Which agency's crews repair it. */
  agency: Agency;
  source: string;
}

/**
 * A city profile: everything the import needs to know about one city's open data, so that no city's
 * names live in code. Read with {@link readCityProfile}; files are relative to the data folder
 * (`DATA_DIR`) and read there as published.
 */
export interface CityProfile {
  /** Id of the city jurisdiction and prefix of every district and street id (`sf` -> `sf-d1`). */
  id: string;
  name: string;
  /** IANA zone of the data's local times. */
  timeZone: string;
  boundaries: {
    districts: BoundaryLayer & { idProperty: string };
    streets: BoundaryLayer & { nameProperty: string };
    /** Street pieces (street ∩ district) smaller than this are slivers and dropped, m². */
    streetMinAreaM2: number;
  };
  /** Any OSM XML extract, and the speeds assumed for roads without a `maxspeed` tag, km/h per highway class. */
  roads: { file: string; speedDefaultsKmh?: Record<string, number> };
  /** The calls history: the SFFD format, or any CSV through a column mapping file (relative to the profile). */
  calls: { file: string; format: 'sffd' } | { file: string; mapping: string };
  /**
   * The fleet: from the SFFD history (units seen in the calls, stations estimated or from `stationsFile`),
   * or a fleet file; `illustrativeFile` (relative to the profile) adds clearly labelled example units
   * only when asked for.
   */
  fleet: { source: 'sffd'; stationsFile?: string; illustrativeFile?: string } | { file: string; stationsFile?: string; illustrativeFile?: string };
  /** The city's own unit types: upper-case type -> capabilities; an empty list marks a type never dispatched. */
  unitTypes: Record<string, Capability[]>;
  /** Response plans: derived from the SFFD history, or a YAML file (relative to the profile). */
  plans: { derived: true } | { file: string };
  /** Each agency's rules; agencies omitted take {@link DEFAULT_AGENCY_RULES}. */
  agencies: Partial<Record<Agency, AgencyRules>>;
  hospitals: Hospital[];
  lifelines: LifelineNetwork[];
  /**
   * The city's move-up policy (optional; each key overrides the default and is overridden by its
   * environment variable): `mode` (`recommend` | `apply`), `confirmTimeoutS` (0: explicit confirmation),
   * `minSinceClearedS`, `maxMovesPerUnitPerHour`, `maxMovesPerHour`, `minNetGain` (0..1).
   */
  moveUps?: { mode?: 'recommend' | 'apply'; confirmTimeoutS?: number; minSinceClearedS?: number; maxMovesPerUnitPerHour?: number; maxMovesPerHour?: number; minNetGain?: number };
  /** Absolute path of the profile file (mapping, plans and illustrative files are relative to its folder). */
  profileFile: string;
  /** Data folder the profile's data lives in (`dataDir`, relative to the profile), used when neither `--data-dir` nor DATA_DIR is given. */
  dataDir?: string;
}

/** A profile that cannot be used: names the file and the key. */
export class CityProfileError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    detail: string,
  ) {
    super(`city profile ${file}: ${key} ${detail}`);
    this.name = 'CityProfileError';
  }
}

type Raw = Record<string, unknown>;

/**
 * Reads and checks a city profile (YAML or JSON).
 * @param file path of the profile; a bare name (`san-francisco`) means `db/cities/<name>.yaml`
 * @throws CityProfileError naming the file and the missing or bad key; Error when the file does not exist
 */
export function readCityProfile(file: string): CityProfile {
  const abs = resolveProfilePath(file);
  if (!fs.existsSync(abs)) throw new Error(`city profile not found: ${abs}`);
  const raw: unknown = YAML.parse(fs.readFileSync(abs, 'utf8'));
  return checkProfile(raw, abs);
}

/** `san-francisco` -> `<cwd>/db/cities/san-francisco.yaml`; a path is resolved against the working directory. */
export function resolveProfilePath(file: string): string {
  return /[/\\.]/.test(file) ? path.resolve(file) : path.resolve('db/cities', `${file}.yaml`);
}

function checkProfile(raw: unknown, file: string): CityProfile {
  const fail = (key: string, detail: string): never => {
    throw new CityProfileError(file, key, detail);
  };
  const obj = (v: unknown, key: string): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : fail(key, 'must be a mapping'));
  const str = (v: unknown, key: string): string => (typeof v === 'string' && v.trim() ? v : fail(key, 'must be a non-empty string'));
  const optStr = (v: unknown, key: string): string | undefined => (v === undefined || v === null ? undefined : str(v, key));
  const num = (v: unknown, key: string, min: number, max: number): number =>
    typeof v === 'number' && v >= min && v <= max ? v : fail(key, `must be a number in ${min}..${max}`);
  const r = obj(raw, '(top level)');
  const id = str(r.id, 'id');
  if (!/^[a-z0-9-]{1,20}$/.test(id)) fail('id', 'must be 1-20 characters a-z, 0-9 or -');
  const timeZone = str(r.timeZone, 'timeZone');
  if (!DateTime.local().setZone(timeZone).isValid) fail('timeZone', `must be an IANA zone (got "${timeZone}")`);
  const b = obj(r.boundaries, 'boundaries');
  const d = obj(b.districts, 'boundaries.districts');
  const s = obj(b.streets, 'boundaries.streets');
  const roads = obj(r.roads, 'roads');
  const calls = obj(r.calls, 'calls');
  const fleet = obj(r.fleet, 'fleet');
  const plans = obj(r.plans ?? { derived: true }, 'plans');

  const unitTypes: Record<string, Capability[]> = {};
  for (const [t, caps] of Object.entries(obj(r.unitTypes ?? {}, 'unitTypes'))) {
    if (!Array.isArray(caps)) fail(`unitTypes.${t}`, 'must be a list of capabilities');
    for (const c of caps as unknown[]) if (typeof c !== 'string' || !isCapability(c)) fail(`unitTypes.${t}`, `has unknown capability "${String(c)}"`);
    unitTypes[t.trim().toUpperCase()] = caps as Capability[];
  }
  const agencies: Partial<Record<Agency, AgencyRules>> = {};
  for (const [a, v] of Object.entries(obj(r.agencies ?? {}, 'agencies'))) {
    if (!isAgency(a)) fail(`agencies.${a}`, `is not an agency (${AGENCIES.join(', ')})`);
    const ag = a as Agency;
    const o = obj(v, `agencies.${a}`);
    const def = DEFAULT_AGENCY_RULES[ag];
    const mode = (o.dispatchMode ?? def.dispatchMode) as DispatchMode;
    if (mode !== 'direct' && mode !== 'request') fail(`agencies.${a}.dispatchMode`, 'must be direct or request');
    agencies[ag] = {
      agency: ag,
      // Left unset, fire and EMS take ACK_TIMEOUT_S, other agencies their default (see ackTimeoutFor).
      ackTimeoutS: o.ackTimeoutS === undefined ? undefined : num(o.ackTimeoutS, `agencies.${a}.ackTimeoutS`, 1, 3600),
      firstUnitTravelS: o.firstUnitTravelS === undefined ? def.firstUnitTravelS : num(o.firstUnitTravelS, `agencies.${a}.firstUnitTravelS`, 1, 7200),
      dispatchMode: mode,
    };
  }
  const list = (v: unknown, key: string): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : fail(key, 'must be a list'));
  const hospitals = list(r.hospitals, 'hospitals').map((h, i): Hospital => {
    const o = obj(h, `hospitals[${i}]`);
    return {
      name: str(o.name, `hospitals[${i}].name`),
      lat: num(o.lat, `hospitals[${i}].lat`, -90, 90),
      lon: num(o.lon, `hospitals[${i}].lon`, -180, 180),
      source: str(o.source, `hospitals[${i}].source`),
    };
  });
  const lifelines = list(r.lifelines, 'lifelines').map((l, i): LifelineNetwork => {
    const o = obj(l, `lifelines[${i}]`);
    const kind = str(o.kind, `lifelines[${i}].kind`);
    if (!(LIFELINE_KINDS as readonly string[]).includes(kind)) fail(`lifelines[${i}].kind`, `must be one of ${LIFELINE_KINDS.join(', ')}`);
    const agency = str(o.agency, `lifelines[${i}].agency`);
    if (!isAgency(agency)) fail(`lifelines[${i}].agency`, `is not an agency (${AGENCIES.join(', ')})`);
    return {
      id: str(o.id, `lifelines[${i}].id`),
      kind: kind as LifelineKind,
      file: str(o.file, `lifelines[${i}].file`),
      sensorsFile: optStr(o.sensorsFile, `lifelines[${i}].sensorsFile`),
      agency: agency as Agency,
      source: str(o.source, `lifelines[${i}].source`),
    };
  });
  const mu = r.moveUps === undefined || r.moveUps === null ? undefined : obj(r.moveUps, 'moveUps');
  const optNum = (o: Raw, k: string, min: number, max: number) => (o[k] === undefined ? undefined : num(o[k], `moveUps.${k}`, min, max));
  if (mu && mu.mode !== undefined && mu.mode !== 'recommend' && mu.mode !== 'apply') fail('moveUps.mode', 'must be recommend or apply');
  const moveUps = mu && {
    mode: mu.mode as 'recommend' | 'apply' | undefined,
    confirmTimeoutS: optNum(mu, 'confirmTimeoutS', 0, 86400),
    minSinceClearedS: optNum(mu, 'minSinceClearedS', 0, 86400),
    maxMovesPerUnitPerHour: optNum(mu, 'maxMovesPerUnitPerHour', 0, 100),
    maxMovesPerHour: optNum(mu, 'maxMovesPerHour', 0, 1000),
    minNetGain: optNum(mu, 'minNetGain', 0, 1),
  };
  const speeds = roads.speedDefaultsKmh === undefined ? undefined : obj(roads.speedDefaultsKmh, 'roads.speedDefaultsKmh');
  if (speeds) {
    for (const [k, v] of Object.entries(speeds)) {
      if (!DRIVABLE_HIGHWAY_CLASSES.includes(k)) fail(`roads.speedDefaultsKmh.${k}`, `is not a drivable OSM highway class (${DRIVABLE_HIGHWAY_CLASSES.join(', ')})`);
      num(v, `roads.speedDefaultsKmh.${k}`, 1, 200);
    }
  }
  const stationsFile = optStr(fleet.stationsFile, 'fleet.stationsFile');
  const illustrativeFile = optStr(fleet.illustrativeFile, 'fleet.illustrativeFile');
  const callsFile = str(calls.file, 'calls.file');
  if (calls.format !== 'sffd' && calls.mapping === undefined) fail('calls', 'needs format: sffd or a mapping file');
  if (fleet.source !== 'sffd' && fleet.file === undefined) fail('fleet', 'needs source: sffd or a fleet file');
  if (plans.derived !== true && plans.file === undefined) fail('plans', 'needs derived: true or a plans file');
  const fromSffd = calls.format === 'sffd';
  if ((fleet.source === 'sffd' || plans.derived === true) && !fromSffd) fail('calls.format', 'must be sffd to derive the fleet or plans from the calls history');
  return {
    id,
    name: str(r.name, 'name'),
    timeZone,
    boundaries: {
      districts: {
        file: str(d.file, 'boundaries.districts.file'),
        idProperty: str(d.idProperty, 'boundaries.districts.idProperty'),
        nameProperty: optStr(d.nameProperty, 'boundaries.districts.nameProperty'),
        nameTemplate: optStr(d.nameTemplate, 'boundaries.districts.nameTemplate'),
      },
      streets: {
        file: str(s.file, 'boundaries.streets.file'),
        nameProperty: str(s.nameProperty, 'boundaries.streets.nameProperty'),
        idProperty: optStr(s.idProperty, 'boundaries.streets.idProperty'),
      },
      streetMinAreaM2: b.streetMinAreaM2 === undefined ? 20000 : num(b.streetMinAreaM2, 'boundaries.streetMinAreaM2', 0, 1e7),
    },
    roads: { file: str(roads.file, 'roads.file'), speedDefaultsKmh: speeds as Record<string, number> | undefined },
    calls: fromSffd ? { file: callsFile, format: 'sffd' } : { file: callsFile, mapping: str(calls.mapping, 'calls.mapping') },
    fleet: fleet.source === 'sffd' ? { source: 'sffd', stationsFile, illustrativeFile } : { file: str(fleet.file, 'fleet.file'), stationsFile, illustrativeFile },
    unitTypes,
    plans: plans.derived === true ? { derived: true } : { file: str(plans.file, 'plans.file') },
    agencies,
    hospitals,
    lifelines,
    moveUps,
    profileFile: file,
    dataDir: r.dataDir === undefined ? undefined : path.resolve(path.dirname(file), str(r.dataDir, 'dataDir')),
  };
}

/**
 * A profile's data file, resolved against the data folder.
 * @param dataDir the data folder (`DATA_DIR`)
 * @param key the profile key naming the file (for the error)
 * @throws Error naming the file it looked for, the profile key and the data folder, when it does not exist
 */
export function profileDataFile(profile: CityProfile, dataDir: string, name: string, key: string): string {
  const abs = path.resolve(dataDir, name);
  if (!fs.existsSync(abs)) {
    throw new Error(`file not found: ${abs} (${key} in ${profile.profileFile}, looked in the data folder ${path.resolve(dataDir)})`);
  }
  return abs;
}

/**
 * A file the profile names relative to itself (a column mapping, a plans file, an illustrative fleet).
 * @throws Error naming the file and the profile key, when it does not exist
 */
export function profileOwnFile(profile: CityProfile, name: string, key: string): string {
  const abs = path.resolve(path.dirname(profile.profileFile), name);
  if (!fs.existsSync(abs)) throw new Error(`file not found: ${abs} (${key} in ${profile.profileFile})`);
  return abs;
}

/**
 * The lifeline networks and hospitals a profile lists, with their files resolved in the data folder:
 * what the lifelines module reads instead of a file of its own.
 * @returns networks (absolute `file` and `sensorsFile` paths) and hospitals (WGS84 degrees)
 * @throws Error naming a listed file that is missing
 */
export function lifelinesOf(profile: CityProfile, dataDir: string): { networks: LifelineNetwork[]; hospitals: Hospital[] } {
  return {
    networks: profile.lifelines.map((l, i) => ({
      ...l,
      file: profileDataFile(profile, dataDir, l.file, `lifelines[${i}].file`),
      sensorsFile: l.sensorsFile ? profileDataFile(profile, dataDir, l.sensorsFile, `lifelines[${i}].sensorsFile`) : undefined,
    })),
    hospitals: profile.hospitals.map((h) => ({ ...h })),
  };
}
