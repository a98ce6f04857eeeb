/**
 * Agencies whose units the command centre coordinates (fire, EMS, police, the water and gas
 * utilities' crews), each with its own rules, and the mapping of a city's unit types to capabilities.
 */
import { CAPABILITIES, Capability, UNIT_TYPES, capabilitiesOf } from './units';

/** The agencies a fleet file may name. */
export const AGENCIES = ['fire', 'ems', 'police', 'water_utility', 'gas_utility'] as const;
export type Agency = (typeof AGENCIES)[number];

/**
 * How the command centre gets an agency's unit: `direct` dispatches it like a fire engine; `request`
 * sends a request the agency's own post accepts (police typically keep control of their patrols).
 */
export type DispatchMode = 'direct' | 'request';

/** One agency's own rules. */
export interface AgencyRules {
  agency: Agency;
  /**
   * Seconds a task may go unacknowledged before the acknowledgement policy acts (the policy itself is
   * the console's); unset: the agency's default (fire and EMS: the `ACK_TIMEOUT_S` setting).
   */
  ackTimeoutS?: number;
  /** Travel-time target of the agency's first unit, seconds. */
  firstUnitTravelS: number;
  dispatchMode: DispatchMode;
}

/**
 * Defaults when a city profile says nothing of an agency. Fire and EMS: 60 s acknowledgement (the
 * project's `ACK_TIMEOUT_S` default); fire: NFPA 1710 §4.1.2.1 first engine travel (240 s); EMS: NFPA
 * 1710 §4.1.2.1 ALS unit travel (480 s). Police and the utilities are illustrative: no national standard
 * sets them; a city profile should give its own.
 */
export const DEFAULT_AGENCY_RULES: Record<Agency, AgencyRules> = {
  fire: { agency: 'fire', ackTimeoutS: 60, firstUnitTravelS: 240, dispatchMode: 'direct' },
  ems: { agency: 'ems', ackTimeoutS: 60, firstUnitTravelS: 480, dispatchMode: 'direct' },
  police: { agency: 'police', ackTimeoutS: 120, firstUnitTravelS: 600, dispatchMode: 'request' },
  water_utility: { agency: 'water_utility', ackTimeoutS: 300, firstUnitTravelS: 1800, dispatchMode: 'request' },
  gas_utility: { agency: 'gas_utility', ackTimeoutS: 180, firstUnitTravelS: 1800, dispatchMode: 'request' },
};

/** True for a known agency id (`fire`, `ems`, `police`, `water_utility`, `gas_utility`). */
export function isAgency(s: string): s is Agency {
  return (AGENCIES as readonly string[]).includes(s);
}

/** True for a capability a response plan slot can ask for. */
export function isCapability(s: string): s is Capability {
  return (CAPABILITIES as readonly string[]).includes(s);
}

/**
 * The acknowledgement timeout of an agency's unit, seconds: the city profile's value for the agency;
 * else, for fire and EMS (and a unit with no agency), `fireEmsDefaultS` (the `ACK_TIMEOUT_S` setting);
 * else the agency's {@link DEFAULT_AGENCY_RULES} value.
 * @param rules the city's agency rules (from its profile)
 * @param agency the unit's agency; null or unknown counts as `fire`
 * @param fireEmsDefaultS the fire/EMS timeout when the profile gives none, seconds
 */
export function ackTimeoutFor(rules: Partial<Record<Agency, AgencyRules>>, agency: string | null, fireEmsDefaultS: number): number {
  const a: Agency = agency && isAgency(agency) ? agency : 'fire';
  const given = rules[a]?.ackTimeoutS;
  if (given !== undefined) return given;
  return a === 'fire' || a === 'ems' ? fireEmsDefaultS : DEFAULT_AGENCY_RULES[a].ackTimeoutS!;
}

/** A unit type resolved for import. */
export interface ResolvedUnitType {
  /** Capabilities, the primary first; empty when the type is unknown. */
  capabilities: Capability[];
  /** False when the type maps to nothing: the unit imports but is never dispatched, and is reported. */
  dispatchable: boolean;
}

/**
 * Capabilities of a unit type, through a city's own mapping first, then the built-in SFFD types.
 * Never throws: an unmapped type (SFFD's `AIRPORT`, `INVESTIGATION`) resolves as not dispatchable
 * with no capability, never as an engine, so the caller can import the unit and report it.
 * @param unitType the type as written in the data (case-insensitive, trimmed)
 * @param cityTypes the profile's `unitTypes`: upper-case type -> capabilities (already checked)
 */
export function resolveUnitType(unitType: string, cityTypes: Record<string, Capability[]> = {}): ResolvedUnitType {
  const key = unitType.trim().toUpperCase();
  const mapped = cityTypes[key];
  if (mapped) return { capabilities: [...mapped], dispatchable: mapped.length > 0 };
  if ((UNIT_TYPES as readonly string[]).includes(key)) return { capabilities: capabilitiesOf(key), dispatchable: true };
  return { capabilities: [], dispatchable: false };
}

/** The agency whose units fill a capability (a plan slot): fire apparatus, EMS, police, the utilities' crews. */
const AGENCY_OF_CAPABILITY: Record<Capability, Agency> = {
  engine: 'fire',
  truck: 'fire',
  chief: 'fire',
  rescue: 'fire',
  rescue_captain: 'fire',
  support: 'fire',
  ambulance: 'ems',
  als: 'ems',
  police: 'police',
  water_crew: 'water_utility',
  gas_crew: 'gas_utility',
};

/**
 * The agency that fills a plan slot of capability `capability`; an unknown capability counts as `fire`
 * (the command centre's own units).
 */
export function agencyOfCapability(capability: string): Agency {
  return isCapability(capability) ? AGENCY_OF_CAPABILITY[capability] : 'fire';
}

/**
 * How the command centre gets an agency's units: the profile's `dispatchMode` for the agency, else its
 * {@link DEFAULT_AGENCY_RULES} mode (police and the utilities: `request`). Null or unknown: `fire`.
 */
export function dispatchModeOf(rules: Partial<Record<Agency, AgencyRules>>, agency: string | null): DispatchMode {
  const a: Agency = agency && isAgency(agency) ? agency : 'fire';
  return rules[a]?.dispatchMode ?? DEFAULT_AGENCY_RULES[a].dispatchMode;
}

/**
 * Splits a plan's slots by how they are filled: `direct` slots are dispatched by the command centre,
 * `requested` ones are asked of their agency's own post (one request per slot), which accepts with a
 * unit of its own choosing.
 * @param slots capabilities, one per unit wanted (`planSlots`)
 * @returns the direct slots in order, and the requested ones with their agency
 */
export function splitByDispatchMode(
  slots: readonly string[],
  rules: Partial<Record<Agency, AgencyRules>>,
): { direct: string[]; requested: { capability: string; agency: Agency }[] } {
  const direct: string[] = [];
  const requested: { capability: string; agency: Agency }[] = [];
  for (const capability of slots) {
    const agency = agencyOfCapability(capability);
    if (dispatchModeOf(rules, agency) === 'request') requested.push({ capability, agency });
    else direct.push(capability);
  }
  return { direct, requested };
}

/**
 * Each agency's first-unit travel target, seconds: the profile's `firstUnitTravelS`, else the agency's
 * {@link DEFAULT_AGENCY_RULES} value. What the escalation policy holds a tier's fill to, per agency.
 */
export function agencyTravelTargets(rules: Partial<Record<Agency, AgencyRules>>): Record<Agency, number> {
  const out = {} as Record<Agency, number>;
  for (const a of AGENCIES) out[a] = rules[a]?.firstUnitTravelS ?? DEFAULT_AGENCY_RULES[a].firstUnitTravelS;
  return out;
}

/**
 * Units that may replace one plan slot automatically after its units failed to acknowledge (then a
 * dispatcher assigns by hand: else one incident whose phones are down could burn the fleet).
 */
export const MAX_REPLACEMENTS = 2;
