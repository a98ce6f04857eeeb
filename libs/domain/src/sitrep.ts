import { DateTime } from 'luxon';
import { quantile } from './statistics';

/**
 * Situation reporting (issue 24): damage figures, their roll-up street → district → city, and the
 * local instant of a daily briefing. Pure functions, no I/O.
 */

/**
 * Casualties by START triage category (Simple Triage And Rapid Treatment, Benson, Koenig & Schultz,
 * Prehosp Disaster Med 1996): `immediate` (red), `delayed` (yellow), `minor` (green), `deceased` (black).
 */
export const TRIAGE_CATEGORIES = ['immediate', 'delayed', 'minor', 'deceased'] as const;
export type TriageCategory = (typeof TRIAGE_CATEGORIES)[number];

/** Lifelines a field report may name as out (the seed's 生命线: power, water, gas, telecoms, transport). */
export const LIFELINES = ['power', 'water', 'gas', 'telecom', 'transport', 'sewer'] as const;
export type Lifeline = (typeof LIFELINES)[number];

/**
 * The figures of one damage (field) report, counts of people and buildings as assessed on the ground.
 * `roadsBlocked`: the number of blocked road segments (each drawn as a GeoJSON line on the report);
 * `lifelinesOut`: lifelines out in the area; `needs`: free-text needs (`"shelter for 40"`).
 */
export interface DamageFigures {
  casualties: Record<TriageCategory, number>;
  displaced: number;
  buildingsDamaged: number;
  buildingsDestroyed: number;
  roadsBlocked: number;
  lifelinesOut: Lifeline[];
  needs: string[];
}

/** A report's figures with where it applies: the street (sub-district) that holds it. */
export interface PlacedDamage {
  /** The street that holds the report's subject (the incident's street, or the street reported on). */
  streetId: string | null;
  figures: DamageFigures;
}

/** One incident as counted in a situation report. */
export interface SitrepIncident {
  id: string;
  type: string;
  status: string;
  priority: number;
  streetId: string | null;
  commandingTier: string;
}

/** One unit task (assignment) as counted in a situation report: `active` while not cleared. */
export interface SitrepAssignment {
  incidentId: string;
  unitId: string;
  capability: string;
  active: boolean;
}

/** A node of the command chain (`parentId` null for the city). */
export interface SitrepJurisdiction {
  id: string;
  name: string;
  level: 'city' | 'district' | 'street';
  parentId: string | null;
}

/** Counts and sums of one jurisdiction over a period, its own streets included. */
export interface SitrepSummary {
  jurisdictionId: string;
  name: string;
  level: 'city' | 'district' | 'street';
  incidents: number;
  byType: Record<string, number>;
  byStatus: Record<string, number>;
  byPriority: Record<string, number>;
  /** Incidents escalated above the street tier (commanded by a district or the city) and still open. */
  openEscalations: number;
  /** Distinct units with an active task on an incident of the jurisdiction. */
  unitsCommitted: number;
  /** Active tasks by capability (engine, ladder, als, ...). */
  committedByCapability: Record<string, number>;
  damage: DamageFigures;
  /** Damage (field) reports counted. */
  damageReports: number;
  /** The next tier down (a district's streets, the city's districts); empty for a street. */
  children: SitrepSummary[];
}

/**
 * One incident's response intervals, seconds (null when a stamp is missing): alarm handling (call
 * received → first unit dispatched), and turnout (dispatched → en route) and travel (en route → on
 * scene) of the first unit on scene.
 */
export interface IntervalSample {
  alarmHandlingS: number | null;
  turnoutS: number | null;
  travelS: number | null;
}

/**
 * Response intervals of a period against NFPA 1710 (2020 ed.), which sets its objectives at the 90th
 * percentile (§4.1.2.4): alarm handling, turnout (§4.1.2.1(2): 60 s EMS, 80 s fire) and travel of the
 * first unit on scene (§4.1.2.1(3): 240 s). Seconds, rounded to 0.1; null where no incident has the interval.
 * `travelWithinTargetShare` is the share (0..1) of first arrivals whose travel is within `travelTargetS`.
 */
export interface ResponseIntervals {
  incidents: number;
  alarmHandlingP90S: number | null;
  turnoutP90S: number | null;
  travelP90S: number | null;
  travelTargetS: number;
  travelWithinTargetShare: number | null;
}

/** Summarises {@link IntervalSample}s at the 90th percentile, the NFPA 1710 performance objective. Negative intervals (clock skew) are left out. */
export function responseIntervals(samples: IntervalSample[], travelTargetS: number): ResponseIntervals {
  const of = (k: keyof IntervalSample) => samples.map((x) => x[k]).filter((v): v is number => v !== null && Number.isFinite(v) && v >= 0);
  const p90 = (v: number[]) => (v.length ? Math.round(quantile(v, 0.9) * 10) / 10 : null);
  const travel = of('travelS');
  return {
    incidents: samples.length,
    alarmHandlingP90S: p90(of('alarmHandlingS')),
    turnoutP90S: p90(of('turnoutS')),
    travelP90S: p90(travel),
    travelTargetS,
    travelWithinTargetShare: travel.length ? Math.round((travel.filter((v) => v <= travelTargetS).length / travel.length) * 1000) / 1000 : null,
  };
}

/** Incident statuses that are over: not counted as open escalations. */
const ENDED = new Set(['resolved', 'closed', 'cancelled', 'merged']);

/** Empty figures (every count zero). */
export function emptyDamage(): DamageFigures {
  return { casualties: { immediate: 0, delayed: 0, minor: 0, deceased: 0 }, displaced: 0, buildingsDamaged: 0, buildingsDestroyed: 0, roadsBlocked: 0, lifelinesOut: [], needs: [] };
}

/**
 * Adds damage figures: counts summed, lifelines as a sorted set, needs kept in order without repeats.
 * Neither input is changed.
 */
export function addDamage(a: DamageFigures, b: DamageFigures): DamageFigures {
  const casualties = { ...a.casualties };
  for (const c of TRIAGE_CATEGORIES) casualties[c] += b.casualties[c];
  return {
    casualties,
    displaced: a.displaced + b.displaced,
    buildingsDamaged: a.buildingsDamaged + b.buildingsDamaged,
    buildingsDestroyed: a.buildingsDestroyed + b.buildingsDestroyed,
    roadsBlocked: a.roadsBlocked + b.roadsBlocked,
    lifelinesOut: [...new Set([...a.lifelinesOut, ...b.lifelinesOut])].sort(),
    needs: [...new Set([...a.needs, ...b.needs])],
  };
}

const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

/**
 * Rolls a period's incidents, tasks and damage reports up the command chain: each street sums what
 * lies in it, each district its streets, the city its districts (street → district → city), and
 * answers the summary of `rootId` with its children down to the streets.
 *
 * Input shapes: `incidents` placed by `streetId`; `assignments` of those incidents (`active` tasks
 * count as committed units); `damage` already reduced to the current version of each report
 * (older versions must not be passed, or they count twice). An incident or report whose street is
 * not under the root is left out (that is how a district's report never shows another district).
 * @throws Error naming `rootId` when it is not one of `jurisdictions`
 */
export function rollUpSituation(
  rootId: string,
  jurisdictions: SitrepJurisdiction[],
  incidents: SitrepIncident[],
  assignments: SitrepAssignment[],
  damage: PlacedDamage[],
): SitrepSummary {
  const byId = new Map(jurisdictions.map((j) => [j.id, j]));
  const root = byId.get(rootId);
  if (!root) throw new Error(`jurisdiction ${rootId} is not in the command chain`);
  const children = new Map<string, SitrepJurisdiction[]>();
  for (const j of jurisdictions) if (j.parentId) (children.get(j.parentId) ?? children.set(j.parentId, []).get(j.parentId)!).push(j);
  const incidentsByStreet = new Map<string, SitrepIncident[]>();
  for (const i of incidents) if (i.streetId) (incidentsByStreet.get(i.streetId) ?? incidentsByStreet.set(i.streetId, []).get(i.streetId)!).push(i);
  const tasksByIncident = new Map<string, SitrepAssignment[]>();
  for (const a of assignments) if (a.active) (tasksByIncident.get(a.incidentId) ?? tasksByIncident.set(a.incidentId, []).get(a.incidentId)!).push(a);
  const damageByStreet = new Map<string, DamageFigures[]>();
  for (const d of damage) if (d.streetId) (damageByStreet.get(d.streetId) ?? damageByStreet.set(d.streetId, []).get(d.streetId)!).push(d.figures);

  // Units committed are counted as a set per node (a unit is one unit, whatever it does), so each node keeps its set.
  const build = (j: SitrepJurisdiction): { s: SitrepSummary; units: Set<string> } => {
    const s: SitrepSummary = {
      jurisdictionId: j.id, name: j.name, level: j.level, incidents: 0, byType: {}, byStatus: {}, byPriority: {}, openEscalations: 0,
      unitsCommitted: 0, committedByCapability: {}, damage: emptyDamage(), damageReports: 0, children: [],
    };
    const units = new Set<string>();
    if (j.level === 'street') {
      for (const i of incidentsByStreet.get(j.id) ?? []) {
        s.incidents++;
        bump(s.byType, i.type);
        bump(s.byStatus, i.status);
        bump(s.byPriority, `P${i.priority}`);
        if (i.commandingTier !== 'street' && !ENDED.has(i.status)) s.openEscalations++;
        for (const a of tasksByIncident.get(i.id) ?? []) {
          units.add(a.unitId);
          bump(s.committedByCapability, a.capability);
        }
      }
      for (const f of damageByStreet.get(j.id) ?? []) {
        s.damage = addDamage(s.damage, f);
        s.damageReports++;
      }
    }
    for (const c of (children.get(j.id) ?? []).sort((a, b) => a.id.localeCompare(b.id))) {
      const sub = build(c);
      s.children.push(sub.s);
      sub.units.forEach((u) => units.add(u));
      s.incidents += sub.s.incidents;
      for (const [k, v] of Object.entries(sub.s.byType)) s.byType[k] = (s.byType[k] ?? 0) + v;
      for (const [k, v] of Object.entries(sub.s.byStatus)) s.byStatus[k] = (s.byStatus[k] ?? 0) + v;
      for (const [k, v] of Object.entries(sub.s.byPriority)) s.byPriority[k] = (s.byPriority[k] ?? 0) + v;
      for (const [k, v] of Object.entries(sub.s.committedByCapability)) s.committedByCapability[k] = (s.committedByCapability[k] ?? 0) + v;
      s.openEscalations += sub.s.openEscalations;
      s.damage = addDamage(s.damage, sub.s.damage);
      s.damageReports += sub.s.damageReports;
    }
    s.unitsCommitted = units.size;
    return { s, units };
  };
  return build(root).s;
}

/** The local calendar date (`YYYY-MM-DD`) of an instant in an IANA time zone. @throws Error for an unknown zone */
export function localDateOf(instant: Date, timeZone: string): string {
  const d = DateTime.fromJSDate(instant, { zone: timeZone });
  if (!d.isValid) throw new Error(`time zone ${timeZone}: ${d.invalidExplanation ?? d.invalidReason}`);
  return d.toISODate()!;
}

/**
 * The instant of a local wall-clock time (`HH:mm`) on a local date in a time zone. On a
 * spring-forward day a time inside the gap (02:30 in America/Los_Angeles) does not exist: the
 * instant is the same elapsed time after the gap starts (03:30 PDT), as RFC 5545 §3.3.5 and ECMAScript
 * Temporal's `disambiguation: 'compatible'` resolve it. On a fall-back day a repeated time (01:30)
 * is its first occurrence (daylight time). So each local date has exactly one briefing instant.
 * @throws Error naming `localTime` when it is not `HH:mm`, or the zone when unknown
 */
export function localTimeInstant(localDate: string, localTime: string, timeZone: string): Date {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(localTime);
  if (!m) throw new Error(`localTime ${localTime} is not HH:mm (24-hour)`);
  const [y, mo, d] = localDate.split('-').map(Number);
  // Luxon moves a nonexistent local time forward by the gap; of an ambiguous one's possible offsets the earliest instant is taken.
  const t = DateTime.fromObject({ year: y, month: mo, day: d, hour: Number(m[1]), minute: Number(m[2]) }, { zone: timeZone });
  if (!t.isValid) throw new Error(`${localDate} ${localTime} in ${timeZone}: ${t.invalidExplanation ?? t.invalidReason}`);
  const first = Math.min(t.toMillis(), ...t.getPossibleOffsets().map((o) => o.toMillis()));
  return new Date(first);
}

/**
 * The local date whose daily briefing is due at `now` (the system's clock: wall clock live, the drill's
 * clock in a drill): today's, once its local briefing time has passed, unless `lastDone` is that date
 * already; null when nothing is due. A briefing missed while the system was down is produced at the next
 * check the same day; an earlier day's missed briefing is not made up (the next one covers it).
 * @param lastDone the newest local date (`YYYY-MM-DD`) already briefed, or null
 */
export function briefingDue(now: Date, localTime: string, timeZone: string, lastDone: string | null): string | null {
  const today = localDateOf(now, timeZone);
  if (lastDone !== null && lastDone >= today) return null;
  return now.getTime() >= localTimeInstant(today, localTime, timeZone).getTime() ? today : null;
}

/**
 * The period a daily briefing covers: the 24 hours (23 or 25 on a daylight-saving change) of local time
 * before the briefing instant of `localDate`, i.e. from the previous local date's briefing instant.
 */
export function briefingPeriod(localDate: string, localTime: string, timeZone: string): { from: Date; to: Date } {
  const to = localTimeInstant(localDate, localTime, timeZone);
  const prev = DateTime.fromISO(localDate, { zone: timeZone }).minus({ days: 1 }).toISODate()!;
  return { from: localTimeInstant(prev, localTime, timeZone), to };
}
