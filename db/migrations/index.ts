import { Initial1764432000000 } from './1764432000000-initial';
import { CommandChain1764518400000 } from './1764518400000-command-chain';
import { Accounts1764604800000 } from './1764604800000-accounts';
import { RoadClosures1764691200000 } from './1764691200000-road-closures';
import { PlanAlarms1764777600000 } from './1764777600000-plan-alarms';
import { TaskRelease1764864000000 } from './1764864000000-task-release';
import { DrillClosures1764950400000 } from './1764950400000-drill-closures';
import { IncidentMerge1765036800000 } from './1765036800000-incident-merge';
import { DrillRuns1765123200000 } from './1765123200000-drill-runs';
import { DispatchHolds1765209600000 } from './1765209600000-dispatch-holds';
import { EventNotify1765296000000 } from './1765296000000-event-notify';
import { EventSequencer1766140000001 } from './1766140000001-event-sequencer';
import { UnitWorlds1766150000001 } from './1766150000001-unit-worlds';
import { Positions1766170000001 } from './1766170000001-positions';
import { CapAlerts1766230000001 } from './1766230000001-cap-alerts';
import { AccountsAudit1766270000001 } from './1766270000001-accounts-audit';
import { CallRoadway1766290000001 } from './1766290000001-call-roadway';
import { Outages1766300000001 } from './1766300000001-outages';
import { TravelModel1766320000001 } from './1766320000001-travel-model';
import { UnitAgency1766330000001 } from './1766330000001-unit-agency';
import { Sitrep1766350000001 } from './1766350000001-sitrep';
import { CallRecord1766360000001 } from './1766360000001-call-record';
import { UnitMessages1766440000001 } from './1766440000001-unit-messages';
import { PremiseNotes1766440000002 } from './1766440000002-premise-notes';

/** Every migration, in order. A test fails when the entities need a migration that is not here. */
export const MIGRATIONS = [Initial1764432000000, CommandChain1764518400000, Accounts1764604800000, RoadClosures1764691200000, PlanAlarms1764777600000, TaskRelease1764864000000, DrillClosures1764950400000, IncidentMerge1765036800000, DrillRuns1765123200000, DispatchHolds1765209600000, EventNotify1765296000000, EventSequencer1766140000001, UnitWorlds1766150000001, Positions1766170000001, CapAlerts1766230000001, AccountsAudit1766270000001, CallRoadway1766290000001, Outages1766300000001, TravelModel1766320000001, UnitAgency1766330000001, Sitrep1766350000001, CallRecord1766360000001, UnitMessages1766440000001, PremiseNotes1766440000002];
