/**
 * @cad/db — the record: TypeORM entities, migrations, the data source, and the import of real data sets.
 */
export * from './entities';
export { createDataSource } from './data-source';
export { MIGRATIONS } from './migrations/index';
export { importSanFrancisco, DEFAULT_CITY_PROFILE } from './import/import-sf';
export type { ImportOptions } from './import/import-sf';
export { importCity } from './import/import-city';
export type { ImportSummary, CityImportSummary, CityImportOptions } from './import/import-city';
export { readCityProfile, resolveProfilePath, lifelinesOf, profileDataFile, CityProfileError, LIFELINE_KINDS } from './import/city-profile';
export type { CityProfile, Hospital, LifelineNetwork, LifelineKind, BoundaryLayer } from './import/city-profile';
export { readFleetFile, FLEET_COLUMNS } from './import/fleet';
export type { FleetUnit, FleetRead } from './import/fleet';
export { readSfCalls, parseSfTime, callsOfDay, replayCallBody, DEFAULT_TURNOUT_S, DEFAULT_ON_SCENE_S } from './import/sf-calls';
export type { SfUnitResponse, RowProblem, ReplayCall } from './import/sf-calls';

export { seedDemoUsers, BCRYPT_COST } from './import/demo-users';
export { readColumnMapping, readMappedCalls, parseMappedTime } from './import/generic-calls';
export type { ColumnMapping, MappedImport, TimeColumn } from './import/generic-calls';
export { sfScenario, loadScenario, SCENARIOS_DIR } from './import/scenarios';
export type { ScenarioFile } from './import/scenarios';
export { sortCalls, callsBetween } from './import/scenario';
export type { Scenario, ScenarioCall, HistoricalUnitResponse, UnitStart, RoadClosure } from './import/scenario';
export { travelSamplesOf, fitAndStoreTravelModel, storedTravelModel, LIVE_TRAVEL_MODEL_ID, TRAVEL_FIT_UNIT_TYPES } from './import/travel-model';
export type { UnitHome, GraphTimes } from './import/travel-model';
export { placementAgreement } from './import/placement-agreement';
export type { PlacementAgreement } from './import/placement-agreement';
export { BASE_UNKNOWN, MIN_BASE_RESPONSES } from './import/stations';
export { entitiesFrom, jsonbParam, readEntities, savedFrom } from './raw-entities';
