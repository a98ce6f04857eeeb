/**
 * Unit types, capabilities and home stations, as they appear in the San Francisco Fire Department
 * "Fire Department Calls for Service" data set (DataSF `nuek-vuh3`, column `Unit Type`).
 */

/** Every capability a response plan slot can ask for and a unit can fill. */
export const CAPABILITIES = [
  'engine',
  'truck',
  'ambulance',
  'als',
  'chief',
  'rescue',
  'rescue_captain',
  'support',
  // Other agencies' crews the command centre coordinates (see `agencies.ts`).
  'police',
  'water_crew',
  'gas_crew',
] as const;

/** A capability a response plan slot asks for and a unit can fill. */
export type Capability = (typeof CAPABILITIES)[number];

/** The unit types found in the SFFD data (`Unit Type` column). */
export const UNIT_TYPES = [
  'ENGINE',
  'TRUCK',
  'MEDIC',
  'PRIVATE',
  'CHIEF',
  'RESCUE SQUAD',
  'RESCUE CAPTAIN',
  'SUPPORT',
] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

const CAPABILITIES_OF_TYPE: Record<UnitType, Capability[]> = {
  ENGINE: ['engine'],
  TRUCK: ['truck'],
  // SFFD "MEDIC" units are ALS ambulances; "PRIVATE" are contracted ambulances (BLS or ALS).
  MEDIC: ['ambulance', 'als'],
  PRIVATE: ['ambulance'],
  CHIEF: ['chief'],
  'RESCUE SQUAD': ['rescue'],
  'RESCUE CAPTAIN': ['rescue_captain'],
  SUPPORT: ['support'],
};

/**
 * Capabilities of a unit type.
 * @param unitType an SFFD `Unit Type` value, case-insensitive (`"ENGINE"`, `"RESCUE SQUAD"`, ...)
 * @returns the capabilities, the first being the unit's primary capability (the one response plans count)
 * @throws RangeError when the unit type is unknown
 */
export function capabilitiesOf(unitType: string): Capability[] {
  const key = unitType.trim().toUpperCase() as UnitType;
  const caps = CAPABILITIES_OF_TYPE[key];
  if (!caps) throw new RangeError(`unknown unit type "${unitType}"`);
  return [...caps];
}

/**
 * Whether a unit transports patients to hospital: its type has the `ambulance` capability (SFFD
 * `MEDIC`, `PRIVATE`). When its type is not known (null, '', or not an SFFD type), the capability of
 * the task it works decides (`ambulance` or `als`, which only ambulance types fill).
 * @param unitType an SFFD `Unit Type` value, case-insensitive, or null when unknown
 * @param taskCapability the capability of the response-plan slot the unit fills (`engine`, `als`...)
 */
export function transportsPatients(unitType: string | null | undefined, taskCapability?: string): boolean {
  const key = String(unitType ?? '').trim().toUpperCase() as UnitType;
  const caps: readonly string[] | undefined = CAPABILITIES_OF_TYPE[key];
  if (caps) return caps.includes('ambulance');
  return taskCapability === 'ambulance' || taskCapability === 'als';
}

/**
 * Primary capability of a unit type: the one a response plan counts (MEDIC and PRIVATE both fill `ambulance`).
 * @throws RangeError when the unit type is unknown
 */
export function primaryCapability(unitType: string): Capability {
  return capabilitiesOf(unitType)[0];
}

/**
 * Home station number of a unit, read from its unit id where the id carries one: SFFD engines and
 * trucks are numbered after their station (`E39` -> 39, `T01` -> 1). Other units (medics, private
 * ambulances, chiefs, rescue squads) have no fixed station in the id and get `null`.
 */
export function stationNumberOf(unitId: string): number | null {
  const m = /^(E|T)0*(\d{1,3})$/i.exec(unitId.trim());
  return m ? Number(m[2]) : null;
}
