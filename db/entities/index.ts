import { Jurisdiction } from './jurisdiction.entity';
import { Station } from './station.entity';
import { Unit } from './unit.entity';
import { Call } from './call.entity';
import { Incident } from './incident.entity';
import { Assignment } from './assignment.entity';
import { IncidentEvent } from './incident-event.entity';
import { ResponsePlanRow } from './response-plan.entity';
import { Escalation } from './escalation.entity';
import { Deadline } from './deadline.entity';
import { AgencyRequestRow } from './agency-request.entity';
import { AppSetting, User } from './user.entity';
import { RoadClosureRow } from './road-closure.entity';
import { DrillRunRow } from './drill-run.entity';
import { AuditEvent } from './audit-event.entity';
import { CapAlertRow } from './cap-alert.entity';
import { BriefingRow, DamageReportRow, PublicReportRow } from './sitrep.entity';
import { HeartbeatRow, OutageRow, StatusReportRow } from './outage.entity';
import { TravelModelRow } from './travel-model.entity';
import { AvlCurrentRow, AvlFixRow, DeviceClockRow, LocationAlertRow, PlaceNameRow } from './position.entity';
import { SensorReadingRow } from './sensor-reading.entity';
import { CallAnswerRow, CallerContactRow, NarrativeEntryRow } from './call-record.entity';
import { UnitMessageRow } from './unit-message.entity';
import { PremiseNoteRow } from './premise-note.entity';

/** Every TypeORM entity of the record. */
export const ENTITIES = [Jurisdiction, Station, Unit, Call, Incident, Assignment, IncidentEvent, ResponsePlanRow, Escalation, Deadline, User, AppSetting, RoadClosureRow, DrillRunRow, AuditEvent, CapAlertRow, DeviceClockRow, AvlFixRow, AvlCurrentRow, PlaceNameRow, LocationAlertRow, DamageReportRow, BriefingRow, PublicReportRow, HeartbeatRow, OutageRow, StatusReportRow, CallerContactRow, NarrativeEntryRow, CallAnswerRow, TravelModelRow, SensorReadingRow, AgencyRequestRow, UnitMessageRow, PremiseNoteRow];
export { Jurisdiction, Station, Unit, Call, Incident, Assignment, IncidentEvent, ResponsePlanRow, Escalation, Deadline, User, AppSetting, RoadClosureRow, DrillRunRow, AuditEvent, CapAlertRow, DeviceClockRow, AvlFixRow, AvlCurrentRow, PlaceNameRow, LocationAlertRow, DamageReportRow, BriefingRow, PublicReportRow, HeartbeatRow, OutageRow, StatusReportRow, CallerContactRow, NarrativeEntryRow, CallAnswerRow, TravelModelRow, SensorReadingRow, AgencyRequestRow, UnitMessageRow, PremiseNoteRow };
export type { AvlVerdict } from './position.entity';
